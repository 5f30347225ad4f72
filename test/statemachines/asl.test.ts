import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { MAX_LEASE_SECONDS } from '../../core/config';
import { ASL_PATH, substitutedDefinition } from '../support/workflow';

describe('shift.asl.json', () => {
  it('passes asl-validator once its placeholders are substituted', () => {
    const { isValid, errorsText } = aslValidator(substitutedDefinition());
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('uses JSONPath only (the twin runs this file): no JSONata, no Variables', () => {
    const text = readFileSync(ASL_PATH, 'utf8');
    expect(text).not.toMatch(/"QueryLanguage":\s*"JSONata"|"Assign"|"Arguments"|"Output"\s*:|\{%/);
  });

  it('names only the placeholders the CDK construct substitutes', () => {
    const placeholders = [...readFileSync(ASL_PATH, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
    expect(new Set(placeholders)).toEqual(
      new Set([
        'PrepareFunctionArn',
        'LockFunctionArn',
        'ApplyStepFunctionArn',
        'CheckGatesFunctionArn',
        'RollbackFunctionArn',
        'VerifyDrainedFunctionArn',
        'FinishFunctionArn',
        'NotifyFunctionArn',
        'LambdaInvoke',
      ]),
    );
  });

  it('names no partition: every Task calls Lambda through the LambdaInvoke placeholder, and the file is valid ASL as written', () => {
    // Prepare
    const text = readFileSync(ASL_PATH, 'utf8');
    const tasks: { Resource?: string }[] = [];
    const collect = (
      states: Record<string, { Type: string; Resource?: string; ItemProcessor?: { States: never } }>,
    ) => {
      for (const state of Object.values(states)) {
        if (state.Type === 'Task') tasks.push(state);
        if (state.ItemProcessor) collect(state.ItemProcessor.States);
      }
    };

    // Act
    collect(JSON.parse(text).States);
    const { isValid, errorsText } = aslValidator(JSON.parse(text));

    // Assert: asl-validator accepts a Resource that is one whole ${…} (substituted before deploy)
    expect(text).not.toMatch(/arn:aws[a-z-]*:/);
    expect(tasks.length).toBeGreaterThan(10);
    expect(new Set(tasks.map((task) => task.Resource))).toEqual(new Set([`\${LambdaInvoke}`]));
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('keeps a failover waiting (LockBusy) for at least the longest lease, within the history limit', () => {
    // Prepare: Step Functions' retry delays: interval × rate^n, capped at MaxDelaySeconds
    const retry = substitutedDefinition().States.Lock.Retry.find((r: { ErrorEquals: string[] }) =>
      r.ErrorEquals.includes('LockBusy'),
    );
    let waited = 0;
    for (let attempt = 0; attempt < retry.MaxAttempts; attempt++) {
      waited += Math.min(retry.IntervalSeconds * retry.BackoffRate ** attempt, retry.MaxDelaySeconds);
    }

    // Assert: the holder's release or its lapsed lease ends the wait, not the retry budget; each
    // attempt adds three history events (scheduled, started, failed) of the 25,000 an execution has
    expect(waited).toBeGreaterThan(MAX_LEASE_SECONDS);
    expect(retry.MaxAttempts * 3).toBeLessThan(15_000);
    expect(retry.MaxDelaySeconds).toBeLessThanOrEqual(20);
  });

  it('fails with the original error name after rollback, its cause saying where the routes were left', () => {
    const states = substitutedDefinition().States;
    expect(states.Steps.Catch.at(-1)).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'StartRollback' });
    expect(states.StartRollback.Next).toBe('Rollback');
    expect(states.FinishFailed.Next).toBe('FailWithOriginalError');
    expect(states.FailWithOriginalError).toMatchObject({
      Type: 'Fail',
      ErrorPath: '$.error.Error',
      CausePath: '$.finished.cause',
    });
    expect(states.FailAfterFinishError).toMatchObject({
      Type: 'Fail',
      ErrorPath: '$.error.Error',
      CausePath: '$.error.Cause',
    });
  });

  it('notifies in Task states whose every error goes on to the next state, leaving the state as it was', () => {
    // Prepare
    const states = substitutedDefinition().States;
    const notifyStarted = states.NotifyStarted;
    const notifyStep = states.Steps.ItemProcessor.States.NotifyStep;

    // Assert
    for (const [state, next] of [
      [notifyStarted, 'Steps'],
      [notifyStep, 'StepDone'],
    ]) {
      expect(state).toMatchObject({ Type: 'Task', ResultPath: null, Next: next });
      expect(state.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: next }]);
      expect(state.Retry[0].ErrorEquals).toContain('Lambda.ServiceException');
    }
    expect(notifyStep.Parameters.Payload).toEqual({
      'executionId.$': '$$.Execution.Id',
      kind: 'step',
      'stepIndex.$': '$.stepIndex',
    });
  });

  it('notifies each step once it is done (baked, or written when there is no bake), and a failover starts with its first step', () => {
    // Prepare
    const states = substitutedDefinition().States;
    const step = states.Steps.ItemProcessor.States;

    // Assert
    expect(step['Bake?'].Default).toBe('NotifyStep');
    expect(step['BakeDone?'].Choices[0].Next).toBe('NotifyStep');
    expect(states['Locked?'].Default).toBe('NotifyStarted');
    expect(states['Locked?'].Choices).toContainEqual({
      Variable: '$.prepared.action',
      StringEquals: 'failover',
      Next: 'Steps',
    });
  });
});

import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
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
      ]),
    );
  });

  it('fails with the original error name after rollback, its cause saying where the routes were left', () => {
    const states = substitutedDefinition().States;
    expect(states.Steps.Catch[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'Rollback' });
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
});

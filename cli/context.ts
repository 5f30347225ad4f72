import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { clearElbv2DescribePacing, configureElbv2DescribePacing } from '../aws/elbv2-pacing';
import { ShiftStore } from '../aws/store';
import type { FleetConfig } from '../core/config';
import { parseFleetConfig } from '../core/config-yaml';
import type { FleetAccess } from '../ops/access';
import { Clients, endpointNotes } from './clients';
import { CliError, usageError } from './errors';
import { resolveRequester } from './identity';
import { type CliIo, defaultSleep, Output } from './io';

/** Options every command accepts (commander's optsWithGlobals). */
export interface GlobalOptions {
  readonly config: string;
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly json?: boolean;
  readonly stack?: string;
  readonly debug?: boolean;
}

export interface Deployment {
  readonly stackName: string;
  readonly stateMachineArn: string;
  readonly tableName: string;
}

/** Same formula as infra/stack.ts (the CLI does not load the CDK to compute one string). */
export const defaultStackName = (fleet: string): string => `ClusterShift-${fleet}`;

const loadConfigFile = (path: string, cwd: string): FleetConfig => {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'not found' : `cannot be read (${code ?? String(error)})`;
    throw usageError(`fleet config ${path} ${why}`, [
      '  pass --config <path>, or copy clustershift.example.yaml to clustershift.yaml',
    ]);
  }
  return parseFleetConfig(text, path);
};

/**
 * What a command works with: the fleet config, the SDK clients, the deployment found through
 * CloudFormation, the store, the services' clock and who is asking. Everything is built on first
 * use, so a command fails on its first bad input before anything is sent.
 */
export class Context implements FleetAccess {
  readonly out: Output;
  private loadedConfig?: FleetConfig;
  private builtClients?: Clients;
  private foundDeployment?: Promise<Deployment>;
  private builtStore?: ShiftStore;
  private requester?: Promise<string>;

  constructor(
    readonly options: GlobalOptions,
    readonly io: CliIo,
  ) {
    this.out = new Output(io, options.json === true);
  }

  get config(): FleetConfig {
    this.loadedConfig ??= loadConfigFile(this.options.config, this.io.cwd ?? process.cwd());
    return this.loadedConfig;
  }

  get clients(): Clients {
    if (this.builtClients === undefined) {
      const { config } = this;
      this.builtClients = new Clients({
        region: this.options.region ?? config.region,
        ...(this.options.profile === undefined ? {} : { profile: this.options.profile }),
        ...(this.options.endpointUrl === undefined ? {} : { endpointUrl: this.options.endpointUrl }),
        env: this.io.env,
      });
      // Say where requests go whenever it is not AWS: a twin must never be mistaken for production.
      for (const note of endpointNotes(this.builtClients.settings)) this.out.note(note);
      this.paceDescribes(this.builtClients);
    }
    return this.builtClients;
  }

  /**
   * The CLI's ELBv2 describes spend the fleet's share of the account's bucket too, leased with the
   * deployed functions through the stack's table (found on the first describe); without a stack or
   * table it paces alone at the share (said with --debug).
   */
  private paceDescribes(clients: Clients): void {
    const { describeShare, describeBucket } = this.config.limits.elbv2;
    configureElbv2DescribePacing({
      share: describeShare,
      bucket: describeBucket,
      region: clients.settings.region,
      table: async () => ({ client: clients.dynamo(), tableName: (await this.deployment()).tableName }),
      onFallback: (error) => {
        if (this.options.debug === true) {
          this.out.note(`ELBv2 describes paced by this process alone at its share: ${String(error)}`);
        }
      },
    });
  }

  /** The region requests go to (--region, else the config's). */
  get region(): string {
    return this.clients.settings.region;
  }

  get stackName(): string {
    return this.options.stack ?? defaultStackName(this.config.fleet);
  }

  /** The deployed stack's outputs: the state machine and the table. */
  deployment(): Promise<Deployment> {
    this.foundDeployment ??= this.findDeployment();
    return this.foundDeployment;
  }

  private async findDeployment(): Promise<Deployment> {
    const stackName = this.stackName;
    const region = this.clients.settings.region;
    let outputs: { OutputKey?: string; OutputValue?: string }[];
    try {
      const result = await this.clients
        .cloudformation()
        .send(new DescribeStacksCommand({ StackName: stackName }));
      outputs = result.Stacks?.[0]?.Outputs ?? [];
    } catch (error) {
      const name = (error as { name?: string }).name;
      const message = (error as { message?: string }).message ?? String(error);
      if (name === 'ValidationError' && /does not exist/.test(message)) {
        throw usageError(`stack ${stackName} not found in ${region}`, [
          '  deploy it (npm run deploy), or name it with --stack <name> / the region with --region',
        ]);
      }
      throw new CliError(`cannot describe stack ${stackName} in ${region}: ${name ?? 'Error'}: ${message}`);
    }
    const output = (key: string) => outputs.find((o) => o.OutputKey === key)?.OutputValue;
    const stateMachineArn = output('StateMachineArn');
    const tableName = output('TableName');
    const missing = [
      stateMachineArn === undefined ? 'StateMachineArn' : '',
      tableName === undefined ? 'TableName' : '',
    ].filter(Boolean);
    if (stateMachineArn === undefined || tableName === undefined) {
      throw usageError(`stack ${stackName} has no output ${missing.join(' or ')}`, [
        '  is it a clustershift stack? redeploy it, or name the right one with --stack <name>',
      ]);
    }
    return { stackName, stateMachineArn, tableName };
  }

  async store(): Promise<ShiftStore> {
    if (this.builtStore === undefined) {
      const { tableName } = await this.deployment();
      this.builtStore = new ShiftStore({
        tableName,
        fleet: this.config.fleet,
        client: this.clients.dynamo(),
      });
    }
    return this.builtStore;
  }

  /** Now, on the services' clock as last heard (the local clock until a response has told it). */
  now(): Date {
    return this.clients.clock.now();
  }

  /**
   * Now on the services' clock (the twin's compressed time, or AWS's against a skewed laptop),
   * asking CloudWatch once if no response has told it yet. Leases and metric windows need it.
   */
  async serviceNow(): Promise<Date> {
    if (!this.clients.clock.synced) {
      try {
        await this.clients.cloudwatch().send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
      } catch {
        // An error response carries the Date header too; without one the local clock must do.
      }
    }
    return this.now();
  }

  /** `cli:<caller ARN>` or `cli:<os user>`, asked once. */
  requestedBy(): Promise<string> {
    this.requester ??= resolveRequester(this.clients.configFor('sts'), this.io.env);
    return this.requester;
  }

  /** Waits `ms` (real time), or less when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal | undefined = this.io.signal): Promise<void> {
    return (this.io.sleep ?? defaultSleep)(ms, signal);
  }

  close(): void {
    if (this.builtClients !== undefined) clearElbv2DescribePacing();
    this.builtClients?.destroy();
  }
}

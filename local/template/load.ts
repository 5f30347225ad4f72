import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { InvalidPolicyError, RoleCollector } from '../iam/roles';
import { partitionOf } from '../partition';
import { templateError } from './errors';
import { HttpApiCollector } from './http-api-plan';
import { type Json, NO_VALUE, type ResolveContext, resolveValue } from './intrinsics';
import type {
  DeployPlan,
  FunctionPlan,
  IgnoredResource,
  QueuePlan,
  RulePlan,
  StateMachinePlan,
  TablePlan,
} from './plan';
import { functionProperties, parseProperties, stateMachineProperties, tableProperties } from './properties';
import { generatedName, RESOURCE_KINDS, type ResourceKind, type StackEnvironment } from './resource-types';
import { rulePlan } from './rule-plan';

export interface LoadTemplateOptions {
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  /** The directory of the template file: function asset paths (`aws:asset:path`) are relative to it. */
  readonly templateDir: string;
  /** Values of the template's Parameters, over their Default. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** The twin's base URL, where it serves the template's HTTP APIs (what ApiEndpoint resolves to). */
  readonly apiEndpoint?: string;
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: unknown;
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: unknown;
}

interface TemplateParameter {
  readonly Type?: string;
  readonly Default?: unknown;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A stable UUID-shaped id for the stack (the pseudo parameter AWS::StackId ends with one). */
const stableUuid = (text: string): string => {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/**
 * Reads a synthesized CloudFormation template into what the twin deploys: the functions (with their
 * CDK asset folder and environment), the state machines (definition with substitutions applied),
 * the tables, rules, queues and HTTP APIs, every intrinsic resolved and every name physical. Resources the twin accepts without
 * running them are listed in `ignored` with the reason; any other resource type, intrinsic or
 * template feature fails, naming the logical id and what is not supported.
 *
 * Template sections read: Resources, Parameters (Default, or `options.parameters`), Outputs. Rules
 * are not evaluated: CDK's only rule checks the bootstrap version, which concerns real deployments.
 */
export const loadTemplate = (template: object, options: LoadTemplateOptions): DeployPlan => {
  if (!isPlainObject(template)) throw templateError('InvalidTemplate', 'the template must be a JSON object');
  const resources = template.Resources;
  if (!isPlainObject(resources) || Object.keys(resources).length === 0) {
    throw templateError(
      'InvalidTemplate',
      'the template must have a Resources section with at least one resource',
    );
  }
  for (const section of ['Conditions', 'Transform', 'Mappings'] as const) {
    const value = template[section];
    if (value !== undefined && !(isPlainObject(value) && Object.keys(value).length === 0)) {
      throw templateError(
        'UnsupportedFeature',
        `the template's ${section} section; the twin does not evaluate ${section}`,
      );
    }
  }
  const parameters = isPlainObject(template.Parameters) ? template.Parameters : {};

  const env: StackEnvironment = {
    stackName: options.stackName,
    region: options.region,
    accountId: options.accountId,
    partition: partitionOf(options.region),
    urlSuffix: options.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com',
    ...(options.apiEndpoint === undefined ? {} : { apiEndpoint: options.apiEndpoint }),
  };

  const typed = new Map<string, { resource: TemplateResource; kind: ResourceKind }>();
  for (const [logicalId, raw] of Object.entries(resources)) {
    if (!isPlainObject(raw) || typeof raw.Type !== 'string') {
      throw templateError('InvalidTemplate', `resource ${logicalId} must be an object with a Type`);
    }
    const resource = raw as unknown as TemplateResource;
    const kind = RESOURCE_KINDS[resource.Type];
    if (kind === undefined) {
      throw templateError(
        'UnsupportedResource',
        `${logicalId} (${resource.Type}); the twin deploys ${Object.keys(RESOURCE_KINDS).join(', ')}`,
      );
    }
    if (resource.Condition !== undefined) {
      throw templateError(
        'UnsupportedFeature',
        `${logicalId} (${resource.Type}) has a Condition; the twin does not evaluate conditions`,
      );
    }
    typed.set(logicalId, { resource, kind });
  }

  const names = new Map<string, string>();
  const naming = new Set<string>();
  const nameOf = (logicalId: string): string => {
    const known = names.get(logicalId);
    if (known !== undefined) return known;
    const entry = typed.get(logicalId);
    if (entry === undefined) throw new Error(`no resource ${logicalId}`);
    if (naming.has(logicalId)) {
      throw templateError(
        'InvalidTemplate',
        `circular dependency: the name of ${logicalId} depends on itself`,
      );
    }
    naming.add(logicalId);
    const { resource, kind } = entry;
    const given =
      kind.nameProperty !== undefined && isPlainObject(resource.Properties)
        ? resource.Properties[kind.nameProperty]
        : undefined;
    let name: string;
    if (given === undefined) {
      name = generatedName(env, logicalId, kind.maxNameLength);
    } else {
      const resolved = resolveValue(given, context, `${logicalId}.${kind.nameProperty}`);
      if (typeof resolved !== 'string' || resolved === '') {
        throw templateError(
          'InvalidProperties',
          `${logicalId} (${resource.Type}): ${kind.nameProperty} must be a string`,
        );
      }
      name = resolved;
    }
    naming.delete(logicalId);
    names.set(logicalId, name);
    return name;
  };

  const parameterValue = (name: string, where: string): Json => {
    const parameter = parameters[name] as TemplateParameter;
    const given = options.parameters?.[name];
    const type = parameter.Type ?? 'String';
    if (
      given === undefined &&
      (parameter.Default === undefined || type.startsWith('AWS::SSM::Parameter::Value'))
    ) {
      throw templateError(
        'UnresolvedParameter',
        `${name} (${type}) referenced in ${where} has no value the twin can use; pass it in the loader's parameters`,
      );
    }
    const value = given ?? String(parameter.Default);
    return type === 'CommaDelimitedList' || type.startsWith('List<') ? value.split(',') : value;
  };

  const context: ResolveContext = {
    pseudo: {
      'AWS::Region': env.region,
      'AWS::AccountId': env.accountId,
      'AWS::Partition': env.partition,
      'AWS::StackName': env.stackName,
      'AWS::StackId': `arn:${env.partition}:cloudformation:${env.region}:${env.accountId}:stack/${env.stackName}/${stableUuid(env.stackName)}`,
      'AWS::URLSuffix': env.urlSuffix,
      'AWS::NotificationARNs': [],
    },
    ref: (logicalId, where) => {
      const entry = typed.get(logicalId);
      if (entry !== undefined) return entry.kind.ref(nameOf(logicalId), env);
      if (Object.hasOwn(parameters, logicalId)) return parameterValue(logicalId, where);
      throw templateError(
        'UnresolvedReference',
        `Ref ${logicalId} in ${where}: no such resource, parameter or pseudo parameter`,
      );
    },
    getAtt: (logicalId, attribute, where) => {
      const entry = typed.get(logicalId);
      if (entry === undefined) {
        throw templateError(
          'UnresolvedReference',
          `Fn::GetAtt ${logicalId}.${attribute} in ${where}: no such resource`,
        );
      }
      const get = entry.kind.attributes[attribute];
      if (get === undefined) {
        const known = Object.keys(entry.kind.attributes);
        throw templateError(
          'UnsupportedAttribute',
          `Fn::GetAtt ${logicalId}.${attribute} (${entry.resource.Type}) in ${where}; ` +
            `the twin knows ${known.length > 0 ? known.join(', ') : 'no attributes'} of this type`,
        );
      }
      return get(nameOf(logicalId), env);
    },
  };

  const propertiesOf = (logicalId: string, resource: TemplateResource): Json => {
    const resolved = resolveValue(resource.Properties ?? {}, context, logicalId);
    return resolved === NO_VALUE ? {} : resolved;
  };

  const functions: FunctionPlan[] = [];
  const stateMachines: StateMachinePlan[] = [];
  const tables: TablePlan[] = [];
  const rules: RulePlan[] = [];
  const queues: QueuePlan[] = [];
  const httpApis = new HttpApiCollector();
  const roles = new RoleCollector();
  const ignored: IgnoredResource[] = [];
  for (const [logicalId, { resource, kind }] of typed) {
    const name = nameOf(logicalId);
    switch (resource.Type) {
      case 'AWS::Lambda::Function':
        functions.push(
          functionPlan(logicalId, resource, name, propertiesOf(logicalId, resource), env, kind, options),
        );
        break;
      case 'AWS::StepFunctions::StateMachine':
        stateMachines.push(
          stateMachinePlan(logicalId, resource, name, propertiesOf(logicalId, resource), env, kind),
        );
        break;
      case 'AWS::DynamoDB::Table':
        tables.push(tablePlan(logicalId, resource, name, propertiesOf(logicalId, resource), env, kind));
        break;
      case 'AWS::Events::Rule': {
        const rule = rulePlan(logicalId, resource, name, propertiesOf(logicalId, resource), env, kind);
        if ('ignored' in rule) ignored.push({ logicalId, type: resource.Type, reason: rule.ignored });
        else rules.push(rule);
        break;
      }
      case 'AWS::SQS::Queue':
        queues.push({
          logicalId,
          name,
          arn: kind.attributes.Arn?.(name, env) ?? name,
          url: kind.ref(name, env),
        });
        break;
      case 'AWS::ApiGatewayV2::Api':
        httpApis.addApi(logicalId, resource.Type, name, propertiesOf(logicalId, resource), env, kind);
        break;
      case 'AWS::ApiGatewayV2::Integration':
        httpApis.addIntegration(logicalId, resource.Type, name, propertiesOf(logicalId, resource), env, kind);
        break;
      case 'AWS::ApiGatewayV2::Route':
        httpApis.addRoute(logicalId, resource.Type, propertiesOf(logicalId, resource));
        break;
      case 'AWS::IAM::Role':
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        try {
          const properties = propertiesOf(logicalId, resource);
          if (resource.Type === 'AWS::IAM::Role') {
            roles.addRole(logicalId, name, kind.attributes.Arn?.(name, env) ?? name, properties);
          } else {
            const managedArn = resource.Type === 'AWS::IAM::ManagedPolicy' ? kind.ref(name, env) : undefined;
            roles.addPolicy(logicalId, name, properties, managedArn);
          }
        } catch (error) {
          if (error instanceof InvalidPolicyError)
            throw templateError('InvalidProperties', `${logicalId} (${resource.Type}): ${error.message}`);
          throw error;
        }
        break;
      default:
        ignored.push({
          logicalId,
          type: resource.Type,
          reason: kind.ignoredBecause ?? 'not run by the twin',
        });
    }
  }

  return {
    stackName: env.stackName,
    region: env.region,
    accountId: env.accountId,
    functions,
    stateMachines,
    tables,
    rules,
    queues,
    httpApis: httpApis.plans(),
    ignored,
    roles: roles.plans(),
    outputs: resolveOutputs(template.Outputs, context),
  };
};

const functionPlan = (
  logicalId: string,
  resource: TemplateResource,
  name: string,
  properties: Json,
  env: StackEnvironment,
  kind: ResourceKind,
  options: LoadTemplateOptions,
): FunctionPlan => {
  const props = parseProperties(functionProperties, properties, logicalId, resource.Type);
  if (!props.Runtime.startsWith('nodejs')) {
    throw templateError(
      'UnsupportedRuntime',
      `${logicalId} (${resource.Type}) runs ${props.Runtime}; the twin runs Node.js functions only`,
    );
  }
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath !== 'string' || assetPath === '') {
    throw templateError(
      'UnsupportedCode',
      `${logicalId} (${resource.Type}) has no aws:asset:path metadata; the twin runs a function from its CDK ` +
        'asset folder, so synthesize with asset metadata (cdk synth does)',
    );
  }
  return {
    logicalId,
    name,
    arn: kind.attributes.Arn?.(name, env) ?? name,
    handler: props.Handler,
    codeDir: resolve(options.templateDir, assetPath),
    environment: props.Environment?.Variables ?? {},
    timeoutSeconds: props.Timeout,
    memoryMb: props.MemorySize,
    ...(props.Role === undefined ? {} : { roleArn: props.Role }),
    ...(props.LoggingConfig?.LogGroup === undefined ? {} : { logGroupName: props.LoggingConfig.LogGroup }),
  };
};

const PLACEHOLDER = /\$\{([^}]+)\}/g;

const stateMachinePlan = (
  logicalId: string,
  resource: TemplateResource,
  name: string,
  properties: Json,
  env: StackEnvironment,
  kind: ResourceKind,
): StateMachinePlan => {
  const props = parseProperties(stateMachineProperties, properties, logicalId, resource.Type);
  if (props.DefinitionS3Location !== undefined) {
    throw templateError(
      'UnsupportedProperty',
      `${logicalId} (${resource.Type}) DefinitionS3Location; the twin reads DefinitionString or Definition`,
    );
  }
  const text =
    props.DefinitionString ?? (props.Definition === undefined ? undefined : JSON.stringify(props.Definition));
  if (text === undefined) {
    throw templateError(
      'InvalidProperties',
      `${logicalId} (${resource.Type}) has no DefinitionString or Definition`,
    );
  }
  const substitutions = props.DefinitionSubstitutions ?? {};
  // As CloudFormation: each `${key}` with a substitution is replaced; any other `${…}` stays as written.
  const definition = text.replace(PLACEHOLDER, (match, key: string) =>
    Object.hasOwn(substitutions, key) ? (substitutions[key] ?? match) : match,
  );
  return {
    logicalId,
    name,
    arn: kind.ref(name, env),
    definition,
    ...(props.RoleArn === undefined ? {} : { roleArn: props.RoleArn }),
    type: props.StateMachineType,
  };
};

const tablePlan = (
  logicalId: string,
  resource: TemplateResource,
  name: string,
  properties: Json,
  env: StackEnvironment,
  kind: ResourceKind,
): TablePlan => {
  const props = parseProperties(tableProperties, properties, logicalId, resource.Type);
  if (props.BillingMode === 'PROVISIONED' && props.ProvisionedThroughput === undefined) {
    throw templateError(
      'InvalidProperties',
      `${logicalId} (${resource.Type}): PROVISIONED billing needs ProvisionedThroughput`,
    );
  }
  const ttl = props.TimeToLiveSpecification;
  return {
    logicalId,
    name,
    arn: kind.attributes.Arn?.(name, env) ?? name,
    keySchema: props.KeySchema,
    attributeDefinitions: props.AttributeDefinitions,
    billingMode: props.BillingMode,
    ...(props.ProvisionedThroughput === undefined
      ? {}
      : { provisionedThroughput: props.ProvisionedThroughput }),
    ...(props.GlobalSecondaryIndexes === undefined
      ? {}
      : { globalSecondaryIndexes: props.GlobalSecondaryIndexes }),
    ...(props.LocalSecondaryIndexes === undefined
      ? {}
      : { localSecondaryIndexes: props.LocalSecondaryIndexes }),
    ...(ttl?.Enabled && ttl.AttributeName !== undefined ? { ttlAttribute: ttl.AttributeName } : {}),
    pointInTimeRecovery: props.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled ?? false,
  };
};

const resolveOutputs = (outputs: unknown, context: ResolveContext): Record<string, string> => {
  if (outputs === undefined) return {};
  if (!isPlainObject(outputs)) throw templateError('InvalidTemplate', 'Outputs must be an object');
  const resolved: Record<string, string> = {};
  for (const [key, output] of Object.entries(outputs)) {
    if (!isPlainObject(output) || output.Value === undefined) {
      throw templateError('InvalidTemplate', `output ${key} must have a Value`);
    }
    if (output.Condition !== undefined) {
      throw templateError(
        'UnsupportedFeature',
        `output ${key} has a Condition; the twin does not evaluate conditions`,
      );
    }
    const value = resolveValue(output.Value, context, `Outputs.${key}`);
    if (typeof value === 'object' || value === NO_VALUE) {
      throw templateError(
        'InvalidTemplate',
        `output ${key} must resolve to a string, got ${JSON.stringify(value)}`,
      );
    }
    resolved[key] = String(value);
  }
  return resolved;
};

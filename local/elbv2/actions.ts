import { TwinError } from '../errors';
import { optionalBoolean, optionalInteger, optionalString, requiredString } from '../protocol/scalars';
import type { TwinInput } from '../service';
import { constraint, invalidAction, validation } from './errors';
import { intInRange, list, oneOf, optionalStruct, requiredList, stringList, struct } from './input';
import {
  ACTION_TYPES,
  type ActionType,
  type Elbv2State,
  type ForwardConfig,
  type StoredAction,
  type TargetGroupTuple,
} from './state';

/**
 * Action lists of rules and listeners: parsed from a request, checked as AWS checks them, stored,
 * and rendered back as DescribeRules/DescribeListeners return them.
 */
export interface ActionContext {
  readonly state: Elbv2State;
  /** The load balancer the list will belong to: every forwarded-to target group must be (or become) its. */
  readonly loadBalancerArn: string;
  /** The list being replaced, where `UseExistingClientSecret` finds the secret to keep. */
  readonly previous?: readonly StoredAction[];
  /** `actions` or `defaultActions`, for error paths. */
  readonly path: string;
}

const MAX_TARGET_GROUPS = 5;
const MAX_WEIGHT = 999;
const MAX_STICKINESS_SECONDS = 604_800;
const TERMINAL: ReadonlySet<ActionType> = new Set(['forward', 'redirect', 'fixed-response']);
const AUTHENTICATE: ReadonlySet<ActionType> = new Set(['authenticate-oidc', 'authenticate-cognito']);
const CONTENT_TYPES = ['text/plain', 'text/css', 'text/html', 'application/javascript', 'application/json'];
const ALB_TARGET_PROTOCOLS = new Set(['HTTP', 'HTTPS']);

const required = (config: TwinInput, names: readonly string[], path: string): Record<string, string> =>
  Object.fromEntries(names.map((name) => [name, requiredString(config[name], `${path}.${name}`)]));

const optionalStrings = (config: TwinInput, names: readonly string[], path: string): Record<string, string> =>
  Object.fromEntries(
    names.flatMap((name) => {
      const value = optionalString(config[name], `${path}.${name}`);
      return value === undefined ? [] : [[name, value]];
    }),
  );

const extraParams = (value: unknown, path: string): Record<string, string> | undefined => {
  const params = optionalStruct(value, path);
  if (params === undefined) return undefined;
  if (Object.keys(params).length > 10) throw constraint(path, '[map]', 'have at most 10 entries');
  return Object.fromEntries(
    Object.entries(params).map(([key, v]) => [key, requiredString(v, `${path}.${key}`)]),
  );
};

const parseTuples = (raw: TwinInput, path: string): TargetGroupTuple[] => {
  const single = optionalString(raw.TargetGroupArn, `${path}.targetGroupArn`);
  const config = optionalStruct(raw.ForwardConfig, `${path}.forwardConfig`);
  const tuples = (list(config?.TargetGroups, `${path}.forwardConfig.targetGroups`) ?? []).map(
    (item, index) => {
      const tuplePath = `${path}.forwardConfig.targetGroups.${index + 1}.member`;
      const tuple = struct(item, tuplePath);
      const arn = requiredString(tuple.TargetGroupArn, `${tuplePath}.targetGroupArn`);
      const weight = optionalInteger(tuple.Weight, `${tuplePath}.weight`);
      if (weight !== undefined && (weight < 0 || weight > MAX_WEIGHT)) {
        throw validation(`The weight for each target group must be between 0 and ${MAX_WEIGHT}, inclusive`);
      }
      // No default is documented; 1 is what CloudFormation, the console and the adapters assume.
      return { TargetGroupArn: arn, Weight: weight ?? 1 };
    },
  );
  if (single !== undefined && tuples.length > 0) {
    if (tuples.length !== 1 || tuples[0]?.TargetGroupArn !== single) {
      throw validation(
        'You can specify both a top-level target group ARN and a target group list only if the list has one target group, the same one',
      );
    }
  }
  if (tuples.length === 0 && single === undefined) {
    throw validation('A forward action must specify a target group ARN or a list of target groups');
  }
  if (tuples.length > MAX_TARGET_GROUPS) {
    throw validation(
      `A forward action can have at most ${MAX_TARGET_GROUPS} target groups, got ${tuples.length}`,
    );
  }
  const seen = new Set<string>();
  for (const tuple of tuples) {
    if (seen.has(tuple.TargetGroupArn)) {
      throw validation(
        `Target group '${tuple.TargetGroupArn}' is specified more than once in the forward action`,
      );
    }
    seen.add(tuple.TargetGroupArn);
  }
  return tuples.length > 0 ? tuples : [{ TargetGroupArn: single as string, Weight: 1 }];
};

const parseStickiness = (raw: TwinInput, path: string): ForwardConfig['TargetGroupStickinessConfig'] => {
  const forwardConfig = optionalStruct(raw.ForwardConfig, `${path}.forwardConfig`);
  const stickinessPath = `${path}.forwardConfig.targetGroupStickinessConfig`;
  const config = optionalStruct(forwardConfig?.TargetGroupStickinessConfig, stickinessPath);
  const enabled = optionalBoolean(config?.Enabled, `${stickinessPath}.enabled`) ?? false;
  const duration = intInRange(
    config?.DurationSeconds,
    `${stickinessPath}.durationSeconds`,
    1,
    MAX_STICKINESS_SECONDS,
  );
  if (!enabled) return { Enabled: false };
  if (duration === undefined)
    throw validation('You must specify a duration when enabling target group stickiness');
  return { Enabled: true, DurationSeconds: duration };
};

/** Every target group must exist, speak HTTP(S), and belong to no other load balancer. */
const checkTargetGroups = (tuples: readonly TargetGroupTuple[], context: ActionContext): void => {
  const elsewhere: string[] = [];
  for (const tuple of tuples) {
    const group = context.state.targetGroup(tuple.TargetGroupArn);
    if (group.targetType !== 'lambda' && !ALB_TARGET_PROTOCOLS.has(group.protocol ?? '')) {
      throw new TwinError(
        'IncompatibleProtocols',
        `The target group '${group.arn}' uses protocol ${group.protocol}, which an Application Load Balancer cannot forward to`,
      );
    }
    const owners = context.state.loadBalancersOf(group.arn);
    if (owners.some((owner) => owner !== context.loadBalancerArn)) elsewhere.push(group.arn);
  }
  if (elsewhere.length > 0) {
    throw new TwinError(
      'TargetGroupAssociationLimit',
      `The following target groups cannot be associated with more than one load balancer: ${elsewhere.join(', ')}`,
    );
  }
};

const previousSecret = (previous: readonly StoredAction[] | undefined): string | undefined => {
  const secret = previous?.find((action) => action.Type === 'authenticate-oidc')?.AuthenticateOidcConfig
    ?.ClientSecret;
  return typeof secret === 'string' ? secret : undefined;
};

const AUTH_DEFAULTS = {
  SessionCookieName: 'AWSELBAuthSessionCookie',
  Scope: 'openid',
  SessionTimeout: 604_800,
};

const parseOidc = (raw: TwinInput, path: string, context: ActionContext): Record<string, unknown> => {
  const configPath = `${path}.authenticateOidcConfig`;
  const config = struct(raw.AuthenticateOidcConfig ?? {}, configPath);
  const endpoints = required(
    config,
    ['Issuer', 'AuthorizationEndpoint', 'TokenEndpoint', 'UserInfoEndpoint', 'ClientId'],
    configPath,
  );
  const secret = optionalString(config.ClientSecret, `${configPath}.clientSecret`);
  const useExisting = optionalBoolean(
    config.UseExistingClientSecret,
    `${configPath}.useExistingClientSecret`,
  );
  if (useExisting === true && secret !== undefined) {
    throw invalidAction('You cannot both specify a client secret and set UseExistingClientSecret to true');
  }
  const kept = useExisting === true ? previousSecret(context.previous) : secret;
  if (kept === undefined) {
    throw invalidAction(
      useExisting === true
        ? 'UseExistingClientSecret is true but the action being replaced has no client secret to keep'
        : 'You must specify a client secret, or set UseExistingClientSecret to true when modifying an action',
    );
  }
  return {
    ...endpoints,
    ClientSecret: kept,
    ...sessionSettings(config, configPath),
  };
};

/** What authenticate-oidc and authenticate-cognito share: cookie, scope, session, unauthenticated behaviour, extra params. */
const sessionSettings = (config: TwinInput, configPath: string): Record<string, unknown> => ({
  ...AUTH_DEFAULTS,
  ...optionalStrings(config, ['SessionCookieName', 'Scope'], configPath),
  ...definedTimeout(config, configPath),
  OnUnauthenticatedRequest:
    oneOf(config.OnUnauthenticatedRequest, `${configPath}.onUnauthenticatedRequest`, [
      'deny',
      'allow',
      'authenticate',
    ]) ?? 'authenticate',
  ...definedParams(config, configPath),
});

const definedTimeout = (config: TwinInput, path: string): { SessionTimeout?: number } => {
  const timeout = intInRange(config.SessionTimeout, `${path}.sessionTimeout`, 1, MAX_STICKINESS_SECONDS);
  return timeout === undefined ? {} : { SessionTimeout: timeout };
};

const definedParams = (
  config: TwinInput,
  path: string,
): { AuthenticationRequestExtraParams?: Record<string, string> } => {
  const params = extraParams(
    config.AuthenticationRequestExtraParams,
    `${path}.authenticationRequestExtraParams`,
  );
  return params === undefined ? {} : { AuthenticationRequestExtraParams: params };
};

const parseCognito = (raw: TwinInput, path: string): Record<string, unknown> => {
  const configPath = `${path}.authenticateCognitoConfig`;
  const config = struct(raw.AuthenticateCognitoConfig ?? {}, configPath);
  return {
    ...required(config, ['UserPoolArn', 'UserPoolClientId', 'UserPoolDomain'], configPath),
    ...sessionSettings(config, configPath),
  };
};

const parseRedirect = (raw: TwinInput, path: string): Record<string, unknown> => {
  const configPath = `${path}.redirectConfig`;
  const config = struct(raw.RedirectConfig ?? {}, configPath);
  const status = oneOf(config.StatusCode, `${configPath}.statusCode`, ['HTTP_301', 'HTTP_302']);
  if (status === undefined) throw constraint(`${configPath}.statusCode`, 'null', 'not be null');
  // AWS fills the parts left out with the request's own (#{host} and so on) and returns them.
  return {
    Protocol: '#{protocol}',
    Port: '#{port}',
    Host: '#{host}',
    Path: '/#{path}',
    Query: '#{query}',
    ...optionalStrings(config, ['Protocol', 'Port', 'Host', 'Path', 'Query'], configPath),
    StatusCode: status,
  };
};

const parseFixedResponse = (raw: TwinInput, path: string): Record<string, unknown> => {
  const configPath = `${path}.fixedResponseConfig`;
  const config = struct(raw.FixedResponseConfig ?? {}, configPath);
  const status = requiredString(config.StatusCode, `${configPath}.statusCode`);
  if (!/^(2|4|5)\d\d$/.test(status))
    throw constraint(`${configPath}.statusCode`, status, 'match pattern ^(2|4|5)\\d\\d$');
  const body = optionalString(config.MessageBody, `${configPath}.messageBody`);
  if (body !== undefined && body.length > 1024) {
    throw constraint(`${configPath}.messageBody`, '[body]', 'have length less than or equal to 1024');
  }
  const contentType = oneOf(config.ContentType, `${configPath}.contentType`, CONTENT_TYPES);
  return {
    StatusCode: status,
    ...(body === undefined ? {} : { MessageBody: body }),
    ...(contentType === undefined ? {} : { ContentType: contentType }),
  };
};

const parseJwtValidation = (raw: TwinInput, path: string): Record<string, unknown> => {
  const configPath = `${path}.jwtValidationConfig`;
  const config = struct(raw.JwtValidationConfig ?? {}, configPath);
  const claims = (list(config.AdditionalClaims, `${configPath}.additionalClaims`) ?? []).map(
    (item, index) => {
      const claimPath = `${configPath}.additionalClaims.${index + 1}.member`;
      const claim = struct(item, claimPath);
      return {
        ...required(claim, ['Format', 'Name'], claimPath),
        Values: stringList(claim.Values, `${claimPath}.values`) ?? [],
      };
    },
  );
  return {
    ...required(config, ['JwksEndpoint', 'Issuer'], configPath),
    ...(claims.length > 0 ? { AdditionalClaims: claims } : {}),
  };
};

const parseAction = (item: unknown, index: number, count: number, context: ActionContext): StoredAction => {
  const path = `${context.path}.${index + 1}.member`;
  const raw = struct(item, path);
  const type = oneOf(raw.Type, `${path}.type`, ACTION_TYPES);
  if (type === undefined) throw constraint(`${path}.type`, 'null', 'not be null');
  const order = intInRange(raw.Order, `${path}.order`, 1, 50_000);
  if (order === undefined && count > 1) {
    throw validation('An order must be specified for every action when there are several actions');
  }
  const base = { Type: type, Order: order ?? 1 };
  switch (type) {
    case 'forward': {
      const tuples = parseTuples(raw, path);
      checkTargetGroups(tuples, context);
      return {
        ...base,
        ForwardConfig: { TargetGroups: tuples, TargetGroupStickinessConfig: parseStickiness(raw, path) },
      };
    }
    case 'authenticate-oidc':
      return { ...base, AuthenticateOidcConfig: parseOidc(raw, path, context) };
    case 'authenticate-cognito':
      return { ...base, AuthenticateCognitoConfig: parseCognito(raw, path) };
    case 'redirect':
      return { ...base, RedirectConfig: parseRedirect(raw, path) };
    case 'fixed-response':
      return { ...base, FixedResponseConfig: parseFixedResponse(raw, path) };
    case 'jwt-validation':
      return { ...base, JwtValidationConfig: parseJwtValidation(raw, path) };
  }
};

/** The order actions run in: exactly one forward/redirect/fixed-response, and it runs last. */
const checkSequence = (actions: readonly StoredAction[]): void => {
  const orders = new Set(actions.map((action) => action.Order));
  if (orders.size !== actions.length) throw validation('Each action must have a different order');
  const byOrder = [...actions].sort((a, b) => a.Order - b.Order);
  const terminals = byOrder.filter((action) => TERMINAL.has(action.Type));
  if (terminals.length !== 1) {
    throw invalidAction(
      `An action list must have exactly one forward, redirect or fixed-response action, found ${terminals.length}`,
    );
  }
  if (!TERMINAL.has(byOrder[byOrder.length - 1]?.Type ?? 'forward')) {
    throw invalidAction('The forward, redirect or fixed-response action must be the last action performed');
  }
  if (byOrder.filter((action) => AUTHENTICATE.has(action.Type)).length > 1) {
    throw invalidAction('An action list can have at most one authenticate action');
  }
};

/** Parses and checks a whole action list; the list order given is kept. */
export const parseActions = (value: unknown, context: ActionContext): StoredAction[] => {
  const items = requiredList(value, context.path);
  if (items.length === 0) throw validation(`At least one action must be specified in ${context.path}`);
  const actions = items.map((item, index) => parseAction(item, index, items.length, context));
  checkSequence(actions);
  return actions;
};

/** As Describe* return an action: never the client secret; a lone target group also as TargetGroupArn. */
/**
 * AuthenticationRequestExtraParams is an XML map (`<entry><key/><value/></entry>`): handed to toXml
 * (local/protocol/query.ts) as a Map so it is written in that shape, not as a structure.
 */
const withoutMap = (config: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const { AuthenticationRequestExtraParams: params, ...rest } = config;
  if (params === undefined || params === null || typeof params !== 'object') return rest;
  return { ...rest, AuthenticationRequestExtraParams: new Map(Object.entries(params)) };
};

export const renderAction = (action: StoredAction): Record<string, unknown> => {
  const { AuthenticateOidcConfig, AuthenticateCognitoConfig, ForwardConfig: forward, ...rest } = action;
  const rendered: Record<string, unknown> = { ...rest };
  if (AuthenticateOidcConfig !== undefined) {
    const { ClientSecret: _secret, ...visible } = AuthenticateOidcConfig;
    rendered.AuthenticateOidcConfig = withoutMap(visible);
  }
  if (AuthenticateCognitoConfig !== undefined)
    rendered.AuthenticateCognitoConfig = withoutMap(AuthenticateCognitoConfig);
  if (forward !== undefined) {
    const only = forward.TargetGroups.length === 1 ? forward.TargetGroups[0] : undefined;
    if (only !== undefined) rendered.TargetGroupArn = only.TargetGroupArn;
    rendered.ForwardConfig = forward;
  }
  return rendered;
};

export const renderActions = (actions: readonly StoredAction[]): Record<string, unknown>[] =>
  actions.map(renderAction);

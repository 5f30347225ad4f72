import { ADMIN_ROUTES, handleAdmin } from '../../local/admin';
import { ApiThrottle } from '../../local/api-throttle';
import { TwinClock } from '../../local/clock';
import { TwinError } from '../../local/errors';
import { FaultInjector } from '../../local/faults';
import { routeRequest } from '../../local/http/route';
import { accessDeniedError, actionRequests, displayedAction } from '../../local/iam/actions';
import { ServiceRegistry } from '../../local/registry';
import { Twin } from '../../local/server';
import { SERVICE_DESCRIPTORS, TWIN_SERVICES, type TwinServiceName } from '../../local/services';
import type { ServiceDescriptor, WireProtocol } from '../../local/services/types';

/**
 * The service registry (local/registry.ts) and its descriptors (local/services/): every service the
 * twin serves declares itself completely and consistently, and the registry refuses descriptors that
 * would make a request ambiguous.
 */

const descriptors = Object.values(SERVICE_DESCRIPTORS);
const CONTEXT = { partition: 'aws', region: 'us-east-1', accountId: '000000000000' };

let twin: Twin;

beforeAll(() => {
  // Composition only: nothing listens, nothing runs.
  twin = new Twin({ port: 0 });
});

afterAll(async () => {
  await twin.close();
});

/** Every key a protocol claims, with what it is, for the uniqueness checks. */
const claims = (protocol: WireProtocol, descriptor: ServiceDescriptor): string[] => {
  switch (protocol.kind) {
    case 'awsQuery':
      return [`awsQuery version ${protocol.version}`, `awsQuery signing name ${descriptor.signingName}`];
    case 'awsJson1_0':
    case 'awsJson1_1':
      return [`X-Amz-Target ${protocol.targetPrefix}`];
    case 'rpcv2Cbor':
      return [`CBOR service ${protocol.serviceId}`];
    case 'restJson1':
      return [`REST signing name ${descriptor.signingName}`];
  }
};

describe('the service descriptors', () => {
  it('cover every twin service, once, each under its own name', () => {
    expect(Object.keys(SERVICE_DESCRIPTORS).sort()).toEqual([...TWIN_SERVICES].sort());
    for (const [name, descriptor] of Object.entries(SERVICE_DESCRIPTORS)) expect(descriptor.name).toBe(name);
  });

  it.each(descriptors.map((descriptor) => [descriptor.name, descriptor] as const))(
    '%s declares a title, a signing name, protocols, throttling and IAM',
    (_name, descriptor) => {
      expect(descriptor.title).not.toBe('');
      expect(descriptor.signingName).toMatch(/^[a-z0-9-]+$/);
      expect(descriptor.protocols.length).toBeGreaterThan(0);
      expect(descriptor.throttling.code).toMatch(
        /^(Throttling|ThrottlingException|TooManyRequestsException)$/,
      );
      expect([400, 429]).toContain(descriptor.throttling.status);
      expect(descriptor.iam.prefix).toMatch(/^[a-z0-9-]+$/);
      expect(descriptor.iam.accessDenied.code).toMatch(
        /^(AccessDenied|AccessDeniedException|AuthorizationError)$/,
      );
      expect([400, 403]).toContain(descriptor.iam.accessDenied.status);
      for (const protocol of descriptor.protocols) {
        if (protocol.kind === 'awsQuery') {
          expect(protocol.version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(protocol.namespace).toMatch(new RegExp(`^https?://[a-z.]+/doc/${protocol.version}/$`));
        }
        if (protocol.kind === 'rpcv2Cbor') expect(descriptor.codec?.rpcv2Cbor).toBeDefined();
        if (protocol.kind === 'restJson1') expect(descriptor.backend).toBe('rest');
      }
    },
  );

  it('claim no query version, signing name, X-Amz-Target prefix or CBOR service twice', () => {
    const owners = new Map<string, string[]>();
    const add = (key: string, name: string) => owners.set(key, [...(owners.get(key) ?? []), name]);
    for (const descriptor of descriptors) {
      add(`signing name ${descriptor.signingName}`, descriptor.name);
      for (const protocol of descriptor.protocols) {
        for (const key of claims(protocol, descriptor)) add(key, descriptor.name);
      }
    }
    const shared = [...owners].filter(([, names]) => names.length > 1);
    expect(shared).toEqual([]);
  });

  it('keep CloudWatch on its three protocols and DynamoDB on dynalite', () => {
    expect(SERVICE_DESCRIPTORS.cloudwatch.protocols.map((protocol) => protocol.kind).sort()).toEqual([
      'awsJson1_0',
      'awsQuery',
      'rpcv2Cbor',
    ]);
    expect(SERVICE_DESCRIPTORS.dynamodb.backend).toBe('dynalite');
  });
});

describe('the registry of a composed twin', () => {
  const operationServices = descriptors.filter((descriptor) => descriptor.backend === 'operations');

  it('binds every descriptor to what serves it', () => {
    expect(
      twin.registry
        .all()
        .map((service) => service.descriptor.name)
        .sort(),
    ).toEqual([...TWIN_SERVICES].sort());
    for (const { descriptor, binding } of twin.registry.all()) expect(binding.kind).toBe(descriptor.backend);
  });

  it.each(operationServices.map((descriptor) => [descriptor.name] as const))(
    '%s: its operations exist, and IAM authorizes each under its prefix',
    (name) => {
      const operations = twin.registry.operationsOf(name) ?? [];
      expect(operations.length).toBeGreaterThan(0);
      const { prefix } = SERVICE_DESCRIPTORS[name].iam;
      for (const operation of operations) {
        expect(operation).toMatch(/^[A-Z][A-Za-z0-9]+$/);
        for (const request of actionRequests(name, operation, {}, CONTEXT)) {
          expect(request.action.startsWith(`${prefix}:`)).toBe(true);
          expect(request.resource).not.toBe('');
        }
      }
    },
  );

  it('serves Lambda Invoke as lambda:InvokeFunction and DynamoDB under dynamodb:', () => {
    expect(
      actionRequests('lambda', 'Invoke', { path: '/2015-03-31/functions/f/invocations' }, CONTEXT),
    ).toEqual([
      { action: 'lambda:InvokeFunction', resource: 'arn:aws:lambda:us-east-1:000000000000:function:f' },
    ]);
    expect(actionRequests('dynamodb', 'GetItem', { TableName: 't' }, CONTEXT)).toEqual([
      { action: 'dynamodb:GetItem', resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/t' },
    ]);
    expect(actionRequests('sts', 'GetCallerIdentity', {}, CONTEXT)).toEqual([]);
  });

  it('gives every ELBv2 operation a bucket of its API limits', () => {
    const limits = SERVICE_DESCRIPTORS.elbv2.apiLimits;
    expect(limits).toBeDefined();
    for (const operation of twin.registry.operationsOf('elbv2') ?? []) {
      expect(Object.keys(limits?.buckets ?? {})).toContain(limits?.bucketOf(operation));
    }
  });

  it('routes each JSON target, CBOR service, query version and signing name to its service', () => {
    for (const { descriptor } of twin.registry.all()) {
      for (const protocol of descriptor.protocols) {
        const route = (() => {
          switch (protocol.kind) {
            case 'awsJson1_0':
            case 'awsJson1_1':
              return routeRequest(twin.registry, 'POST', '/', {
                'x-amz-target': `${protocol.targetPrefix}.Op`,
              });
            case 'rpcv2Cbor':
              return routeRequest(twin.registry, 'POST', `/service/${protocol.serviceId}/operation/Op`, {
                'smithy-protocol': 'rpc-v2-cbor',
              });
            case 'restJson1':
              return routeRequest(twin.registry, 'POST', '/2015-03-31/functions/f/invocations', {});
            case 'awsQuery':
              expect(twin.registry.query(undefined, protocol.version)?.service.descriptor).toBe(descriptor);
              expect(twin.registry.query(descriptor.signingName, '')?.service.descriptor).toBe(descriptor);
              return undefined;
          }
        })();
        if (route !== undefined) {
          expect(route.kind === 'json' || route.kind === 'cbor' || route.kind === 'rest').toBe(true);
          if (route.kind === 'json' || route.kind === 'cbor' || route.kind === 'rest') {
            expect(route.service.descriptor).toBe(descriptor);
          }
        }
      }
    }
    expect(routeRequest(twin.registry, 'POST', '/', { 'x-amz-target': '__proto__.Op' }).kind).toBe('unknown');
    expect(twin.registry.query(undefined, 'toString')).toBeUndefined();
  });
});

describe('throttling and IAM answer with the descriptor', () => {
  it.each(descriptors.map((descriptor) => [descriptor.name, descriptor] as const))(
    '%s: an injected throttle and an IAM denial are its own errors',
    async (name, descriptor) => {
      const faults = new FaultInjector(1);
      faults.add({ service: name, throttleRate: 1 });
      const thrown = await faults.apply(name, 'AnyOperation').catch((error: unknown) => error);
      expect(thrown).toBeInstanceOf(TwinError);
      expect(thrown).toMatchObject({ ...descriptor.throttling, message: 'Rate exceeded' });
      expect(accessDeniedError(name, 'no')).toMatchObject(descriptor.iam.accessDenied);
    },
  );

  it('writes SNS actions as SNS does, the others as their prefix', () => {
    expect(displayedAction('sns', 'sns:Publish')).toBe('SNS:Publish');
    expect(displayedAction('elbv2', 'elasticloadbalancing:ModifyRule')).toBe(
      'elasticloadbalancing:ModifyRule',
    );
  });

  it('throttles a service with API limits with its own error once its bucket is empty', () => {
    const throttle = new ApiThrottle(new TwinClock(1, () => 0, 0), {
      elbv2: { mutating: { capacity: 1, refillPerSecond: 0.001 } },
    });
    throttle.admit('elbv2', 'ModifyRule');
    expect(() => throttle.admit('elbv2', 'ModifyRule')).toThrow(
      expect.objectContaining({ code: 'Throttling', status: 400, message: 'Rate exceeded' }),
    );
    // A service without documented limits is never throttled by the buckets.
    for (let i = 0; i < 100; i += 1) throttle.admit('sfn', 'StartExecution');
  });
});

describe('the registry refuses an inconsistent composition', () => {
  const bindings = () => {
    const none = { kind: 'operations', service: { operations: {} } } as const;
    return {
      ...(Object.fromEntries(TWIN_SERVICES.map((name) => [name, none])) as Record<
        TwinServiceName,
        typeof none
      >),
      dynamodb: { kind: 'dynalite', dynamodb: () => undefined },
      lambda: { kind: 'rest', api: { handle: async () => ({ status: 200, headers: {}, body: '' }) } },
    } as const;
  };

  it('builds from the descriptors with fitting bindings', () => {
    expect(() => new ServiceRegistry(bindings())).not.toThrow();
  });

  it('refuses two services claiming one X-Amz-Target prefix', () => {
    const copy: ServiceDescriptor = { ...SERVICE_DESCRIPTORS.sfn, name: 'events', signingName: 'events' };
    expect(() => new ServiceRegistry(bindings(), [SERVICE_DESCRIPTORS.sfn, copy])).toThrow(
      'X-Amz-Target prefix AWSStepFunctions is claimed by sfn and events',
    );
  });

  it('refuses two services claiming one query version', () => {
    const copy: ServiceDescriptor = { ...SERVICE_DESCRIPTORS.sns, name: 'sts', signingName: 'sts' };
    expect(() => new ServiceRegistry(bindings(), [SERVICE_DESCRIPTORS.sns, copy])).toThrow(
      'awsQuery version 2010-03-31 is claimed by sns and sts',
    );
  });

  it('refuses a binding that does not fit the descriptor', () => {
    expect(() => new ServiceRegistry({ ...bindings(), dynamodb: bindings().elbv2 })).toThrow(
      'dynamodb is served by dynalite, bound to operations',
    );
  });
});

describe('the admin route table', () => {
  it('has one route per method and path', () => {
    const keys = ADMIN_ROUTES.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('checks a body against the route schema, naming the field', async () => {
    const answer = handleAdmin(
      { twin, scenarioSignal: new AbortController().signal },
      'POST',
      '/_twin/clock/advance',
      Buffer.from('{"seconds":"soon"}'),
    );
    await expect(answer).rejects.toMatchObject({
      code: 'ValidationError',
      message: expect.stringMatching(/^clock advance: seconds: /),
    });
  });
});

import { NotBundledError } from './not-bundled';

/**
 * Stands in for `@smithy/core/event-streams` in the function bundles (~13 KB and, through the SDK's
 * dynamic import of it, a lazy-init wrapper around much of the SDK). No operation clustershift calls
 * streams events (lambda:Invoke, not InvokeWithResponseStream), but the Lambda client builds a
 * marshaller when it is constructed, so that much must exist; using it throws.
 */
const MODULE = '@smithy/core/event-streams';
const FEATURE = 'an event stream (e.g. lambda:InvokeWithResponseStream)';

const notBundled = (): never => {
  throw new NotBundledError(MODULE, FEATURE);
};

/** The marshaller clients get from `eventStreamSerdeProvider`: both directions throw. */
export const eventStreamSerdeProvider = (_options?: unknown) => ({
  serialize: notBundled,
  deserialize: notBundled,
});

/** The same as the SDK's: a client's config gets the provider's marshaller. */
export const resolveEventStreamSerdeConfig = <T extends { eventStreamSerdeProvider: (input: T) => unknown }>(
  input: T,
): T & { eventStreamMarshaller: unknown } =>
  Object.assign(input, { eventStreamMarshaller: input.eventStreamSerdeProvider(input) });

/** What a protocol loads for an operation with an event stream member. */
export class EventStreamSerde {
  constructor(_options?: unknown) {
    notBundled();
  }
}

/**
 * What a twin service is to the router: a table of operations. The router decodes the wire
 * protocol into a plain input object and encodes whatever the operation returns (or the TwinError
 * it throws) back into the same protocol.
 *
 * Inputs differ by protocol in scalar types only: awsQuery gives every scalar as a string (lists
 * already turned into arrays, maps into objects), awsJson gives numbers/booleans and timestamps as
 * epoch seconds, CBOR gives numbers and Dates. Operations normalise with the helpers in
 * local/protocol/scalars.ts.
 */
export type TwinInput = Record<string, unknown>;

export type Operation = (input: TwinInput) => unknown;

export interface TwinService {
  /** Operation name as in the API reference, e.g. `DescribeRules`. */
  readonly operations: Readonly<Record<string, Operation>>;
}

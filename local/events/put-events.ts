import { optionalList, optionalObject, optionalTimestamp } from '../protocol/scalars';
import type { TwinInput } from '../service';
import { constraintError, DEFAULT_BUS, validation } from './input';

/** One PutEvents entry, checked; or the per-entry error EventBridge answers with. */
export type PutEventsEntry =
  | {
      readonly ok: true;
      readonly source: string;
      readonly detailType: string;
      readonly detail: Record<string, unknown>;
      readonly resources: string[];
      readonly time?: Date;
    }
  | { readonly ok: false; readonly errorCode: string; readonly errorMessage: string };

const MAX_ENTRY_BYTES = 256 * 1024;

const entryError = (errorCode: string, errorMessage: string): PutEventsEntry => ({
  ok: false,
  errorCode,
  errorMessage,
});

const required = (name: string): PutEventsEntry =>
  entryError('InvalidArgument', `Parameter ${name} is not valid. Reason: ${name} is a required argument.`);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const parseEntry = (value: unknown, index: number, busArn: string): PutEventsEntry => {
  const entry = optionalObject(value, `entries.${index + 1}.member`) ?? {};
  const bus = entry.EventBusName;
  if (bus !== undefined && bus !== null && bus !== DEFAULT_BUS && bus !== busArn)
    return entryError('ResourceNotFoundException', `Event bus ${String(bus)} does not exist.`);
  const source = text(entry.Source);
  if (source === undefined) return required('Source');
  const detailType = text(entry.DetailType);
  if (detailType === undefined) return required('DetailType');
  const detailText = text(entry.Detail);
  if (detailText === undefined) return required('Detail');
  if (source.length > 256 || detailType.length > 128)
    return entryError('InvalidArgument', 'Parameter Source or DetailType is too long.');
  // Events from AWS services' sources come from those services only.
  if (source.startsWith('aws.'))
    return entryError('NotAuthorizedForSourceException', 'Not authorized for the source.');
  let detail: unknown;
  try {
    detail = JSON.parse(detailText);
  } catch {
    return entryError('MalformedDetail', 'Detail is malformed.');
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
    return entryError('MalformedDetail', 'Detail is malformed.');
  const resources = entry.Resources ?? [];
  if (!Array.isArray(resources) || resources.some((item) => typeof item !== 'string'))
    return entryError(
      'InvalidArgument',
      'Parameter Resources is not valid. Reason: Resources must be a list of strings.',
    );
  let time: Date | undefined;
  try {
    time = optionalTimestamp(entry.Time, 'Time');
  } catch {
    return entryError('InvalidArgument', 'Parameter Time is not valid. Reason: Time must be a timestamp.');
  }
  const size =
    Buffer.byteLength(source) +
    Buffer.byteLength(detailType) +
    Buffer.byteLength(detailText) +
    resources.reduce((sum: number, item: string) => sum + Buffer.byteLength(item), 0);
  if (size > MAX_ENTRY_BYTES)
    return entryError(
      'InvalidArgument',
      `Total size of the entries in the request is over the limit (${MAX_ENTRY_BYTES} bytes).`,
    );
  return {
    ok: true,
    source,
    detailType,
    detail: detail as Record<string, unknown>,
    resources: resources as string[],
    ...(time === undefined ? {} : { time }),
  };
};

/** PutEvents' Entries: 1 to 10, each checked on its own (a bad entry fails alone). */
export const parsePutEvents = (input: TwinInput, busArn: string): PutEventsEntry[] => {
  const list = optionalList(input.Entries, 'entries');
  if (list === undefined)
    throw validation(
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  if (list.length < 1 || list.length > 10)
    throw constraintError('entries', `[${list.length} items]`, 'Member must have length between 1 and 10');
  return list.map((entry, index) => parseEntry(entry, index, busArn));
};

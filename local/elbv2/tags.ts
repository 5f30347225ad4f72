import { TwinError } from '../errors';
import { optionalString, requiredString } from '../protocol/scalars';
import type { TwinInput } from '../service';
import { kindOf } from './arns';
import { constraint, validation } from './errors';
import { list, requiredList, stringList, struct } from './input';
import type { Elbv2State, Tags } from './state';

/** AWS allows 50 tags per resource and 20 resources per DescribeTags/AddTags call. */
const MAX_TAGS = 50;
const MAX_RESOURCES = 20;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** `Tags.member.N.{Key,Value}` → ordered pairs, checked against the model's constraints. */
export const parseTags = (value: unknown, path = 'tags'): [string, string][] => {
  const items = list(value, path);
  if (items === undefined) return [];
  if (items.length === 0) throw constraint(path, '[]', 'have length greater than or equal to 1');
  const seen = new Set<string>();
  return items.map((item, index) => {
    const tag = struct(item, `${path}.${index + 1}.member`);
    const key = requiredString(tag.Key, `${path}.${index + 1}.member.key`);
    const text = optionalString(tag.Value, `${path}.${index + 1}.member.value`) ?? '';
    if (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key)) {
      throw constraint(
        `${path}.${index + 1}.member.key`,
        key,
        'have length 1-128 and match [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
      );
    }
    if (text.length > 256 || !TAG_TEXT.test(text)) {
      throw constraint(
        `${path}.${index + 1}.member.value`,
        text,
        'have length 0-256 and match [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
      );
    }
    if (seen.has(key))
      throw new TwinError('DuplicateTagKeys', `Tag key '${key}' was specified more than once`);
    seen.add(key);
    return [key, text];
  });
};

const checkTagCount = (tags: Tags, pairs: readonly [string, string][]): void => {
  const keys = new Set([...tags.keys(), ...pairs.map(([key]) => key)]);
  if (keys.size > MAX_TAGS) {
    throw new TwinError(
      'TooManyTags',
      `You've reached the limit on the number of tags (${MAX_TAGS}) for this resource`,
    );
  }
};

export const applyTags = (tags: Tags, pairs: readonly [string, string][]): void => {
  checkTagCount(tags, pairs);
  for (const [key, text] of pairs) tags.set(key, text);
};

export const renderTags = (tags: Tags): { Key: string; Value: string }[] =>
  [...tags].map(([Key, Value]) => ({ Key, Value }));

const resourceArns = (input: TwinInput): string[] => {
  const arns = stringList(input.ResourceArns, 'resourceArns', MAX_RESOURCES) ?? [];
  if (input.ResourceArns === undefined) throw constraint('resourceArns', 'null', 'not be null');
  if (arns.length === 0) throw validation('At least one resource ARN must be specified');
  return arns;
};

const resource = (state: Elbv2State, arn: string): { tags: Tags } => {
  const kind = kindOf(arn);
  if (kind === undefined) throw validation(`'${arn.slice(0, 300)}' is not a valid resource ARN`);
  return state.taggable(kind, arn);
};

export const describeTags = (state: Elbv2State, input: TwinInput) => ({
  TagDescriptions: resourceArns(input).map((arn) => ({
    ResourceArn: arn,
    Tags: renderTags(resource(state, arn).tags),
  })),
});

export const addTags = (state: Elbv2State, input: TwinInput) => {
  const arns = resourceArns(input);
  requiredList(input.Tags, 'tags');
  const pairs = parseTags(input.Tags);
  // Look every resource up first: a call naming one unknown ARN changes nothing.
  const targets = arns.map((arn) => resource(state, arn));
  for (const target of targets) checkTagCount(target.tags, pairs);
  for (const target of targets) applyTags(target.tags, pairs);
  return {};
};

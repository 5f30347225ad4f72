/**
 * Comparing the twin's answers with moto's, for the moto suites of each service: where two answers
 * differ, and whether a listed known difference covers it.
 */

export interface KnownDifference {
  /** Step name; `*` matches any text. */
  readonly step: string;
  /** Dotted path inside the step's answer (`*` for any list index), or '' for the whole answer. */
  readonly path: string;
  readonly reason: string;
}

/**
 * Every leaf where the two answers differ, as `path: twin=… moto=…`. With `listsAsWholes`, lists of
 * different lengths are one difference rather than one per index.
 */
export const answerDifferences = (
  twin: unknown,
  moto: unknown,
  options: { readonly listsAsWholes?: boolean } = {},
  path = '',
): { path: string; detail: string }[] => {
  if (JSON.stringify(twin) === JSON.stringify(moto)) return [];
  const bothObjects = twin !== null && moto !== null && typeof twin === 'object' && typeof moto === 'object';
  const listLengthsDiffer =
    options.listsAsWholes === true &&
    Array.isArray(twin) &&
    Array.isArray(moto) &&
    twin.length !== moto.length;
  if (!bothObjects || Array.isArray(twin) !== Array.isArray(moto) || listLengthsDiffer) {
    return [{ path, detail: `twin=${JSON.stringify(twin)} moto=${JSON.stringify(moto)}` }];
  }
  const keys = new Set([...Object.keys(twin as object), ...Object.keys(moto as object)]);
  return [...keys].flatMap((key) =>
    answerDifferences(
      (twin as Record<string, unknown>)[key],
      (moto as Record<string, unknown>)[key],
      options,
      path === '' ? key : `${path}.${key}`,
    ),
  );
};

const escapeRegExp = (text: string): string => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Whether `known` explains a difference at `path` in the answer of `step`. */
export const coveredBy = (known: KnownDifference, step: string, path: string): boolean => {
  const stepPattern = new RegExp(`^${known.step.split('*').map(escapeRegExp).join('.*')}$`);
  if (!stepPattern.test(step)) return false;
  if (known.path === '') return true;
  return new RegExp(`^${known.path.split('*').map(escapeRegExp).join('[0-9]+')}(\\.|$)`).test(path);
};

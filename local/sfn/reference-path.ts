/**
 * Reads an ASL reference path (`$`, `$.a.b`, `$.a[0]`, `$['a b']`): the only paths ItemsPath and
 * InputPath take in practice. Anything else (filters, wildcards) gives undefined; the caller treats
 * that as unknown. Hand-written: only history details use it, and the engine bundles its own JSONPath.
 */
const SEGMENT = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;

export const readReferencePath = (value: unknown, path: string | null | undefined): unknown => {
  if (path === undefined) return value;
  if (path === null || !path.startsWith('$')) return undefined;
  let rest = path.slice(1);
  let current = value;
  while (rest !== '') {
    const match = SEGMENT.exec(rest);
    if (match === null) return undefined;
    const key = match[1] ?? match[3] ?? match[4];
    if (key !== undefined) {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
      current = (current as Record<string, unknown>)[key];
    } else {
      if (!Array.isArray(current)) return undefined;
      current = current[Number(match[2])];
    }
    rest = rest.slice(match[0].length);
  }
  return current;
};

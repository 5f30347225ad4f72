import { validationError } from '../errors';

/**
 * A subset of CloudWatch metric math, enough for the ratios alarms and dashboards use:
 * numbers, query Ids, + - * / with parentheses and unary minus, SUM/AVG/MIN/MAX of an array
 * (`[m1, m2]` or `METRICS()` / `METRICS('filter')`) per timestamp, or of one series to a number.
 * Series combine on the timestamps they share; a non-finite result (x/0) is left out, as
 * CloudWatch leaves such points out. Written by hand: no library implements CloudWatch's grammar.
 */
export interface Series {
  /** Epoch ms, ascending. */
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

type Value =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'series'; readonly series: Series }
  | { readonly kind: 'array'; readonly items: readonly Series[] };

type Token =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'name'; readonly value: string }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'symbol'; readonly value: string };

const FUNCTIONS = ['SUM', 'AVG', 'MIN', 'MAX', 'METRICS'] as const;
const TOKEN =
  /\s*(?:([0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+)|([A-Za-z_][A-Za-z0-9_]*)|'([^']*)'|"([^"]*)"|([-+*/()[\],]))/y;

const tokenize = (expression: string, fail: (message: string) => Error): Token[] => {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let position = 0;
  while (position < expression.length) {
    if (/^\s*$/.test(expression.slice(position))) break;
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(expression);
    if (match === null) throw fail(`unexpected character at position ${position + 1}`);
    position = TOKEN.lastIndex;
    const [, number, name, single, double, symbol] = match;
    if (number !== undefined) tokens.push({ type: 'number', value: Number(number) });
    else if (name !== undefined) tokens.push({ type: 'name', value: name });
    else if (single !== undefined || double !== undefined)
      tokens.push({ type: 'string', value: single ?? double ?? '' });
    else if (symbol !== undefined) tokens.push({ type: 'symbol', value: symbol });
  }
  return tokens;
};

/** The query Ids an expression refers to (names not called as functions). */
export const expressionReferences = (expression: string): string[] => {
  let tokens: Token[];
  try {
    tokens = tokenize(expression, (message) => new Error(message));
  } catch {
    return [];
  }
  return tokens
    .filter(
      (token, i) =>
        token.type === 'name' && !(tokens[i + 1]?.type === 'symbol' && tokens[i + 1]?.value === '('),
    )
    .map((token) => String(token.value));
};

const combine = (a: Series, b: Series, op: (x: number, y: number) => number): Series => {
  const other = new Map(b.timestamps.map((t, i) => [t, b.values[i] as number]));
  const timestamps: number[] = [];
  const values: number[] = [];
  a.timestamps.forEach((t, i) => {
    const y = other.get(t);
    if (y === undefined) return;
    const result = op(a.values[i] as number, y);
    if (!Number.isFinite(result)) return;
    timestamps.push(t);
    values.push(result);
  });
  return { timestamps, values };
};

const mapSeries = (series: Series, op: (x: number) => number): Series => {
  const timestamps: number[] = [];
  const values: number[] = [];
  series.values.forEach((x, i) => {
    const result = op(x);
    if (!Number.isFinite(result)) return;
    timestamps.push(series.timestamps[i] as number);
    values.push(result);
  });
  return { timestamps, values };
};

const reducers: Record<'SUM' | 'AVG' | 'MIN' | 'MAX', (values: number[]) => number> = {
  SUM: (values) => values.reduce((a, b) => a + b, 0),
  AVG: (values) => values.reduce((a, b) => a + b, 0) / values.length,
  MIN: (values) => values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY),
  MAX: (values) => values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY),
};

/** Per timestamp across the array's series (every timestamp any of them has). */
const acrossArray = (items: readonly Series[], reduce: (values: number[]) => number): Series => {
  const byTime = new Map<number, number[]>();
  for (const series of items)
    series.timestamps.forEach((t, i) => {
      const list = byTime.get(t) ?? [];
      list.push(series.values[i] as number);
      byTime.set(t, list);
    });
  const timestamps = [...byTime.keys()].sort((a, b) => a - b);
  return { timestamps, values: timestamps.map((t) => reduce(byTime.get(t) ?? [])) };
};

export const evaluateExpression = (
  expression: string,
  results: ReadonlyMap<string, Series>,
  metricIds: readonly string[],
  id: string,
): Series => {
  const fail = (message: string): Error => validationError(`Error in expression ${id}: ${message}.`);
  const tokens = tokenize(expression, fail);
  let index = 0;
  const peek = (): Token | undefined => tokens[index];
  const isSymbol = (value: string): boolean => {
    const token = peek();
    return token?.type === 'symbol' && token.value === value;
  };
  const expect = (value: string): void => {
    if (!isSymbol(value)) throw fail(`expected '${value}'`);
    index++;
  };

  const arithmetic = (left: Value, right: Value, symbol: string): Value => {
    const op = {
      '+': (x: number, y: number) => x + y,
      '-': (x: number, y: number) => x - y,
      '*': (x: number, y: number) => x * y,
      '/': (x: number, y: number) => x / y,
    }[symbol] as (x: number, y: number) => number;
    if (left.kind === 'scalar' && right.kind === 'scalar')
      return { kind: 'scalar', value: op(left.value, right.value) };
    if (left.kind === 'series' && right.kind === 'series')
      return { kind: 'series', series: combine(left.series, right.series, op) };
    if (left.kind === 'series' && right.kind === 'scalar')
      return { kind: 'series', series: mapSeries(left.series, (x) => op(x, right.value)) };
    if (left.kind === 'scalar' && right.kind === 'series')
      return { kind: 'series', series: mapSeries(right.series, (y) => op(left.value, y)) };
    if (left.kind === 'array' && right.kind === 'scalar')
      return { kind: 'array', items: left.items.map((s) => mapSeries(s, (x) => op(x, right.value))) };
    if (left.kind === 'scalar' && right.kind === 'array')
      return { kind: 'array', items: right.items.map((s) => mapSeries(s, (y) => op(left.value, y))) };
    throw fail(`the twin cannot apply '${symbol}' between an array and a time series`);
  };

  const call = (name: string): Value => {
    expect('(');
    if (name === 'METRICS') {
      const filter = peek()?.type === 'string' ? String(tokens[index++]?.value) : undefined;
      expect(')');
      const ids = metricIds.filter((metricId) => filter === undefined || metricId.includes(filter));
      return {
        kind: 'array',
        items: ids.map((metricId) => results.get(metricId) ?? { timestamps: [], values: [] }),
      };
    }
    const argument = sum();
    expect(')');
    const reduce = reducers[name as keyof typeof reducers];
    if (argument.kind === 'array') return { kind: 'series', series: acrossArray(argument.items, reduce) };
    if (argument.kind === 'series') {
      if (argument.series.values.length === 0) throw fail(`${name} of a time series with no datapoints`);
      return { kind: 'scalar', value: reduce([...argument.series.values]) };
    }
    return argument;
  };

  const primary = (): Value => {
    const token = peek();
    if (token === undefined) throw fail('unexpected end of expression');
    index++;
    if (token.type === 'number') return { kind: 'scalar', value: token.value };
    if (token.type === 'string') throw fail(`unexpected string '${token.value}'`);
    if (token.type === 'name') {
      if (isSymbol('(')) {
        if (!(FUNCTIONS as readonly string[]).includes(token.value))
          throw fail(
            `the twin evaluates ${FUNCTIONS.join(', ')} and + - * /; ${token.value} is not supported`,
          );
        return call(token.value);
      }
      const series = results.get(token.value);
      if (series === undefined) throw fail(`unknown Id ${token.value}`);
      return { kind: 'series', series };
    }
    if (token.value === '(') {
      const inner = sum();
      expect(')');
      return inner;
    }
    if (token.value === '[') {
      const items: Series[] = [];
      for (;;) {
        const item = sum();
        if (item.kind === 'series') items.push(item.series);
        else if (item.kind === 'array') items.push(...item.items);
        else throw fail('an array holds time series, not numbers');
        if (!isSymbol(',')) break;
        index++;
      }
      expect(']');
      return { kind: 'array', items };
    }
    if (token.value === '-') {
      const operand = primary();
      return arithmetic({ kind: 'scalar', value: -1 }, operand, '*');
    }
    throw fail(`unexpected '${token.value}'`);
  };

  const product = (): Value => {
    let left = primary();
    while (isSymbol('*') || isSymbol('/')) {
      const symbol = String(tokens[index++]?.value);
      left = arithmetic(left, primary(), symbol);
    }
    return left;
  };

  function sum(): Value {
    let left = product();
    while (isSymbol('+') || isSymbol('-')) {
      const symbol = String(tokens[index++]?.value);
      left = arithmetic(left, product(), symbol);
    }
    return left;
  }

  const value = sum();
  if (index < tokens.length) throw fail(`unexpected '${String(tokens[index]?.value)}'`);
  if (value.kind !== 'series')
    throw fail(
      value.kind === 'scalar' ? 'it evaluates to a number, not a time series' : 'it evaluates to an array',
    );
  return value.series;
};

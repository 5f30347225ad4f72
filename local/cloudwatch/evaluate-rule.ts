import type { AlarmStateValue } from './input';

/**
 * A composite alarm's AlarmRule, evaluated against its children's states: ALARM(x), OK(x),
 * INSUFFICIENT_DATA(x), TRUE, FALSE, AT_LEAST(n|n%, [!]STATE, (x, y, …)), NOT, AND, OR (NOT binds
 * tightest, then AND, then OR) and parentheses; names quoted or not. Written by hand: AWS publishes
 * the grammar in prose only, and no npm package evaluates it.
 */
export type StateOf = (reference: string) => AlarmStateValue | undefined;

export class AlarmRuleError extends Error {
  override readonly name = 'AlarmRuleError';
}

const STATES: readonly string[] = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];

class Parser {
  private position = 0;

  constructor(
    private readonly text: string,
    private readonly stateOf: StateOf,
  ) {}

  evaluate(): boolean {
    const value = this.or();
    this.skipSpace();
    if (this.position < this.text.length)
      this.fail(`unexpected "${this.text.slice(this.position, this.position + 20)}"`);
    return value;
  }

  private or(): boolean {
    let value = this.and();
    while (this.keyword('OR')) value = this.and() || value;
    return value;
  }

  private and(): boolean {
    let value = this.not();
    while (this.keyword('AND')) value = this.not() && value;
    return value;
  }

  private not(): boolean {
    if (this.keyword('NOT')) return !this.not();
    return this.primary();
  }

  private primary(): boolean {
    this.skipSpace();
    if (this.peek('(')) {
      this.expect('(');
      const value = this.or();
      this.expect(')');
      return value;
    }
    if (this.keyword('TRUE')) return true;
    if (this.keyword('FALSE')) return false;
    if (this.keyword('AT_LEAST')) return this.atLeast();
    for (const state of ['INSUFFICIENT_DATA', 'ALARM', 'OK']) {
      if (this.keyword(state)) {
        this.expect('(');
        const reference = this.name(')');
        this.expect(')');
        return this.stateOf(reference) === state;
      }
    }
    return this.fail('expected ALARM(…), OK(…), INSUFFICIENT_DATA(…), AT_LEAST(…), TRUE, FALSE, NOT or (');
  }

  private atLeast(): boolean {
    this.expect('(');
    this.skipSpace();
    const count = /^([0-9]+(?:\.[0-9]+)?)(%?)/.exec(this.text.slice(this.position));
    if (count === null) return this.fail('AT_LEAST needs a count or a percentage first');
    this.position += count[0].length;
    this.expect(',');
    this.skipSpace();
    const negated = this.peek('!');
    if (negated) this.position += 1;
    const state = STATES.find((candidate) => this.keyword(candidate));
    if (state === undefined) return this.fail('AT_LEAST needs ALARM, OK or INSUFFICIENT_DATA as its state');
    this.expect(',');
    this.expect('(');
    const names: string[] = [];
    do names.push(this.name(',)'));
    while (this.accept(','));
    this.expect(')');
    this.expect(')');
    const matching = names.filter((name) => (this.stateOf(name) === state) !== negated).length;
    const threshold = Number(count[1]);
    return count[2] === '%' ? matching * 100 >= threshold * names.length : matching >= threshold;
  }

  /** A quoted or bare alarm name or ARN, up to one of `stops`. */
  private name(stops: string): string {
    this.skipSpace();
    if (this.peek('"')) {
      const end = this.text.indexOf('"', this.position + 1);
      if (end === -1) return this.fail('an alarm name has no closing quote');
      const name = this.text.slice(this.position + 1, end);
      this.position = end + 1;
      return name;
    }
    let end = this.position;
    while (end < this.text.length && !stops.includes(this.text[end] ?? '')) end += 1;
    const name = this.text.slice(this.position, end).trim();
    if (name === '') return this.fail('an alarm name is empty');
    this.position = end;
    return name;
  }

  private keyword(word: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(word, this.position)) return false;
    const next = this.text[this.position + word.length];
    if (next !== undefined && /[A-Za-z0-9_]/.test(next)) return false;
    this.position += word.length;
    return true;
  }

  private peek(char: string): boolean {
    return this.text[this.position] === char;
  }

  private accept(char: string): boolean {
    this.skipSpace();
    if (!this.peek(char)) return false;
    this.position += 1;
    return true;
  }

  private expect(char: string): void {
    if (!this.accept(char)) this.fail(`expected "${char}"`);
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.position] ?? '')) this.position += 1;
  }

  private fail(message: string): never {
    throw new AlarmRuleError(`AlarmRule, at character ${this.position + 1}: ${message}`);
  }
}

/** Whether the rule holds; AlarmRuleError for a rule that does not parse. */
export const evaluateAlarmRule = (rule: string, stateOf: StateOf): boolean =>
  new Parser(rule, stateOf).evaluate();

import { refuse } from './refusal';

/** A word of a chat command; a quoted one is always plain text, never an option. */
export interface Token {
  readonly text: string;
  readonly quoted: boolean;
}

/** Slack (and phones) turn typed quotes into typographic ones; they mean the same here. */
const toPlainQuotes = (text: string): string =>
  text.replace(/[\u201C\u201D\u201E\u201F]/g, '"').replace(/[\u2018\u2019\u201A\u201B]/g, "'");

const isSpace = (character: string | undefined): boolean => character === undefined || /\s/.test(character);

/**
 * Words separated by white space; '…' and "…" group words. A quote opens only at the start of a
 * word and closes only at the end of one, so apostrophes inside words (`pool's`, `don't`) are
 * text. Nothing is expanded or evaluated: this is a split, not a shell. Hand-written because
 * shell-quote style libraries do expand (`$VAR`, globs) and know nothing of smart quotes.
 */
export const tokenize = (input: string): Token[] => {
  const text = toPlainQuotes(input);
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const character = text[at];
    if (isSpace(character)) {
      at += 1;
    } else if (character === '"' || character === "'") {
      let end = at + 1;
      while (end < text.length && !(text[end] === character && isSpace(text[end + 1]))) end += 1;
      if (end >= text.length)
        refuse(`unclosed ${character} quote in ${JSON.stringify(text.slice(at, at + 40))}`);
      tokens.push({ text: text.slice(at + 1, end), quoted: true });
      at = end + 1;
    } else {
      let end = at;
      while (end < text.length && !isSpace(text[end])) end += 1;
      tokens.push({ text: text.slice(at, end), quoted: false });
      at = end;
    }
  }
  return tokens;
};

/**
 * Thrown inside the chat parser to stop at the first problem; parseChatCommand turns it into an
 * `invalid` result, so nothing outside the parser ever sees it.
 */
export class ChatRefusal extends Error {
  override readonly name = 'ChatRefusal';
}

export const refuse = (message: string): never => {
  throw new ChatRefusal(message);
};

/** User text quoted back in a message: short, so a message cannot be inflated by its input. */
export const quote = (text: string, max = 40): string =>
  JSON.stringify(text.length <= max ? text : `${text.slice(0, max - 1)}…`);

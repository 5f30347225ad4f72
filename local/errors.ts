/**
 * An error the twin answers with, in the shape every AWS protocol carries: a code (the SDK's error
 * name), a message, an HTTP status, and whether the caller (Sender) or the service (Receiver) is at
 * fault. Protocol encoders turn it into XML, JSON or CBOR.
 */
export class TwinError extends Error {
  override readonly name = 'TwinError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

export const validationError = (message: string): TwinError => new TwinError('ValidationError', message);

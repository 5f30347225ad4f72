/**
 * An operation refused or impossible as asked (no shift running, the fleet is locked, the step does
 * not exist): one headline and detail lines, each true as written. The CLI prints it and exits 1;
 * chat shows it to whoever asked. Nothing was written when one is thrown.
 */
export class OperationRefused extends Error {
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'OperationRefused';
  }
}

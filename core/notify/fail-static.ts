/** A failover refused by `last-cluster`: traffic stays on the sick cluster, an operator must act. */
export const isFailStatic = (outcome: {
  readonly action?: string;
  readonly error?: { readonly name: string; readonly message: string };
}): boolean =>
  outcome.action === 'failover' &&
  outcome.error?.name === 'GuardrailViolation' &&
  outcome.error.message.includes('last-cluster: fail static');

export const GUARDRAIL_NAMES = [
  'empty-route',
  'single-cluster-route',
  'receiver-unhealthy',
  'receiver-alarm',
  'last-cluster',
  'frozen',
  'cooldown',
  'controller-owned',
] as const;
export type GuardrailName = (typeof GUARDRAIL_NAMES)[number];

/** Guardrails an operator may override by name; `empty-route` never. */
export const isForceable = (name: GuardrailName): boolean => name !== 'empty-route';

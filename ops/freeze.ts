import type { FleetAccess } from './access';

/** Freeze refuses manual shifts (guardrail `frozen`, forceable); automatic failovers still run. */
export const freezeFleet = async (
  access: FleetAccess,
  reason: string,
  by: string,
): Promise<{ reason: string; by: string; at: Date }> => {
  const freeze = { reason, by, at: await access.serviceNow() };
  await (await access.store()).setFreeze(freeze);
  return freeze;
};

/** Lifts a freeze; returns the one lifted (undefined when the fleet was not frozen). */
export const unfreezeFleet = async (access: FleetAccess) => {
  const store = await access.store();
  const previous = await store.getFreeze();
  if (previous !== undefined) await store.clearFreeze();
  return previous;
};

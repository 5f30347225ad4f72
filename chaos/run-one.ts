import { type DriveOptions, drive } from './drive';
import { checkInvariants, heldByDesign, type Violation } from './invariants';
import { type ChaosSchedule, faultKinds, scheduleFor } from './schedule';
import type { ChaosWorld } from './world';

/** One seeded run's result: what was injected, what happened, and what broke. */
export interface RunResult {
  readonly seed: number;
  readonly faults: readonly string[];
  readonly starts: readonly string[];
  /** Each execution: name, status, and error for the ones that failed. */
  readonly executions: readonly string[];
  readonly writes: number;
  readonly realMs: number;
  readonly violations: readonly Violation[];
  /** Sick clusters left serving by a refused, announced failover (fail static, cooldown). */
  readonly heldByDesign: readonly string[];
}

export const runSeed = async (
  world: ChaosWorld,
  seed: number,
  schedule: ChaosSchedule = scheduleFor(seed),
  options: DriveOptions = {},
): Promise<RunResult> => {
  const began = Date.now();
  const observation = await drive(world, schedule, options);
  // A handler that cannot load is a broken set-up, not a finding: every run would pass vacuously.
  const unloadable = observation.executions.find((e) => e.error === 'Runtime.ImportModuleError');
  if (unloadable !== undefined)
    throw new Error(`seed ${seed}: a handler did not load: ${unloadable.cause ?? ''}`);
  const executions = observation.executions.map(
    (e) =>
      `${e.arn.split(':').at(-1)} ${e.status}${e.error === undefined ? '' : ` ${e.error}: ${(e.cause ?? '').slice(0, 200)}`}`,
  );
  return {
    seed,
    faults: faultKinds(schedule),
    starts: observation.starts.map((s) => `${s.label}: ${s.outcome.slice(0, 160)}`),
    executions,
    writes: observation.writes.length,
    realMs: Date.now() - began,
    violations: checkInvariants(observation),
    heldByDesign: [...heldByDesign(observation)],
  };
};

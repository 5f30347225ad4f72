import type { RunResult } from './run-one';

/** The chaos summary: runs, faults injected by kind, outcomes, and each violation with its seed. */
export const summarize = (results: readonly RunResult[]): { lines: string[]; violations: number } => {
  const faults = new Map<string, number>();
  for (const result of results)
    for (const kind of result.faults) faults.set(kind, (faults.get(kind) ?? 0) + 1);
  const statuses = new Map<string, number>();
  for (const result of results) {
    for (const execution of result.executions) {
      const status = execution.split(' ')[1] ?? '?';
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  }
  const violating = results.filter((r) => r.violations.length > 0);
  const violations = violating.reduce((sum, r) => sum + r.violations.length, 0);
  const byInvariant = new Map<string, number>();
  for (const r of violating)
    for (const v of r.violations) byInvariant.set(v.invariant, (byInvariant.get(v.invariant) ?? 0) + 1);
  const lines = [
    `runs: ${results.length}`,
    `faults injected: ${[...faults.values()].reduce((a, b) => a + b, 0)}`,
    ...[...faults.entries()].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `  ${kind.padEnd(20)} ${n}`),
    `executions: ${[...statuses.values()].reduce((a, b) => a + b, 0)} (${[...statuses.entries()].map(([s, n]) => `${s} ${n}`).join(', ')})`,
    `weight writes: ${results.reduce((sum, r) => sum + r.writes, 0)}`,
    `runs ending with a sick cluster held by design (failover refused fail static or by the cooldown, and announced): ${results.filter((r) => r.heldByDesign.length > 0).length}`,
    `violations: ${violations}${violations === 0 ? '' : ` in ${violating.length} runs`}`,
    ...[...byInvariant.entries()].map(([name, n]) => `  ${name.padEnd(28)} ${n}`),
    ...violating.flatMap((r) => [
      `seed ${r.seed} (replay: npm run chaos -- --seeds ${r.seed}):`,
      ...r.violations.map((v) => `  ${v.invariant}: ${v.detail}`),
    ]),
  ];
  return { lines, violations };
};

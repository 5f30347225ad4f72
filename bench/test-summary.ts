export interface TestCounts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

const SUMMARY = /^tests: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/;

/**
 * The counts from the closing lines test/support/summary-reporter.cjs prints after jest's own summary
 * (`tests: N passed, M failed[, K skipped]`), summed: `npm test` runs jest twice (the chaos driver's
 * test in a run of its own). Undefined when there is none (jest did not get as far as running).
 */
export const parseTestSummary = (output: string): TestCounts | undefined => {
  const matches = output
    .split(/\r?\n/)
    .map((l) => SUMMARY.exec(l.trim()))
    .filter((match): match is RegExpExecArray => match !== null);
  if (matches.length === 0) return undefined;
  return matches.reduce<TestCounts>(
    (sum, match) => ({
      passed: sum.passed + Number(match[1]),
      failed: sum.failed + Number(match[2]),
      skipped: sum.skipped + Number(match[3] ?? 0),
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
};

/** The suites jest reported as failed (its `FAIL <project> <file>` lines), each once, in order. */
export const failedSuites = (output: string): string[] => [
  ...new Set(
    output
      .split(/\r?\n/)
      .map((line) => /^\s*FAIL\s+(.+?)(?:\s+\([\d.]+ m?s\))?\s*$/.exec(line)?.[1])
      .filter((suite): suite is string => suite !== undefined),
  ),
];

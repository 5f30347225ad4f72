export interface TestCounts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

const SUMMARY = /^tests: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/;

/**
 * The counts from the closing line test/support/summary-reporter.cjs prints after jest's own summary
 * (`tests: N passed, M failed[, K skipped]`); the last such line wins. Undefined when there is none
 * (jest did not get as far as running the suite).
 */
export const parseTestSummary = (output: string): TestCounts | undefined => {
  const line = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .reverse()
    .find((l) => SUMMARY.test(l));
  const match = line === undefined ? null : SUMMARY.exec(line);
  if (match === null) return undefined;
  return { passed: Number(match[1]), failed: Number(match[2]), skipped: Number(match[3] ?? 0) };
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

import { failedSuites, parseTestSummary } from '../../bench/test-summary';

describe('parseTestSummary', () => {
  it("reads the summary reporter's closing line after jest's own summary", () => {
    // Prepare
    const output = [
      'Test Suites: 1 failed, 180 passed, 181 total',
      'Tests:       1 failed, 1987 passed, 1988 total',
      'Time:        361.2 s',
      '',
      'tests: 1987 passed, 1 failed',
      '',
    ].join('\n');

    // Act
    const counts = parseTestSummary(output);

    // Assert
    expect(counts).toEqual({ passed: 1987, failed: 1, skipped: 0 });
  });

  it('reads skipped tests when the line names them', () => {
    // Act
    const counts = parseTestSummary('tests: 10 passed, 0 failed, 2 skipped\r\n');

    // Assert
    expect(counts).toEqual({ passed: 10, failed: 0, skipped: 2 });
  });

  it('sums the summary lines of several jest runs (npm test runs two)', () => {
    // Act
    const counts = parseTestSummary('tests: 1 passed, 0 failed\nmore output\ntests: 5 passed, 3 failed\n');

    // Assert
    expect(counts).toEqual({ passed: 6, failed: 3, skipped: 0 });
  });

  it("finds nothing in jest's own summary alone", () => {
    // Act
    const counts = parseTestSummary('Tests:       1988 passed, 1988 total\nTime: 300 s\n');

    // Assert
    expect(counts).toBeUndefined();
  });
});

describe('failedSuites', () => {
  it('lists each failed suite once, without its duration, and ignores passed ones', () => {
    // Prepare
    const output = [
      'PASS core test/core/config.test.ts',
      'FAIL e2e test/e2e/start.test.ts (61.2 s)',
      'FAIL functions test/functions/inputs.fuzz.test.ts',
      '  ● inputs › refuses a bad cluster',
      'Summary of all failing tests',
      'FAIL e2e test/e2e/start.test.ts (61.2 s)',
    ].join('\n');

    // Act
    const suites = failedSuites(output);

    // Assert
    expect(suites).toEqual(['e2e test/e2e/start.test.ts', 'functions test/functions/inputs.fuzz.test.ts']);
  });
});

// Prints one plain closing line, `tests: N passed, N failed[, N skipped]`, after jest's own
// summary, so tools that read a run's last line get the counts in a form they recognise.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
    // After jest's own summary, which it prints once every reporter has run.
    process.once('exit', () => process.stdout.write(`\n${line}\n`));
  }
}
module.exports = SummaryReporter;

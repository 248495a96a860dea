// Writes jest's totals to $TEST_SUMMARY_FILE (JSON) so .ci/run can add them to its own count.
const fs = require('fs');

class SummaryReporter {
	onRunComplete(_contexts, results) {
		const file = process.env.TEST_SUMMARY_FILE;
		if (!file) return;
		fs.writeFileSync(
			file,
			JSON.stringify({
				passed: results.numPassedTests,
				failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
				total: results.numTotalTests,
			}),
		);
	}
}

module.exports = SummaryReporter;

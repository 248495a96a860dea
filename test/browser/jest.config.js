/**
 * Browser tests: the packed package installed in a real n8n, driven through the editor UI
 * with Chromium (playwright-core). `npm run test:browser` builds first.
 *
 * BROWSER_LINES=1,2 runs both n8n lines (default: 2). Needs Debian's chromium at
 * /usr/bin/chromium (or BROWSER_CHROMIUM=<path>); see test/browser/README.md.
 */
const path = require('node:path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
	testMatch: ['<rootDir>/test/browser/**/*.browser.test.ts'],
	// one n8n + one Chromium at a time; installs and first boots are slow
	maxWorkers: 1,
	testTimeout: 180_000,
	slowTestThreshold: 120,
	reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
};

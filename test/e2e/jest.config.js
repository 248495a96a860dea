/**
 * End-to-end tests: the packed package inside REAL n8n (1.x on Node 20, 2.x on Node 24), one
 * line after the other (E2E_LINES=1,2 by default). `npm run test:e2e` builds first.
 * One worker: each n8n CLI call boots a whole n8n, and this machine has 2 cores.
 */
const path = require('node:path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	displayName: 'e2e',
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
	maxWorkers: 1,
	// a cold cache installs n8n first (minutes): the suites' beforeAll allow for that
	testTimeout: 180_000,
	slowTestThreshold: 60,
	reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
};

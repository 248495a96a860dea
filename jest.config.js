/**
 * Three projects:
 *  - unit:       pure functions, the node description, the sandbox itself, lint/scan checks
 *  - routing-v2: the node through n8n-core 2.x's RoutingNode over real HTTP
 *  - routing-v1: the same tests through n8n-core 1.x (the engine of n8n 1.123), with
 *                n8n-core and n8n-workflow mapped to that line's copies
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] };
const common = { testEnvironment: 'node', transform, rootDir: __dirname };
const v1 = '<rootDir>/node_modules/n8n-core-v1';

module.exports = {
	testTimeout: 60000,
	reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
	projects: [
		{
			...common,
			displayName: 'unit',
			testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/zoho-sandbox/**/*.test.ts'],
		},
		{
			...common,
			displayName: 'routing-v2',
			testMatch: ['<rootDir>/test/routing/**/*.test.ts'],
		},
		{
			...common,
			displayName: 'routing-v1',
			testMatch: ['<rootDir>/test/routing/**/*.test.ts'],
			moduleNameMapper: {
				'^n8n-core$': v1,
				'^n8n-workflow$': `${v1}/node_modules/n8n-workflow`,
			},
		},
	],
};

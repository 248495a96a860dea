/**
 * Five projects:
 *  - unit:       pure functions, the node description, the sandbox itself, lint/scan checks
 *  - routing-v2: the node through n8n-core 2.x's RoutingNode over real HTTP
 *  - routing-v1: the same tests through n8n-core 1.x (the engine of n8n 1.123), with
 *                n8n-core and n8n-workflow mapped to that line's copies
 *  - model-v2, model-v1: generated runs against a reference model (test/model), through the
 *                routing engine of each line (MODEL_RUNS, MODEL_SEED: npm run test:model)
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] };
const common = { testEnvironment: 'node', transform, rootDir: __dirname };
const v1 = '<rootDir>/node_modules/n8n-core-v1';
const onV1 = {
	'^n8n-core$': v1,
	'^n8n-workflow$': `${v1}/node_modules/n8n-workflow`,
};

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
			moduleNameMapper: onV1,
		},
		{ ...common, displayName: 'model-v2', testMatch: ['<rootDir>/test/model/**/*.test.ts'] },
		{
			...common,
			displayName: 'model-v1',
			testMatch: ['<rootDir>/test/model/**/*.test.ts'],
			moduleNameMapper: onV1,
		},
	],
};

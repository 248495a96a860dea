// The lint n8n runs when it verifies a community package (@n8n/scan-community-package):
// @n8n/eslint-plugin-community-nodes `recommended`, no-console, and the
// eslint-plugin-n8n-nodes-base community / credentials / nodes rule sets, on the package
// source. test/unit/scan.test.ts also runs the scanner's own analyzePackage on it.
import { defineConfig } from 'eslint/config';
import tsParser from '@typescript-eslint/parser';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

export default defineConfig(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/**', 'scripts/**', 'docs/**', 'examples/**', '*.js', '*.mjs', 'package-lock.json'] },
	n8nCommunityNodesPlugin.configs.recommended,
	{ rules: { 'no-console': 'error' } },
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{ files: ['package.json'], languageOptions: { parser: tsParser }, rules: { ...n8nNodesBase.configs.community.rules } },
	{
		files: ['credentials/**/*.ts'],
		languageOptions: { parser: tsParser },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: { parser: tsParser },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{ files: ['**/*.json'], languageOptions: { parser: tsParser } },
);

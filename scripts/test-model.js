#!/usr/bin/env node
/**
 * `npm run test:model -- --runs N [--seed S] [--line 1|2]`: the generated runs of test/model
 * against the reference model, on both n8n lines at once (one jest worker each). Defaults: 500
 * runs, seed 20261207 (what `npm test` runs). On a failure fast-check prints the smallest run it
 * could shrink to, with the seed and path that replay it.
 */
'use strict';
const { spawnSync } = require('node:child_process');

const args = process.argv.slice(2);
const value = (flag) => {
	const at = args.indexOf(flag);
	return at >= 0 ? args[at + 1] : undefined;
};
const runs = value('--runs') ?? process.env.MODEL_RUNS ?? '500';
const seed = value('--seed') ?? process.env.MODEL_SEED ?? '20261207';
const line = value('--line');
for (const [name, v] of [
	['--runs', runs],
	['--seed', seed],
]) {
	if (!/^\d+$/.test(v)) {
		console.error(`${name} ${JSON.stringify(v)} is not a whole number: e.g. --runs 5000 --seed 7`);
		process.exit(2);
	}
}
if (line !== undefined && !['1', '2'].includes(line)) {
	console.error(
		`--line ${JSON.stringify(line)}: use 1 (n8n 1.x) or 2 (n8n 2.x), or leave it out for both`,
	);
	process.exit(2);
}
const projects = line ? [`model-v${line}`] : ['model-v1', 'model-v2'];
const result = spawnSync(
	'npx',
	[
		'jest',
		'--selectProjects',
		...projects,
		'--maxWorkers=2',
		...args.filter((a, i) => !isOption(i)),
	],
	{ stdio: 'inherit', env: { ...process.env, MODEL_RUNS: runs, MODEL_SEED: seed } },
);
process.exit(result.status ?? 1);

/** Whether argument i is one of ours (a flag or its value). */
function isOption(i) {
	const flags = ['--runs', '--seed', '--line'];
	return flags.includes(args[i]) || flags.includes(args[i - 1]);
}

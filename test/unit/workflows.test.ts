/**
 * The GitHub workflows that make the package publishable: CI runs the repository's own entry
 * point (`bash .ci/run`), and a published release publishes to npm WITH a provenance statement
 * (n8n requires one of every community package since 2026-05-01), from a job that may mint the
 * OIDC token it needs (`id-token: write`). Also package.json's repository / homepage / bugs,
 * which npm's provenance check and n8n's verification compare with the repository.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseYaml, type Yaml } from '../helpers/mini-yaml';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

type Obj = { [key: string]: Yaml };
const obj = (v: Yaml | undefined, what: string): Obj => {
	if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${what}: not a mapping`);
	return v;
};
const list = (v: Yaml | undefined, what: string): Yaml[] => {
	if (!Array.isArray(v)) throw new Error(`${what}: not a list`);
	return v;
};
const runOf = (step: Yaml) => String(obj(step, 'step').run ?? '');
const usesOf = (step: Yaml) => String(obj(step, 'step').uses ?? '');

describe('mini-yaml (the reader these checks use)', () => {
	test('mappings, sequences of mappings, scalars, comments, block scalars, flow lists', () => {
		const doc = parseYaml(
			[
				'# a comment',
				'name: CI # trailing comment',
				'on:',
				'  push:',
				'    branches: [main, "release/*"]',
				'  workflow_call:',
				'permissions:',
				'  id-token: write',
				'jobs:',
				'  a:',
				'    timeout-minutes: 90',
				'    steps:',
				'      - uses: actions/checkout@v4',
				'      - name: two lines',
				'        run: |',
				'          echo "a: b # not a comment"',
				'          echo second',
				'      - run: >-',
				'          folded',
				'          text',
				"      - 'quoted ''item'''",
				'',
			].join('\n'),
		);
		expect(doc).toEqual({
			name: 'CI',
			on: { push: { branches: ['main', 'release/*'] }, workflow_call: null },
			permissions: { 'id-token': 'write' },
			jobs: {
				a: {
					'timeout-minutes': 90,
					steps: [
						{ uses: 'actions/checkout@v4' },
						{ name: 'two lines', run: 'echo "a: b # not a comment"\necho second\n' },
						{ run: 'folded text' },
						"quoted 'item'",
					],
				},
			},
		});
	});

	test('refuses what it does not read (anchors, flow mappings, tabs, duplicate keys)', () => {
		expect(() => parseYaml('a: &x 1\n')).toThrow(/unsupported/);
		expect(() => parseYaml('a: {b: 1}\n')).toThrow(/unsupported/);
		expect(() => parseYaml('a:\n\tb: 1\n')).toThrow(/tab/);
		expect(() => parseYaml('a: 1\na: 2\n')).toThrow(/duplicate/);
	});
});

describe('.github/workflows/ci.yml', () => {
	const ci = obj(parseYaml(read('.github/workflows/ci.yml')), 'ci.yml');
	const on = obj(ci.on, 'on');
	const jobs = obj(ci.jobs, 'jobs');

	test('runs on pushes, pull requests and as the release workflow’s test job', () => {
		expect(Object.keys(on)).toEqual(
			expect.arrayContaining(['push', 'pull_request', 'workflow_call']),
		);
		expect(obj(ci.permissions, 'permissions')).toEqual({ contents: 'read' });
	});

	test('one job runs `bash .ci/run` on a clean checkout, as root in Debian, within 90 minutes', () => {
		const [name, job] = Object.entries(jobs).find(([, j]) =>
			list(obj(j, 'job').steps, 'steps').some((s) => runOf(s).trim() === 'bash .ci/run'),
		) ?? [undefined, undefined];
		expect(name).toBeDefined();
		const j = obj(job, String(name));
		expect(Number(j['timeout-minutes'])).toBeLessThanOrEqual(90);
		// Debian 12 (bookworm), with Node 20 (the official node image)
		expect(String(obj(j.container, 'container').image)).toMatch(/bookworm$/);
		const steps = list(j.steps, 'steps');
		const checkout = steps.findIndex((s) => usesOf(s).startsWith('actions/checkout@'));
		const run = steps.findIndex((s) => runOf(s).trim() === 'bash .ci/run');
		expect(checkout).toBeGreaterThanOrEqual(0);
		expect(run).toBeGreaterThan(checkout);
	});
});

describe('.github/workflows/publish.yml', () => {
	const wf = obj(parseYaml(read('.github/workflows/publish.yml')), 'publish.yml');
	const jobs = obj(wf.jobs, 'jobs');
	const publishing = Object.entries(jobs).filter(([, j]) =>
		list(obj(j, 'job').steps ?? [], 'steps').some((s) => /\bnpm publish\b/.test(runOf(s))),
	);

	test('runs when a GitHub release is published, with read-only defaults', () => {
		expect(list(obj(obj(wf.on, 'on').release, 'release').types, 'types')).toEqual(['published']);
		expect(obj(wf.permissions, 'permissions')).toEqual({ contents: 'read' });
	});

	test('exactly one job publishes, and it has id-token: write', () => {
		expect(publishing.map(([name]) => name)).toEqual(['publish']);
		const [, job] = publishing[0];
		expect(obj(obj(job, 'publish').permissions, 'permissions')).toEqual({
			contents: 'read',
			'id-token': 'write',
		});
	});

	test('publishes with a provenance statement, publicly, after npm >= 11.5.1, npm ci, build and test', () => {
		const job = obj(publishing[0][1], 'publish');
		const steps = list(job.steps, 'steps');
		const runs = steps.map(runOf);
		const publish = runs.findIndex((r) => /\bnpm publish\b/.test(r));
		const command = runs[publish].split('\n').find((l) => /\bnpm publish\b/.test(l)) ?? '';
		expect(command.split(/\s+/)).toEqual(
			expect.arrayContaining(['npm', 'publish', '--provenance', '--access', 'public']),
		);
		const index = (re: RegExp) => runs.findIndex((r) => re.test(r));
		const npm = index(/npm (install|i) -g npm@\^?(11\.(5\.[1-9]|[6-9]|\d\d)|1[2-9])/);
		const ci = index(/^npm ci\b/m);
		const build = index(/npm run build/);
		const test = index(/npx jest|npm test|npm run test/);
		for (const [what, at] of Object.entries({ npm, ci, build, test }))
			expect({ what, before: at >= 0 && at < publish }).toEqual({ what, before: true });
		expect(ci).toBeLessThan(build);
		const node = steps.find((s) => usesOf(s).startsWith('actions/setup-node@'));
		const withs = obj(obj(node ?? {}, 'setup-node').with, 'setup-node with');
		expect([20, 24]).toContain(Number(withs['node-version']));
	});

	test('publishes only after the whole suite passed (ci.yml: bash .ci/run)', () => {
		const job = obj(publishing[0][1], 'publish');
		const needs = ([] as Yaml[]).concat(job.needs ?? []).map(String);
		expect(needs.length).toBeGreaterThan(0);
		for (const need of needs) expect(obj(jobs[need], need).uses).toBe('./.github/workflows/ci.yml');
	});
});

test('package.json: repository, homepage and bugs name one GitHub repository (placeholders named in docs/publishing.md)', () => {
	const pkg = JSON.parse(read('package.json'));
	const repo = /^git\+https:\/\/github\.com\/([^/]+)\/([^/]+)\.git$/.exec(pkg.repository?.url);
	expect(pkg.repository?.type).toBe('git');
	expect(repo).not.toBeNull();
	const [, owner, name] = repo!;
	expect(name).toBe(pkg.name);
	expect(pkg.homepage).toBe(`https://github.com/${owner}/${name}#readme`);
	expect(pkg.bugs?.url).toBe(`https://github.com/${owner}/${name}/issues`);
	if (owner === 'YOUR-ORG') expect(read('docs/publishing.md').includes('YOUR-ORG')).toBe(true);
});

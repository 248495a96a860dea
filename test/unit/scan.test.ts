/**
 * The package passes the checks n8n runs to verify community packages: the scanner's own
 * analyzePackage over the source (as n8n lints the provenance-attested source) and over
 * the built dist + package.json (as n8n lints the tarball). Inline eslint-disable comments
 * are ignored by the scanner, and none exist in the package source.
 */
import { execFileSync } from 'node:child_process';
import {
	cpSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
// eslint-plugin-n8n-nodes-base changes how it reads file names when NODE_ENV is "test"
// (for its own rule tests); jest sets it, n8n's scanner never runs with it.
const env = { ...process.env, NODE_ENV: 'production' };

function scan(dir: string, mode: 'source' | 'dist') {
	const out = execFileSync(process.execPath, [join(root, 'test/lint/scan.mjs'), dir, mode], {
		cwd: root,
		env,
		encoding: 'utf8',
		timeout: 120_000,
	});
	return JSON.parse(out) as { passed: boolean; message: string; details: string };
}

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = join(dir, name);
		return statSync(full).isDirectory() ? files(full) : [full];
	});
}

test('n8n community-package scanner finds nothing in the source (nodes, credentials, package.json)', () => {
	const result = scan(root, 'source');
	expect(result.details).toBe('');
	expect(result.passed).toBe(true);
});

test('n8n community-package scanner finds nothing in the built package (dist + package.json)', () => {
	const dist = join(root, 'dist');
	if (!existsSync(dist)) throw new Error('dist is missing: run `npm run build` first');
	const copy = mkdtempSync(join(tmpdir(), 'scan-dist-'));
	try {
		cpSync(dist, join(copy, 'dist'), { recursive: true });
		cpSync(join(root, 'package.json'), join(copy, 'package.json'));
		const result = scan(copy, 'dist');
		expect(result.details).toBe('');
		expect(result.passed).toBe(true);
	} finally {
		rmSync(copy, { recursive: true, force: true });
	}
});

test('no eslint-disable comment anywhere in nodes/ or credentials/', () => {
	const offenders = ['nodes', 'credentials']
		.flatMap((dir) => files(join(root, dir)))
		.filter((file) => /eslint-disable/.test(readFileSync(file, 'utf8')));
	expect(offenders).toEqual([]);
});

test('package.json: community keyword, dist-only files, n8n-workflow peer, no runtime dependencies', () => {
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	expect(pkg.name).toBe('n8n-nodes-zoho-crm-related-records');
	expect(pkg.license).toBe('MIT');
	expect(pkg.keywords).toContain('n8n-community-node-package');
	expect(pkg.files).toEqual(['dist']);
	expect(pkg.dependencies ?? {}).toEqual({});
	expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
	for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
		expect(file).toMatch(/^dist\//);
		expect(existsSync(join(root, file))).toBe(true);
	}
});

test('the lint n8n uses (eslint.config.mjs) passes with no error', () => {
	const eslint = join(root, 'node_modules/eslint/bin/eslint.js');
	const out = execFileSync(process.execPath, [eslint, '.', '--format', 'json'], {
		cwd: root,
		env,
		encoding: 'utf8',
		timeout: 120_000,
	});
	const results = JSON.parse(out) as Array<{ filePath: string; errorCount: number }>;
	expect(results.filter((r) => r.errorCount > 0).map((r) => r.filePath)).toEqual([]);
});

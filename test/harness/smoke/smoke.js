// @ts-check
'use strict';
/**
 * Proves the harness (test/harness/index.js) against real n8n, before (and independently of)
 * this repository's node: for each line in E2E_LINES (default 1,2) it
 *  - runs a Manual Trigger -> Set workflow headlessly and checks the item;
 *  - packs a throwaway community package `n8n-nodes-fake` (./fake-package.js), installs the
 *    tarball into .n8n/nodes the way n8n does, and runs its nodes (./fake-workflows.js):
 *    success, a thrown NodeOperationError, continueOnFail, HTTP against a local server,
 *    HTTP 400;
 *  - repeats the fake-package run with the manual `npm install <tarball>` route;
 *  - starts `n8n start`, checks /healthz, creates the owner and logs in, checks the
 *    server lists the fake node types, stops it;
 *  - checks no process tried to reach anything but 127.0.0.1;
 * and prints the wall time of every step. Plain node script:  node test/harness/smoke/smoke.js
 * E2E_SMOKE_DUMP=<dir> writes every `execute` stdout there for inspection.
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('..');
const { writeFakePackage, startFakeApi } = require('./fake-package');
const { workflows } = require('./fake-workflows');

const DUMP = process.env.E2E_SMOKE_DUMP || '';

/** @type {Array<{ line: number, step: string, ms: number }>} */
const timings = [];
/**
 * @template T
 * @param {number} line @param {string} step @param {() => Promise<T>} fn @returns {Promise<T>}
 */
async function timed(line, step, fn) {
	const t = Date.now();
	try {
		return await fn();
	} finally {
		const ms = Date.now() - t;
		timings.push({ line, step, ms });
		console.log(`  [n8n ${line}] ${step}: ${(ms / 1000).toFixed(1)} s`);
	}
}

/** @param {number} line @param {string} name @param {import('..').ExecuteResult} r */
function dump(line, name, r) {
	if (!DUMP) return;
	fs.mkdirSync(DUMP, { recursive: true });
	fs.writeFileSync(path.join(DUMP, `n8n${line}-${name}.stdout.txt`), r.stdout);
	fs.writeFileSync(path.join(DUMP, `n8n${line}-${name}.stderr.txt`), r.stderr);
}

/** @param {number | undefined} pid @returns {string[]} "127.0.0.1:port" listened on by the process group */
function listeningPorts(pid) {
	if (pid === undefined) return [];
	try {
		const pids = new Set(
			execFileSync('ps', ['-o', 'pid=', '-g', String(pid)], { encoding: 'utf8' })
				.split('\n')
				.map((s) => s.trim())
				.filter(Boolean),
		);
		return execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' })
			.split('\n')
			.filter((l) => [...l.matchAll(/pid=(\d+)/g)].some((m) => pids.has(m[1])))
			.map((l) => l.trim().split(/\s+/)[3]);
	} catch {
		return [];
	}
}

/** @param {1 | 2} line @param {string} tarball @param {{ url: string, requests: any[] }} api */
async function smokeLine(line, tarball, api) {
	console.log(`\n=== n8n line ${line}`);
	const n8n = await timed(line, 'ensureN8n (already installed)', () => h.ensureN8n(line));
	console.log(`  n8n ${n8n.version} on Node ${n8n.nodeVersion} (${n8n.nodeBin})`);

	const ctx = await timed(line, 'createUserFolder + install tarball (n8n way)', () =>
		h.createUserFolder({ line, tarball }),
	);
	const inst = ctx.installed[0];
	assert.equal(inst.name, 'n8n-nodes-fake');
	assert.ok(fs.existsSync(path.join(inst.dir, 'dist/nodes/FakeEcho/FakeEcho.node.js')));
	assert.ok(!fs.existsSync(path.join(inst.dir, 'node_modules/left-pad-does-not-exist-e2e')));
	assert.ok(
		!fs.existsSync(path.join(inst.dir, 'node_modules/n8n-workflow')),
		'peer dep must not be installed',
	);
	const nodesPkg = JSON.parse(fs.readFileSync(path.join(ctx.nodesDir, 'package.json'), 'utf8'));
	assert.equal(nodesPkg.dependencies['n8n-nodes-fake'], '0.0.1');

	const credId = 'fakeCred0001';
	const wfs = workflows(credId);
	await timed(line, 'importWorkflow (1st CLI call: DB migrations)', () =>
		h.importWorkflow(ctx, wfs.basic),
	);
	await timed(line, 'importWorkflow (6 workflows, one call)', () =>
		h.importWorkflow(ctx, [wfs.echo, wfs.fail, wfs.cont, wfs.http, wfs.httpFail, wfs.httpCont]),
	);
	await timed(line, 'importCredentials', () =>
		h.importCredentials(ctx, [
			{
				id: credId,
				name: 'Fake API',
				type: 'fakeApi',
				data: { baseUrl: api.url, token: 'tok-e2e' },
			},
		]),
	);

	// Manual Trigger -> Set
	const basic = await timed(line, 'executeWorkflow basic (success)', () =>
		h.executeWorkflow(ctx, 'smokeBasic01'),
	);
	dump(line, 'basic', basic);
	assert.ok(basic.ok, `basic run failed:\n${basic.stdout}\n${basic.stderr}`);
	assert.equal(basic.exitCode, 0);
	assert.equal(basic.status, 'success');
	assert.deepEqual(h.nodeItems(basic.output, 'Set'), [
		{ json: { hello: 'world', n: 42 }, pairedItem: { item: 0 } },
	]);

	// community node, expressions, pairedItem
	const echo = await timed(line, 'executeWorkflow fake node (success)', () =>
		h.executeWorkflow(ctx, 'smokeEcho01'),
	);
	dump(line, 'echo', echo);
	assert.ok(echo.ok, `echo run failed:\n${echo.stdout}\n${echo.stderr}`);
	const echoItems = h.nodeItems(echo.output, 'Echo');
	assert.deepEqual(
		echoItems.map((i) => [i.json.message, i.pairedItem]),
		[
			['item 0', { item: 0 }],
			['item 1', { item: 1 }],
			['item 2', { item: 2 }],
		],
	);

	// thrown NodeOperationError
	const fail = await timed(line, 'executeWorkflow fake node (failure)', () =>
		h.executeWorkflow(ctx, 'smokeFail01'),
	);
	dump(line, 'fail', fail);
	assert.equal(fail.ok, false);
	assert.equal(fail.exitCode, 1);
	assert.match(fail.stdout, /Execution was NOT successful/);
	assert.ok(fail.output, 'failed run must still yield parsed output');
	assert.equal(fail.error?.message, 'Fake failure: boom');
	assert.equal(fail.error?.description, 'raised by n8n-nodes-fake on item 1');
	assert.equal(fail.error?.node?.name, 'Fail');
	assert.equal(h.executionError(fail.output, 'Fail')?.message, 'Fake failure: boom');
	assert.equal(fail.output.data.resultData.lastNodeExecuted, 'Fail');

	// continueOnFail (onError: continueRegularOutput)
	const cont = await timed(line, 'executeWorkflow fake node (continueOnFail)', () =>
		h.executeWorkflow(ctx, 'smokeCont01'),
	);
	dump(line, 'cont', cont);
	assert.ok(cont.ok);
	assert.deepEqual(
		h.nodeItems(cont.output, 'Fail').map((i) => [i.json.error ?? i.json.message, i.pairedItem]),
		[
			['boom', { item: 0 }],
			['Fake failure: boom', { item: 1 }],
			['boom', { item: 2 }],
		],
	);

	// declarative node -> local HTTP server, with an imported credential
	const before = api.requests.length;
	const httpRun = await timed(line, 'executeWorkflow declarative node (HTTP 200)', () =>
		h.executeWorkflow(ctx, 'smokeHttp01'),
	);
	dump(line, 'http', httpRun);
	assert.ok(httpRun.ok, `http run failed:\n${httpRun.stdout}`);
	const got = api.requests.slice(before);
	assert.deepEqual(got.map((r) => r.url).sort(), ['/items/id0', '/items/id1', '/items/id2']);
	assert.ok(
		got.every((r) => r.auth === 'Bearer tok-e2e'),
		JSON.stringify(got),
	);
	assert.deepEqual(
		h.nodeItems(httpRun.output, 'Http').map((i) => [i.json.id, i.pairedItem]),
		[
			['id0', { item: 0 }],
			['id1', { item: 1 }],
			['id2', { item: 2 }],
		],
	);

	const httpFail = await timed(line, 'executeWorkflow declarative node (HTTP 400)', () =>
		h.executeWorkflow(ctx, 'smokeHttpFail01'),
	);
	dump(line, 'httpFail', httpFail);
	assert.equal(httpFail.ok, false);
	assert.ok(httpFail.error?.message, 'HTTP 400 must give an error message');
	console.log(
		`  HTTP 400 error: ${JSON.stringify({
			name: httpFail.error.name,
			message: httpFail.error.message,
			description: httpFail.error.description,
			httpCode: httpFail.error.httpCode,
		})}`,
	);

	const httpCont = await timed(line, 'executeWorkflow declarative node (continueOnFail)', () =>
		h.executeWorkflow(ctx, 'smokeHttpCont1'),
	);
	dump(line, 'httpCont', httpCont);
	assert.ok(httpCont.ok, `httpCont run failed:\n${httpCont.stdout}`);
	const contItems = h.nodeItems(httpCont.output, 'Http');
	console.log(`  declarative continueOnFail items: ${JSON.stringify(contItems)}`);
	assert.equal(contItems.length, 3);

	// the server
	const srv = await timed(line, 'startN8n (until ready)', () => h.startN8n(ctx));
	timings.push({ line, step: 'startN8n: /healthz 200 after', ms: srv.healthzMs });
	try {
		const ports = listeningPorts(srv.pid);
		console.log(`  ${srv.url} pid ${srv.pid} listening on: ${ports.join(', ')}`);
		assert.ok(
			ports.length > 0 &&
				ports.every((p) => p.startsWith('127.0.0.1:') || p.startsWith('[::ffff:127.0.0.1]:')),
			`non-local listener: ${ports}`,
		);
		const hz = await fetch(`${srv.url}/healthz`);
		assert.equal(hz.status, 200);
		const session = await timed(line, 'setupOwner + login', () => h.setupOwner(srv.url));
		assert.match(session.cookie, /^n8n-auth=/);
		const me = await h.rest(srv.url, 'GET', '/rest/login', { session });
		assert.equal(me.status, 200);
		assert.equal(me.body?.data?.email, session.email);
		const types = await h.rest(srv.url, 'GET', '/types/nodes.json', { session });
		const names = (Array.isArray(types.body) ? types.body : []).map(
			(/** @type {any} */ t) => t.name,
		);
		assert.ok(
			names.includes('n8n-nodes-fake.fakeEcho'),
			'server must list n8n-nodes-fake.fakeEcho',
		);
		assert.ok(
			names.includes('n8n-nodes-fake.fakeHttp'),
			'server must list n8n-nodes-fake.fakeHttp',
		);
		const creds = await h.rest(srv.url, 'GET', '/types/credentials.json', { session });
		assert.ok(
			(Array.isArray(creds.body) ? creds.body : []).some(
				(/** @type {any} */ c) => c.name === 'fakeApi',
			),
			'server must list credential type fakeApi',
		);
	} finally {
		await timed(line, 'stop server', () => srv.stop());
	}
	assert.ok(!/Failed to load|Error loading package/i.test(srv.logs()), srv.logs());

	// the manual route: cd .n8n/nodes && npm install <tarball>
	const ctx2 = await timed(line, 'createUserFolder + npm install <tarball>', () =>
		h.createUserFolder({ line, tarball, installMode: 'npm' }),
	);
	assert.ok(
		!fs.existsSync(path.join(ctx2.nodesDir, 'node_modules/n8n-workflow')),
		'peer dep must not be installed',
	);
	await h.importWorkflow(ctx2, wfs.echo);
	const echo2 = await h.executeWorkflow(ctx2, 'smokeEcho01');
	assert.ok(echo2.ok, `echo (npm-installed) failed:\n${echo2.stdout}\n${echo2.stderr}`);
	assert.equal(h.nodeItems(echo2.output, 'Echo').length, 3);

	const attempts = [...h.netAttempts(ctx), ...h.netAttempts(ctx2)];
	if (attempts.length) {
		console.log(`  outgoing non-local connection attempts (blocked):`);
		for (const a of attempts)
			console.log(
				`    ${a.host}:${a.port} from ${a.argv}\n      ${a.stack.slice(0, 6).join('\n      ')}`,
			);
	} else console.log('  no outgoing non-local connection attempts');
	await ctx.cleanup();
	await ctx2.cleanup();
	return attempts;
}

async function main() {
	const lines = h.e2eLines();
	const fakeDir = await h.makeTempDir('fakepkg');
	const api = await startFakeApi();
	/** @type {Record<number, any[]>} */
	const attempts = {};
	try {
		writeFakePackage(fakeDir);
		const tarball = await timed(0, 'packPackage (fake package)', () => h.packPackage(fakeDir));
		for (const line of lines) attempts[line] = await smokeLine(line, tarball, api);
	} finally {
		await api.close();
		await h.cleanupAll();
	}
	console.log('\n=== wall time per step (s)');
	const steps = [...new Set(timings.map((t) => t.step))];
	console.log(['step', ...lines.map((l) => `n8n ${l}`)].join(' | '));
	for (const step of steps) {
		const cells = lines.map((l) => {
			const t = timings.find((x) => x.step === step && (x.line === l || x.line === 0));
			return t ? (t.ms / 1000).toFixed(1) : '-';
		});
		console.log([step, ...cells].join(' | '));
	}
	const any = Object.values(attempts).flat();
	assert.equal(
		any.length,
		0,
		`n8n tried to reach non-local hosts: ${JSON.stringify(any.map((a) => `${a.host}:${a.port}`))}`,
	);
	console.log('\nharness smoke: OK');
}

main().catch((e) => {
	console.error(e);
	process.exitCode = 1;
});

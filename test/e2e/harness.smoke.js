// @ts-check
'use strict';
/**
 * Proves test/e2e/n8n-harness.js against real n8n, before (and independently of) this
 * repository's node: for each line in E2E_LINES (default 1,2) it
 *  - runs a Manual Trigger -> Set workflow headlessly and checks the item;
 *  - packs a throwaway community package `n8n-nodes-fake` (a programmatic node `fakeEcho`,
 *    a declarative node `fakeHttp` with its own credential type `fakeApi`), installs the
 *    tarball into .n8n/nodes the way n8n does, and runs its nodes: success, a thrown
 *    NodeOperationError, continueOnFail, HTTP against a local server, HTTP 400;
 *  - repeats the fake-package run with the manual `npm install <tarball>` route;
 *  - starts `n8n start`, checks /healthz, creates the owner and logs in, checks the
 *    server lists the fake node types, stops it;
 *  - checks no process tried to reach anything but 127.0.0.1;
 * and prints the wall time of every step. Plain node script:  node test/e2e/harness.smoke.js
 * E2E_SMOKE_DUMP=<dir> writes every `execute` stdout there for inspection.
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('./n8n-harness');

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

// ---------------------------------------------------------------------------------------
// the throwaway community package
// ---------------------------------------------------------------------------------------

const FAKE_ECHO = `
'use strict';
const { NodeOperationError } = require('n8n-workflow');
class FakeEcho {
	constructor() {
		this.description = {
			displayName: 'Fake Echo',
			name: 'fakeEcho',
			icon: 'fa:bug',
			group: ['transform'],
			version: 1,
			subtitle: '={{$parameter["operation"]}}',
			description: 'Test node of the e2e harness',
			defaults: { name: 'Fake Echo' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{ displayName: 'Operation', name: 'operation', type: 'options', default: 'echo',
				  options: [{ name: 'Echo', value: 'echo' }, { name: 'Fail', value: 'fail' }] },
				{ displayName: 'Message', name: 'message', type: 'string', default: 'hi' },
				{ displayName: 'Copies', name: 'copies', type: 'number', default: 1 },
				{ displayName: 'Fail On Index', name: 'failOn', type: 'number', default: -1 },
			],
		};
	}
	async execute() {
		const items = this.getInputData();
		const out = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const op = this.getNodeParameter('operation', i);
				const message = this.getNodeParameter('message', i);
				const failOn = this.getNodeParameter('failOn', i);
				if (op === 'fail' && (failOn < 0 || failOn === i)) {
					throw new NodeOperationError(this.getNode(), 'Fake failure: ' + message, {
						itemIndex: i,
						description: 'raised by n8n-nodes-fake on item ' + i,
					});
				}
				const copies = this.getNodeParameter('copies', i);
				for (let c = 0; c < copies; c++) {
					out.push({ json: { message, index: out.length, input: i, from: 'n8n-nodes-fake' }, pairedItem: { item: i } });
				}
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: error.message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [out];
	}
}
module.exports = { FakeEcho };
`;

const FAKE_HTTP = `
'use strict';
class FakeHttp {
	constructor() {
		this.description = {
			displayName: 'Fake HTTP',
			name: 'fakeHttp',
			icon: 'fa:bug',
			group: ['transform'],
			version: 1,
			subtitle: 'get item',
			description: 'Declarative test node of the e2e harness',
			defaults: { name: 'Fake HTTP' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'fakeApi', required: true }],
			requestDefaults: { baseURL: '={{$credentials.baseUrl}}', headers: { Accept: 'application/json' } },
			properties: [
				{ displayName: 'Item ID', name: 'itemId', type: 'string', default: '',
				  routing: { request: { method: 'GET', url: '=/items/{{$value}}' } } },
			],
		};
	}
}
module.exports = { FakeHttp };
`;

const FAKE_CRED = `
'use strict';
class FakeApi {
	constructor() {
		this.name = 'fakeApi';
		this.displayName = 'Fake API';
		this.properties = [
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
			{ displayName: 'Token', name: 'token', type: 'string', typeOptions: { password: true }, default: '' },
		];
		this.authenticate = { type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } } };
	}
}
module.exports = { FakeApi };
`;

/** @param {string} dir */
function writeFakePackage(dir) {
	/** @param {string} rel @param {string} text */
	const put = (rel, text) => {
		fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
		fs.writeFileSync(path.join(dir, rel), text);
	};
	put(
		'package.json',
		JSON.stringify(
			{
				name: 'n8n-nodes-fake',
				version: '0.0.1',
				description: 'throwaway package of the e2e harness smoke test',
				keywords: ['n8n-community-node-package'],
				license: 'MIT',
				files: ['dist'],
				n8n: {
					n8nNodesApiVersion: 1,
					credentials: ['dist/credentials/FakeApi.credentials.js'],
					nodes: ['dist/nodes/FakeEcho/FakeEcho.node.js', 'dist/nodes/FakeHttp/FakeHttp.node.js'],
				},
				peerDependencies: { 'n8n-workflow': '*' },
				// must NOT be installed: n8n strips dev dependencies before `npm install`
				devDependencies: { 'left-pad-does-not-exist-e2e': '99.0.0' },
			},
			null,
			2,
		),
	);
	put('dist/nodes/FakeEcho/FakeEcho.node.js', FAKE_ECHO);
	put('dist/nodes/FakeHttp/FakeHttp.node.js', FAKE_HTTP);
	put('dist/credentials/FakeApi.credentials.js', FAKE_CRED);
}

// ---------------------------------------------------------------------------------------
// a local HTTP server for the declarative node
// ---------------------------------------------------------------------------------------

/** @returns {Promise<{ url: string, requests: Array<{ url: string, auth: string | undefined }>, close: () => Promise<void> }>} */
function startFakeApi() {
	/** @type {Array<{ url: string, auth: string | undefined }>} */
	const requests = [];
	const server = http.createServer((req, res) => {
		requests.push({ url: req.url ?? '', auth: req.headers.authorization });
		const m = /^\/items\/([^/?]+)/.exec(req.url ?? '');
		res.setHeader('content-type', 'application/json');
		if (!m || m[1] === 'bad') {
			res.statusCode = 400;
			res.end(
				JSON.stringify({
					code: 'INVALID_DATA',
					message: 'the id given seems to be invalid',
					status: 'error',
				}),
			);
			return;
		}
		res.end(JSON.stringify({ id: m[1], ok: true }));
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
			resolve({
				url: `http://127.0.0.1:${addr.port}`,
				requests,
				close: () => new Promise((r) => server.close(() => r())),
			});
		});
	});
}

// ---------------------------------------------------------------------------------------
// workflows
// ---------------------------------------------------------------------------------------

const START = {
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	parameters: {},
};
/** @param {...string} names */
function chain(...names) {
	/** @type {Record<string, any>} */
	const c = {};
	for (let i = 0; i < names.length - 1; i++)
		c[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	return c;
}
const MAKE3 = {
	name: 'Make3',
	type: 'n8n-nodes-fake.fakeEcho',
	typeVersion: 1,
	parameters: { operation: 'echo', message: 'seed', copies: 3 },
};

/** @param {string} credId */
function workflows(credId) {
	const cred = { fakeApi: { id: credId, name: 'Fake API' } };
	return {
		basic: {
			id: 'smokeBasic01',
			nodes: [
				START,
				{
					name: 'Set',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					parameters: { mode: 'raw', jsonOutput: '{"hello":"world","n":42}', options: {} },
				},
			],
			connections: chain('Start', 'Set'),
		},
		echo: {
			id: 'smokeEcho01',
			nodes: [
				START,
				MAKE3,
				{
					name: 'Echo',
					type: 'n8n-nodes-fake.fakeEcho',
					typeVersion: 1,
					parameters: { operation: 'echo', message: '=item {{ $json.index }}' },
				},
			],
			connections: chain('Start', 'Make3', 'Echo'),
		},
		fail: {
			id: 'smokeFail01',
			nodes: [
				START,
				MAKE3,
				{
					name: 'Fail',
					type: 'n8n-nodes-fake.fakeEcho',
					typeVersion: 1,
					parameters: { operation: 'fail', message: 'boom', failOn: 1 },
				},
			],
			connections: chain('Start', 'Make3', 'Fail'),
		},
		cont: {
			id: 'smokeCont01',
			nodes: [
				START,
				MAKE3,
				{
					name: 'Fail',
					type: 'n8n-nodes-fake.fakeEcho',
					typeVersion: 1,
					onError: 'continueRegularOutput',
					parameters: { operation: 'fail', message: 'boom', failOn: 1 },
				},
			],
			connections: chain('Start', 'Make3', 'Fail'),
		},
		http: {
			id: 'smokeHttp01',
			nodes: [
				START,
				MAKE3,
				{
					name: 'Http',
					type: 'n8n-nodes-fake.fakeHttp',
					typeVersion: 1,
					credentials: cred,
					parameters: { itemId: '=id{{ $json.index }}' },
				},
			],
			connections: chain('Start', 'Make3', 'Http'),
		},
		httpFail: {
			id: 'smokeHttpFail01',
			nodes: [
				START,
				{
					name: 'Http',
					type: 'n8n-nodes-fake.fakeHttp',
					typeVersion: 1,
					credentials: cred,
					parameters: { itemId: 'bad' },
				},
			],
			connections: chain('Start', 'Http'),
		},
		httpCont: {
			id: 'smokeHttpCont1',
			nodes: [
				START,
				MAKE3,
				{
					name: 'Http',
					type: 'n8n-nodes-fake.fakeHttp',
					typeVersion: 1,
					credentials: cred,
					onError: 'continueRegularOutput',
					parameters: { itemId: "={{ $json.index === 1 ? 'bad' : 'id' + $json.index }}" },
				},
			],
			connections: chain('Start', 'Make3', 'Http'),
		},
	};
}

// ---------------------------------------------------------------------------------------

/** @param {number} line @param {string} name @param {import('./n8n-harness').ExecuteResult} r */
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

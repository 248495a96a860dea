#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run bench`: this package in REAL n8n (headless, `n8n execute`) against the local Zoho
 * CRM sandbox with Zoho-like latency and Zoho's Standard-edition concurrency limit, compared
 * with what users do without it (n8n's HTTP Request node, one DELETE per id).
 *
 *  1. 10,000 ids delinked from one campaign:
 *     a. this node, ONE input item whose Related Record IDs is an expression giving the array
 *        (Max Concurrent Calls 10);
 *     b. HTTP Request 4.2 (Set → Split Out → one DELETE per item), Batching 10 items per
 *        batch, interval 0, Retry On Fail (5 tries, 100 ms apart) — as configured by a user;
 *     b'. the same HTTP Request node paced so that it really stays under the limit
 *        (10 items per batch, BENCH_HTTP_PACED_MS apart; BENCH_HTTP_PACED_MS=0 skips it);
 *     c. the ratios b / a.
 *  2. 1,000 input items of one id each through this node (default options).
 *  3. peak RSS of the n8n process for 100,000 ids in one item (sandbox latency 0), against
 *     two baselines: the same n8n running a trivial workflow, and the same input without
 *     the Zoho node.
 *
 * Every campaign is seeded fresh for its run. Everything (sandbox, temp user folder, n8n
 * processes) is started and stopped here; only 127.0.0.1 is contacted.
 * Environment: BENCH_N8N_LINE=1|2 (default 1); BENCH_HTTP_PACED_MS=<ms> adds b' (default 0 =
 * off: any 429 makes Retry On Fail re-send all 10,000 requests, 5 tries of ~2 min each);
 * BENCH_DUMP=<dir> saves each `n8n execute` stdout/stderr there.
 * Exit code: 0, or 1 on a crash or when this node lost an id (an id without exactly one
 * output item, or reported delinked but still linked in the sandbox).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../test/e2e/n8n-harness');
const zw = require('../test/e2e/zoho-workflows');
const { startZohoSandbox } = require('../test/zoho-sandbox');

const LATENCY_MS = 80;
const ZOHO_CONCURRENCY = 10;
const N_BIG = 10_000;
const N_ITEMS = 1_000;
const N_HUGE = 100_000;
const RUN_TIMEOUT_MS = 15 * 60_000;
const CREDENTIAL = { id: 'benchZohoCred', name: 'Zoho CRM sandbox' };
const ZOHO = 'Zoho CRM';
const HTTP = 'HTTP Request';

/** @param {string} text */
const say = (text) => process.stdout.write(`${text}\n`);
/** @param {string} text */
const progress = (text) => process.stderr.write(`[bench] ${text}\n`);

class BenchError extends Error {}

/** @returns {1 | 2} */
function benchLine() {
	const raw = process.env.BENCH_N8N_LINE || '1';
	if (raw !== '1' && raw !== '2')
		throw new BenchError(`BENCH_N8N_LINE must be 1 or 2, got "${raw}"`);
	return raw === '1' ? 1 : 2;
}

function pacedMs() {
	const raw = process.env.BENCH_HTTP_PACED_MS || '0';
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0)
		throw new BenchError(`BENCH_HTTP_PACED_MS must be a whole number of ms, got "${raw}"`);
	return n;
}

// ---------------------------------------------------------------------------------------
// running `n8n execute` under /usr/bin/time (peak RSS), in its own process group
// ---------------------------------------------------------------------------------------

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

/** @param {import('node:child_process').ChildProcess} child */
function killGroup(child) {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, 'SIGKILL');
	} catch {
		/* gone */
	}
}
process.on('exit', () => {
	for (const c of children) killGroup(c);
});

/** @type {string | undefined} */
let outDir;

/**
 * `n8n execute --id=<id> --rawOutput` with the context's environment, measured by
 * `/usr/bin/time -f %M` (peak RSS of the n8n process, in kB). Its stdout goes to a file, not
 * a pipe: n8n exits before a pipe has taken the whole run data of 100,000 items (it was cut
 * at ~64 MB), while writes to a file are synchronous.
 * @param {h.Ctx} ctx @param {string} id
 */
async function execute(ctx, id) {
	outDir ??= await h.makeTempDir('bench-out');
	const outFile = path.join(outDir, `${id}.stdout`);
	const errFile = path.join(outDir, `${id}.stderr`);
	const env = {
		...ctx.env,
		N8N_PORT: String(await h.freePort()),
		N8N_RUNNERS_BROKER_PORT: String(await h.freePort()),
	};
	const started = Date.now();
	const outFd = fs.openSync(outFile, 'w');
	const errFd = fs.openSync(errFile, 'w');
	/** @type {{ exitCode: number | null, timedOut: boolean }} */
	const exit = await new Promise((resolve, reject) => {
		const child = spawn(
			'/usr/bin/time',
			[
				'-f',
				'BENCH_PEAK_RSS_KB=%M',
				ctx.n8n.nodeBin,
				ctx.n8n.n8nBin,
				'execute',
				`--id=${id}`,
				'--rawOutput',
			],
			{ cwd: ctx.root, env, stdio: ['ignore', outFd, errFd], detached: true },
		);
		children.add(child);
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child);
		}, RUN_TIMEOUT_MS);
		child.on('error', (e) => {
			clearTimeout(timer);
			children.delete(child);
			reject(e);
		});
		child.on('exit', (exitCode) => {
			clearTimeout(timer);
			children.delete(child);
			killGroup(child); // a task runner left in the group goes too
			resolve({ exitCode, timedOut });
		});
	}).finally(() => {
		fs.closeSync(outFd);
		fs.closeSync(errFd);
	});
	const stdout = fs.readFileSync(outFile, 'utf8');
	const stderr = fs.readFileSync(errFile, 'utf8');
	if (process.env.BENCH_DUMP) {
		fs.mkdirSync(process.env.BENCH_DUMP, { recursive: true });
		fs.copyFileSync(outFile, path.join(process.env.BENCH_DUMP, `${id}.stdout`));
		fs.copyFileSync(errFile, path.join(process.env.BENCH_DUMP, `${id}.stderr`));
	}
	fs.rmSync(outFile, { force: true });
	fs.rmSync(errFile, { force: true });
	const rss = /BENCH_PEAK_RSS_KB=(\d+)/.exec(stderr);
	const output = h.parseRunOutput(stdout) ?? h.parseRunOutput(stderr);
	const error = output?.data?.resultData?.error;
	return {
		...exit,
		ok: exit.exitCode === 0 && !!output && !error && output?.status !== 'error',
		output,
		error,
		stdout,
		stderr,
		durationMs: Date.now() - started,
		peakRssKb: rss ? Number(rss[1]) : undefined,
	};
}

// ---------------------------------------------------------------------------------------
// workflows
// ---------------------------------------------------------------------------------------

/** A Set node with one array field `ids`. @param {readonly string[]} ids */
function setIds(ids) {
	return {
		name: 'Ids',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: {
			assignments: {
				assignments: [{ id: 'a1', name: 'ids', value: JSON.stringify(ids), type: 'array' }],
			},
			options: {},
		},
	};
}

const SPLIT_OUT = {
	name: 'One item per id',
	type: 'n8n-nodes-base.splitOut',
	typeVersion: 1,
	parameters: {
		fieldToSplitOut: 'ids',
		include: 'noOtherFields',
		options: { destinationFieldName: 'id' },
	},
};

/** @param {string} id @param {any[]} chain */
function chainWorkflow(id, chain) {
	/** @type {Record<string, any>} */
	const connections = {};
	for (let i = 0; i + 1 < chain.length; i++)
		connections[chain[i].name] = { main: [[{ node: chain[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name: id, nodes: chain, connections, settings: { executionOrder: 'v1' } };
}

const START = {
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	parameters: {},
};

/**
 * Start → Ids → [Split Out] → Zoho node.
 * @param {{ id: string, campaignId: string, ids: readonly string[], perItem: boolean, options: Record<string, unknown> }} o
 */
function zohoWorkflow(o) {
	return zw.delinkWorkflow({
		id: o.id,
		name: ZOHO,
		credential: CREDENTIAL,
		before: o.perItem ? [setIds(o.ids), SPLIT_OUT] : [setIds(o.ids)],
		parameters: {
			module: 'Campaigns',
			relatedList: 'Contacts',
			recordId: zw.byId(o.campaignId),
			relatedRecordIds: o.perItem ? '={{ $json.id }}' : '={{ $json.ids }}',
			options: o.options,
		},
	});
}

/**
 * Start → Ids → Split Out → HTTP Request 4.2 (one DELETE per item, a plain Authorization
 * header, Batching, Retry On Fail).
 * @param {{ id: string, url: string, token: string, campaignId: string, ids: readonly string[], batchInterval: number }} o
 */
function httpWorkflow(o) {
	return chainWorkflow(o.id, [
		START,
		setIds(o.ids),
		SPLIT_OUT,
		{
			name: HTTP,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				method: 'DELETE',
				url: `=${o.url}/crm/v2/Campaigns/${o.campaignId}/Contacts/{{ $json.id }}`,
				sendHeaders: true,
				specifyHeaders: 'keypair',
				headerParameters: {
					parameters: [{ name: 'Authorization', value: `Zoho-oauthtoken ${o.token}` }],
				},
				options: { batching: { batch: { batchSize: 10, batchInterval: o.batchInterval } } },
			},
			retryOnFail: true,
			maxTries: 5,
			waitBetweenTries: 100,
		},
	]);
}

// ---------------------------------------------------------------------------------------
// measuring
// ---------------------------------------------------------------------------------------

/**
 * @typedef {{
 *   label: string, ok: boolean, error: string | undefined, calls: number, rejected429: number,
 *   maxInFlight: number, wallMs: number | undefined, nodeMs: number | undefined, processMs: number,
 *   peakRssKb: number | undefined, delinked: number, failed: number, stillLinked: number,
 *   missing: number, duplicated: number, falseSuccess: number, items: number, tries: number | undefined,
 *   failCodes: Map<string, number>, statuses: string
 * }} Result
 */

/** "200 × 278, 400 × 40040, 429 × 9682" @param {import('../test/zoho-sandbox').RequestLogEntry[]} requests */
function statusCounts(requests) {
	/** @type {Map<number | null, number>} */
	const counts = new Map();
	for (const q of requests) counts.set(q.status, (counts.get(q.status) ?? 0) + 1);
	return [...counts]
		.sort((x, y) => Number(x[0]) - Number(y[0]))
		.map(([status, n]) => `${status ?? 'no answer'} × ${n}`)
		.join(', ');
}

/**
 * Fresh campaign linked to `contacts`.
 * @param {import('../test/zoho-sandbox').ZohoSandbox} sb @param {string} name @param {readonly string[]} contacts
 */
function seedCampaign(sb, name, contacts) {
	const campaignId = sb.addRecord('Campaigns', { Campaign_Name: name });
	sb.link('Campaigns', campaignId, 'Contacts', contacts);
	return campaignId;
}

/**
 * Runs one workflow and measures it against the sandbox.
 * @param {h.Ctx} ctx @param {import('../test/zoho-sandbox').ZohoSandbox} sb
 * @param {{ label: string, wfId: string, nodeName: string | undefined, campaignId?: string, ids?: readonly string[], zohoItems?: boolean }} o
 * @returns {Promise<Result>}
 */
async function measure(ctx, sb, o) {
	sb.resetStats();
	sb.clearRequests();
	progress(`${o.label}: running…`);
	const r = await execute(ctx, o.wfId);
	const stats = sb.stats;
	const api = sb.requests.filter((q) => q.kind === 'api');
	let first = Infinity;
	let last = -Infinity;
	for (const q of api) {
		first = Math.min(first, q.startedAt);
		last = Math.max(last, q.endedAt ?? q.startedAt);
	}
	const task = o.nodeName ? h.nodeRuns(r.output, o.nodeName)[0] : undefined;
	const ids = o.ids ?? [];
	const campaignId = o.campaignId;
	const stillLinked =
		campaignId === undefined
			? 0
			: ids.filter((id) => sb.isLinked('Campaigns', campaignId, 'Contacts', id)).length;
	/** @type {Result} */
	const res = {
		label: o.label,
		ok: r.ok,
		error: r.ok
			? undefined
			: (r.error?.message ??
				(r.timedOut
					? 'timed out'
					: `exit code ${r.exitCode}: ${r.stderr.split('\n').slice(-5).join(' | ')}`)),
		calls: stats.deleteCalls,
		rejected429: stats.rejected429,
		maxInFlight: stats.maxInFlight,
		wallMs: api.length ? last - first : undefined,
		nodeMs: typeof task?.executionTime === 'number' ? task.executionTime : undefined,
		processMs: r.durationMs,
		peakRssKb: r.peakRssKb,
		delinked: ids.length - stillLinked,
		failed: stillLinked,
		stillLinked,
		missing: 0,
		duplicated: 0,
		falseSuccess: 0,
		items: 0,
		tries: undefined,
		failCodes: new Map(),
		statuses: statusCounts(api),
	};
	if (o.zohoItems && o.nodeName && campaignId !== undefined) {
		const items = h.nodeItems(r.output, o.nodeName).map((i) => i.json);
		res.items = items.length;
		/** @type {Map<string, number>} */
		const seen = new Map();
		let ok = 0;
		for (const it of items) {
			const id = String(it.relatedRecordId);
			seen.set(id, (seen.get(id) ?? 0) + 1);
			if (it.status === 'success') {
				ok++;
				if (sb.isLinked('Campaigns', campaignId, 'Contacts', id)) res.falseSuccess++;
			} else {
				const key = `${it.code}: ${it.message}`;
				res.failCodes.set(key, (res.failCodes.get(key) ?? 0) + 1);
			}
		}
		for (const id of ids) {
			const n = seen.get(id) ?? 0;
			if (n === 0) res.missing++;
			else if (n > 1) res.duplicated++;
		}
		res.delinked = ok;
		res.failed = items.length - ok;
	}
	progress(
		`${o.label}: ${r.ok ? 'ok' : `FAILED (${res.error})`}, ${res.calls} calls, ${res.rejected429} × 429, ` +
			`max in flight ${res.maxInFlight}, ${fmtMs(res.wallMs)} at the sandbox, n8n process ${fmtMs(res.processMs)}`,
	);
	return res;
}

// ---------------------------------------------------------------------------------------
// printing
// ---------------------------------------------------------------------------------------

/** @param {number | undefined} ms */
function fmtMs(ms) {
	if (ms === undefined || !Number.isFinite(ms)) return '-';
	return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}
/** @param {number | undefined} kb */
function fmtMb(kb) {
	return kb === undefined ? '-' : `${Math.round(kb / 1024)} MB`;
}
/** @param {number} x */
function fmtRatio(x) {
	if (!Number.isFinite(x)) return '-';
	return x >= 10 ? `${Math.round(x)}x` : `${x.toFixed(1)}x`;
}

/**
 * A plain-text table: first column left-aligned, the others right-aligned.
 * @param {string[]} header @param {string[][]} rows
 */
function table(header, rows) {
	const widths = header.map((hd, c) =>
		Math.max(hd.length, ...rows.map((r) => (r[c] ?? '').length)),
	);
	/** @param {string[]} cells */
	const line = (cells) =>
		cells
			.map((cell, c) =>
				c === 0 ? (cell ?? '').padEnd(widths[c]) : (cell ?? '').padStart(widths[c]),
			)
			.join('   ')
			.trimEnd();
	return [line(header), ...rows.map(line)].join('\n');
}

/** @param {Result} r */
function row(r) {
	return [
		r.label,
		String(r.calls),
		String(r.rejected429),
		String(r.maxInFlight),
		fmtMs(r.wallMs),
		fmtMs(r.nodeMs),
		String(r.delinked),
		String(r.failed),
		fmtMb(r.peakRssKb),
	];
}

// ---------------------------------------------------------------------------------------

async function main() {
	const started = Date.now();
	const line = benchLine();
	const paced = pacedMs();
	const command = `${process.env.BENCH_N8N_LINE ? `BENCH_N8N_LINE=${process.env.BENCH_N8N_LINE} ` : ''}node scripts/bench.js`;
	const n8n = await h.ensureN8n(line);
	progress(`n8n ${n8n.version} on Node ${n8n.nodeVersion}: packing and installing this package…`);
	const tarball = await h.packPackage();
	const ctx = await h.createUserFolder({ line, tarball });
	const sb = await startZohoSandbox({
		host: '127.0.0.1',
		latencyMs: LATENCY_MS,
		maxConcurrent: ZOHO_CONCURRENCY,
	});
	try {
		progress(`sandbox ${sb.url}: seeding ${N_HUGE} contacts and fresh campaigns…`);
		const contacts = sb.addRecords('Contacts', N_HUGE);
		const big = contacts.slice(0, N_BIG);
		const few = contacts.slice(0, N_ITEMS);
		const camp = {
			node: seedCampaign(sb, 'Bench: this node, 10k', big),
			http: seedCampaign(sb, 'Bench: HTTP Request, 10k', big),
			paced: paced > 0 ? seedCampaign(sb, 'Bench: HTTP Request paced, 10k', big) : '',
			items: seedCampaign(sb, 'Bench: 1k items', few),
			huge: seedCampaign(sb, 'Bench: 100k', contacts),
			input: seedCampaign(sb, 'Bench: input only', contacts),
		};
		const token = sb.issueTokens().access_token;
		await h.importCredentials(ctx, [zw.sandboxCredential(sb, CREDENTIAL)]);
		const wfs = [
			zohoWorkflow({
				id: 'benchNode10k',
				campaignId: camp.node,
				ids: big,
				perItem: false,
				options: { maxConcurrentCalls: ZOHO_CONCURRENCY },
			}),
			httpWorkflow({
				id: 'benchHttp10k',
				url: sb.url,
				token,
				campaignId: camp.http,
				ids: big,
				batchInterval: 0,
			}),
			...(paced > 0
				? [
						httpWorkflow({
							id: 'benchHttpPaced',
							url: sb.url,
							token,
							campaignId: camp.paced,
							ids: big,
							batchInterval: paced,
						}),
					]
				: []),
			zohoWorkflow({
				id: 'benchItems1k',
				campaignId: camp.items,
				ids: few,
				perItem: true,
				options: {},
			}),
			zohoWorkflow({
				id: 'benchNode100k',
				campaignId: camp.huge,
				ids: contacts,
				perItem: false,
				options: { maxConcurrentCalls: ZOHO_CONCURRENCY },
			}),
			chainWorkflow('benchTrivial', [
				START,
				{
					name: 'Set',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					parameters: {
						assignments: {
							assignments: [{ id: 'a1', name: 'hello', value: 'world', type: 'string' }],
						},
						options: {},
					},
				},
			]),
			chainWorkflow('benchInput100k', [START, setIds(contacts)]),
			chainWorkflow('benchSplit100k', [START, setIds(contacts), SPLIT_OUT]),
		];
		await h.importWorkflow(ctx, wfs);

		// 1. 10,000 ids from one record
		const a = await measure(ctx, sb, {
			label: `${N_BIG.toLocaleString('en')} ids, this node (1 item)`,
			wfId: 'benchNode10k',
			nodeName: ZOHO,
			campaignId: camp.node,
			ids: big,
			zohoItems: true,
		});
		const b = await measure(ctx, sb, {
			label: `${N_BIG.toLocaleString('en')} ids, HTTP Request (1 call per id)`,
			wfId: 'benchHttp10k',
			nodeName: HTTP,
			campaignId: camp.http,
			ids: big,
		});
		const bp =
			paced > 0
				? await measure(ctx, sb, {
						label: `${N_BIG.toLocaleString('en')} ids, HTTP Request paced ${paced} ms`,
						wfId: 'benchHttpPaced',
						nodeName: HTTP,
						campaignId: camp.paced,
						ids: big,
					})
				: undefined;
		// 2. 1,000 items of one id
		const c = await measure(ctx, sb, {
			label: `${N_ITEMS.toLocaleString('en')} items x 1 id, this node`,
			wfId: 'benchItems1k',
			nodeName: ZOHO,
			campaignId: camp.items,
			ids: few,
			zohoItems: true,
		});
		// 3. memory, latency 0
		sb.setFaults({ latencyMs: 0 });
		const base = await measure(ctx, sb, {
			label: 'baseline: trivial workflow',
			wfId: 'benchTrivial',
			nodeName: undefined,
		});
		const input = await measure(ctx, sb, {
			label: 'baseline: 100k-id input, no Zoho node',
			wfId: 'benchInput100k',
			nodeName: undefined,
		});
		const split = await measure(ctx, sb, {
			label: 'baseline: 100k-id input split into 100k items, no Zoho node',
			wfId: 'benchSplit100k',
			nodeName: undefined,
		});
		const d = await measure(ctx, sb, {
			label: `${N_HUGE.toLocaleString('en')} ids, this node (1 item, latency 0)`,
			wfId: 'benchNode100k',
			nodeName: ZOHO,
			campaignId: camp.huge,
			ids: contacts,
			zohoItems: true,
		});

		// ---- report ----
		const totalS = Math.round((Date.now() - started) / 1000);
		say('');
		say(
			`Benchmark (n8n ${n8n.version} on Node ${n8n.nodeVersion}, sandbox latency ${LATENCY_MS} ms, ` +
				`Zoho concurrency limit ${ZOHO_CONCURRENCY}) — ${command}`,
		);
		say(
			'wall time = first API request start to last API request end at the sandbox; node time = executionTime in n8n run data',
		);
		const header = [
			'scenario',
			'API calls',
			'429s',
			'max in flight',
			'wall time',
			'node time',
			'delinked',
			'failed',
			'n8n peak RSS',
		];
		const rows = [row(a), row(b)];
		if (bp) rows.push(row(bp));
		const callRatio = b.calls / a.calls;
		const wallRatio = (b.wallMs ?? NaN) / (a.wallMs ?? NaN);
		rows.push([
			'ratio (HTTP Request / this node)',
			fmtRatio(callRatio),
			'',
			'',
			fmtRatio(wallRatio),
			'',
			'',
			'',
			'',
		]);
		const pacedCallRatio = bp ? bp.calls / a.calls : NaN;
		const pacedWallRatio = bp ? (bp.wallMs ?? NaN) / (a.wallMs ?? NaN) : NaN;
		if (bp)
			rows.push([
				'ratio (HTTP Request paced / this node)',
				fmtRatio(pacedCallRatio),
				'',
				'',
				fmtRatio(pacedWallRatio),
				'',
				'',
				'',
				'',
			]);
		rows.push(row(c));
		rows.push(row(d));
		say(table(header, rows));
		say('');

		/** @param {Result} r */
		const runNote = (r) => (r.ok ? 'the execution succeeded' : `the execution FAILED: ${r.error}`);
		say(
			`HTTP Request (Batching 10 items / interval 0, Retry On Fail 5 x 100 ms): ${runNote(b)}; ` +
				`${b.delinked} of ${N_BIG} ids delinked, ${b.stillLinked} still linked.`,
		);
		if (bp)
			say(
				`HTTP Request paced (10 items / ${paced} ms, same retry settings): ${runNote(bp)}; ` +
					`${bp.delinked} of ${N_BIG} ids delinked, ${bp.stillLinked} still linked.`,
			);
		const callsMet = b.calls / a.calls >= 100;
		const wallMet = wallRatio >= 20;
		say(
			`Target (100 vs 10,000 calls, wall-time ratio >= 20x): calls ${a.calls} vs ${b.calls} = ${fmtRatio(callRatio)} (${callsMet ? 'met' : 'NOT met'}); ` +
				`wall time ${fmtMs(a.wallMs)} vs ${fmtMs(b.wallMs)} = ${fmtRatio(wallRatio)} (${wallMet ? 'met' : 'NOT met'})` +
				(b.ok && b.stillLinked === 0
					? '.'
					: ` — but the HTTP Request run did not do the job (${b.delinked} of ${N_BIG} ids delinked, execution ${b.ok ? 'succeeded' : 'failed'}): its figures are those of a failed run, not of a finished one.`),
		);
		if (bp)
			say(
				`Against the paced HTTP Request: ${bp.calls} calls, ${fmtMs(bp.wallMs)} = ${fmtRatio(pacedWallRatio)} wall time (${
					pacedCallRatio >= 100 && pacedWallRatio >= 20 ? 'met' : 'NOT met'
				}).`,
			);
		say(`HTTP Request answers: ${b.statuses}${bp ? `; paced: ${bp.statuses}` : ''}.`);
		const node100 =
			d.peakRssKb !== undefined && base.peakRssKb !== undefined
				? d.peakRssKb - base.peakRssKb
				: NaN;
		const nodeOnly =
			d.peakRssKb !== undefined && input.peakRssKb !== undefined
				? d.peakRssKb - input.peakRssKb
				: NaN;
		say(
			`${N_HUGE.toLocaleString('en')} ids, this node: peak RSS ${fmtMb(d.peakRssKb)} ` +
				`(n8n baseline ${fmtMb(base.peakRssKb)} trivial workflow, ${fmtMb(input.peakRssKb)} same 100k-id input without the Zoho node, ` +
				`${fmtMb(split.peakRssKb)} that input split into 100k items; ` +
				`+${Number.isFinite(node100) ? Math.round(node100 / 1024) : '-'} MB over the trivial baseline, ` +
				`+${Number.isFinite(nodeOnly) ? Math.round(nodeOnly / 1024) : '-'} MB over the input alone), ` +
				`calls ${d.calls}, wall ${fmtMs(d.wallMs)} (node ${fmtMs(d.nodeMs)}, n8n process ${fmtMs(d.processMs)}), ` +
				`${d.delinked} delinked, ${d.failed} failed.`,
		);
		/** @type {string[]} */
		const lost = [];
		for (const r of [a, c, d]) {
			const none = r.missing === 0 && r.duplicated === 0 && r.falseSuccess === 0;
			const fails = [...r.failCodes].map(([k, n]) => `${n} × ${k}`).join(', ');
			say(
				`${r.label}: ${r.items} output items, ${r.delinked} delinked, ${r.failed} failed${fails ? ` (${fails})` : ''}, ` +
					`${r.missing} missing, ${r.duplicated} duplicated, ${r.falseSuccess} reported delinked but still linked — ` +
					`${none ? 'none lost' : 'IDS LOST'}${r.ok ? '' : `; execution FAILED: ${r.error}`}.`,
			);
			if (!none || !r.ok) lost.push(r.label);
		}
		say(`Total run time ${totalS} s.`);
		if (lost.length) throw new BenchError(`this node lost ids or failed in: ${lost.join('; ')}`);
	} finally {
		await sb.close();
		await h.cleanupAll();
	}
}

main().then(
	() => process.exit(0),
	async (error) => {
		for (const c of children) killGroup(c);
		await h.cleanupAll().catch(() => undefined);
		const message = error instanceof BenchError ? error.message : (error?.stack ?? String(error));
		process.stderr.write(`\nbench failed: ${message}\n`);
		process.exit(1);
	},
);

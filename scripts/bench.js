#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run bench`: this package in REAL n8n (headless, `n8n execute`) against the local Zoho
 * CRM sandbox with Zoho-like latency and Zoho's Standard-edition concurrency limit, compared
 * with the package as it was before items shared calls (commit 0eb5e2c, built from a clone in
 * a temp folder and installed into a SECOND n8n user folder of the same n8n, so both run on
 * the same machine minutes apart) and with what users do without it (n8n's HTTP Request
 * node, one DELETE per id). Max Concurrent Calls 10 (= Zoho's limit here) in every node run.
 *
 *  1. 10,000 ids delinked from one campaign:
 *     a. this node, ONE input item whose Related Record IDs is an expression giving the array;
 *     b. HTTP Request 4.2 (Set → Split Out → one DELETE per item), Batching 10 items per
 *        batch, interval 0, Retry On Fail (5 tries, 100 ms apart) — as configured by a user;
 *     b'. the same HTTP Request node paced so that it really stays under the limit
 *        (10 items per batch, BENCH_HTTP_PACED_MS apart; BENCH_HTTP_PACED_MS=0 skips it);
 *     c. the ratios b / a.
 *  2. 1,000 input items of one id each: all for one campaign; over 10 campaigns (100 each,
 *     items interleaved: campaign = item % 10); each for a different campaign.
 *  3. peak RSS of the n8n process for 100,000 ids in one item (sandbox latency 0), against
 *     three baselines without the Zoho node: a trivial workflow, the same 100k-id input, and
 *     that input split into 100,000 items.
 *  4. the same 100k run and its two input baselines in a RUNNING n8n (`n8n start`, production
 *     webhook, a fresh process per run; scripts/bench-server.js), BENCH_SERVER_ROUNDS rounds
 *     (default 2; 0 skips them): `n8n execute` also prints the whole run data, which a running
 *     n8n never does, so the memory target is judged here and the CLI figure reported.
 * Scenarios 1a, 2, 3 and 4 run with both packages; the targets are checked on this one.
 *
 * Every campaign is seeded fresh for its run. Everything (sandbox, temp user folders, the
 * clone, n8n processes) is started and stopped here; only 127.0.0.1 is contacted.
 * Environment: BENCH_N8N_LINE=1|2 (default 1); BENCH_BASE_REF=<commit> (default 0eb5e2c) or
 * BENCH_BASE_TARBALL=<.tgz> (an already packed build) for the comparison package;
 * BENCH_HTTP_PACED_MS=<ms> adds b' (default 0 = off: any 429 makes Retry On Fail re-send all
 * 10,000 requests, 5 tries of ~2 min each); BENCH_DUMP=<dir> saves each `n8n execute`
 * stdout/stderr there; BENCH_TARBALL=<.tgz> measures that package instead of this
 * repository's dist; BENCH_PROFILE=<dir> instead profiles this package's 10k and 100k runs
 * (CPU profile and a heap profile of what is live at the end, or with BENCH_HEAP_ALL=1 of
 * everything allocated; see docs/benchmark.md).
 * Exit code: 0, or 1 on a crash, or when a node run lost an id (an id without exactly one
 * output item, reported delinked but still linked in the sandbox, or not removed exactly
 * once by the sandbox) or failed.
 */
const { execFile, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('../test/e2e/n8n-harness');
const zw = require('../test/e2e/zoho-workflows');
const { startZohoSandbox } = require('../test/zoho-sandbox');
const { serverRun } = require('./bench-server');

const LATENCY_MS = 80;
const ZOHO_CONCURRENCY = 10;
/** Max Concurrent Calls of every node run: Zoho's limit in the bench. */
const MCC = ZOHO_CONCURRENCY;
const BATCH = 100;
const N_BIG = 10_000;
const N_ITEMS = 1_000;
const N_CAMPAIGNS = 10;
const N_HUGE = 100_000;
const RUN_TIMEOUT_MS = 15 * 60_000;
const CREDENTIAL = { id: 'benchZohoCred', name: 'Zoho CRM sandbox' };
const ZOHO = 'Zoho CRM';
const HTTP = 'HTTP Request';
const DEFAULT_BASE_REF = '0eb5e2c';
const NOW = 'current';
const PROFILE_PRELOAD = path.join(__dirname, 'bench-profile-preload.js');
/** BENCH_HEAP_ALL=1 (with BENCH_PROFILE): heap profiles of everything allocated, not only what is live. */
const HEAP_ALL = process.env.BENCH_HEAP_ALL === '1';

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

function serverRounds() {
	const raw = process.env.BENCH_SERVER_ROUNDS || '2';
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0 || n > 10)
		throw new BenchError(`BENCH_SERVER_ROUNDS must be a whole number from 0 to 10, got "${raw}"`);
	return n;
}

function pacedMs() {
	const raw = process.env.BENCH_HTTP_PACED_MS || '0';
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0)
		throw new BenchError(`BENCH_HTTP_PACED_MS must be a whole number of ms, got "${raw}"`);
	return n;
}

// ---------------------------------------------------------------------------------------
// the comparison package: the repository at BENCH_BASE_REF, built in a temp clone
// ---------------------------------------------------------------------------------------

/**
 * Runs a tool to completion (output kept for the error message).
 * @param {string} cmd @param {string[]} args @param {string} cwd
 */
function tool(cmd, args, cwd) {
	return new Promise((resolve, reject) => {
		execFile(
			cmd,
			args,
			{ cwd, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 },
			(error, stdout, stderr) => {
				if (error)
					reject(
						new BenchError(
							`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${error.message}\n${String(stdout).slice(-2000)}${String(stderr).slice(-2000)}`,
						),
					);
				else resolve(stdout);
			},
		);
	});
}

/**
 * The tarball of the package at `ref`: `git clone` of this repository into a temp folder
 * (the repository itself is only read), checkout, `npm run build` with this repository's
 * node_modules (linked when the lock file is the same, else `npm ci`), `npm pack`.
 * @param {string} ref
 */
async function baseTarball(ref) {
	if (process.env.BENCH_BASE_TARBALL) return path.resolve(process.env.BENCH_BASE_TARBALL);
	const dir = await h.makeTempDir('bench-base');
	const src = path.join(dir, 'repo');
	await tool('git', ['clone', '--quiet', '--no-hardlinks', h.REPO_DIR, src], dir);
	await tool('git', ['-c', 'advice.detachedHead=false', 'checkout', '--quiet', ref], src);
	const lock = (/** @type {string} */ d) =>
		fs.readFileSync(path.join(d, 'package-lock.json'), 'utf8');
	if (lock(src) === lock(h.REPO_DIR))
		fs.symlinkSync(path.join(h.REPO_DIR, 'node_modules'), path.join(src, 'node_modules'), 'dir');
	else await tool('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], src);
	await tool('npm', ['run', 'build'], src);
	return await h.packPackage(src);
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
 * @param {h.Ctx} ctx @param {string} id @param {Record<string, string>} [extraEnv]
 */
async function execute(ctx, id, extraEnv = {}) {
	outDir ??= await h.makeTempDir('bench-out');
	const outFile = path.join(outDir, `${id}.stdout`);
	const errFile = path.join(outDir, `${id}.stderr`);
	const env = {
		...ctx.env,
		N8N_PORT: String(await h.freePort()),
		N8N_RUNNERS_BROKER_PORT: String(await h.freePort()),
		...extraEnv,
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

/** A Set node with one array field `rows` of `{ campaignId, id }`. @param {readonly Pair[]} rows */
function setRows(rows) {
	return {
		name: 'Rows',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: {
			assignments: {
				assignments: [{ id: 'a1', name: 'rows', value: JSON.stringify(rows), type: 'array' }],
			},
			options: {},
		},
	};
}

/** One item `{ campaignId, id }` per row. */
const SPLIT_ROWS = {
	name: 'One item per row',
	type: 'n8n-nodes-base.splitOut',
	typeVersion: 1,
	parameters: { fieldToSplitOut: 'rows', include: 'noOtherFields', options: {} },
};

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
 * Start → Rows → Split Out → Zoho node with Record ID `{{ $json.campaignId }}` and Related
 * Record IDs `{{ $json.id }}`: one item per row, each naming its own campaign.
 * @param {{ id: string, rows: readonly Pair[], options: Record<string, unknown> }} o
 */
function zohoRowsWorkflow(o) {
	return zw.delinkWorkflow({
		id: o.id,
		name: ZOHO,
		credential: CREDENTIAL,
		before: [setRows(o.rows), SPLIT_ROWS],
		parameters: {
			module: 'Campaigns',
			relatedList: 'Contacts',
			recordId: zw.byId('={{ $json.campaignId }}'),
			relatedRecordIds: '={{ $json.id }}',
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
 * @typedef {{ campaignId: string, id: string }} Pair
 * @typedef {{
 *   label: string, pkg: string, mcc: string, ok: boolean, error: string | undefined,
 *   calls: number, rejected429: number, maxInFlight: number, wallMs: number | undefined,
 *   nodeMs: number | undefined, nodeStartedAt: number | undefined, processMs: number,
 *   peakRssKb: number | undefined, delinked: number, failed: number, stillLinked: number,
 *   removed: number, notFound: number, missing: number, duplicated: number, extra: number,
 *   falseSuccess: number, items: number, failCodes: Map<string, number>, statuses: string,
 *   checked: boolean, target: string
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

/** @param {string} campaignId @param {readonly string[]} ids @returns {Pair[]} */
const pairsOf = (campaignId, ids) => ids.map((id) => ({ campaignId, id }));

/**
 * @typedef {{ label: string, pkg?: string, wfId: string, nodeName: string | undefined, pairs?: readonly Pair[], zohoItems?: boolean, env?: Record<string, string> }} RunSpec
 * @typedef {{
 *   ok: boolean, error: string | undefined, task: any, items: () => any[],
 *   processMs: number, peakRssKb: number | undefined
 * }} RunOutcome what one run of a workflow came to, however it was run
 */

/**
 * Runs one workflow with `n8n execute` and measures it against the sandbox. With
 * `zohoItems`, every pair must have exactly one output item, every success must be unlinked
 * in the sandbox, and the sandbox must have removed each pair's relation exactly once
 * (`checked`).
 * @param {h.Ctx} ctx @param {import('../test/zoho-sandbox').ZohoSandbox} sb @param {RunSpec} o
 * @returns {Promise<Result>}
 */
async function measure(ctx, sb, o) {
	sb.resetStats();
	sb.clearRequests();
	progress(`${o.label} [${o.pkg ?? NOW}]: running…`);
	const r = await execute(ctx, o.wfId, o.env);
	return summarize(sb, o, {
		ok: r.ok,
		error: r.ok
			? undefined
			: (r.error?.message ??
				(r.timedOut
					? 'timed out'
					: `exit code ${r.exitCode}: ${r.stderr.split('\n').slice(-5).join(' | ')}`)),
		task: o.nodeName ? h.nodeRuns(r.output, o.nodeName)[0] : undefined,
		items: () => (o.nodeName ? h.nodeItems(r.output, o.nodeName).map((i) => i.json) : []),
		processMs: r.durationMs,
		peakRssKb: r.peakRssKb,
	});
}

/**
 * A run's figures: the sandbox's counters and request log since the run started, the run's
 * outcome, and (with `zohoItems`) the check of its output items.
 * @param {import('../test/zoho-sandbox').ZohoSandbox} sb @param {RunSpec} o @param {RunOutcome} r
 * @returns {Result}
 */
function summarize(sb, o, r) {
	const pkg = o.pkg ?? NOW;
	const stats = sb.stats;
	const api = sb.requests.filter((q) => q.kind === 'api');
	let first = Infinity;
	let last = -Infinity;
	for (const q of api) {
		first = Math.min(first, q.startedAt);
		last = Math.max(last, q.endedAt ?? q.startedAt);
	}
	const task = r.task;
	const pairs = o.pairs ?? [];
	const stillLinked = pairs.filter((p) =>
		sb.isLinked('Campaigns', p.campaignId, 'Contacts', p.id),
	).length;
	/** @type {Result} */
	const res = {
		label: o.label,
		pkg: o.nodeName === ZOHO ? pkg : '-',
		mcc: o.nodeName === ZOHO ? String(MCC) : '-',
		ok: r.ok,
		error: r.error,
		calls: stats.apiRequests,
		rejected429: stats.rejected429,
		maxInFlight: stats.maxInFlight,
		wallMs: api.length ? last - first : undefined,
		nodeMs: typeof task?.executionTime === 'number' ? task.executionTime : undefined,
		nodeStartedAt: typeof task?.startTime === 'number' ? task.startTime : undefined,
		processMs: r.processMs,
		peakRssKb: r.peakRssKb,
		delinked: pairs.length - stillLinked,
		failed: stillLinked,
		stillLinked,
		removed: stats.relationsRemoved,
		notFound: stats.relationsNotFound + stats.invalidRelatedIds,
		missing: 0,
		duplicated: 0,
		extra: 0,
		falseSuccess: 0,
		items: 0,
		failCodes: new Map(),
		statuses: statusCounts(api),
		checked: false,
		target: '',
	};
	if (o.zohoItems && o.nodeName) checkItems(res, r.items(), pairs, sb);
	progress(
		`${o.label} [${pkg}]: ${r.ok ? 'ok' : `FAILED (${res.error})`}, ${res.calls} calls, ${res.rejected429} × 429, ` +
			`max in flight ${res.maxInFlight}, ${fmtMs(res.wallMs)} at the sandbox, node ${fmtMs(res.nodeMs)}, ` +
			`n8n process ${fmtMs(res.processMs)}, peak RSS ${fmtMb(res.peakRssKb)}`,
	);
	return res;
}

/**
 * Checks a Zoho node run's output items against the pairs it was asked: one item per pair,
 * every success really unlinked in the sandbox; fills `res` (items, delinked, failed,
 * missing, duplicated, extra, falseSuccess, failCodes, checked).
 * @param {Result} res @param {any[]} items the items' json
 * @param {readonly Pair[]} pairs @param {import('../test/zoho-sandbox').ZohoSandbox} sb
 */
function checkItems(res, items, pairs, sb) {
	res.items = items.length;
	/** @param {string} campaignId @param {string} id */
	const key = (campaignId, id) => `${campaignId}|${id}`;
	const wanted = new Set(pairs.map((p) => key(p.campaignId, p.id)));
	/** @type {Map<string, number>} */
	const seen = new Map();
	let ok = 0;
	for (const it of items) {
		const k = key(String(it.recordId), String(it.relatedRecordId));
		seen.set(k, (seen.get(k) ?? 0) + 1);
		if (!wanted.has(k)) res.extra++;
		if (it.status === 'success') {
			ok++;
			if (sb.isLinked('Campaigns', String(it.recordId), 'Contacts', String(it.relatedRecordId)))
				res.falseSuccess++;
		} else {
			const fk = `${it.code}: ${it.message}`;
			res.failCodes.set(fk, (res.failCodes.get(fk) ?? 0) + 1);
		}
	}
	for (const k of wanted) {
		const n = seen.get(k) ?? 0;
		if (n === 0) res.missing++;
		else if (n > 1) res.duplicated++;
	}
	res.delinked = ok;
	res.failed = items.length - ok;
	res.checked = true;
}

/**
 * Every id delinked exactly once: one output item per id, all successes really unlinked,
 * nothing still linked, and the sandbox removed each relation once (no second DELETE of an
 * id: it would answer "relation not found").
 * @param {Result} r @param {number} n ids asked
 */
function exactlyOnce(r, n) {
	return (
		r.ok &&
		r.checked &&
		r.items === n &&
		r.missing === 0 &&
		r.duplicated === 0 &&
		r.extra === 0 &&
		r.falseSuccess === 0 &&
		r.stillLinked === 0 &&
		r.removed === n &&
		r.notFound === 0
	);
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
	return x >= 10 ? `${Math.round(x)}x` : x >= 1.995 ? `${x.toFixed(1)}x` : `${x.toFixed(2)}x`;
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
				c === 0 || c === cells.length - 1
					? (cell ?? '').padEnd(widths[c])
					: (cell ?? '').padStart(widths[c]),
			)
			.join('   ')
			.trimEnd();
	return [line(header), ...rows.map(line)].join('\n');
}

const HEADER = [
	'scenario',
	'package',
	'max conc.',
	'API calls',
	'429s',
	'max in flight',
	'wall time',
	'node time',
	'delinked',
	'failed',
	'n8n peak RSS',
	'target',
];

/** @param {Result} r */
function row(r) {
	return [
		r.label,
		r.pkg,
		r.mcc,
		String(r.calls),
		String(r.rejected429),
		String(r.maxInFlight),
		fmtMs(r.wallMs),
		fmtMs(r.nodeMs),
		String(r.delinked),
		String(r.failed),
		fmtMb(r.peakRssKb),
		r.target,
	];
}

/** A ratio row: current / base. @param {Result} now @param {Result} base */
function ratioRow(now, base) {
	const blank = ['', '', ''];
	return [
		`  ratio (${NOW} / ${base.pkg})`,
		'',
		'',
		fmtRatio(now.calls / base.calls),
		'',
		'',
		fmtRatio((now.wallMs ?? NaN) / (base.wallMs ?? NaN)),
		fmtRatio((now.nodeMs ?? NaN) / (base.nodeMs ?? NaN)),
		...blank,
		'',
	];
}

/**
 * One target: its parts, each "what ≤ limit (met)"; the row's text and whether all are met.
 * @param {Array<[string, boolean]>} parts
 */
function verdict(parts) {
	const met = parts.every(([, ok]) => ok);
	return {
		met,
		text: `${met ? 'met' : 'NOT met'}: ${parts.map(([t, ok]) => `${t}${ok ? '' : ' (NOT met)'}`).join('; ')}`,
	};
}

// ---------------------------------------------------------------------------------------
// profiling (BENCH_PROFILE=<dir>)
// ---------------------------------------------------------------------------------------

/**
 * Where a profile frame's code lives: this package's files by name, n8n-core files by
 * name, other packages by package name, Node's own modules, V8's pseudo-frames.
 * @param {{ functionName: string, url: string }} frame
 */
function frameCategory(frame) {
	const { url, functionName } = frame;
	if (!url) {
		if (/^\((garbage collector|idle|program|root)\)$/.test(functionName)) return functionName;
		return `(native) ${functionName || 'anonymous'}`;
	}
	if (url.endsWith('/bench-profile-preload.js'))
		return '(native) JSON.stringify (through the profile hook)';
	const own = /\/n8n-nodes-zoho-crm-related-records\/dist\/(.*)$/.exec(url);
	if (own) return `this node: ${own[1].replace(/^nodes\/ZohoCrmRelatedRecords\//, '')}`;
	const at = url.lastIndexOf('/node_modules/');
	if (at >= 0) {
		const rest = url.slice(at + '/node_modules/'.length).split('/');
		const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
		if (name === 'n8n-core') return `n8n-core: ${rest.slice(rest.indexOf('dist') + 1).join('/')}`;
		if (name === 'n8n') return `n8n: ${rest.slice(rest.indexOf('dist') + 1).join('/')}`;
		return name;
	}
	if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`;
	return url.replace(/^file:\/\//, '');
}

const OWN = 'this node (its dist files)';
const REQUEST = "n8n's request path";
const CREDENTIAL_READ = "n8n's request path: credential read per call (DB + decrypt)";

/**
 * What a frame is for the split the brief asks about, or undefined to look further up the
 * stack: the frames of n8n's request path (the routing engine's makeRoutingRequest, n8n-core's
 * OAuth2 request helpers and the credential read inside them, axios, follow-redirects,
 * Node's http/net), and this package's own files.
 * @param {{ functionName: string, url: string }} frame
 */
function frameGroup(frame) {
	const c = frameCategory(frame);
	if (c.startsWith('this node:')) return OWN;
	if (
		/^n8n: credentials-helper/.test(c) ||
		/^(@n8n\/typeorm|sqlite3|typeorm)$/.test(c) ||
		/^n8n-core: .*credentials/.test(c) ||
		(c.startsWith('n8n-core:') && /[Cc]redentials/.test(frame.functionName))
	)
		return CREDENTIAL_READ;
	if (
		/^n8n-core: execution-engine\/(node-execution-context\/utils\/request-helper|routing-node)/.test(
			c,
		) ||
		/^(axios|follow-redirects|form-data|proxy-from-env|combined-stream|qs|@n8n\/client-oauth2|client-oauth2)$/.test(
			c,
		) ||
		/^node: (_http|http|https|net|dns|zlib)/.test(c) ||
		/^\(native\) (connect|writev|writeBuffer|writeUtf8String|shutdown)$/.test(c)
	)
		return REQUEST;
	return undefined;
}

/**
 * CPU time inside [fromUs, toUs] (profile clock) of a .cpuprofile: by group (each sample goes
 * to the innermost frame of its stack that is this package's or n8n's request path; else GC,
 * idle, V8/native, or "other") and by file/package of the sample's own frame (self time).
 * @param {any} profile @param {number} fromUs @param {number} toUs
 */
function cpuTimes(profile, fromUs, toUs) {
	/** @type {Map<number, any>} */
	const nodes = new Map();
	/** @type {Map<number, number>} */
	const parent = new Map();
	for (const n of profile.nodes) {
		nodes.set(n.id, n);
		for (const child of n.children ?? []) parent.set(child, n.id);
	}
	/** @type {Map<number, string | null>} */
	const innermost = new Map();
	/** The group of the innermost frame of the stack that has one, or null. @param {number} id @returns {string | null} */
	const groupUp = (id) => {
		const known = innermost.get(id);
		if (known !== undefined) return known;
		const up = parent.get(id);
		const g = frameGroup(nodes.get(id).callFrame) ?? (up === undefined ? null : groupUp(up));
		innermost.set(id, g);
		return g;
	};
	/** @param {number} id */
	const group = (id) => {
		const g = groupUp(id);
		if (g) return g;
		const { functionName, url } = nodes.get(id).callFrame;
		if (functionName === '(garbage collector)') return 'garbage collector';
		if (functionName === '(idle)') return 'idle';
		if (functionName === '(program)' || !url) return 'V8/native (program, builtins)';
		return 'other (n8n engine, n8n-workflow, logging, …)';
	};
	/** @type {Map<string, number>} */
	const byGroup = new Map();
	/** @type {Map<string, number>} */
	const byFile = new Map();
	let t = profile.startTime;
	for (let i = 0; i < profile.samples.length; i++) {
		t += profile.timeDeltas[i];
		const dt = profile.timeDeltas[i + 1] ?? 0;
		if (t < fromUs || t > toUs) continue;
		const id = profile.samples[i];
		const g = group(id);
		byGroup.set(g, (byGroup.get(g) ?? 0) + dt);
		const c = frameCategory(nodes.get(id).callFrame);
		byFile.set(c, (byFile.get(c) ?? 0) + dt);
	}
	return { byGroup, byFile };
}

/**
 * Sampled bytes (live after a full GC; with BENCH_HEAP_ALL=1 everything allocated) by
 * allocating function, by the code that allocated, and by the innermost frame of this node.
 * @param {any} profile a HeapProfiler.SamplingHeapProfile
 */
function heapLiveBytes(profile) {
	/** @type {Map<string, number>} */
	const byFunction = new Map();
	/** @type {Map<string, number>} */
	const byOwnFrame = new Map();
	/** By the code that allocated, a native function counted with the JS code that called it. @type {Map<string, number>} */
	const byCode = new Map();
	/** @param {any} node @param {string | undefined} ownFrame @param {string} caller */
	const walk = (node, ownFrame, caller) => {
		const c = frameCategory(node.callFrame);
		const own = c.startsWith('this node:')
			? `${node.callFrame.functionName || 'anonymous'} (${c.slice(11)}:${node.callFrame.lineNumber + 1})`
			: ownFrame;
		const code = node.callFrame.url ? (c.startsWith('this node:') ? 'this node' : c) : caller;
		if (node.selfSize) {
			byCode.set(code, (byCode.get(code) ?? 0) + node.selfSize);
			const f = `${node.callFrame.functionName || 'anonymous'} [${c}]`;
			byFunction.set(f, (byFunction.get(f) ?? 0) + node.selfSize);
			if (own) byOwnFrame.set(own, (byOwnFrame.get(own) ?? 0) + node.selfSize);
		}
		for (const child of node.children ?? []) walk(child, own, code);
	};
	walk(profile.head, undefined, '(V8/native, no JS caller)');
	return { byFunction, byOwnFrame, byCode };
}

/** @param {Map<string, number>} map @param {number} n */
const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
/** @param {number} bytes */
const mib = (bytes) => `${Math.round(bytes / 1048576)} MB`;

/**
 * BENCH_PROFILE=<dir>: this package's 10k (latency 80) and 100k (latency 0) runs, and the
 * 100k baselines, each with a CPU profile, a sampling heap profile of what is live when the
 * run is over (after a full GC, before n8n prints the run data) and an RSS timeline (see
 * bench-profile-preload.js). Prints CPU time by group and file inside the node's run (per
 * call), where the peak RSS happens, and live bytes by allocating code.
 * @param {h.Ctx} ctx @param {import('../test/zoho-sandbox').ZohoSandbox} sb @param {string} dir
 * @param {{ big: Pair[], huge: Pair[] }} seeds
 */
async function profileRuns(ctx, sb, dir, seeds) {
	fs.mkdirSync(dir, { recursive: true });
	/** @param {string} name */
	const envFor = (name) => {
		for (const ext of ['cpuprofile', 'heapprofile', 'json'])
			fs.rmSync(path.join(dir, `${name}.${ext}`), { force: true });
		return {
			NODE_OPTIONS: `${ctx.env.NODE_OPTIONS} --require ${JSON.stringify(PROFILE_PRELOAD)}`,
			BENCH_PROFILE_OUT: path.join(dir, name),
		};
	};
	/** @type {Array<{ name: string, r: Result, ids: number }>} */
	const runs = [];
	sb.setFaults({ latencyMs: LATENCY_MS });
	const r10 = await measure(ctx, sb, {
		label: `profile: ${N_BIG.toLocaleString('en')} ids in 1 item`,
		wfId: 'benchNode10k',
		nodeName: ZOHO,
		pairs: seeds.big,
		zohoItems: true,
		env: envFor('node10k'),
	});
	runs.push({ name: 'node10k', r: r10, ids: N_BIG });
	sb.setFaults({ latencyMs: 0 });
	for (const [name, wfId] of [
		['input100k', 'benchInput100k'],
		['split100k', 'benchSplit100k'],
	]) {
		const r = await measure(ctx, sb, {
			label: `profile: ${name}`,
			wfId,
			nodeName: undefined,
			env: envFor(name),
		});
		runs.push({ name, r, ids: 0 });
	}
	const r100 = await measure(ctx, sb, {
		label: `profile: ${N_HUGE.toLocaleString('en')} ids in 1 item (latency 0)`,
		wfId: 'benchNode100k',
		nodeName: ZOHO,
		pairs: seeds.huge,
		zohoItems: true,
		env: envFor('node100k'),
	});
	runs.push({ name: 'node100k', r: r100, ids: N_HUGE });

	say('');
	say(
		`Profiles in ${dir} (n8n ${ctx.n8n.version} on Node ${ctx.n8n.nodeVersion}; CPU profile at 500 µs and sampling heap profile through the inspector, ` +
			'RSS every 10 ms from a worker thread: bench-profile-preload.js; "live" = after a full GC when the run is over, before n8n prints the run data)',
	);
	/** @type {Map<string, any>} */
	const infos = new Map();
	for (const { name, r, ids } of runs) {
		const infoFile = path.join(dir, `${name}.json`);
		const info = fs.existsSync(infoFile)
			? JSON.parse(fs.readFileSync(infoFile, 'utf8'))
			: undefined;
		infos.set(name, info);
		say('');
		say(
			`== ${name}: ${r.ok ? 'ok' : 'FAILED'}, ${r.calls} calls, node time ${fmtMs(r.nodeMs)}, peak RSS ${fmtMb(r.peakRssKb)}` +
				(info?.after
					? `; when the run is over: heap used ${mib(info.before.heapUsed)}, ${mib(info.after.heapUsed)} after a full GC, rss ${mib(info.before.rss)}`
					: ''),
		);
		if (!info) continue;
		/** @type {number[][]} */
		const rss = info.rss ?? [];
		const start = r.nodeStartedAt ?? info.at;
		const end =
			r.nodeStartedAt !== undefined && r.nodeMs !== undefined
				? r.nodeStartedAt + r.nodeMs
				: info.at;
		/** @param {(t: number) => boolean} when */
		const peak = (when) => Math.max(0, ...rss.filter((s) => when(s[0])).map((s) => s[1]));
		const phases = [
			['n8n start-up and the nodes before', peak((t) => t < start)],
			...(r.nodeStartedAt !== undefined
				? [['this node', peak((t) => t >= start && t <= end)]]
				: []),
			[
				'after the node: n8n finishing the execution (saving it)',
				peak((t) => t > end && t <= info.at),
			],
			['n8n printing the run data', peak((t) => t > info.at)],
		];
		say(
			`peak RSS by phase (${rss.length} samples): ${phases.map(([p, b]) => `${p} ${mib(Number(b))}`).join('; ')}.`,
		);
		const cpuFile = path.join(dir, `${name}.cpuprofile`);
		if (ids && fs.existsSync(cpuFile) && r.nodeStartedAt !== undefined && r.nodeMs !== undefined) {
			const profile = JSON.parse(fs.readFileSync(cpuFile, 'utf8'));
			// profile clock (µs, monotonic) = epoch ms mapped through the preload's reading of both
			const toUs = (/** @type {number} */ epochMs) =>
				info.clock.monoUs + (epochMs - info.clock.epochMs) * 1000;
			const { byGroup, byFile } = cpuTimes(profile, toUs(r.nodeStartedAt), toUs(end));
			let busy = 0;
			for (const [g, us] of byGroup) if (g !== 'idle') busy += us;
			const calls = r.calls;
			say(
				`CPU inside the node's run (${fmtMs(r.nodeMs)}): ${(busy / 1000).toFixed(0)} ms busy, ${(busy / 1000 / calls).toFixed(2)} ms per call (${calls} calls), ` +
					`idle ${((byGroup.get('idle') ?? 0) / 1000).toFixed(0)} ms (profile clock check: the profile starts ${((profile.startTime - info.clock.monoUs) / 1000).toFixed(1)} ms after the preload read the clocks)`,
			);
			say(
				table(
					[
						'group (innermost frame that is this node or the request path)',
						'CPU ms',
						'share of busy',
						'per call',
					],
					top(byGroup, 20)
						.filter(([g]) => g !== 'idle')
						.map(([g, us]) => [
							g,
							(us / 1000).toFixed(0),
							`${((100 * us) / busy).toFixed(0)}%`,
							`${(us / 1000 / calls).toFixed(2)} ms`,
						]),
				),
			);
			say('top files/packages by self time:');
			say(
				table(
					['file / package', 'self ms', 'share of busy'],
					top(byFile, 16)
						.filter(([c]) => c !== '(idle)')
						.map(([c, us]) => [c, (us / 1000).toFixed(0), `${((100 * us) / busy).toFixed(1)}%`]),
				),
			);
		}
		const heapFile = path.join(dir, `${name}.heapprofile`);
		if (ids && fs.existsSync(heapFile)) {
			const live = heapLiveBytes(JSON.parse(fs.readFileSync(heapFile, 'utf8')));
			const total = [...live.byCode.values()].reduce((x, y) => x + y, 0);
			const what = HEAP_ALL ? 'allocated MB' : 'live MB';
			say(
				HEAP_ALL
					? `allocated by the process until the run was over, collected objects included (sampled, BENCH_HEAP_ALL=1): ${mib(total)}; by allocating function:`
					: `live when the run is over (sampled): ${mib(total)}; by allocating function:`,
			);
			say(
				table(
					['function [file / package]', what, 'bytes per id'],
					top(live.byFunction, 10).map(([c, b]) => [
						c,
						(b / 1048576).toFixed(1),
						(b / ids).toFixed(0),
					]),
				),
			);
			say(
				'by the code that allocated (this node = all its files; a native function counted with the code that called it):',
			);
			say(
				table(
					['code', what, 'bytes per id'],
					top(live.byCode, 8).map(([c, b]) => [c, (b / 1048576).toFixed(1), (b / ids).toFixed(0)]),
				),
			);
			say('allocated under a frame of this node (innermost own frame):');
			say(
				table(
					['own frame', what, 'bytes per id'],
					top(live.byOwnFrame, 8).map(([c, b]) => [
						c,
						(b / 1048576).toFixed(1),
						(b / ids).toFixed(0),
					]),
				),
			);
		}
	}
	const used = (/** @type {string} */ n) => infos.get(n)?.after?.heapUsed;
	if (used('node100k') && used('input100k') && used('split100k')) {
		say('');
		say(
			`Heap used when the run is over, after a full GC: ${mib(used('node100k'))} with this node (100k ids), ${mib(used('input100k'))} the same input without it, ` +
				`${mib(used('split100k'))} that input split into 100k plain items: ${Math.round((used('node100k') - used('input100k')) / N_HUGE)} bytes per output item of this node, ` +
				`${Math.round((used('split100k') - used('input100k')) / N_HUGE)} per plain n8n item ({ id }).`,
		);
	}
	const lost = [
		[r10, N_BIG],
		[r100, N_HUGE],
	].filter(([r, n]) => !exactlyOnce(/** @type {Result} */ (r), /** @type {number} */ (n)));
	if (lost.length) throw new BenchError('ids lost in a profiled run');
}

// ---------------------------------------------------------------------------------------

/** The 1-minute load average, e.g. "3.52". */
const load = () => os.loadavg()[0].toFixed(2);

async function main() {
	const started = Date.now();
	const loadAtStart = load();
	const line = benchLine();
	const paced = pacedMs();
	const profileDir = process.env.BENCH_PROFILE
		? path.resolve(process.env.BENCH_PROFILE)
		: undefined;
	const baseRef = process.env.BENCH_BASE_REF || DEFAULT_BASE_REF;
	const command = `${process.env.BENCH_N8N_LINE ? `BENCH_N8N_LINE=${process.env.BENCH_N8N_LINE} ` : ''}node scripts/bench.js`;
	const n8n = await h.ensureN8n(line);
	progress(`n8n ${n8n.version} on Node ${n8n.nodeVersion}: packing and installing this package…`);
	const tarball = process.env.BENCH_TARBALL
		? path.resolve(process.env.BENCH_TARBALL)
		: await h.packPackage();
	const ctx = await h.createUserFolder({ line, tarball });
	let ctxBase;
	let baseTgz = '';
	const BASE = process.env.BENCH_BASE_TARBALL ? 'base tarball' : baseRef;
	if (!profileDir) {
		progress(`building and installing the package at ${BASE} (clone in a temp folder)…`);
		baseTgz = await baseTarball(baseRef);
		ctxBase = await h.createUserFolder({ line, tarball: baseTgz });
	}
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
		const token = sb.issueTokens().access_token;
		const nodeOptions = { maxConcurrentCalls: MCC };

		/**
		 * The node scenarios' campaigns and workflows for one package (each its own campaigns).
		 * @param {string} tag
		 */
		const nodeScenarios = (tag) => {
			const one = seedCampaign(sb, `Bench ${tag}: 1k items, one campaign`, few);
			/** @type {Pair[]} */
			const ten = [];
			const tenCampaigns = Array.from({ length: N_CAMPAIGNS }, (_, c) =>
				seedCampaign(
					sb,
					`Bench ${tag}: 1k items over 10 campaigns, #${c + 1}`,
					few.filter((_, i) => i % N_CAMPAIGNS === c),
				),
			);
			few.forEach((id, i) => ten.push({ campaignId: tenCampaigns[i % N_CAMPAIGNS], id }));
			const each = few.map((id, i) => ({
				campaignId: seedCampaign(sb, `Bench ${tag}: 1k items, campaign #${i + 1}`, [id]),
				id,
			}));
			const s = {
				big: pairsOf(seedCampaign(sb, `Bench ${tag}: 10k`, big), big),
				one: pairsOf(one, few),
				ten,
				each,
				huge: pairsOf(seedCampaign(sb, `Bench ${tag}: 100k`, contacts), contacts),
			};
			const wfs = [
				zohoWorkflow({
					id: 'benchNode10k',
					campaignId: s.big[0].campaignId,
					ids: big,
					perItem: false,
					options: nodeOptions,
				}),
				zohoWorkflow({
					id: 'benchItems1k',
					campaignId: one,
					ids: few,
					perItem: true,
					options: nodeOptions,
				}),
				zohoRowsWorkflow({ id: 'benchTen1k', rows: ten, options: nodeOptions }),
				zohoRowsWorkflow({ id: 'benchEach1k', rows: each, options: nodeOptions }),
				zohoWorkflow({
					id: 'benchNode100k',
					campaignId: s.huge[0].campaignId,
					ids: contacts,
					perItem: false,
					options: nodeOptions,
				}),
			];
			return { s, wfs };
		};

		const now = nodeScenarios(NOW);
		const http = seedCampaign(sb, 'Bench: HTTP Request, 10k', big);
		const pacedCampaign = paced > 0 ? seedCampaign(sb, 'Bench: HTTP Request paced, 10k', big) : '';
		await h.importCredentials(ctx, [zw.sandboxCredential(sb, CREDENTIAL)]);
		await h.importWorkflow(ctx, [
			...now.wfs,
			httpWorkflow({
				id: 'benchHttp10k',
				url: sb.url,
				token,
				campaignId: http,
				ids: big,
				batchInterval: 0,
			}),
			...(paced > 0
				? [
						httpWorkflow({
							id: 'benchHttpPaced',
							url: sb.url,
							token,
							campaignId: pacedCampaign,
							ids: big,
							batchInterval: paced,
						}),
					]
				: []),
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
		]);
		if (profileDir) {
			await profileRuns(ctx, sb, profileDir, { big: now.s.big, huge: now.s.huge });
			say(`Total run time ${Math.round((Date.now() - started) / 1000)} s.`);
			return;
		}
		const base = nodeScenarios(BASE);
		const cBase = /** @type {h.Ctx} */ (ctxBase);
		await h.importCredentials(cBase, [zw.sandboxCredential(sb, CREDENTIAL)]);
		await h.importWorkflow(cBase, base.wfs);

		/**
		 * The same scenario with the comparison package, then with this one.
		 * @param {string} label @param {string} wfId @param {'big' | 'one' | 'ten' | 'each' | 'huge'} seed
		 */
		const pair = async (label, wfId, seed) => {
			const old = await measure(cBase, sb, {
				label,
				pkg: BASE,
				wfId,
				nodeName: ZOHO,
				pairs: base.s[seed],
				zohoItems: true,
			});
			const cur = await measure(ctx, sb, {
				label,
				wfId,
				nodeName: ZOHO,
				pairs: now.s[seed],
				zohoItems: true,
			});
			return { old, cur };
		};

		// 1. 10,000 ids from one record
		const a = await pair(`${N_BIG.toLocaleString('en')} ids in 1 item`, 'benchNode10k', 'big');
		const b = await measure(ctx, sb, {
			label: `${N_BIG.toLocaleString('en')} ids, HTTP Request (1 call per id)`,
			wfId: 'benchHttp10k',
			nodeName: HTTP,
			pairs: pairsOf(http, big),
		});
		const bp =
			paced > 0
				? await measure(ctx, sb, {
						label: `${N_BIG.toLocaleString('en')} ids, HTTP Request paced ${paced} ms`,
						wfId: 'benchHttpPaced',
						nodeName: HTTP,
						pairs: pairsOf(pacedCampaign, big),
					})
				: undefined;
		// 2. 1,000 items of one id
		const one = await pair(
			`${N_ITEMS.toLocaleString('en')} items x 1 id, one campaign`,
			'benchItems1k',
			'one',
		);
		const ten = await pair(
			`${N_ITEMS.toLocaleString('en')} items x 1 id, ${N_CAMPAIGNS} campaigns (${N_ITEMS / N_CAMPAIGNS} each)`,
			'benchTen1k',
			'ten',
		);
		const each = await pair(
			`${N_ITEMS.toLocaleString('en')} items x 1 id, each a different campaign`,
			'benchEach1k',
			'each',
		);
		// 3. memory, latency 0
		sb.setFaults({ latencyMs: 0 });
		const trivial = await measure(ctx, sb, {
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
		const d = await pair(
			`${N_HUGE.toLocaleString('en')} ids in 1 item (latency 0)`,
			'benchNode100k',
			'huge',
		);

		// 4. the same 100k memory figures in a running n8n (production webhook), each run in a
		// fresh `n8n start`: no printing of the run data (see scripts/bench-server.js)
		const rounds = serverRounds();
		const credentials = [zw.sandboxCredential(sb, CREDENTIAL)];
		/**
		 * @param {string} label @param {any} workflow
		 * @param {{ pkg?: string, tarball: string, pairs?: readonly Pair[] }} o
		 */
		const inServer = async (label, workflow, o) => {
			const zoho = o.pairs !== undefined;
			const spec = {
				label,
				pkg: o.pkg,
				wfId: workflow.id,
				nodeName: zoho ? ZOHO : undefined,
				pairs: o.pairs,
				zohoItems: zoho,
			};
			progress(`${label} [${o.pkg ?? NOW}] in a running n8n: starting it…`);
			const r = await serverRun({
				line,
				tarball: o.tarball,
				credentials,
				workflow,
				timeoutMs: RUN_TIMEOUT_MS,
				beforeTrigger: () => {
					sb.resetStats();
					sb.clearRequests();
				},
			});
			const res = summarize(sb, spec, {
				ok: r.ok,
				error: r.error,
				task: zoho ? h.nodeRuns(r.output, ZOHO)[0] : undefined,
				items: () => (zoho ? h.nodeItems(r.output, ZOHO).map((i) => i.json) : []),
				processMs: r.executionMs ?? NaN,
				peakRssKb: r.peakRssKb,
			});
			return { ...res, idleRssKb: r.idleRssKb };
		};
		/** @param {string} pkg @param {string} tarball @param {number} round */
		const hugeInServer = (pkg, tarball, round) => {
			const campaignId = seedCampaign(
				sb,
				`Bench ${pkg}: 100k in a running n8n, round ${round}`,
				contacts,
			);
			return inServer(
				`${N_HUGE.toLocaleString('en')} ids in 1 item, running n8n, round ${round}`,
				zohoWorkflow({
					id: 'srvNode100k',
					campaignId,
					ids: contacts,
					perItem: false,
					options: nodeOptions,
				}),
				{ pkg, tarball, pairs: pairsOf(campaignId, contacts) },
			);
		};
		/** @type {Array<{ input: any, split: any, old: any, cur: any }>} */
		const served = [];
		for (let round = 1; round <= rounds; round++)
			served.push({
				input: await inServer(
					'baseline: 100k-id input, no Zoho node',
					chainWorkflow('srvInput100k', [START, setIds(contacts)]),
					{ tarball },
				),
				split: await inServer(
					'baseline: 100k-id input split into 100k items, no Zoho node',
					chainWorkflow('srvSplit100k', [START, setIds(contacts), SPLIT_OUT]),
					{ tarball },
				),
				old: await hugeInServer(BASE, baseTgz, round),
				cur: await hugeInServer(NOW, tarball, round),
			});

		// ---- targets (this package) ----
		const rssOver = (/** @type {Result} */ r) =>
			r.peakRssKb !== undefined && input.peakRssKb !== undefined
				? (r.peakRssKb - input.peakRssKb) / 1024
				: NaN;
		/** @param {Result & { idleRssKb?: number }} r */
		const growth = (r) =>
			r.peakRssKb !== undefined && r.idleRssKb !== undefined ? r.peakRssKb - r.idleRssKb : NaN;
		/**
		 * MB over the same input without the node, in the same round: what the run added to
		 * its process's RSS (peak - idle) minus what the input-only run added to its own. Each
		 * run has a fresh process whose idle RSS differs by some tens of MB from the others',
		 * which a difference of peaks would count as the node's.
		 * @param {Result} r @param {{ input: Result }} round
		 */
		const serverOver = (r, round) => (growth(r) - growth(round.input)) / 1024;
		/** The plain difference of peaks, printed beside it. @param {Result} r @param {{ input: Result }} round */
		const peakOver = (r, round) =>
			r.peakRssKb !== undefined && round.input.peakRssKb !== undefined
				? (r.peakRssKb - round.input.peakRssKb) / 1024
				: NaN;
		/** @param {Result} r @param {number} n */
		const once = (r, n) =>
			/** @type {[string, boolean]} */ ([
				`every id once ${exactlyOnce(r, n) ? 'yes' : 'NO'}`,
				exactlyOnce(r, n),
			]);
		/**
		 * The 100k memory target, judged in a running n8n (the worst round) when there are
		 * server rounds, else on the `n8n execute` run; the other figure is reported beside it.
		 */
		const hugeVerdict = () => {
			const cli = `under n8n execute, which also prints the run data: +${Math.round(rssOver(d.cur))} MB`;
			if (!served.length)
				return verdict([
					[
						`peak RSS +${Math.round(rssOver(d.cur))} MB over the same input without the node ≤ +300 MB`,
						rssOver(d.cur) <= 300,
					],
					once(d.cur, N_HUGE),
				]);
			const overs = served.map((s) => serverOver(s.cur, s));
			const worst = Math.max(...overs);
			const v = verdict([
				[
					`in a running n8n, peak RSS +${Math.round(worst)} MB over the same input without the node ≤ +300 MB (worst of ${overs.length} rounds: ${overs.map((x) => `+${Math.round(x)}`).join(', ')}; difference of the peaks alone: ${served.map((s) => `+${Math.round(peakOver(s.cur, s))}`).join(', ')})`,
					worst <= 300,
				],
				once(d.cur, N_HUGE),
				[
					`every id once in every running-n8n round ${served.every((s) => exactlyOnce(s.cur, N_HUGE)) ? 'yes' : 'NO'}`,
					served.every((s) => exactlyOnce(s.cur, N_HUGE)),
				],
			]);
			return { met: v.met, text: `${v.text}; ${cli} (reported, not judged)` };
		};
		const oneLimit = 2 * ((one.cur.calls * LATENCY_MS) / MCC);
		const floor = Math.ceil(N_BIG / BATCH / MCC) * LATENCY_MS;
		const eachLimit = 1.1 * (each.old.wallMs ?? NaN);
		const targets = [
			[
				one.cur,
				verdict([
					[`calls ${one.cur.calls} ≤ 12`, one.cur.calls <= 12],
					[
						`wall ${fmtMs(one.cur.wallMs)} ≤ 2 × (${one.cur.calls} × ${LATENCY_MS} ms / ${MCC}) = ${fmtMs(oneLimit)}`,
						(one.cur.wallMs ?? Infinity) <= oneLimit,
					],
					once(one.cur, N_ITEMS),
				]),
			],
			[
				ten.cur,
				verdict([[`calls ${ten.cur.calls} ≤ 20`, ten.cur.calls <= 20], once(ten.cur, N_ITEMS)]),
			],
			[
				each.cur,
				verdict([
					[`calls ${each.cur.calls} = ${N_ITEMS}`, each.cur.calls === N_ITEMS],
					[
						`wall ${fmtMs(each.cur.wallMs)} ≤ 1.1 × ${fmtMs(each.old.wallMs)} (${BASE}) = ${fmtMs(eachLimit)}`,
						(each.cur.wallMs ?? Infinity) <= eachLimit,
					],
					once(each.cur, N_ITEMS),
				]),
			],
			[
				a.cur,
				verdict([
					[`calls ${a.cur.calls} = ${N_BIG / BATCH}`, a.cur.calls === N_BIG / BATCH],
					[
						`wall ${fmtMs(a.cur.wallMs)} ≤ 1.5 × floor ${fmtMs(floor)} = ${fmtMs(1.5 * floor)}`,
						(a.cur.wallMs ?? Infinity) <= 1.5 * floor,
					],
					once(a.cur, N_BIG),
				]),
			],
			[d.cur, hugeVerdict()],
		];
		for (const [r, v] of /** @type {Array<[Result, { met: boolean, text: string }]>} */ (targets))
			r.target = v.met ? 'met' : 'NOT met';
		for (const r of [a.old, one.old, ten.old, each.old, d.old]) r.target = 'before sharing';
		if (served.length) d.cur.target = `${d.cur.target} (in a running n8n, below)`;
		for (const s of served) {
			s.cur.target = serverOver(s.cur, s) <= 300 ? 'met' : 'NOT met';
			s.old.target = 'before sharing';
		}

		// ---- report ----
		const totalS = Math.round((Date.now() - started) / 1000);
		say('');
		say(
			`Benchmark (n8n ${n8n.version} on Node ${n8n.nodeVersion}, sandbox latency ${LATENCY_MS} ms, ` +
				`Zoho concurrency limit ${ZOHO_CONCURRENCY}, Max Concurrent Calls ${MCC}) — ${command}`,
		);
		say(
			`package: ${NOW} = this working tree; ${BASE} = the package before items shared calls. API calls = API requests at the sandbox (credits, 429s included); ` +
				'wall time = first API request start to last API request end at the sandbox; node time = executionTime in n8n run data; peak RSS = the n8n process',
		);
		const rows = [row(a.old), row(a.cur), ratioRow(a.cur, a.old), row(b)];
		if (bp) rows.push(row(bp));
		const callRatio = b.calls / a.cur.calls;
		const wallRatio = (b.wallMs ?? NaN) / (a.cur.wallMs ?? NaN);
		rows.push([
			'  ratio (HTTP Request / this node)',
			'',
			'',
			fmtRatio(callRatio),
			'',
			'',
			fmtRatio(wallRatio),
			'',
			'',
			'',
			'',
			'',
		]);
		const pacedCallRatio = bp ? bp.calls / a.cur.calls : NaN;
		const pacedWallRatio = bp ? (bp.wallMs ?? NaN) / (a.cur.wallMs ?? NaN) : NaN;
		if (bp)
			rows.push([
				'  ratio (HTTP Request paced / this node)',
				'',
				'',
				fmtRatio(pacedCallRatio),
				'',
				'',
				fmtRatio(pacedWallRatio),
				'',
				'',
				'',
				'',
				'',
			]);
		for (const p of [one, ten, each]) rows.push(row(p.old), row(p.cur), ratioRow(p.cur, p.old));
		rows.push(row(trivial), row(input), row(split), row(d.old), row(d.cur), ratioRow(d.cur, d.old));
		say(table(HEADER, rows));
		if (served.length) {
			say('');
			say(
				`${N_HUGE.toLocaleString('en')} ids in 1 item in a RUNNING n8n (n8n start, regular mode, SQLite; the workflow active, called once through its production webhook, ` +
					"Respond Immediately): each run in a fresh n8n process; idle RSS = before the call (it differs from process to process by some tens of MB); peak RSS = the process's high-water mark from the call until the execution was saved (VmHWM, reset at the call); " +
					"over input = (peak - idle) minus the same round's 100k-id input's (peak - idle).",
			);
			/** @type {string[][]} */
			const srows = [];
			served.forEach((s, i) => {
				for (const r of [s.input, s.split, s.old, s.cur])
					srows.push([
						String(i + 1),
						r.label,
						r.pkg,
						String(r.calls),
						fmtMs(r.nodeMs),
						fmtMs(r.processMs),
						fmtMb(r.idleRssKb),
						fmtMb(r.peakRssKb),
						fmtMb(growth(r)),
						r === s.input ? '-' : `+${Math.round(serverOver(r, s))} MB`,
						r.target,
					]);
			});
			say(
				table(
					[
						'round',
						'run',
						'package',
						'API calls',
						'node time',
						'execution',
						'idle RSS',
						'peak RSS',
						'peak - idle',
						'over input',
						'target',
					],
					srows,
				),
			);
		}
		say('');
		say('Targets (this package):');
		for (const [r, v] of /** @type {Array<[Result, { met: boolean, text: string }]>} */ (targets))
			say(`- ${r.label}: ${v.text}.`);
		say('');

		/** @param {Result} r */
		const runNote = (r) => (r.ok ? 'the execution succeeded' : `the execution FAILED: ${r.error}`);
		say(
			`HTTP Request (Batching 10 items / interval 0, Retry On Fail 5 x 100 ms): ${runNote(b)}; ` +
				`${b.delinked} of ${N_BIG} ids delinked, ${b.stillLinked} still linked. Answers: ${b.statuses}.`,
		);
		if (bp)
			say(
				`HTTP Request paced (10 items / ${paced} ms, same retry settings): ${runNote(bp)}; ` +
					`${bp.delinked} of ${N_BIG} ids delinked, ${bp.stillLinked} still linked. Answers: ${bp.statuses}.`,
			);
		say(
			`${N_BIG.toLocaleString('en')} ids vs HTTP Request: calls ${a.cur.calls} vs ${b.calls} = ${fmtRatio(callRatio)}, wall time ${fmtMs(a.cur.wallMs)} vs ${fmtMs(b.wallMs)} = ${fmtRatio(wallRatio)}` +
				(b.ok && b.stillLinked === 0
					? '.'
					: ` — the HTTP Request run did not do the job (${b.delinked} of ${N_BIG} ids delinked, execution ${b.ok ? 'succeeded' : 'failed'}): its figures are those of a failed run.`),
		);
		for (const r of [d.old, d.cur])
			say(
				`${N_HUGE.toLocaleString('en')} ids [${r.pkg}]: peak RSS ${fmtMb(r.peakRssKb)}, +${Math.round(rssOver(r))} MB over the same input without the node ` +
					`(baselines: ${fmtMb(trivial.peakRssKb)} trivial workflow, ${fmtMb(input.peakRssKb)} the 100k-id input, ${fmtMb(split.peakRssKb)} that input split into 100k plain items = +${Math.round(rssOver(split))} MB); ` +
					`calls ${r.calls}, wall ${fmtMs(r.wallMs)}, node ${fmtMs(r.nodeMs)}, n8n process ${fmtMs(r.processMs)}.`,
			);
		/** @type {string[]} */
		const lost = [];
		for (const [r, n] of /** @type {Array<[Result, number]>} */ ([
			[a.old, N_BIG],
			[a.cur, N_BIG],
			[one.old, N_ITEMS],
			[one.cur, N_ITEMS],
			[ten.old, N_ITEMS],
			[ten.cur, N_ITEMS],
			[each.old, N_ITEMS],
			[each.cur, N_ITEMS],
			[d.old, N_HUGE],
			[d.cur, N_HUGE],
			...served.flatMap((s) => [
				/** @type {[Result, number]} */ ([s.old, N_HUGE]),
				/** @type {[Result, number]} */ ([s.cur, N_HUGE]),
			]),
		])) {
			const fine = exactlyOnce(r, n);
			const fails = [...r.failCodes].map(([k, c]) => `${c} × ${k}`).join(', ');
			say(
				`${r.label} [${r.pkg}]: ${r.items} output items, ${r.delinked} delinked, ${r.failed} failed${fails ? ` (${fails})` : ''}, ` +
					`${r.missing} missing, ${r.duplicated} duplicated, ${r.extra} unexpected, ${r.falseSuccess} reported delinked but still linked, ` +
					`${r.stillLinked} still linked, ${r.removed} removed by the sandbox (${r.notFound} not found) — ` +
					`${fine ? 'every id delinked exactly once' : 'IDS LOST'}${r.ok ? '' : `; execution FAILED: ${r.error}`}.`,
			);
			if (!fine) lost.push(`${r.label} [${r.pkg}]`);
		}
		say(
			`Total run time ${totalS} s; machine: ${os.cpus().length} cores, load average ${loadAtStart} at the start, ${load()} at the end (other work shares it).`,
		);
		if (lost.length) throw new BenchError(`a node run lost ids or failed: ${lost.join('; ')}`);
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

// @ts-check
'use strict';
/**
 * The bench's fixed figures (Zoho's latency and concurrency limit, the scenario sizes) and its
 * environment knobs, read and checked here (docs/benchmark.md tells more):
 *   BENCH_N8N_LINE=1|2         the n8n line (default 1);
 *   BENCH_BASE_REF=<commit>    the comparison package, built from a clone (default 0eb5e2c);
 *   BENCH_BASE_TARBALL=<.tgz>  or an already packed build of it;
 *   BENCH_TARBALL=<.tgz>       measures that package instead of this repository's dist;
 *   BENCH_HTTP_PACED_MS=<ms>   adds the paced HTTP Request run b' (default 0 = off: any 429
 *                              makes Retry On Fail re-send all 10,000 requests, 5 tries of
 *                              ~2 min each);
 *   BENCH_SERVER_ROUNDS=<n>    rounds of the 100k run in a running n8n (0 to 10, default 2;
 *                              0 skips them);
 *   BENCH_DUMP=<dir>           saves each `n8n execute` stdout/stderr there;
 *   BENCH_PROFILE=<dir>        instead profiles this package's 10k and 100k runs: a CPU
 *                              profile and a heap profile of what is live at the end;
 *   BENCH_HEAP_ALL=1           with BENCH_PROFILE, a heap profile of everything allocated;
 *   BENCH_HEAP_INTERVAL=<B>    with BENCH_PROFILE, the heap sampling interval in bytes
 *                              (default 8192; read by profile-preload.js).
 */
const path = require('node:path');

const LATENCY_MS = 80;
const ZOHO_CONCURRENCY = 10;
/** Max Concurrent Calls of every node run: Zoho's limit in the bench. */
const MCC = ZOHO_CONCURRENCY;
/** Ids per Zoho call. */
const BATCH = 100;
const N_BIG = 10_000;
const N_ITEMS = 1_000;
const N_CAMPAIGNS = 10;
const N_HUGE = 100_000;
const RUN_TIMEOUT_MS = 15 * 60_000;
const CREDENTIAL = { id: 'benchZohoCred', name: 'Zoho CRM sandbox' };
/** The node names in the bench's workflows. */
const ZOHO = 'Zoho CRM';
const HTTP = 'HTTP Request';
const DEFAULT_BASE_REF = '0eb5e2c';
/** The package column's name for this working tree. */
const NOW = 'current';
/** The Zoho node's options in every run. */
const NODE_OPTIONS = { maxConcurrentCalls: MCC };

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

/** BENCH_PROFILE as an absolute folder, or undefined. */
function profileDir() {
	return process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : undefined;
}

/** BENCH_HEAP_ALL=1 (with BENCH_PROFILE): heap profiles of everything allocated, not only what is live. */
const heapAll = () => process.env.BENCH_HEAP_ALL === '1';

/** The comparison package: BENCH_BASE_TARBALL, else BENCH_BASE_REF, else 0eb5e2c. */
function basePackage() {
	const ref = process.env.BENCH_BASE_REF || DEFAULT_BASE_REF;
	const tarball = process.env.BENCH_BASE_TARBALL
		? path.resolve(process.env.BENCH_BASE_TARBALL)
		: undefined;
	return { ref, tarball, tag: tarball ? 'base tarball' : ref };
}

/** BENCH_TARBALL as an absolute path, or undefined (pack this repository). */
function tarballToMeasure() {
	return process.env.BENCH_TARBALL ? path.resolve(process.env.BENCH_TARBALL) : undefined;
}

/** BENCH_DUMP, or undefined. */
const dumpDir = () => process.env.BENCH_DUMP || undefined;

/** How the bench was started, for the report's first line. */
function commandLine() {
	const line = process.env.BENCH_N8N_LINE ? `BENCH_N8N_LINE=${process.env.BENCH_N8N_LINE} ` : '';
	return `${line}node scripts/bench/run.js`;
}

module.exports = {
	LATENCY_MS,
	ZOHO_CONCURRENCY,
	MCC,
	BATCH,
	N_BIG,
	N_ITEMS,
	N_CAMPAIGNS,
	N_HUGE,
	RUN_TIMEOUT_MS,
	CREDENTIAL,
	ZOHO,
	HTTP,
	NOW,
	NODE_OPTIONS,
	BenchError,
	benchLine,
	serverRounds,
	pacedMs,
	profileDir,
	heapAll,
	basePackage,
	tarballToMeasure,
	dumpDir,
	commandLine,
};

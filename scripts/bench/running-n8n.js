// @ts-check
'use strict';
/**
 * Scenario family 4, memory in a RUNNING n8n: the 100,000-id run (both packages) and its two
 * input baselines, each in a fresh `n8n start` called through its production webhook
 * (server-run.js), BENCH_SERVER_ROUNDS rounds (default 2; 0 skips them). `n8n execute` also
 * prints the whole run data, which a running n8n never does, so the 100k memory target is
 * judged here (memory-100k.js) and the CLI figure reported beside it.
 */
const h = require('./harness');
const { CREDENTIAL, N_HUGE, NOW, RUN_TIMEOUT_MS, ZOHO } = require('./settings');
const { oneItemRun, inputWorkflow, splitWorkflow } = require('./workflows');
const { summarize } = require('./measure');
const { markBefore, pairChecks } = require('./targets');
const { serverRun } = require('./server-run');
const { progress, fmtMs, fmtMb, table } = require('./print');

/**
 * @typedef {import('./measure').Result & { idleRssKb?: number }} ServedResult
 * @typedef {{ input: ServedResult, split: ServedResult, old: ServedResult, cur: ServedResult }} Round
 * @typedef {import('./packages').Bench} Bench
 */

/**
 * One workflow in a fresh running n8n, measured against the sandbox.
 * @param {Bench} bench @param {string} label @param {any} workflow
 * @param {{ pkg?: string, tarball: string, pairs?: readonly import('./sandbox').Pair[] }} o
 * @returns {Promise<ServedResult>}
 */
async function inServer(bench, label, workflow, o) {
	const { sb } = bench;
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
		line: bench.line,
		tarball: o.tarball,
		credentials: [h.sandboxCredential(sb, CREDENTIAL)],
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
}

/**
 * The 100k run of one package in a running n8n, on a campaign seeded for it.
 * @param {Bench} bench @param {import('./packages').Pkg} pkg @param {number} round
 */
function hugeInServer(bench, pkg, round) {
	const { pairs, workflow } = oneItemRun(
		bench.sb,
		`Bench ${pkg.tag}: 100k in a running n8n, round ${round}`,
		bench.contacts,
		'srvNode100k',
	);
	return inServer(
		bench,
		`${N_HUGE.toLocaleString('en')} ids in 1 item, running n8n, round ${round}`,
		workflow,
		{ pkg: pkg.tag, tarball: pkg.tarball, pairs },
	);
}

/** @param {Bench} bench @param {number} rounds @returns {Promise<Round[]>} */
async function run(bench, rounds) {
	const { contacts, now, base } = bench;
	const tarball = now.tarball;
	/** @type {Round[]} */
	const served = [];
	for (let round = 1; round <= rounds; round++)
		served.push({
			input: await inServer(
				bench,
				'baseline: 100k-id input, no Zoho node',
				inputWorkflow('srvInput100k', contacts),
				{ tarball },
			),
			split: await inServer(
				bench,
				'baseline: 100k-id input split into 100k items, no Zoho node',
				splitWorkflow('srvSplit100k', contacts),
				{ tarball },
			),
			old: await hugeInServer(bench, base, round),
			cur: await hugeInServer(bench, now, round),
		});
	return served;
}

/** What a run added to its process's RSS: peak - idle, kB. @param {ServedResult} r */
const growth = (r) =>
	r.peakRssKb !== undefined && r.idleRssKb !== undefined ? r.peakRssKb - r.idleRssKb : NaN;

/**
 * MB over the same input without the node, in the same round: what the run added to
 * its process's RSS (peak - idle) minus what the input-only run added to its own. Each
 * run has a fresh process whose idle RSS differs by some tens of MB from the others',
 * which a difference of peaks would count as the node's.
 * @param {ServedResult} r @param {{ input: ServedResult }} round
 */
const serverOver = (r, round) => (growth(r) - growth(round.input)) / 1024;

/** The plain difference of peaks, printed beside it. @param {ServedResult} r @param {{ input: ServedResult }} round */
const peakOver = (r, round) =>
	r.peakRssKb !== undefined && round.input.peakRssKb !== undefined
		? (r.peakRssKb - round.input.peakRssKb) / 1024
		: NaN;

/**
 * Sets the rounds' target column and gives their table (with the paragraph above it), and
 * the node runs whose ids are checked.
 * @param {Round[]} served
 */
function report(served) {
	for (const s of served) {
		s.cur.target = serverOver(s.cur, s) <= 300 ? 'met' : 'NOT met';
		markBefore([s.old]);
	}
	const checks = pairChecks(served, N_HUGE);
	if (!served.length) return { lines: [], checks };
	/** @type {string[][]} */
	const rows = [];
	served.forEach((s, i) => {
		for (const r of [s.input, s.split, s.old, s.cur])
			rows.push([
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
	const header = [
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
	];
	const lines = [
		'',
		`${N_HUGE.toLocaleString('en')} ids in 1 item in a RUNNING n8n (n8n start, regular mode, SQLite; the workflow active, called once through its production webhook, ` +
			"Respond Immediately): each run in a fresh n8n process; idle RSS = before the call (it differs from process to process by some tens of MB); peak RSS = the process's high-water mark from the call until the execution was saved (VmHWM, reset at the call); " +
			"over input = (peak - idle) minus the same round's 100k-id input's (peak - idle).",
		table(header, rows),
	];
	return { lines, checks };
}

module.exports = { run, report, serverOver, peakOver };

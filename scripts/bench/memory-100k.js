// @ts-check
'use strict';
/**
 * Scenario family 3, memory under `n8n execute`: peak RSS of the n8n process for 100,000 ids
 * in one item (sandbox latency 0; both packages), against three baselines without the Zoho
 * node: a trivial workflow, the same 100k-id input, and that input split into 100,000 items.
 * Target: +300 MB over the same input without the node, judged in a running n8n when there
 * are running-n8n rounds (running-n8n.js), else here; every id once.
 */
const { N_HUGE } = require('./settings');
const { oneItemRun, trivialWorkflow, inputWorkflow, splitWorkflow } = require('./workflows');
const { measure, pairRun, exactlyOnce } = require('./measure');
const { row, pairRows } = require('./main-table');
const { verdict, once, markTargets, markBefore, pairChecks } = require('./targets');
const { serverOver, peakOver } = require('./running-n8n');
const { fmtMs, fmtMb } = require('./print');

/**
 * @typedef {import('./measure').Result} Result
 * @typedef {{ trivial: Result, input: Result, split: Result, d: { old: Result, cur: Result } }} Memory100k
 */

/**
 * One package's campaign of 100,000 contacts and its workflow.
 * @param {import('./sandbox').ZohoSandbox} sb @param {string} tag @param {string[]} contacts
 */
function seed(sb, tag, contacts) {
	const scenario = oneItemRun(sb, `Bench ${tag}: 100k`, contacts, 'benchNode100k');
	return { seeds: { huge: scenario.pairs }, workflows: [scenario.workflow] };
}

/** The baselines' workflows (this package's user folder only). @param {string[]} contacts */
const baselineWorkflows = (contacts) => [
	trivialWorkflow('benchTrivial'),
	inputWorkflow('benchInput100k', contacts),
	splitWorkflow('benchSplit100k', contacts),
];

/** @param {import('./packages').Bench} bench @returns {Promise<Memory100k>} */
async function run(bench) {
	const { sb } = bench;
	const ctx = bench.now.ctx;
	sb.setFaults({ latencyMs: 0 });
	/** @param {string} label @param {string} wfId */
	const baseline = (label, wfId) => measure(ctx, sb, { label, wfId, nodeName: undefined });
	const trivial = await baseline('baseline: trivial workflow', 'benchTrivial');
	const input = await baseline('baseline: 100k-id input, no Zoho node', 'benchInput100k');
	const split = await baseline(
		'baseline: 100k-id input split into 100k items, no Zoho node',
		'benchSplit100k',
	);
	const d = await pairRun(
		bench,
		`${N_HUGE.toLocaleString('en')} ids in 1 item (latency 0)`,
		'benchNode100k',
		'huge',
	);
	return { trivial, input, split, d };
}

/** MB of peak RSS over the 100k-id input's. @param {Result} r @param {Result} input */
const rssOver = (r, input) =>
	r.peakRssKb !== undefined && input.peakRssKb !== undefined
		? (r.peakRssKb - input.peakRssKb) / 1024
		: NaN;

/**
 * The 100k memory target, judged in a running n8n (the worst round) when there are
 * server rounds, else on the `n8n execute` run; the other figure is reported beside it.
 * @param {Memory100k} res @param {import('./running-n8n').Round[]} served
 * @returns {import('./targets').Verdict}
 */
function hugeVerdict(res, served) {
	const over = rssOver(res.d.cur, res.input);
	const cli = `under n8n execute, which also prints the run data: +${Math.round(over)} MB`;
	if (!served.length)
		return verdict([
			[
				`peak RSS +${Math.round(over)} MB over the same input without the node ≤ +300 MB`,
				over <= 300,
			],
			once(res.d.cur, N_HUGE),
		]);
	const overs = served.map((s) => serverOver(s.cur, s));
	const worst = Math.max(...overs);
	const everyRound = served.every((s) => exactlyOnce(s.cur, N_HUGE));
	const v = verdict([
		[
			`in a running n8n, peak RSS +${Math.round(worst)} MB over the same input without the node ≤ +300 MB (worst of ${overs.length} rounds: ${overs.map((x) => `+${Math.round(x)}`).join(', ')}; difference of the peaks alone: ${served.map((s) => `+${Math.round(peakOver(s.cur, s))}`).join(', ')})`,
			worst <= 300,
		],
		once(res.d.cur, N_HUGE),
		[`every id once in every running-n8n round ${everyRound ? 'yes' : 'NO'}`, everyRound],
	]);
	return { met: v.met, text: `${v.text}; ${cli} (reported, not judged)` };
}

/**
 * Checks the target (this package's 100k run, with the running-n8n rounds) and gives the
 * rows and the notes on the two 100k runs.
 * @param {Memory100k} res @param {import('./running-n8n').Round[]} served
 * @returns {import('./targets').Section}
 */
function report(res, served) {
	const { trivial, input, split, d } = res;
	/** @type {Array<[Result, import('./targets').Verdict]>} */
	const targets = [[d.cur, hugeVerdict(res, served)]];
	markTargets(targets);
	markBefore([d.old]);
	if (served.length) d.cur.target = `${d.cur.target} (in a running n8n, below)`;
	const notes = [d.old, d.cur].map(
		(r) =>
			`${N_HUGE.toLocaleString('en')} ids [${r.pkg}]: peak RSS ${fmtMb(r.peakRssKb)}, +${Math.round(rssOver(r, input))} MB over the same input without the node ` +
			`(baselines: ${fmtMb(trivial.peakRssKb)} trivial workflow, ${fmtMb(input.peakRssKb)} the 100k-id input, ${fmtMb(split.peakRssKb)} that input split into 100k plain items = +${Math.round(rssOver(split, input))} MB); ` +
			`calls ${r.calls}, wall ${fmtMs(r.wallMs)}, node ${fmtMs(r.nodeMs)}, n8n process ${fmtMs(r.processMs)}.`,
	);
	return {
		rows: [row(trivial), row(input), row(split), ...pairRows(d)],
		targets,
		notes,
		checks: pairChecks([d], N_HUGE),
	};
}

module.exports = { seed, baselineWorkflows, run, report };

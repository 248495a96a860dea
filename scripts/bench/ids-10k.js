// @ts-check
'use strict';
/**
 * Scenario family 1: 10,000 ids delinked from one campaign.
 *   a.  this node, ONE input item whose Related Record IDs is an expression giving the array
 *       (both packages);
 *   b.  what users do without it: HTTP Request 4.2 (Set → Split Out → one DELETE per item),
 *       Batching 10 items per batch, interval 0, Retry On Fail (5 tries, 100 ms apart);
 *   b'. the same HTTP Request node paced so that it really stays under the limit (10 items
 *       per batch, BENCH_HTTP_PACED_MS apart; off by default);
 *   c.  the ratios b / a.
 * Target: 100 calls, wall time ≤ 1.5 × the floor, every id once.
 */
const { BATCH, HTTP, LATENCY_MS, MCC, N_BIG } = require('./settings');
const { seedCampaign, pairsOf } = require('./sandbox');
const { oneItemRun, httpWorkflow } = require('./workflows');
const { measure, pairRun } = require('./measure');
const { row, ratios, pairRows } = require('./main-table');
const { verdict, once, markTargets, markBefore, pairChecks } = require('./targets');
const { fmtMs, fmtRatio } = require('./print');

/**
 * @typedef {import('./measure').Result} Result
 * @typedef {import('./packages').Bench} Bench
 * @typedef {{ a: { old: Result, cur: Result }, b: Result, bp: Result | undefined, paced: number }} Ids10k
 */

/**
 * One package's campaign of 10,000 contacts and its workflow.
 * @param {import('./sandbox').ZohoSandbox} sb @param {string} tag @param {string[]} big
 */
function seed(sb, tag, big) {
	const scenario = oneItemRun(sb, `Bench ${tag}: 10k`, big, 'benchNode10k');
	return { seeds: { big: scenario.pairs }, workflows: [scenario.workflow] };
}

/**
 * The HTTP Request runs' campaigns and workflows (b, and b' when paced).
 * @param {import('./sandbox').SeededSandbox} s @param {number} paced
 */
function seedHttp(s, paced) {
	const { sb, big, token } = s;
	const http = seedCampaign(sb, 'Bench: HTTP Request, 10k', big);
	const pacedCampaign = paced > 0 ? seedCampaign(sb, 'Bench: HTTP Request paced, 10k', big) : '';
	/** @param {string} id @param {string} campaignId @param {number} batchInterval */
	const workflow = (id, campaignId, batchInterval) =>
		httpWorkflow({ id, url: sb.url, token, campaignId, ids: big, batchInterval });
	return {
		campaigns: { http, paced: pacedCampaign },
		workflows: [
			workflow('benchHttp10k', http, 0),
			...(paced > 0 ? [workflow('benchHttpPaced', pacedCampaign, paced)] : []),
		],
	};
}

/**
 * @param {Bench} bench @param {{ http: string, paced: string }} campaigns from seedHttp
 * @param {number} paced @returns {Promise<Ids10k>}
 */
async function run(bench, campaigns, paced) {
	const { sb, big } = bench;
	const ctx = bench.now.ctx;
	const a = await pairRun(
		bench,
		`${N_BIG.toLocaleString('en')} ids in 1 item`,
		'benchNode10k',
		'big',
	);
	const b = await measure(ctx, sb, {
		label: `${N_BIG.toLocaleString('en')} ids, HTTP Request (1 call per id)`,
		wfId: 'benchHttp10k',
		nodeName: HTTP,
		pairs: pairsOf(campaigns.http, big),
	});
	const bp =
		paced > 0
			? await measure(ctx, sb, {
					label: `${N_BIG.toLocaleString('en')} ids, HTTP Request paced ${paced} ms`,
					wfId: 'benchHttpPaced',
					nodeName: HTTP,
					pairs: pairsOf(campaigns.paced, big),
				})
			: undefined;
	return { a, b, bp, paced };
}

/** @param {Result} r */
const runNote = (r) => (r.ok ? 'the execution succeeded' : `the execution FAILED: ${r.error}`);

/**
 * Checks the target (this package's 10k run) and gives the rows, the target and the notes on
 * the HTTP Request runs.
 * @param {Ids10k} res @returns {import('./targets').Section}
 */
function report(res) {
	const { a, b, bp, paced } = res;
	const floor = Math.ceil(N_BIG / BATCH / MCC) * LATENCY_MS;
	/** @type {Array<[Result, import('./targets').Verdict]>} */
	const targets = [
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
	];
	markTargets(targets);
	markBefore([a.old]);
	const callRatio = b.calls / a.cur.calls;
	const wallRatio = (b.wallMs ?? NaN) / (a.cur.wallMs ?? NaN);
	const rows = [...pairRows(a), row(b)];
	if (bp) rows.push(row(bp));
	rows.push(ratios('  ratio (HTTP Request / this node)', callRatio, wallRatio));
	if (bp)
		rows.push(
			ratios(
				'  ratio (HTTP Request paced / this node)',
				bp.calls / a.cur.calls,
				(bp.wallMs ?? NaN) / (a.cur.wallMs ?? NaN),
			),
		);
	const notes = [
		`HTTP Request (Batching 10 items / interval 0, Retry On Fail 5 x 100 ms): ${runNote(b)}; ` +
			`${b.delinked} of ${N_BIG} ids delinked, ${b.stillLinked} still linked. Answers: ${b.statuses}.`,
	];
	if (bp)
		notes.push(
			`HTTP Request paced (10 items / ${paced} ms, same retry settings): ${runNote(bp)}; ` +
				`${bp.delinked} of ${N_BIG} ids delinked, ${bp.stillLinked} still linked. Answers: ${bp.statuses}.`,
		);
	notes.push(
		`${N_BIG.toLocaleString('en')} ids vs HTTP Request: calls ${a.cur.calls} vs ${b.calls} = ${fmtRatio(callRatio)}, wall time ${fmtMs(a.cur.wallMs)} vs ${fmtMs(b.wallMs)} = ${fmtRatio(wallRatio)}` +
			(b.ok && b.stillLinked === 0
				? '.'
				: ` — the HTTP Request run did not do the job (${b.delinked} of ${N_BIG} ids delinked, execution ${b.ok ? 'succeeded' : 'failed'}): its figures are those of a failed run.`),
	);
	return { rows, targets, notes, checks: pairChecks([a], N_BIG) };
}

module.exports = { seed, seedHttp, run, report };

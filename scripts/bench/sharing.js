// @ts-check
'use strict';
/**
 * Scenario family 2, items sharing calls: 1,000 input items of one id each, with both
 * packages — all for one campaign; over 10 campaigns of 100 (items interleaved: item i goes to
 * campaign i mod 10, Record ID `{{ $json.campaignId }}`); each for a different campaign
 * (nothing to share). Targets: few calls where items share a campaign, no slower than before
 * where they cannot, every id once.
 */
const { LATENCY_MS, MCC, N_CAMPAIGNS, N_ITEMS, NODE_OPTIONS } = require('./settings');
const { seedCampaign, pairsOf } = require('./sandbox');
const { zohoWorkflow, zohoRowsWorkflow } = require('./workflows');
const { pairRun } = require('./measure');
const { pairRows } = require('./main-table');
const { verdict, once, markTargets, markBefore, pairChecks } = require('./targets');
const { fmtMs } = require('./print');

/**
 * @typedef {import('./measure').Result} Result
 * @typedef {import('./sandbox').Pair} Pair
 * @typedef {{ old: Result, cur: Result }} PairResult
 * @typedef {{ one: PairResult, ten: PairResult, each: PairResult }} Sharing
 */

/**
 * One package's campaigns for the three scenarios, and their workflows.
 * @param {import('./sandbox').ZohoSandbox} sb @param {string} tag @param {string[]} few
 */
function seed(sb, tag, few) {
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
	return {
		seeds: { one: pairsOf(one, few), ten, each },
		workflows: [
			zohoWorkflow({
				id: 'benchItems1k',
				campaignId: one,
				ids: few,
				perItem: true,
				options: NODE_OPTIONS,
			}),
			zohoRowsWorkflow({ id: 'benchTen1k', rows: ten, options: NODE_OPTIONS }),
			zohoRowsWorkflow({ id: 'benchEach1k', rows: each, options: NODE_OPTIONS }),
		],
	};
}

/** @param {import('./packages').Bench} bench @returns {Promise<Sharing>} */
async function run(bench) {
	const items = `${N_ITEMS.toLocaleString('en')} items x 1 id`;
	const one = await pairRun(bench, `${items}, one campaign`, 'benchItems1k', 'one');
	const ten = await pairRun(
		bench,
		`${items}, ${N_CAMPAIGNS} campaigns (${N_ITEMS / N_CAMPAIGNS} each)`,
		'benchTen1k',
		'ten',
	);
	const each = await pairRun(bench, `${items}, each a different campaign`, 'benchEach1k', 'each');
	return { one, ten, each };
}

/**
 * Checks the targets (this package's runs) and gives the rows.
 * @param {Sharing} res @returns {import('./targets').Section}
 */
function report(res) {
	const { one, ten, each } = res;
	const oneLimit = 2 * ((one.cur.calls * LATENCY_MS) / MCC);
	const eachLimit = 1.1 * (each.old.wallMs ?? NaN);
	/** @type {Array<[Result, import('./targets').Verdict]>} */
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
					`wall ${fmtMs(each.cur.wallMs)} ≤ 1.1 × ${fmtMs(each.old.wallMs)} (${each.old.pkg}) = ${fmtMs(eachLimit)}`,
					(each.cur.wallMs ?? Infinity) <= eachLimit,
				],
				once(each.cur, N_ITEMS),
			]),
		],
	];
	markTargets(targets);
	const pairs = [one, ten, each];
	markBefore(pairs.map((p) => p.old));
	return {
		rows: pairs.flatMap(pairRows),
		targets,
		notes: [],
		checks: pairChecks(pairs, N_ITEMS),
	};
}

module.exports = { seed, run, report };

// @ts-check
'use strict';
/**
 * Measuring one run against the sandbox: the sandbox's counters and request log during it,
 * the node's time from n8n's run data, the process's peak RSS, and the check that every id
 * came out exactly once (one output item, really unlinked, removed once by the sandbox).
 */
const h = require('./harness');
const { MCC, NOW, ZOHO } = require('./settings');
const { execute } = require('./n8n-execute');
const { progress, fmtMs, fmtMb } = require('./print');

/**
 * @typedef {import('./sandbox').ZohoSandbox} ZohoSandbox
 * @typedef {import('./sandbox').Pair} Pair
 * @typedef {{
 *   label: string, pkg: string, mcc: string, ok: boolean, error: string | undefined,
 *   calls: number, rejected429: number, maxInFlight: number, wallMs: number | undefined,
 *   nodeMs: number | undefined, nodeStartedAt: number | undefined, processMs: number,
 *   peakRssKb: number | undefined, delinked: number, failed: number, stillLinked: number,
 *   removed: number, notFound: number, missing: number, duplicated: number, extra: number,
 *   falseSuccess: number, items: number, failCodes: Map<string, number>, statuses: string,
 *   checked: boolean, target: string
 * }} Result
 * @typedef {{ label: string, pkg?: string, wfId: string, nodeName: string | undefined, pairs?: readonly Pair[], zohoItems?: boolean, env?: Record<string, string> }} RunSpec
 * @typedef {{
 *   ok: boolean, error: string | undefined, task: any, items: () => any[],
 *   processMs: number, peakRssKb: number | undefined
 * }} RunOutcome what one run of a workflow came to, however it was run
 */

/** "200 × 278, 400 × 40040, 429 × 9682" @param {import('./sandbox').RequestLogEntry[]} requests */
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
 * Runs one workflow with `n8n execute` and measures it against the sandbox. With
 * `zohoItems`, every pair must have exactly one output item, every success must be unlinked
 * in the sandbox, and the sandbox must have removed each pair's relation exactly once
 * (`checked`).
 * @param {import('./harness').Ctx} ctx @param {ZohoSandbox} sb @param {RunSpec} o
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
 * @param {ZohoSandbox} sb @param {RunSpec} o @param {RunOutcome} r
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
 * @param {readonly Pair[]} pairs @param {ZohoSandbox} sb
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

/**
 * The same Zoho node scenario with the comparison package, then with this one, each on its
 * own seeded campaigns.
 * @param {import('./packages').Bench} bench @param {string} label @param {string} wfId
 * @param {keyof import('./packages').Seeds} seed
 */
async function pairRun(bench, label, wfId, seed) {
	const { sb, base, now } = bench;
	const spec = { label, wfId, nodeName: ZOHO, zohoItems: true };
	const old = await measure(base.ctx, sb, { ...spec, pkg: base.tag, pairs: base.seeds[seed] });
	const cur = await measure(now.ctx, sb, { ...spec, pairs: now.seeds[seed] });
	return { old, cur };
}

module.exports = { measure, summarize, exactlyOnce, pairRun };

// @ts-check
'use strict';
/**
 * The issue's targets, checked on this package: a verdict made of parts ("what ≤ limit"), the
 * "every id once" part, and what a scenario family hands to the report.
 */
const { exactlyOnce } = require('./measure');

/**
 * @typedef {import('./measure').Result} Result
 * @typedef {{ met: boolean, text: string }} Verdict
 * @typedef {[string, boolean]} Part a target's part: its text, whether it is met
 * @typedef {{
 *   rows: string[][], targets: Array<[Result, Verdict]>, notes: string[],
 *   checks: Array<[Result, number]>
 * }} Section what one scenario family adds to the report: rows of the main table, targets,
 *   lines under them, and the node runs whose ids are checked (with how many ids each was asked)
 */

/**
 * One target: its parts, each "what ≤ limit (met)"; the row's text and whether all are met.
 * @param {Part[]} parts
 * @returns {Verdict}
 */
function verdict(parts) {
	const met = parts.every(([, ok]) => ok);
	return {
		met,
		text: `${met ? 'met' : 'NOT met'}: ${parts.map(([t, ok]) => `${t}${ok ? '' : ' (NOT met)'}`).join('; ')}`,
	};
}

/** The part "every id once". @param {Result} r @param {number} n @returns {Part} */
function once(r, n) {
	const fine = exactlyOnce(r, n);
	return [`every id once ${fine ? 'yes' : 'NO'}`, fine];
}

/** Sets the target column of the runs a verdict is for: "met" or "NOT met". @param {Array<[Result, Verdict]>} targets */
function markTargets(targets) {
	for (const [r, v] of targets) r.target = v.met ? 'met' : 'NOT met';
}

/** The comparison package's runs: no target, "before sharing". @param {Result[]} runs */
function markBefore(runs) {
	for (const r of runs) r.target = 'before sharing';
}

/**
 * The runs of pairs (comparison package, this one) whose ids are checked, each asked `n` ids.
 * @param {Array<{ old: Result, cur: Result }>} pairs @param {number} n
 * @returns {Array<[Result, number]>}
 */
const pairChecks = (pairs, n) =>
	pairs.flatMap((p) => [
		/** @type {[Result, number]} */ ([p.old, n]),
		/** @type {[Result, number]} */ ([p.cur, n]),
	]);

module.exports = { verdict, once, markTargets, markBefore, pairChecks };

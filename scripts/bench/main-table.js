// @ts-check
'use strict';
/**
 * The bench's main table: its columns, a run's row, and the ratio rows under a pair of runs.
 */
const { NOW } = require('./settings');
const { fmtMs, fmtMb, fmtRatio } = require('./print');

/** @typedef {import('./measure').Result} Result */

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

/**
 * A ratio row: its label, then the ratios of API calls, wall time and (when given) node time.
 * @param {string} label @param {number} calls @param {number} wall @param {number} [node]
 */
function ratios(label, calls, wall, node) {
	const blank = ['', '', '', ''];
	const nodeCell = node === undefined ? '' : fmtRatio(node);
	return [label, '', '', fmtRatio(calls), '', '', fmtRatio(wall), nodeCell, ...blank];
}

/** A ratio row: current / base. @param {Result} now @param {Result} base */
function ratioRow(now, base) {
	return ratios(
		`  ratio (${NOW} / ${base.pkg})`,
		now.calls / base.calls,
		(now.wallMs ?? NaN) / (base.wallMs ?? NaN),
		(now.nodeMs ?? NaN) / (base.nodeMs ?? NaN),
	);
}

/** The rows of a pair of runs: the comparison package's, this one's, their ratios. @param {{ old: Result, cur: Result }} p */
const pairRows = (p) => [row(p.old), row(p.cur), ratioRow(p.cur, p.old)];

module.exports = { HEADER, row, ratios, ratioRow, pairRows };

// @ts-check
'use strict';
/**
 * How the bench prints: the report on stdout, progress on stderr, the figures' formats (seconds,
 * MB, ratios) and plain-text tables.
 */

/** A line of the report. @param {string} text */
const say = (text) => process.stdout.write(`${text}\n`);
/** A line of progress. @param {string} text */
const progress = (text) => process.stderr.write(`[bench] ${text}\n`);

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
/** @param {number} bytes */
const mib = (bytes) => `${Math.round(bytes / 1048576)} MB`;

/**
 * A plain-text table: first and last columns left-aligned, the others right-aligned.
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

module.exports = { say, progress, fmtMs, fmtMb, fmtRatio, mib, table };

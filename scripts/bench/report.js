// @ts-check
'use strict';
/**
 * The bench's report once every scenario has run: the heading, the main table, the
 * running-n8n table, the targets, the notes, one line per node run saying whether every id was
 * delinked exactly once, and the machine's load. Fails the bench when a node run lost an id.
 */
const os = require('node:os');
const { BenchError, LATENCY_MS, MCC, NOW, ZOHO_CONCURRENCY } = require('./settings');
const { exactlyOnce } = require('./measure');
const { HEADER } = require('./main-table');
const { say, table } = require('./print');

/**
 * @typedef {import('./measure').Result} Result
 * @typedef {import('./targets').Section} Section
 */

/** The 1-minute load average, e.g. "3.52". */
const load = () => os.loadavg()[0].toFixed(2);

/** What one node run came to, id by id. @param {Result} r @param {number} n ids asked */
function idsLine(r, n) {
	const fine = exactlyOnce(r, n);
	const fails = [...r.failCodes].map(([k, c]) => `${c} × ${k}`).join(', ');
	return (
		`${r.label} [${r.pkg}]: ${r.items} output items, ${r.delinked} delinked, ${r.failed} failed${fails ? ` (${fails})` : ''}, ` +
		`${r.missing} missing, ${r.duplicated} duplicated, ${r.extra} unexpected, ${r.falseSuccess} reported delinked but still linked, ` +
		`${r.stillLinked} still linked, ${r.removed} removed by the sandbox (${r.notFound} not found) — ` +
		`${fine ? 'every id delinked exactly once' : 'IDS LOST'}${r.ok ? '' : `; execution FAILED: ${r.error}`}.`
	);
}

/**
 * Prints the report; throws when a node run lost ids or failed.
 * @param {{
 *   n8n: { version: string, nodeVersion: string }, command: string, baseTag: string,
 *   started: number, loadAtStart: string,
 *   ids10k: Section, sharing: Section, memory100k: Section,
 *   running: { lines: string[], checks: Array<[Result, number]> }
 * }} o
 */
function printReport(o) {
	const totalS = Math.round((Date.now() - o.started) / 1000);
	say('');
	say(
		`Benchmark (n8n ${o.n8n.version} on Node ${o.n8n.nodeVersion}, sandbox latency ${LATENCY_MS} ms, ` +
			`Zoho concurrency limit ${ZOHO_CONCURRENCY}, Max Concurrent Calls ${MCC}) — ${o.command}`,
	);
	say(
		`package: ${NOW} = this working tree; ${o.baseTag} = the package before items shared calls. API calls = API requests at the sandbox (credits, 429s included); ` +
			'wall time = first API request start to last API request end at the sandbox; node time = executionTime in n8n run data; peak RSS = the n8n process',
	);
	// the table in scenario order, the targets with the sharing ones first
	const inTable = [o.ids10k, o.sharing, o.memory100k];
	say(
		table(
			HEADER,
			inTable.flatMap((s) => s.rows),
		),
	);
	for (const text of o.running.lines) say(text);
	say('');
	say('Targets (this package):');
	for (const s of [o.sharing, o.ids10k, o.memory100k])
		for (const [r, v] of s.targets) say(`- ${r.label}: ${v.text}.`);
	say('');
	for (const s of [o.ids10k, o.memory100k]) for (const text of s.notes) say(text);
	/** @type {string[]} */
	const lost = [];
	for (const [r, n] of [...inTable.flatMap((s) => s.checks), ...o.running.checks]) {
		say(idsLine(r, n));
		if (!exactlyOnce(r, n)) lost.push(`${r.label} [${r.pkg}]`);
	}
	say(
		`Total run time ${totalS} s; machine: ${os.cpus().length} cores, load average ${o.loadAtStart} at the start, ${load()} at the end (other work shares it).`,
	);
	if (lost.length) throw new BenchError(`a node run lost ids or failed: ${lost.join('; ')}`);
}

module.exports = { printReport, load };

#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run bench`: the runner. This package in REAL n8n (headless, `n8n execute`) against the
 * local Zoho CRM sandbox with Zoho-like latency and Zoho's Standard-edition concurrency limit,
 * compared with the package as it was before items shared calls (commit 0eb5e2c, built from a
 * clone in a temp folder and installed into a SECOND n8n user folder of the same n8n, so both
 * run on the same machine minutes apart) and with what users do without it (n8n's HTTP Request
 * node, one DELETE per id). Max Concurrent Calls 10 (= Zoho's limit here) in every node run.
 *
 * The scenario families, each in its own file, run in this order:
 *  1. ids-10k.js       10,000 ids delinked from one campaign, this node vs HTTP Request;
 *  2. sharing.js       1,000 input items of one id each, over 1, 10 or 1,000 campaigns;
 *  3. memory-100k.js   peak RSS for 100,000 ids in one item under `n8n execute`, and baselines;
 *  4. running-n8n.js   the same 100k run and its input baselines in a running n8n;
 *  5. profile.js       with BENCH_PROFILE=<dir>, instead of 1-4: profiles of the 10k and 100k runs.
 * Scenarios 1a, 2, 3 and 4 run with both packages; the targets are checked on this one.
 * Environment knobs (BENCH_*): see settings.js and docs/benchmark.md.
 *
 * Every campaign is seeded fresh for its run. Everything (sandbox, temp user folders, the
 * clone, n8n processes) is started and stopped here; only 127.0.0.1 is contacted.
 * Exit code: 0, or 1 on a crash, or when a node run lost an id (an id without exactly one
 * output item, reported delinked but still linked in the sandbox, or not removed exactly
 * once by the sandbox) or failed.
 */
const h = require('./harness');
const settings = require('./settings');
const { startBenchSandbox } = require('./sandbox');
const { installPackages, seedPackage, importInto } = require('./packages');
const { killAll } = require('./n8n-execute');
const ids10k = require('./ids-10k');
const sharing = require('./sharing');
const memory100k = require('./memory-100k');
const runningN8n = require('./running-n8n');
const { profileRuns } = require('./profile');
const { printReport, load } = require('./report');
const { say, progress } = require('./print');

async function main() {
	const started = Date.now();
	const loadAtStart = load();
	const line = settings.benchLine();
	const paced = settings.pacedMs();
	const rounds = settings.serverRounds();
	const profileDir = settings.profileDir();
	const n8n = await h.ensureN8n(line);
	progress(`n8n ${n8n.version} on Node ${n8n.nodeVersion}: packing and installing this package…`);
	const installed = await installPackages(line, !profileDir);
	const s = await startBenchSandbox();
	try {
		const now = { ...installed.now, ...seedPackage(s, settings.NOW) };
		const http = ids10k.seedHttp(s, paced);
		await importInto(now.ctx, s, [
			...now.workflows,
			...http.workflows,
			...memory100k.baselineWorkflows(s.contacts),
		]);
		if (!installed.base) {
			await profileRuns(s.sb, now, /** @type {string} */ (profileDir));
			say(`Total run time ${Math.round((Date.now() - started) / 1000)} s.`);
			return;
		}
		const base = { ...installed.base, ...seedPackage(s, installed.base.tag) };
		await importInto(base.ctx, s, base.workflows);
		/** @type {import('./packages').Bench} */
		const bench = { ...s, line, now, base };

		const idsRes = await ids10k.run(bench, http.campaigns, paced);
		const sharingRes = await sharing.run(bench);
		const memoryRes = await memory100k.run(bench);
		const served = await runningN8n.run(bench, rounds);

		printReport({
			n8n,
			command: settings.commandLine(),
			baseTag: base.tag,
			started,
			loadAtStart,
			ids10k: ids10k.report(idsRes),
			sharing: sharing.report(sharingRes),
			memory100k: memory100k.report(memoryRes, served),
			running: runningN8n.report(served),
		});
	} finally {
		await s.sb.close();
		await h.cleanupAll();
	}
}

main().then(
	() => process.exit(0),
	async (error) => {
		killAll();
		await h.cleanupAll().catch(() => undefined);
		const message =
			error instanceof settings.BenchError ? error.message : (error?.stack ?? String(error));
		process.stderr.write(`\nbench failed: ${message}\n`);
		process.exit(1);
	},
);

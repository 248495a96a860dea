// @ts-check
'use strict';
/**
 * One workflow run with `n8n execute` under /usr/bin/time (peak RSS), in its own process
 * group, and the killing of every such group still alive when the bench ends.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');
const { RUN_TIMEOUT_MS, dumpDir } = require('./settings');

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

/** @param {import('node:child_process').ChildProcess} child */
function killGroup(child) {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, 'SIGKILL');
	} catch {
		/* gone */
	}
}

/** Kills the process group of every `n8n execute` still running. */
function killAll() {
	for (const c of children) killGroup(c);
}
process.on('exit', killAll);

/** @type {string | undefined} */
let outDir;

/**
 * `n8n execute --id=<id> --rawOutput` with the context's environment, measured by
 * `/usr/bin/time -f %M` (peak RSS of the n8n process, in kB). Its stdout goes to a file, not
 * a pipe: n8n exits before a pipe has taken the whole run data of 100,000 items (it was cut
 * at ~64 MB), while writes to a file are synchronous. BENCH_DUMP=<dir> keeps a copy of both.
 * @param {import('./harness').Ctx} ctx @param {string} id @param {Record<string, string>} [extraEnv]
 */
async function execute(ctx, id, extraEnv = {}) {
	outDir ??= await h.makeTempDir('bench-out');
	const outFile = path.join(outDir, `${id}.stdout`);
	const errFile = path.join(outDir, `${id}.stderr`);
	const env = {
		...ctx.env,
		N8N_PORT: String(await h.freePort()),
		N8N_RUNNERS_BROKER_PORT: String(await h.freePort()),
		...extraEnv,
	};
	const started = Date.now();
	const outFd = fs.openSync(outFile, 'w');
	const errFd = fs.openSync(errFile, 'w');
	/** @type {{ exitCode: number | null, timedOut: boolean }} */
	const exit = await new Promise((resolve, reject) => {
		const child = spawn(
			'/usr/bin/time',
			[
				'-f',
				'BENCH_PEAK_RSS_KB=%M',
				ctx.n8n.nodeBin,
				ctx.n8n.n8nBin,
				'execute',
				`--id=${id}`,
				'--rawOutput',
			],
			{ cwd: ctx.root, env, stdio: ['ignore', outFd, errFd], detached: true },
		);
		children.add(child);
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child);
		}, RUN_TIMEOUT_MS);
		child.on('error', (e) => {
			clearTimeout(timer);
			children.delete(child);
			reject(e);
		});
		child.on('exit', (exitCode) => {
			clearTimeout(timer);
			children.delete(child);
			killGroup(child); // a task runner left in the group goes too
			resolve({ exitCode, timedOut });
		});
	}).finally(() => {
		fs.closeSync(outFd);
		fs.closeSync(errFd);
	});
	const stdout = fs.readFileSync(outFile, 'utf8');
	const stderr = fs.readFileSync(errFile, 'utf8');
	const dump = dumpDir();
	if (dump) {
		fs.mkdirSync(dump, { recursive: true });
		fs.copyFileSync(outFile, path.join(dump, `${id}.stdout`));
		fs.copyFileSync(errFile, path.join(dump, `${id}.stderr`));
	}
	fs.rmSync(outFile, { force: true });
	fs.rmSync(errFile, { force: true });
	const rss = /BENCH_PEAK_RSS_KB=(\d+)/.exec(stderr);
	const output = h.parseRunOutput(stdout) ?? h.parseRunOutput(stderr);
	const error = output?.data?.resultData?.error;
	return {
		...exit,
		ok: exit.exitCode === 0 && !!output && !error && output?.status !== 'error',
		output,
		error,
		stdout,
		stderr,
		durationMs: Date.now() - started,
		peakRssKb: rss ? Number(rss[1]) : undefined,
	};
}

module.exports = { execute, killAll };

// @ts-check
'use strict';
/**
 * Child processes and temp folders of the harness: `run()` runs a command in its own process
 * group and collects its output; every child and every temp folder is registered here and
 * goes at cleanupAll(), at process exit and on Ctrl-C / SIGTERM / SIGHUP (temp folders stay
 * with E2E_KEEP=1).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const { KEEP, CLI_TIMEOUT_MS } = require('./config');

/**
 * @typedef {{
 *   exitCode: number | null, signal: string | null, timedOut: boolean,
 *   stdout: string, stderr: string, durationMs: number, args: string[]
 * }} CliResult
 */

/** @type {Set<import('node:child_process').ChildProcess>} */
const liveChildren = new Set();
/** @type {Set<string>} */
const tempDirs = new Set();
let hooksInstalled = false;

/** @param {import('node:child_process').ChildProcess} child @param {NodeJS.Signals} signal */
function killTree(child, signal) {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal); // spawned detached: its own process group
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

/**
 * A signal (default SIGKILL) to a child's whole process group, whatever is left in it (e.g.
 * n8n's task runner), even once the child itself has exited.
 * @param {import('node:child_process').ChildProcess} child @param {NodeJS.Signals} [signal]
 */
function killGroup(child, signal = 'SIGKILL') {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		/* group already empty */
	}
}

function cleanupAllSync() {
	for (const child of liveChildren) killTree(child, 'SIGKILL');
	liveChildren.clear();
	for (const dir of tempDirs) {
		if (KEEP) {
			process.stderr.write(`[n8n-harness] E2E_KEEP=1: kept ${dir}\n`);
			continue;
		}
		try {
			fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
		} catch {
			/* best effort */
		}
	}
	tempDirs.clear();
}

function installHooks() {
	if (hooksInstalled) return;
	hooksInstalled = true;
	process.on('exit', cleanupAllSync);
	for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
		const onSignal = () => {
			cleanupAllSync();
			process.removeListener(sig, onSignal);
			process.kill(process.pid, sig);
		};
		process.on(sig, onSignal);
	}
}

/** Kills every n8n process this harness started and removes its temp folders (E2E_KEEP=1 keeps them). */
async function cleanupAll() {
	const children = [...liveChildren];
	for (const child of children) killTree(child, 'SIGTERM');
	await Promise.all(children.map((c) => waitExit(c, 10_000)));
	cleanupAllSync();
}

/**
 * A temp folder (os.tmpdir()/n8n-e2e-<label>-…) removed at cleanupAll() / process exit,
 * also on Ctrl-C, unless E2E_KEEP=1.
 * @param {string} label @returns {Promise<string>}
 */
async function makeTempDir(label) {
	installHooks();
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `n8n-e2e-${label}-`));
	tempDirs.add(dir);
	return dir;
}

/** @param {string} dir */
async function removeTempDir(dir) {
	if (!tempDirs.has(dir)) return;
	tempDirs.delete(dir);
	if (KEEP) {
		process.stderr.write(`[n8n-harness] E2E_KEEP=1: kept ${dir}\n`);
		return;
	}
	await fsp.rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** @param {import('node:child_process').ChildProcess} child @param {number} ms */
function waitExit(child, ms) {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
		const timer = setTimeout(() => resolve(false), ms);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}

let outCounter = 0;

/**
 * Runs a command in its own process group; collects stdout/stderr; kills the group on timeout.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, stderrTo?: NodeJS.WritableStream }} [opts]
 * @returns {Promise<CliResult>}
 */
function run(cmd, args, opts = {}) {
	installHooks();
	const started = Date.now();
	// stdout goes to a file, not a pipe: Node writes to a file synchronously, so a CLI that
	// calls process.exit right after printing a large result (n8n execute) cannot cut it short.
	const outFile = path.join(os.tmpdir(), `n8n-e2e-out-${process.pid}-${++outCounter}.txt`);
	const outFd = fs.openSync(outFile, 'w');
	const readOut = () => {
		try {
			return fs.readFileSync(outFile, 'utf8');
		} finally {
			fs.rmSync(outFile, { force: true });
		}
	};
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env,
			stdio: ['ignore', outFd, 'pipe'],
			detached: true,
		});
		fs.closeSync(outFd); // the child holds its own copy
		liveChildren.add(child);
		/** @type {Buffer[]} */ const err = [];
		child.stderr?.on('data', (d) => {
			err.push(d);
			opts.stderrTo?.write(d);
		});
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killTree(child, 'SIGKILL');
		}, opts.timeoutMs ?? CLI_TIMEOUT_MS);
		child.on('error', (e) => {
			clearTimeout(timer);
			liveChildren.delete(child);
			readOut();
			reject(e);
		});
		child.on('close', (exitCode, signal) => {
			clearTimeout(timer);
			liveChildren.delete(child);
			// The group may still hold children (e.g. a task runner): make sure they go too.
			killGroup(child);
			resolve({
				exitCode,
				signal,
				timedOut,
				stdout: readOut(),
				stderr: Buffer.concat(err).toString('utf8'),
				durationMs: Date.now() - started,
				args: [cmd, ...args],
			});
		});
	});
}

/** @param {string} text @param {number} [n] */
function tail(text, n = 40) {
	return text.split('\n').slice(-n).join('\n');
}

/** @param {string} what @param {CliResult} r */
function cliError(what, r) {
	return new Error(
		`${what} failed (exit ${r.exitCode}${r.signal ? `, signal ${r.signal}` : ''}${
			r.timedOut ? ', TIMED OUT' : ''
		}, ${r.durationMs} ms): ${r.args.join(' ')}\n--- stdout (tail) ---\n${tail(r.stdout)}\n--- stderr (tail) ---\n${tail(r.stderr)}`,
	);
}

module.exports = {
	liveChildren,
	killTree,
	killGroup,
	installHooks,
	cleanupAll,
	makeTempDir,
	removeTempDir,
	waitExit,
	run,
	tail,
	cliError,
};

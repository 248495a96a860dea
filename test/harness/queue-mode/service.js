// @ts-check
'use strict';
/**
 * The processes behind queue mode that are not n8n: Debian's postgresql and redis-server
 * installed when missing, a long-running service in its own process group registered with
 * the harness (killed by cleanupAll() and at exit), its environment, and polling until
 * something holds.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const h = require('..');
const { strippedEnv } = require('../config');
const { killGroup } = require('../process');

const ENSURE_SCRIPT = path.join(h.REPO_DIR, 'scripts', 'ensure-queue-services.sh');
const SERVICE_TIMEOUT_MS = Number(process.env.E2E_SERVICE_TIMEOUT_MS) || 60_000;
const ECHO = !!process.env.E2E_ECHO_N8N;

/**
 * @typedef {{
 *   name: string, pid: number | undefined, startedAt: number,
 *   logs: () => string,
 *   exited: () => { code: number | null, signal: string | null } | undefined,
 *   waitForLog: (pattern: RegExp, timeoutMs: number) => Promise<void>,
 *   kill: (signal: NodeJS.Signals) => void,
 *   stop: () => Promise<void>
 * }} Service
 */

/**
 * Polls `check` until it returns a truthy value (returned), or throws after timeoutMs with
 * `what` and, when given, `explain()` in the message.
 * @template T
 * @param {() => Promise<T> | T} check
 * @param {{ timeoutMs: number, what: string, intervalMs?: number, explain?: () => string | Promise<string> }} opts
 * @returns {Promise<T>}
 */
async function waitUntil(check, opts) {
	const deadline = Date.now() + opts.timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline)
			throw new Error(
				`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${
					opts.explain ? `\n${await opts.explain()}` : ''
				}`,
			);
		await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
	}
}

/**
 * Installs Debian's postgresql and redis-server when missing (scripts/ensure-queue-services.sh;
 * needs root, or prints the apt-get line to run).
 */
async function ensureQueueServices() {
	const r = await h.run('bash', [ENSURE_SCRIPT], { timeoutMs: 15 * 60_000 });
	if (r.exitCode !== 0)
		throw new Error(
			`scripts/ensure-queue-services.sh failed (exit ${r.exitCode}):\n${h.tail(r.stdout)}\n${h.tail(r.stderr)}`,
		);
}

/**
 * A long-running process in its own process group, registered with the harness (killed by
 * cleanupAll() and at exit). Its stdout and stderr are collected together.
 * @param {string} name @param {string} cmd @param {string[]} args
 * @param {{ env: NodeJS.ProcessEnv, cwd?: string, uid?: number, gid?: number }} opts
 * @returns {Service}
 */
function spawnService(name, cmd, args, opts) {
	h.installHooks();
	const startedAt = Date.now();
	const child = spawn(cmd, args, {
		cwd: opts.cwd,
		env: opts.env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
		...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid } : {}),
	});
	h.liveChildren.add(child);
	let log = '';
	/** @type {{ code: number | null, signal: string | null } | undefined} */
	let exit;
	/** @param {Buffer} d */
	const onData = (d) => {
		log += d.toString('utf8');
		if (ECHO) process.stderr.write(`[${name}] ${d}`);
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	child.on('error', (e) => {
		log += `\n[spawn error] ${e.message}\n`;
		exit ??= { code: null, signal: null };
		h.liveChildren.delete(child);
	});
	child.on('exit', (code, signal) => {
		exit = { code, signal };
		h.liveChildren.delete(child);
	});
	/** @param {NodeJS.Signals} signal */
	const kill = (signal) => killGroup(child, signal);
	return {
		name,
		pid: child.pid,
		startedAt,
		logs: () => log,
		exited: () => exit,
		async waitForLog(pattern, timeoutMs) {
			await waitUntil(
				() => {
					if (pattern.test(log)) return true;
					if (exit)
						throw new Error(
							`${name} exited (code ${exit.code}, signal ${exit.signal}) before printing ${pattern}:\n${h.tail(log, 60)}`,
						);
					return false;
				},
				{ timeoutMs, what: `${name} to print ${pattern}`, explain: () => h.tail(log, 60) },
			);
		},
		kill,
		async stop() {
			if (!exit) {
				kill('SIGTERM');
				if (!(await h.waitExit(child, 20_000))) kill('SIGKILL');
				await h.waitExit(child, 5_000);
			}
			kill('SIGKILL'); // whatever is left in the group (n8n's task runner…)
			h.liveChildren.delete(child);
		},
	};
}

/**
 * The environment for a service that is not n8n: the caller's, minus what belongs to n8n.
 * @param {Record<string, string>} [extra]
 */
function serviceEnv(extra = {}) {
	return { ...strippedEnv(), LANG: 'C', LC_ALL: 'C', TZ: 'UTC', ...extra };
}

module.exports = { SERVICE_TIMEOUT_MS, waitUntil, ensureQueueServices, spawnService, serviceEnv };

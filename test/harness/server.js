// @ts-check
'use strict';
/**
 * `n8n start` for a user folder: the server on 127.0.0.1 with free ports, resolved once its
 * REST routes exist, stopped with its whole process group.
 */
const { spawn } = require('node:child_process');
const { START_TIMEOUT_MS } = require('./config');
const { liveChildren, installHooks, killTree, killGroup, waitExit, tail } = require('./process');
const { freePort, httpStatus } = require('./ports');

/**
 * @typedef {{
 *   url: string, port: number, pid: number | undefined, healthzMs: number, durationMs: number,
 *   logs: () => string, stop: () => Promise<void>
 * }} N8nServer
 */

/**
 * `n8n start` on 127.0.0.1 with a free port. Resolves once GET /healthz answers 200 and
 * (waitFor 'ready', the default) n8n has printed "Editor is now accessible via" — /healthz
 * comes up before the REST routes (POST /rest/owner/setup is a 404 until then).
 * @param {import('./user-folder').Ctx} ctx
 * @param {{ timeoutMs?: number, env?: Record<string, string>, echo?: boolean, waitFor?: 'healthz' | 'ready' }} [opts]
 * @returns {Promise<N8nServer>}
 */
async function startN8n(ctx, opts = {}) {
	installHooks();
	const started = Date.now();
	const port = await freePort();
	const env = {
		...ctx.env,
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...opts.env,
	};
	const child = spawn(ctx.n8n.nodeBin, [ctx.n8n.n8nBin, 'start'], {
		cwd: ctx.root,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	liveChildren.add(child);
	let log = '';
	/** @param {Buffer} d */
	const onData = (d) => {
		log += d.toString('utf8');
		if (opts.echo || process.env.E2E_ECHO_N8N) process.stderr.write(d);
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	let exited = false;
	child.on('exit', () => {
		exited = true;
		liveChildren.delete(child);
	});
	const url = `http://127.0.0.1:${port}`;
	const stop = async () => {
		if (exited) return;
		killTree(child, 'SIGTERM');
		if (!(await waitExit(child, 15_000))) killTree(child, 'SIGKILL');
		await waitExit(child, 5_000);
		// anything left in the group (task runner) goes too
		killGroup(child);
		liveChildren.delete(child);
	};
	const deadline = Date.now() + (opts.timeoutMs ?? START_TIMEOUT_MS);
	const waitReady = (opts.waitFor ?? 'ready') === 'ready';
	/** @type {number | undefined} */
	let healthzMs;
	while (Date.now() < deadline) {
		if (exited) throw new Error(`n8n start exited before it was ready:\n${tail(log, 60)}`);
		if (healthzMs === undefined && (await httpStatus(`${url}/healthz`)) === 200)
			healthzMs = Date.now() - started;
		// /healthz answers before the REST routes exist; n8n prints this line once they do.
		if (healthzMs !== undefined && (!waitReady || log.includes('Editor is now accessible via'))) {
			return {
				url,
				port,
				pid: child.pid,
				healthzMs,
				durationMs: Date.now() - started,
				logs: () => log,
				stop,
			};
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	await stop();
	throw new Error(
		`n8n start: not ready after ${opts.timeoutMs ?? START_TIMEOUT_MS} ms (healthz ${healthzMs ?? 'never'} ms):\n${tail(log, 60)}`,
	);
}

module.exports = { startN8n };

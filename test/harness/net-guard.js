// @ts-check
'use strict';
/**
 * Preloaded into every n8n process the e2e harness starts (NODE_OPTIONS=--require …).
 * Watches outgoing TCP connections (net, tls, http(s), undici/fetch all end up in
 * net.Socket.prototype.connect) and, unless the target is loopback, a unix socket or a
 * host listed in E2E_NET_ALLOW, records the attempt as one JSON line in
 * E2E_NET_GUARD_LOG and (mode "block", the default) fails the socket at once with
 * ECONNREFUSED instead of letting it out.
 *
 *   E2E_NET_GUARD      block (default) | log | off
 *   E2E_NET_GUARD_LOG  file to append attempts to (JSON lines)
 *   E2E_NET_ALLOW      comma-separated extra host names / addresses to let through
 */
const fs = require('node:fs');
const net = require('node:net');

const mode = (process.env.E2E_NET_GUARD || 'block').toLowerCase();
const logFile = process.env.E2E_NET_GUARD_LOG || '';
const allow = new Set(
	(process.env.E2E_NET_ALLOW || '')
		.split(',')
		.map((s) => s.trim().toLowerCase())
		.filter(Boolean),
);

/** @param {string | undefined} host */
function isLocal(host) {
	if (!host) return true; // net defaults to localhost
	const h = host.toLowerCase().replace(/^\[|\]$/g, '');
	if (h === 'localhost' || h.endsWith('.localhost')) return true;
	if (h === '::1' || h === '0:0:0:0:0:0:0:1' || h === '::ffff:127.0.0.1') return true;
	if (/^127\.\d+\.\d+\.\d+$/.test(h)) return true;
	if (h === '0.0.0.0' || h === '::') return true; // connects to this host
	return allow.has(h);
}

/**
 * net.Socket.prototype.connect receives either the internal normalized array
 * [options, cb], an options object, a path, or (port, host, cb).
 * @param {any[]} args
 * @returns {{ host?: string, port?: number | string, path?: string }}
 */
function target(args) {
	let a0 = args[0];
	if (Array.isArray(a0)) a0 = a0[0];
	if (a0 && typeof a0 === 'object') return { host: a0.host, port: a0.port, path: a0.path };
	if (typeof a0 === 'number' || (typeof a0 === 'string' && /^\d+$/.test(a0)))
		return { port: a0, host: typeof args[1] === 'string' ? args[1] : undefined };
	if (typeof a0 === 'string') return { path: a0 };
	return {};
}

/** @param {object} entry */
function record(entry) {
	if (!logFile) return;
	try {
		fs.appendFileSync(logFile, JSON.stringify(entry) + '\n');
	} catch {
		/* the log is best effort */
	}
}

if (mode !== 'off') {
	const original = net.Socket.prototype.connect;
	/** @this {net.Socket} @param {any[]} args */
	const guarded = function connect(...args) {
		const t = target(args);
		if (t.path || isLocal(t.host)) return original.apply(this, /** @type {any} */ (args));
		const stack = (new Error().stack || '')
			.split('\n')
			.slice(2, 12)
			.map((l) => l.trim());
		record({
			time: new Date().toISOString(),
			pid: process.pid,
			argv: process.argv.slice(1, 3).join(' '),
			host: t.host,
			port: t.port,
			action: mode === 'block' ? 'blocked' : 'allowed',
			stack,
		});
		if (mode !== 'block') return original.apply(this, /** @type {any} */ (args));
		const err = Object.assign(
			new Error(`connect ECONNREFUSED ${t.host}:${t.port} (blocked by the e2e network guard)`),
			{ code: 'ECONNREFUSED', errno: -111, syscall: 'connect', address: t.host, port: t.port },
		);
		process.nextTick(() => this.destroy(err));
		return this;
	};
	net.Socket.prototype.connect = /** @type {any} */ (guarded);
}

// @ts-check
'use strict';
/**
 * What a set of processes listens on, read from /proc (no `ss` / `netstat` needed): every TCP
 * socket in LISTEN state held by a process of the given process groups, with its address.
 */
const fs = require('node:fs');

/**
 * @param {string} hex e.g. 0100007F (IPv4, little-endian) or 32 hex digits (IPv6)
 * @returns {string}
 */
function procAddress(hex) {
	if (hex.length === 8)
		return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
	const words = [];
	for (let w = 0; w < 4; w++) {
		const word = hex.slice(w * 8, w * 8 + 8);
		words.push(word.match(/../g)?.reverse().join('') ?? '');
	}
	const full = words.join('');
	if (full === `${'0'.repeat(31)}1`) return '::1';
	if (full === '0'.repeat(32)) return '::';
	if (full.startsWith('00000000000000000000ffff'))
		return `::ffff:${procAddress(full.slice(24).match(/../g)?.reverse().join('') ?? '')}`;
	return (full.match(/..../g) ?? []).map((g) => g.replace(/^0{1,3}/, '')).join(':');
}

/**
 * Every TCP socket in LISTEN state held by a process of these process groups (a service and
 * everything it started: n8n's task runner, Postgres' children…), read from /proc.
 * @param {number[]} groups process group ids (the services' pids: each leads its group)
 * @returns {Array<{ pid: number, command: string, address: string, port: number }>}
 */
function listeningSockets(groups) {
	/** @type {Map<string, { address: string, port: number }>} inode → local address */
	const listening = new Map();
	for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
		if (!fs.existsSync(file)) continue;
		for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
			const f = line.trim().split(/\s+/);
			if (f.length < 10 || f[3] !== '0A') continue; // 0A: LISTEN
			const [addr, port] = f[1].split(':');
			listening.set(f[9], { address: procAddress(addr), port: parseInt(port, 16) });
		}
	}
	const wanted = new Set(groups);
	/** @type {Array<{ pid: number, command: string, address: string, port: number }>} */
	const out = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat;
		try {
			stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue; // gone
		}
		const close = stat.lastIndexOf(')');
		const command = stat.slice(stat.indexOf('(') + 1, close);
		const pgid = Number(stat.slice(close + 2).split(' ')[2]);
		if (!wanted.has(pgid)) continue;
		let fds = [];
		try {
			fds = fs.readdirSync(`/proc/${entry}/fd`);
		} catch {
			continue;
		}
		for (const fd of fds) {
			let target = '';
			try {
				target = fs.readlinkSync(`/proc/${entry}/fd/${fd}`);
			} catch {
				continue;
			}
			const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
			const sock = inode && listening.get(inode);
			if (sock) out.push({ pid: Number(entry), command, ...sock });
		}
	}
	return out;
}

module.exports = { listeningSockets };

#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Runs one sandbox in its own process and prints ONE JSON line on stdout:
 *   {"url", "accessToken", "refreshToken", "expiredAccessToken", "expiredRefreshToken",
 *    "clientId", "clientSecret", "seed": {...} | null, "pid"}
 * then serves until SIGTERM/SIGINT, stdin closing (the parent died; only watched when stdin
 * is a pipe or socket), an IPC disconnect, or --max-seconds.
 *
 *   node test/zoho-sandbox/cli.js [--host 127.0.0.1] [--port 0] [--seed demo] [--latency-ms N]
 *     [--max-concurrent N] [--daily-credits N] [--error-rate R] [--fault-seed N]
 *     [--access-token-ttl-seconds N] [--max-seconds N] [--client-id X] [--client-secret X]
 *     [--scope S] [--page-tokens] [--page-window N]
 *     [--not-linked-answer relation-not-found|success|invalid-data] [--ignore-stdin]
 * (`--page-tokens` also takes `=true` / `=false`.)
 */
const fs = require('node:fs');
const { startZohoSandbox } = require('./index');
const { SEEDS } = require('./seed');
const { NOT_LINKED_ANSWERS } = require('./faults');

const USAGE =
	'usage: node test/zoho-sandbox/cli.js [--host H] [--port N] [--seed demo] [--latency-ms N] ' +
	'[--max-concurrent N] [--daily-credits N] [--error-rate R] [--fault-seed N] ' +
	'[--access-token-ttl-seconds N] [--max-seconds N] [--client-id X] [--client-secret X] ' +
	'[--scope S] [--page-tokens] [--page-window N] ' +
	'[--not-linked-answer relation-not-found|success|invalid-data] [--ignore-stdin]';

/** Options given without a value. */
const FLAGS = new Set(['--ignore-stdin', '--help', '--page-tokens']);

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {Record<string, string | true>} */
	const args = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
		const eq = arg.indexOf('=');
		if (eq > 0) args[arg.slice(2, eq)] = arg.slice(eq + 1);
		else if (FLAGS.has(arg)) args[arg.slice(2)] = true;
		else if (i + 1 < argv.length) args[arg.slice(2)] = argv[++i];
		else throw new Error(`${arg} needs a value`);
	}
	return args;
}

/** @param {Record<string, string | true>} args @param {string} name */
function num(args, name) {
	const v = args[name];
	if (v === undefined) return undefined;
	const n = Number(v);
	if (v === true || !Number.isFinite(n)) throw new Error(`--${name} needs a number`);
	return n;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		process.stdout.write(USAGE + '\n');
		return;
	}
	const known = new Set([
		'host',
		'port',
		'seed',
		'latency-ms',
		'max-concurrent',
		'daily-credits',
		'error-rate',
		'fault-seed',
		'access-token-ttl-seconds',
		'max-seconds',
		'client-id',
		'client-secret',
		'scope',
		'page-tokens',
		'page-window',
		'not-linked-answer',
		'ignore-stdin',
	]);
	for (const key of Object.keys(args))
		if (!known.has(key)) throw new Error(`unknown option --${key}`);
	const seedName = typeof args.seed === 'string' ? args.seed : undefined;
	const seedFn =
		seedName === undefined ? undefined : SEEDS[/** @type {keyof typeof SEEDS} */ (seedName)];
	if (seedName !== undefined && !seedFn)
		throw new Error(`unknown seed "${seedName}" (known: ${Object.keys(SEEDS).join(', ')})`);

	/** @type {import('./index').SandboxOptions} */
	const options = {
		host: typeof args.host === 'string' ? args.host : '127.0.0.1',
		port: num(args, 'port') ?? 0,
	};
	if (typeof args['client-id'] === 'string') options.clientId = args['client-id'];
	if (typeof args['client-secret'] === 'string') options.clientSecret = args['client-secret'];
	if (args['latency-ms'] !== undefined) options.latencyMs = num(args, 'latency-ms');
	if (args['max-concurrent'] !== undefined) options.maxConcurrent = num(args, 'max-concurrent');
	if (args['daily-credits'] !== undefined) options.dailyCredits = num(args, 'daily-credits');
	if (args['error-rate'] !== undefined) options.errorRate = num(args, 'error-rate');
	if (args['fault-seed'] !== undefined) options.seed = num(args, 'fault-seed');
	if (args['access-token-ttl-seconds'] !== undefined)
		options.accessTokenTtlSeconds = num(args, 'access-token-ttl-seconds');
	const pageTokens = args['page-tokens'];
	if (pageTokens !== undefined) {
		if (pageTokens !== true && pageTokens !== 'true' && pageTokens !== 'false')
			throw new Error('--page-tokens takes no value, or =true / =false');
		options.pageTokens = pageTokens !== 'false';
	}
	if (args['page-window'] !== undefined) options.pageWindow = num(args, 'page-window');
	const notLinked = args['not-linked-answer'];
	if (notLinked !== undefined) {
		if (
			typeof notLinked !== 'string' ||
			!NOT_LINKED_ANSWERS.includes(/** @type {any} */ (notLinked))
		)
			throw new Error(`--not-linked-answer takes one of ${NOT_LINKED_ANSWERS.join(', ')}`);
		options.notLinkedAnswer = /** @type {import('./index').NotLinkedAnswer} */ (notLinked);
	}

	const sb = await startZohoSandbox(options);
	let stopping = false;
	/** @param {string} why */
	const stop = (why) => {
		if (stopping) return;
		stopping = true;
		process.stderr.write(`zoho-sandbox: stopping (${why})\n`);
		sb.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGTERM', () => stop('SIGTERM'));
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('disconnect', () => stop('IPC channel closed'));
	const maxSeconds = num(args, 'max-seconds');
	if (maxSeconds !== undefined && maxSeconds > 0)
		setTimeout(() => stop(`--max-seconds ${maxSeconds}`), maxSeconds * 1000).unref();
	if (!args['ignore-stdin']) {
		// Watch stdin only when it is a pipe or socket (spawned with stdio 'pipe', or `a | cli`):
		// a TTY or /dev/null says nothing about the parent being alive.
		const stat = fs.fstatSync(0);
		if (stat.isFIFO() || stat.isSocket()) {
			process.stdin.on('end', () => stop('stdin closed'));
			process.stdin.on('close', () => stop('stdin closed'));
			process.stdin.on('error', () => stop('stdin error'));
			process.stdin.resume();
		}
	}

	const scope = typeof args.scope === 'string' ? args.scope : undefined;
	const valid = sb.issueTokens({ scope });
	const expired = sb.issueTokens({ scope, expired: true });
	const seed = seedFn ? seedFn(sb) : null;
	sb.resetStats(); // tokens issued for the caller are setup, not traffic
	process.stdout.write(
		JSON.stringify({
			url: sb.url,
			accessToken: valid.access_token,
			refreshToken: valid.refresh_token,
			expiredAccessToken: expired.access_token,
			expiredRefreshToken: expired.refresh_token,
			clientId: sb.clientId,
			clientSecret: sb.clientSecret,
			seed,
			pid: process.pid,
		}) + '\n',
	);
}

main().catch((error) => {
	process.stderr.write(
		`zoho-sandbox: ${error instanceof Error ? error.message : error}\n${USAGE}\n`,
	);
	process.exit(2);
});

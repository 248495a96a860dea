// @ts-check
'use strict';
/**
 * A throwaway Redis for queue mode: redis-server on 127.0.0.1 with a free port, a random
 * password (in a config file, not on the command line) and no persistence.
 */
const crypto = require('node:crypto');
const fsp = require('node:fs/promises');
const path = require('node:path');
const h = require('..');
const { SERVICE_TIMEOUT_MS, spawnService, serviceEnv } = require('./service');

/**
 * @typedef {{
 *   host: string, port: number, password: string, service: import('./service').Service,
 *   stop: () => Promise<void>
 * }} Redis
 */

/**
 * A throwaway Redis: 127.0.0.1:<free port>, a random password, no persistence.
 * @returns {Promise<Redis>}
 */
async function startRedis() {
	const root = await h.makeTempDir('redis');
	const port = await h.freePort();
	const password = crypto.randomBytes(18).toString('base64url');
	// the password goes through a config file, not the command line (ps would show it)
	const conf = path.join(root, 'redis.conf');
	await fsp.writeFile(
		conf,
		[
			`port ${port}`,
			'bind 127.0.0.1',
			'protected-mode yes',
			'save ""',
			'appendonly no',
			`dir ${root}`,
			'daemonize no',
			`requirepass ${password}`,
			'',
		].join('\n'),
		{ mode: 0o600 },
	);
	const service = spawnService('redis', 'redis-server', [conf], { env: serviceEnv(), cwd: root });
	await service.waitForLog(/Ready to accept connections/, SERVICE_TIMEOUT_MS);
	return {
		host: '127.0.0.1',
		port,
		password,
		service,
		async stop() {
			await service.stop();
			await h.removeTempDir(root);
		},
	};
}

module.exports = { startRedis };

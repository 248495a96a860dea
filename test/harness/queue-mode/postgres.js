// @ts-check
'use strict';
/**
 * A throwaway Postgres for queue mode, from Debian's binaries: initdb into a temp folder, the
 * server on 127.0.0.1 and a unix socket in that folder, a database and role `n8n`, and `sql()`
 * through psql. Runs as the `postgres` user when this process is root (initdb refuses root).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');
const h = require('..');
const { SERVICE_TIMEOUT_MS, waitUntil, spawnService, serviceEnv } = require('./service');

/**
 * @typedef {{
 *   host: string, port: number, socketDir: string, database: string, user: string,
 *   password: string, service: import('./service').Service, startMs: number,
 *   sql: (query: string, timeoutMs?: number) => Promise<string>,
 *   stop: () => Promise<void>
 * }} Postgres
 */

/** The newest /usr/lib/postgresql/<version>/bin holding initdb, pg_ctl, postgres and psql. */
function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	const versions = fs.existsSync(base)
		? fs
				.readdirSync(base)
				.filter((v) => /^\d+$/.test(v))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	for (const v of versions) {
		const dir = path.join(base, v, 'bin');
		if (['initdb', 'postgres', 'psql'].every((b) => fs.existsSync(path.join(dir, b)))) return dir;
	}
	throw new Error(
		`no Postgres server binaries under ${base}: run scripts/ensure-queue-services.sh`,
	);
}

/** uid/gid of a system user, from /etc/passwd. @param {string} name */
function systemUser(name) {
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith(`${name}:`));
	if (!line)
		throw new Error(`no user ${name} in /etc/passwd (Debian's postgresql package adds it)`);
	const [, , uid, gid, , home] = line.split(':');
	return { uid: Number(uid), gid: Number(gid), home };
}

/** @param {string} dir @param {number} uid @param {number} gid */
async function chownTree(dir, uid, gid) {
	await fsp.chown(dir, uid, gid);
	for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
		const p = path.join(dir, entry.name);
		if (entry.isDirectory()) await chownTree(p, uid, gid);
		else await fsp.chown(p, uid, gid);
	}
}

/**
 * A throwaway Postgres cluster (Debian's binaries): initdb into a temp folder, the server on
 * 127.0.0.1:<free port> and a unix socket in that folder, a database `n8n` owned by a role
 * `n8n` with a random password (password auth over TCP, as n8n connects; trust over the
 * socket for the test's own psql). fsync off: nothing here has to survive.
 * @returns {Promise<Postgres>}
 */
async function startPostgres() {
	const started = Date.now();
	const bin = postgresBinDir();
	const root = await h.makeTempDir('pg');
	const data = path.join(root, 'data');
	const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	/** @type {{ uid?: number, gid?: number }} */
	const ids = {};
	let home = root;
	if (asRoot) {
		const pgUser = systemUser('postgres');
		ids.uid = pgUser.uid;
		ids.gid = pgUser.gid;
		home = pgUser.home || root;
	}
	const superPassword = crypto.randomBytes(18).toString('base64url');
	const password = crypto.randomBytes(18).toString('base64url');
	const pwfile = path.join(root, 'superuser.pw');
	await fsp.writeFile(pwfile, `${superPassword}\n`, { mode: 0o600 });
	if (asRoot)
		await chownTree(root, /** @type {number} */ (ids.uid), /** @type {number} */ (ids.gid));
	const env = serviceEnv({ HOME: home });

	const initdb = spawnService(
		'initdb',
		path.join(bin, 'initdb'),
		[
			'-D',
			data,
			'-U',
			'postgres',
			'--auth-local=trust',
			'--auth-host=scram-sha-256',
			`--pwfile=${pwfile}`,
			'-E',
			'UTF8',
			'--no-locale',
			'--no-sync',
		],
		{ env, cwd: root, ...ids },
	);
	await waitUntil(() => initdb.exited(), {
		timeoutMs: SERVICE_TIMEOUT_MS,
		what: 'initdb',
		explain: () => initdb.logs(),
	}).finally(() => initdb.stop());
	await fsp.rm(pwfile, { force: true });
	const initExit = initdb.exited();
	if (initExit?.code !== 0)
		throw new Error(`initdb failed (exit ${initExit?.code}):\n${h.tail(initdb.logs())}`);

	const port = await h.freePort();
	const service = spawnService(
		'postgres',
		path.join(bin, 'postgres'),
		[
			'-D',
			data,
			'-h',
			'127.0.0.1',
			'-p',
			String(port),
			'-k',
			root,
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'max_connections=60',
			'-c',
			'shared_buffers=32MB',
			'-c',
			'dynamic_shared_memory_type=mmap',
		],
		{ env, cwd: root, ...ids },
	);
	await service.waitForLog(/database system is ready to accept connections/, SERVICE_TIMEOUT_MS);

	/** @param {string} query @param {string} [database] @param {number} [timeoutMs] */
	const psql = async (query, database = 'postgres', timeoutMs = 60_000) => {
		const r = await h.run(
			path.join(bin, 'psql'),
			[
				'-X',
				'-q',
				'-A',
				'-t',
				'-v',
				'ON_ERROR_STOP=1',
				'-h',
				root,
				'-p',
				String(port),
				'-U',
				'postgres',
				'-d',
				database,
				'-c',
				query,
			],
			{ env: serviceEnv(), timeoutMs },
		);
		if (r.exitCode !== 0)
			throw new Error(`psql failed (exit ${r.exitCode}) for: ${query.slice(0, 200)}\n${r.stderr}`);
		return r.stdout;
	};
	await psql(`CREATE ROLE n8n LOGIN PASSWORD '${password}'`);
	await psql('CREATE DATABASE n8n OWNER n8n');
	return {
		host: '127.0.0.1',
		port,
		socketDir: root,
		database: 'n8n',
		user: 'n8n',
		password,
		service,
		startMs: Date.now() - started,
		sql: (query, timeoutMs) => psql(query, 'n8n', timeoutMs),
		async stop() {
			// SIGINT: Postgres' fast shutdown (SIGTERM would wait for n8n's connections)
			service.kill('SIGINT');
			await waitUntil(() => !!service.exited(), {
				timeoutMs: 20_000,
				what: 'postgres to stop',
			}).catch(() => undefined);
			await service.stop();
			await h.removeTempDir(root);
		},
	};
}

module.exports = { postgresBinDir, startPostgres };

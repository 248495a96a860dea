// @ts-check
'use strict';
/**
 * n8n in queue mode for the e2e tests: Postgres and Redis from Debian's packages, one
 * `n8n start` (main) and N `n8n worker` processes with EXECUTIONS_MODE=queue, the same
 * encryption key and database, the packed package installed into each instance's own
 * N8N_USER_FOLDER the way an administrator does (`cd ~/.n8n/nodes && npm install <package>`).
 *
 *   const q = require('./queue-mode');
 *   const cluster = await q.startQueueCluster({
 *     line: 2, tarball, workers: 2,
 *     beforeStart: async (mainCtx) => { await h.importCredentials(mainCtx, [...]);
 *                                       await q.importActiveWorkflows(mainCtx, [...]); },
 *   });
 *   await fetch(`${cluster.main.url}/webhook/<path>`, { method: 'POST', ... });
 *   await q.waitForExecutions(cluster, workflowId, 50, 120_000);
 *   const runs = await q.readExecutions(cluster, workflowId); // status, data (unflattened)
 *   q.startedExecutions(cluster.workers[0]);                   // ids from "Worker started execution N"
 *   cluster.workers[0].kill('SIGKILL');                        // the whole process group
 *   await cluster.stop();                                      // everything, temp folders too
 *
 * Everything listens on 127.0.0.1 only (Postgres also on a unix socket inside its temp
 * folder), on free ports; every process runs in its own process group, registered with the
 * harness (n8n-harness.js) so that cleanupAll() and the exit / Ctrl-C hooks kill it and remove
 * its temp folder, also when a test fails. Postgres runs as the `postgres` user when this
 * process is root (initdb refuses root).
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');
const h = require('./n8n-harness');

const ENSURE_SCRIPT = path.join(h.REPO_DIR, 'scripts', 'ensure-queue-services.sh');
const SERVICE_TIMEOUT_MS = Number(process.env.E2E_SERVICE_TIMEOUT_MS) || 60_000;
const START_TIMEOUT_MS = Number(process.env.E2E_START_TIMEOUT_MS) || 180_000;
const ECHO = !!process.env.E2E_ECHO_N8N;

/**
 * Bull settings for the tests: a dead worker's jobs are noticed within ~13 s instead of
 * n8n's default 60 s lock + 30 s stalled check (see README "Queue mode and Docker"). A live
 * worker renews its locks every 2 s, far inside the 10 s.
 */
const TEST_QUEUE_SETTINGS = {
	QUEUE_WORKER_LOCK_DURATION: '10000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
	QUEUE_WORKER_STALLED_INTERVAL: '3000',
};

/**
 * @typedef {{
 *   name: string, pid: number | undefined, startedAt: number,
 *   logs: () => string,
 *   exited: () => { code: number | null, signal: string | null } | undefined,
 *   waitForLog: (pattern: RegExp, timeoutMs: number) => Promise<void>,
 *   kill: (signal: NodeJS.Signals) => void,
 *   stop: () => Promise<void>
 * }} Service
 * @typedef {{
 *   host: string, port: number, socketDir: string, database: string, user: string,
 *   password: string, service: Service, startMs: number,
 *   sql: (query: string, timeoutMs?: number) => Promise<string>,
 *   stop: () => Promise<void>
 * }} Postgres
 * @typedef {{ host: string, port: number, password: string, service: Service, stop: () => Promise<void> }} Redis
 * @typedef {Service & { ctx: import('./n8n-harness').Ctx, healthPort: number, readyMs: number }} Worker
 * @typedef {{
 *   line: import('./n8n-harness').Line, pg: Postgres, redis: Redis, env: Record<string, string | undefined>,
 *   mainCtx: import('./n8n-harness').Ctx, main: import('./n8n-harness').N8nServer,
 *   workers: Worker[], cliOutputs: string[], timings: Record<string, number>,
 *   allLogs: () => Array<{ name: string, text: string }>,
 *   startWorker: (name: string) => Promise<Worker>,
 *   stop: () => Promise<void>
 * }} QueueCluster
 */

// ---------------------------------------------------------------------------------------
// small helpers
// ---------------------------------------------------------------------------------------

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
	const killGroup = (signal) => {
		if (child.pid === undefined) return;
		try {
			process.kill(-child.pid, signal);
		} catch {
			/* group gone */
		}
	};
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
		kill: killGroup,
		async stop() {
			if (!exit) {
				killGroup('SIGTERM');
				if (!(await h.waitExit(child, 20_000))) killGroup('SIGKILL');
				await h.waitExit(child, 5_000);
			}
			killGroup('SIGKILL'); // whatever is left in the group (n8n's task runner…)
			h.liveChildren.delete(child);
		},
	};
}

/**
 * The environment for a service that is not n8n: the caller's, minus what belongs to n8n.
 * @param {Record<string, string>} [extra]
 */
function serviceEnv(extra = {}) {
	/** @type {Record<string, string>} */
	const env = {};
	for (const [k, v] of Object.entries(process.env))
		if (v !== undefined && !h.STRIP_ENV.test(k)) env[k] = v;
	return { ...env, LANG: 'C', LC_ALL: 'C', TZ: 'UTC', ...extra };
}

// ---------------------------------------------------------------------------------------
// Postgres and Redis
// ---------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------
// n8n in queue mode
// ---------------------------------------------------------------------------------------

/**
 * What every n8n process of the cluster (main, workers, CLI) runs with, on top of the
 * harness's environment: queue mode, Postgres, Redis. The encryption key is the harness's
 * fixed N8N_ENCRYPTION_KEY, the same for every process.
 * @param {Postgres} pg @param {Redis} redis @param {Record<string, string | undefined>} [extra]
 * @returns {Record<string, string | undefined>}
 */
function queueEnv(pg, redis, extra = {}) {
	return {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_SQLITE_DATABASE: undefined,
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: pg.password,
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_BULL_REDIS_PASSWORD: redis.password,
		// workers: /healthz on their own port, loopback only
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		// manual (editor) runs on workers too: every Zoho call is a worker's (README sizing)
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		...TEST_QUEUE_SETTINGS,
		...extra,
	};
}

/**
 * `n8n worker` for a user folder: its own health-check and task-runner ports on 127.0.0.1.
 * Resolves when it printed "n8n worker is now ready" and /healthz answers 200.
 * @param {import('./n8n-harness').Ctx} ctx @param {string} name
 * @param {{ concurrency?: number, env?: Record<string, string> }} [opts]
 * @returns {Promise<Worker>}
 */
async function startWorker(ctx, name, opts = {}) {
	const healthPort = await h.freePort();
	const env = {
		...ctx.env,
		N8N_PORT: String(await h.freePort()),
		QUEUE_HEALTH_CHECK_PORT: String(healthPort),
		N8N_RUNNERS_BROKER_PORT: String(await h.freePort()),
		...opts.env,
	};
	const args = [ctx.n8n.n8nBin, 'worker', `--concurrency=${opts.concurrency ?? 10}`];
	const service = spawnService(name, ctx.n8n.nodeBin, args, { env, cwd: ctx.root });
	try {
		await service.waitForLog(/n8n worker is now ready/, START_TIMEOUT_MS);
		await waitUntil(
			async () => (await h.httpStatus(`http://127.0.0.1:${healthPort}/healthz`)) === 200,
			{ timeoutMs: 30_000, what: `${name} /healthz`, explain: () => h.tail(service.logs()) },
		);
	} catch (e) {
		await service.stop();
		throw e;
	}
	return { ...service, ctx, healthPort, readyMs: Date.now() - service.startedAt };
}

/**
 * Imports workflows (`n8n import:workflow`, one call) and activates those whose JSON says
 * `active: true`, the way an administrator does from the command line, before main starts:
 * n8n 2.x `n8n publish:workflow --id=…` (in parallel: Postgres takes concurrent CLI calls);
 * n8n 1.x `n8n update:workflow --id=… --active=true`. (`import:workflow --activeState=fromJson`
 * refuses on 2.40 before an owner exists: "User attempted to activate a workflow without
 * permissions".) Main registers the production webhooks of active workflows when it starts.
 * Workflows must be complete (node ids, positions, webhookId for webhooks).
 * @param {import('./n8n-harness').Ctx} ctx @param {any[]} workflows
 * @returns {Promise<import('./n8n-harness').CliResult[]>} every CLI call's result
 */
async function importActiveWorkflows(ctx, workflows) {
	const file = path.join(ctx.filesDir, `queue-workflows-${Date.now()}.json`);
	await fsp.writeFile(
		file,
		JSON.stringify(
			workflows.map((wf) => ({ ...wf, active: false })),
			null,
			2,
		),
		'utf8',
	);
	/** @param {string} what @param {import('./n8n-harness').CliResult} r @param {RegExp} ok */
	const check = (what, r, ok) => {
		if (
			r.exitCode !== 0 ||
			!ok.test(r.stdout + r.stderr) ||
			/GOT ERROR|Failed to /i.test(r.stdout + r.stderr)
		)
			throw new Error(
				`${what} failed (exit ${r.exitCode}):\n${h.tail(r.stdout, 60)}\n${h.tail(r.stderr, 60)}`,
			);
		return r;
	};
	const imported = check(
		'n8n import:workflow',
		await h.runN8nCli(ctx, ['import:workflow', `--input=${file}`]),
		/Successfully imported/i,
	);
	const active = workflows.filter((wf) => wf.active === true).map((wf) => String(wf.id));
	const activations = await Promise.all(
		active.map(async (id) =>
			ctx.line === 2
				? check(
						`n8n publish:workflow --id=${id}`,
						await h.runN8nCli(ctx, ['publish:workflow', `--id=${id}`]),
						/Publishing workflow/i,
					)
				: check(
						`n8n update:workflow --id=${id} --active=true`,
						await h.runN8nCli(ctx, ['update:workflow', `--id=${id}`, '--active=true']),
						/Activating workflow/i,
					),
		),
	);
	return [imported, ...activations];
}

/**
 * Postgres + Redis + one main + `workers` workers, each n8n process with its own user folder
 * holding the package (installMode 'npm': `cd .n8n/nodes && npm install <tarball>`).
 * `beforeStart(mainCtx)` runs before any n8n process starts (import credentials and
 * workflows there: the first CLI call creates n8n's schema in Postgres). Resolves when main
 * printed "Editor is now accessible via", every worker is ready, and the production webhooks
 * `webhookPaths` are in n8n's webhook table. On failure everything started so far is stopped.
 * @param {{
 *   line: import('./n8n-harness').Line, tarball: string, workers?: number, concurrency?: number,
 *   env?: Record<string, string | undefined>, webhookPaths?: string[],
 *   beforeStart?: (mainCtx: import('./n8n-harness').Ctx, cliOutputs: string[]) => Promise<void>
 * }} opts
 * @returns {Promise<QueueCluster>}
 */
async function startQueueCluster(opts) {
	/** @type {Record<string, number>} */
	const timings = {};
	let t = Date.now();
	const lap = (/** @type {string} */ label) => {
		timings[label] = Date.now() - t;
		t = Date.now();
	};
	await ensureQueueServices();
	lap('ensureServicesMs');
	await h.ensureN8n(opts.line);
	lap('ensureN8nMs');
	/** @type {(() => Promise<void>)[]} */
	const stops = [];
	const stopAll = async () => {
		for (const stop of stops.reverse()) await stop().catch(() => undefined);
		stops.length = 0;
	};
	try {
		const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
		stops.push(
			() => pg.stop(),
			() => redis.stop(),
		);
		lap('postgresRedisMs');
		const env = queueEnv(pg, redis, opts.env);
		const userFolder = async () => {
			const ctx = await h.createUserFolder({
				line: opts.line,
				tarball: opts.tarball,
				installMode: 'npm',
				env,
			});
			stops.push(() => ctx.cleanup());
			return ctx;
		};
		// one user folder per instance, the package installed into each (in parallel)
		const [mainCtx, ...workerCtxs] = await Promise.all(
			Array.from({ length: 1 + (opts.workers ?? 2) }, () => userFolder()),
		);
		lap('installPackageMs');
		/** @type {string[]} */
		const cliOutputs = [];
		await opts.beforeStart?.(mainCtx, cliOutputs);
		lap('importMs');
		// main and the workers boot at the same time (each takes seconds of CPU)
		const [mainStart, ...workerStarts] = await Promise.allSettled([
			h.startN8n(mainCtx, { timeoutMs: START_TIMEOUT_MS }),
			...workerCtxs.map((ctx, i) =>
				startWorker(ctx, `worker${i + 1}`, { concurrency: opts.concurrency }),
			),
		]);
		for (const s of [mainStart, ...workerStarts])
			if (s.status === 'fulfilled') stops.push(() => s.value.stop());
		const failed = [mainStart, ...workerStarts].find((s) => s.status === 'rejected');
		if (failed) throw /** @type {PromiseRejectedResult} */ (failed).reason;
		const main = /** @type {PromiseFulfilledResult<import('./n8n-harness').N8nServer>} */ (
			mainStart
		).value;
		const workers = workerStarts.map(
			(s) => /** @type {PromiseFulfilledResult<Worker>} */ (s).value,
		);
		lap('startN8nMs');
		// n8n 2.x publishes in the background after start (its publication outbox): a
		// production webhook answers 404 until it is in n8n's webhook table
		if (opts.webhookPaths?.length) {
			const wanted = opts.webhookPaths;
			await waitUntil(
				async () => {
					const rows = await pg.sql('SELECT "webhookPath" FROM webhook_entity');
					const have = new Set(rows.split('\n').map((r) => r.trim()));
					return wanted.every((p) => have.has(p));
				},
				{
					timeoutMs: 90_000,
					what: `production webhooks ${wanted.join(', ')} registered`,
					explain: () => h.tail(main.logs(), 40),
				},
			);
			lap('webhooksMs');
		}
		/** @type {Worker[]} */
		const allWorkers = [...workers];
		return {
			line: opts.line,
			pg,
			redis,
			env,
			mainCtx,
			main,
			workers: allWorkers,
			cliOutputs,
			timings,
			allLogs: () => [
				{ name: 'main', text: main.logs() },
				...allWorkers.map((w) => ({ name: w.name, text: w.logs() })),
				{ name: 'postgres', text: pg.service.logs() },
				{ name: 'redis', text: redis.service.logs() },
				...cliOutputs.map((text, i) => ({ name: `cli#${i + 1}`, text })),
			],
			async startWorker(name) {
				const ctx = await userFolder();
				const w = await startWorker(ctx, name, { concurrency: opts.concurrency });
				stops.push(() => w.stop());
				allWorkers.push(w);
				return w;
			},
			stop: stopAll,
		};
	} catch (e) {
		await stopAll();
		throw e;
	}
}

// ---------------------------------------------------------------------------------------
// n8n's own records: executions in Postgres, worker logs
// ---------------------------------------------------------------------------------------

/** Execution statuses after which n8n does nothing more with an execution. */
const FINAL_STATUSES = ['success', 'error', 'crashed', 'canceled'];

/**
 * Counts of a workflow's executions by status (execution_entity).
 * @param {QueueCluster} cluster @param {string} workflowId
 * @returns {Promise<Record<string, number>>}
 */
async function executionStatusCounts(cluster, workflowId) {
	const out = await cluster.pg.sql(
		`SELECT coalesce(json_object_agg(status, n), '{}') FROM (SELECT status, count(*) AS n FROM execution_entity WHERE "workflowId" = '${workflowId}' GROUP BY status) s`,
	);
	return JSON.parse(out.trim() || '{}');
}

/**
 * Waits until the workflow has `count` executions, all in a final status.
 * @param {QueueCluster} cluster @param {string} workflowId @param {number} count @param {number} timeoutMs
 * @param {{ minId?: number }} [opts] only executions with id > minId
 * @returns {Promise<Record<string, number>>} the counts by status
 */
async function waitForExecutions(cluster, workflowId, count, timeoutMs, opts = {}) {
	/** @type {Record<string, number>} */
	let last = {};
	await waitUntil(
		async () => {
			const out = await cluster.pg.sql(
				`SELECT coalesce(json_object_agg(status, n), '{}') FROM (SELECT status, count(*) AS n FROM execution_entity WHERE "workflowId" = '${workflowId}' AND id > ${opts.minId ?? 0} GROUP BY status) s`,
			);
			last = JSON.parse(out.trim() || '{}');
			const total = Object.values(last).reduce((a, b) => a + b, 0);
			const final = FINAL_STATUSES.reduce((a, s) => a + (last[s] ?? 0), 0);
			return total >= count && final === total;
		},
		{
			timeoutMs,
			intervalMs: 500,
			what: `${count} finished executions of ${workflowId}`,
			explain: () =>
				`executions by status: ${JSON.stringify(last)}\n--- main (tail) ---\n${h.tail(
					cluster.main.logs(),
					30,
				)}\n${cluster.workers.map((w) => `--- ${w.name} (tail) ---\n${h.tail(w.logs(), 20)}`).join('\n')}`,
		},
	);
	return last;
}

/** @type {Map<string, { parse: (text: string) => any }>} */
const flattedByDir = new Map();
/** n8n stores run data with `flatted`: use the copy of the n8n that wrote it. @param {QueueCluster} cluster */
function flatted(cluster) {
	const dir = path.join(cluster.mainCtx.n8n.dir, 'node_modules', 'flatted');
	let lib = flattedByDir.get(dir);
	if (!lib) {
		lib = /** @type {{ parse: (text: string) => any }} */ (require(dir));
		flattedByDir.set(dir, lib);
	}
	return lib;
}

/**
 * A workflow's executions from n8n's own tables (execution_entity + execution_data), the run
 * data unflattened as n8n does.
 * @param {QueueCluster} cluster @param {string} workflowId @param {{ minId?: number }} [opts]
 * @returns {Promise<Array<{ id: number, status: string, mode: string, finished: boolean, data: any }>>}
 */
async function readExecutions(cluster, workflowId, opts = {}) {
	const out = await cluster.pg.sql(
		`SELECT coalesce(json_agg(t ORDER BY t.id), '[]') FROM (SELECT e.id, e.status, e.mode, e.finished, d.data FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = '${workflowId}' AND e.id > ${opts.minId ?? 0}) t`,
		120_000,
	);
	const lib = flatted(cluster);
	return JSON.parse(out.trim() || '[]').map((/** @type {any} */ row) => ({
		id: Number(row.id),
		status: row.status,
		mode: row.mode,
		finished: row.finished,
		data: row.data ? lib.parse(row.data) : undefined,
	}));
}

/**
 * The items a node emitted (first run, first output) in an execution's run data.
 * @param {any} data @param {string} nodeName @returns {any[]}
 */
function runItems(data, nodeName) {
	return data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? [];
}

/**
 * Execution ids a worker logged as started ("Worker started execution N (job M)"), in order,
 * with repeats (a job n8n hands out again is started again).
 * @param {{ logs: () => string }} worker @returns {number[]}
 */
function startedExecutions(worker) {
	return [...worker.logs().matchAll(/Worker started execution (\d+) \(job [^)]+\)/g)].map((m) =>
		Number(m[1]),
	);
}

/** Execution ids a worker logged as finished ("Worker finished execution N"). @param {{ logs: () => string }} worker */
function finishedExecutions(worker) {
	return [...worker.logs().matchAll(/Worker finished execution (\d+) \(job [^)]+\)/g)].map((m) =>
		Number(m[1]),
	);
}

// ---------------------------------------------------------------------------------------
// what the cluster listens on (from /proc: no `ss` / `netstat` needed)
// ---------------------------------------------------------------------------------------

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

module.exports = {
	TEST_QUEUE_SETTINGS,
	FINAL_STATUSES,
	waitUntil,
	ensureQueueServices,
	postgresBinDir,
	startPostgres,
	startRedis,
	queueEnv,
	startWorker,
	importActiveWorkflows,
	startQueueCluster,
	executionStatusCounts,
	waitForExecutions,
	readExecutions,
	runItems,
	startedExecutions,
	finishedExecutions,
	listeningSockets,
};

// @ts-check
'use strict';
/**
 * n8n in queue mode: the environment of every process of a cluster (EXECUTIONS_MODE=queue,
 * Postgres, Redis), `n8n worker`, importing and activating workflows from the command line,
 * and startQueueCluster(): Postgres + Redis + one main + N workers, each with the package
 * installed into its own user folder, stopped together.
 */
const fsp = require('node:fs/promises');
const path = require('node:path');
const h = require('..');
const { waitUntil, ensureQueueServices, spawnService } = require('./service');
const { startPostgres } = require('./postgres');
const { startRedis } = require('./redis');

const START_TIMEOUT_MS = Number(process.env.E2E_START_TIMEOUT_MS) || 180_000;

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
 * @typedef {import('./service').Service & { ctx: import('..').Ctx, healthPort: number, readyMs: number }} Worker
 * @typedef {{
 *   line: import('..').Line, pg: import('./postgres').Postgres, redis: import('./redis').Redis,
 *   env: Record<string, string | undefined>,
 *   mainCtx: import('..').Ctx, main: import('..').N8nServer,
 *   workers: Worker[], cliOutputs: string[], timings: Record<string, number>,
 *   allLogs: () => Array<{ name: string, text: string }>,
 *   startWorker: (name: string) => Promise<Worker>,
 *   stop: () => Promise<void>
 * }} QueueCluster
 */

/**
 * What every n8n process of the cluster (main, workers, CLI) runs with, on top of the
 * harness's environment: queue mode, Postgres, Redis. The encryption key is the harness's
 * fixed N8N_ENCRYPTION_KEY, the same for every process.
 * @param {import('./postgres').Postgres} pg @param {import('./redis').Redis} redis
 * @param {Record<string, string | undefined>} [extra]
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
 * @param {import('..').Ctx} ctx @param {string} name
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
 * @param {import('..').Ctx} ctx @param {any[]} workflows
 * @returns {Promise<import('..').CliResult[]>} every CLI call's result
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
	/** @param {string} what @param {import('..').CliResult} r @param {RegExp} ok */
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
 *   line: import('..').Line, tarball: string, workers?: number, concurrency?: number,
 *   env?: Record<string, string | undefined>, webhookPaths?: string[],
 *   beforeStart?: (mainCtx: import('..').Ctx, cliOutputs: string[]) => Promise<void>
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
		const main = /** @type {PromiseFulfilledResult<import('..').N8nServer>} */ (mainStart).value;
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

module.exports = {
	TEST_QUEUE_SETTINGS,
	queueEnv,
	startWorker,
	importActiveWorkflows,
	startQueueCluster,
};

// @ts-check
'use strict';
/**
 * What n8n recorded of a queue-mode cluster's executions: counts by status and the run data
 * from its tables in Postgres (unflattened as n8n does), waiting until they are final, and
 * which executions a worker logged as started or finished.
 */
const path = require('node:path');
const h = require('..');
const { waitUntil } = require('./service');

/** Execution statuses after which n8n does nothing more with an execution. */
const FINAL_STATUSES = ['success', 'error', 'crashed', 'canceled'];

/**
 * Counts of a workflow's executions by status (execution_entity).
 * @param {import('./cluster').QueueCluster} cluster @param {string} workflowId
 * @param {{ minId?: number }} [opts] only executions with id > minId
 * @returns {Promise<Record<string, number>>}
 */
async function executionStatusCounts(cluster, workflowId, opts = {}) {
	const out = await cluster.pg.sql(
		`SELECT coalesce(json_object_agg(status, n), '{}') FROM (SELECT status, count(*) AS n FROM execution_entity WHERE "workflowId" = '${workflowId}' AND id > ${opts.minId ?? 0} GROUP BY status) s`,
	);
	return JSON.parse(out.trim() || '{}');
}

/**
 * Waits until the workflow has `count` executions, all in a final status.
 * @param {import('./cluster').QueueCluster} cluster @param {string} workflowId @param {number} count @param {number} timeoutMs
 * @param {{ minId?: number }} [opts] only executions with id > minId
 * @returns {Promise<Record<string, number>>} the counts by status
 */
async function waitForExecutions(cluster, workflowId, count, timeoutMs, opts = {}) {
	/** @type {Record<string, number>} */
	let last = {};
	await waitUntil(
		async () => {
			last = await executionStatusCounts(cluster, workflowId, opts);
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
/** n8n stores run data with `flatted`: use the copy of the n8n that wrote it. @param {import('./cluster').QueueCluster} cluster */
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
 * @param {import('./cluster').QueueCluster} cluster @param {string} workflowId @param {{ minId?: number }} [opts]
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
 * Execution ids a worker logged as `started` or `finished` ("Worker started execution N (job
 * M)"), in order, with repeats (a job n8n hands out again is started again).
 * @param {{ logs: () => string }} worker @param {'started' | 'finished'} what @returns {number[]}
 */
function loggedExecutions(worker, what) {
	const line = new RegExp(`Worker ${what} execution (\\d+) \\(job [^)]+\\)`, 'g');
	return [...worker.logs().matchAll(line)].map((m) => Number(m[1]));
}

/** Execution ids a worker logged as started. @param {{ logs: () => string }} worker */
function startedExecutions(worker) {
	return loggedExecutions(worker, 'started');
}

/** Execution ids a worker logged as finished. @param {{ logs: () => string }} worker */
function finishedExecutions(worker) {
	return loggedExecutions(worker, 'finished');
}

module.exports = {
	FINAL_STATUSES,
	executionStatusCounts,
	waitForExecutions,
	readExecutions,
	runItems,
	startedExecutions,
	finishedExecutions,
};

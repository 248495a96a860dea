// @ts-check
'use strict';
/**
 * n8n in queue mode for the e2e tests, one entry: Postgres and Redis from Debian's packages,
 * one `n8n start` (main) and N `n8n worker` processes with EXECUTIONS_MODE=queue, the same
 * encryption key and database, the packed package installed into each instance's own
 * N8N_USER_FOLDER the way an administrator does (`cd ~/.n8n/nodes && npm install <package>`).
 * This file only gathers the API of the files beside it.
 *
 *   const q = require('../harness/queue-mode');
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
 * harness (../index.js) so that cleanupAll() and the exit / Ctrl-C hooks kill it and remove
 * its temp folder, also when a test fails.
 */

/**
 * @typedef {import('./service').Service} Service
 * @typedef {import('./postgres').Postgres} Postgres
 * @typedef {import('./redis').Redis} Redis
 * @typedef {import('./cluster').Worker} Worker
 * @typedef {import('./cluster').QueueCluster} QueueCluster
 */
const { waitUntil, ensureQueueServices } = require('./service');
const { postgresBinDir, startPostgres } = require('./postgres');
const { startRedis } = require('./redis');
const {
	TEST_QUEUE_SETTINGS,
	queueEnv,
	startWorker,
	importActiveWorkflows,
	startQueueCluster,
} = require('./cluster');
const {
	FINAL_STATUSES,
	executionStatusCounts,
	waitForExecutions,
	readExecutions,
	runItems,
	startedExecutions,
	finishedExecutions,
} = require('./executions');
const { listeningSockets } = require('./sockets');

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

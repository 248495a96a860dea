// @ts-check
'use strict';
/**
 * The real-n8n test harness, one entry: runs the package inside a REAL n8n (1.x on Node 20,
 * 2.x on Node 24), installed by scripts/install-n8n.sh into a cache outside the repository.
 * This file only gathers the API of the files beside it; see README.md in this folder.
 *
 *   const h = require('../harness');                        // from test/e2e or scripts/
 *   const n8n = await h.ensureN8n(2);                       // install (once) + locate
 *   const tarball = await h.packPackage();                  // npm pack of the built repo
 *   const ctx = await h.createUserFolder({ line: 2, tarball }); // temp N8N_USER_FOLDER
 *   await h.importCredentials(ctx, [{ id, name, type, data }]);
 *   await h.importWorkflow(ctx, { id: 'wf1', nodes, connections });
 *   const run = await h.executeWorkflow(ctx, 'wf1');       // { ok, output, ... }
 *   const srv = await h.startN8n(ctx);                      // n8n start on 127.0.0.1
 *   const session = await h.setupOwner(srv.url);            // owner + login cookie
 *   await srv.stop(); await ctx.cleanup();
 *
 * Every n8n process gets its own free ports (N8N_PORT, N8N_RUNNERS_BROKER_PORT), listens on
 * 127.0.0.1 only, and runs with a network guard (net-guard.js) that refuses any outgoing
 * connection that is not loopback. Temp folders are removed at cleanup / process exit
 * unless E2E_KEEP=1. Queue mode: ./queue-mode; the Zoho workflows: ./zoho-workflows.
 * Types: index.d.ts, generated from the JSDoc by scripts/e2e-dts.sh.
 */

/**
 * @typedef {import('./install').Line} Line
 * @typedef {import('./install').N8nInstall} N8nInstall
 * @typedef {import('./community-package').InstalledPackage} InstalledPackage
 * @typedef {import('./user-folder').Ctx} Ctx
 * @typedef {import('./process').CliResult} CliResult
 * @typedef {import('./workflows').ExecuteResult} ExecuteResult
 * @typedef {import('./server').N8nServer} N8nServer
 * @typedef {import('./rest').Session} Session
 */
const { REPO_DIR, CACHE_DIR, ENCRYPTION_KEY, STRIP_ENV, e2eLines } = require('./config');
const {
	liveChildren,
	installHooks,
	killTree,
	waitExit,
	run,
	tail,
	makeTempDir,
	removeTempDir,
	cleanupAll,
} = require('./process');
const { freePort, httpStatus } = require('./ports');
const { ensureN8n, n8nInstalled } = require('./install');
const { N8N_NPM_INSTALL_FLAGS, packPackage, installTarball } = require('./community-package');
const { buildEnv, createUserFolder, netAttempts } = require('./user-folder');
const {
	runN8nCli,
	importCredentials,
	importWorkflow,
	withNodeDefaults,
	executeWorkflow,
	parseRunOutput,
	nodeRuns,
	nodeItems,
	executionError,
} = require('./workflows');
const { startN8n } = require('./server');
const { rest, login, setupOwner } = require('./rest');

module.exports = {
	REPO_DIR,
	CACHE_DIR,
	ENCRYPTION_KEY,
	N8N_NPM_INSTALL_FLAGS,
	ensureN8n,
	n8nInstalled,
	packPackage,
	createUserFolder,
	installTarball,
	buildEnv,
	netAttempts,
	runN8nCli,
	importCredentials,
	importWorkflow,
	withNodeDefaults,
	executeWorkflow,
	parseRunOutput,
	nodeRuns,
	nodeItems,
	executionError,
	startN8n,
	rest,
	login,
	setupOwner,
	freePort,
	makeTempDir,
	e2eLines,
	cleanupAll,
	// building blocks for other process sets (./queue-mode)
	STRIP_ENV,
	liveChildren,
	installHooks,
	killTree,
	waitExit,
	run,
	tail,
	httpStatus,
	removeTempDir,
};

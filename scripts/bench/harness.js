// @ts-check
'use strict';
/**
 * The real-n8n harness as the bench uses it: the ONE file of scripts/bench/ that requires the
 * test harness (install and start n8n, user folders, the CLI, the REST API; queue mode's import
 * of active workflows; the Zoho workflows and credential), re-exporting only what the bench
 * calls. When the harness moves, only the three paths below change.
 */
const h = require('../../test/harness');
const qm = require('../../test/harness/queue-mode');
const zw = require('../../test/harness/zoho-workflows');

/** @typedef {import('../../test/harness').Ctx} Ctx an n8n user folder with a package installed */

module.exports = {
	// n8n: where this repository is, installing n8n and a package, user folders
	REPO_DIR: h.REPO_DIR,
	ensureN8n: h.ensureN8n,
	packPackage: h.packPackage,
	createUserFolder: h.createUserFolder,
	makeTempDir: h.makeTempDir,
	freePort: h.freePort,
	cleanupAll: h.cleanupAll,
	// n8n's CLI: importing, and reading what `n8n execute` printed
	importCredentials: h.importCredentials,
	importWorkflow: h.importWorkflow,
	importActiveWorkflows: qm.importActiveWorkflows,
	withNodeDefaults: h.withNodeDefaults,
	parseRunOutput: h.parseRunOutput,
	nodeRuns: h.nodeRuns,
	nodeItems: h.nodeItems,
	// a running n8n
	startN8n: h.startN8n,
	setupOwner: h.setupOwner,
	login: h.login,
	rest: h.rest,
	// the Zoho node's workflows and the sandbox's credential
	delinkWorkflow: zw.delinkWorkflow,
	productionWebhook: zw.productionWebhook,
	byId: zw.byId,
	sandboxCredential: zw.sandboxCredential,
};

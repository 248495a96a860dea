// Generated from the JSDoc of index.js by scripts/e2e-dts.sh: do not edit by hand.
export type Line = import('./install').Line;
export type N8nInstall = import('./install').N8nInstall;
export type InstalledPackage = import('./community-package').InstalledPackage;
export type Ctx = import('./user-folder').Ctx;
export type CliResult = import('./process').CliResult;
export type ExecuteResult = import('./workflows').ExecuteResult;
export type N8nServer = import('./server').N8nServer;
export type Session = import('./rest').Session;
import { REPO_DIR } from './config';
import { CACHE_DIR } from './config';
import { ENCRYPTION_KEY } from './config';
import { N8N_NPM_INSTALL_FLAGS } from './community-package';
import { ensureN8n } from './install';
import { n8nInstalled } from './install';
import { packPackage } from './community-package';
import { createUserFolder } from './user-folder';
import { installTarball } from './community-package';
import { buildEnv } from './user-folder';
import { netAttempts } from './user-folder';
import { runN8nCli } from './workflows';
import { importCredentials } from './workflows';
import { importWorkflow } from './workflows';
import { withNodeDefaults } from './workflows';
import { executeWorkflow } from './workflows';
import { parseRunOutput } from './workflows';
import { nodeRuns } from './workflows';
import { nodeItems } from './workflows';
import { executionError } from './workflows';
import { startN8n } from './server';
import { rest } from './rest';
import { login } from './rest';
import { setupOwner } from './rest';
import { freePort } from './ports';
import { makeTempDir } from './process';
import { e2eLines } from './config';
import { cleanupAll } from './process';
import { STRIP_ENV } from './config';
import { liveChildren } from './process';
import { installHooks } from './process';
import { killTree } from './process';
import { waitExit } from './process';
import { run } from './process';
import { tail } from './process';
import { httpStatus } from './ports';
import { removeTempDir } from './process';
export {
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

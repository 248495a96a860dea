// Generated from the JSDoc of n8n-harness.js by scripts/e2e-dts.sh: do not edit by hand.
export type Line = 1 | 2;
export type N8nInstall = {
	line: Line;
	version: string;
	dir: string;
	nodeBin: string;
	nodeVersion: string;
	n8nBin: string;
	disabledModules: string[];
	env: Record<string, string>;
};
export type InstalledPackage = {
	name: string;
	version: string;
	dir: string;
	mode: 'n8n' | 'npm';
	durationMs: number;
};
export type Ctx = {
	line: Line;
	n8n: N8nInstall;
	root: string;
	userFolder: string;
	nodesDir: string;
	filesDir: string;
	netLog: string;
	env: Record<string, string>;
	installed: InstalledPackage[];
	cleanup: () => Promise<void>;
};
export type CliResult = {
	exitCode: number | null;
	signal: string | null;
	timedOut: boolean;
	stdout: string;
	stderr: string;
	durationMs: number;
	args: string[];
};
export type ExecuteResult = CliResult & {
	ok: boolean;
	output: any;
	error: any;
	status: string | undefined;
};
export type N8nServer = {
	url: string;
	port: number;
	pid: number | undefined;
	healthzMs: number;
	durationMs: number;
	logs: () => string;
	stop: () => Promise<void>;
};
export type Session = {
	cookie: string;
	headers: Record<string, string>;
	email: string;
	password: string;
	user: any;
	browserId: string | undefined;
};
export const REPO_DIR: string;
export const CACHE_DIR: string;
/** Fixed so that credentials imported in one CLI call decrypt in the next. */
export const ENCRYPTION_KEY: 'n8n-e2e-fixed-encryption-key-do-not-use-in-production';
/** The flags n8n's CommunityPackagesService passes to `npm install` (1.123 and 2.40 alike). */
export const N8N_NPM_INSTALL_FLAGS: string[];
/**
 * Installs (first time only, via scripts/install-n8n.sh) and locates n8n for a line.
 * @param {Line} line 1 = n8n 1.x on this machine's Node 20, 2 = n8n 2.x on Node 24
 * @returns {Promise<N8nInstall>}
 */
export function ensureN8n(line: Line): Promise<N8nInstall>;
/**
 * Whether scripts/install-n8n.sh has already installed a line into the cache (so that
 * ensureN8n() is quick), without installing anything. Reads the versions the script would
 * install (its defaults, or N8N1_VERSION / N8N2_VERSION / NODE24_VERSION).
 * @param {Line} line
 * @returns {{ installed: boolean, version: string, dir: string }}
 */
export function n8nInstalled(line: Line): {
	installed: boolean;
	version: string;
	dir: string;
};
/**
 * `npm pack` of an already BUILT package (does not build). Returns the tarball path, in a
 * temp folder removed at exit.
 * @param {string} [repoDir] defaults to this repository
 * @returns {Promise<string>}
 */
export function packPackage(repoDir?: string): Promise<string>;
/**
 * A fresh temp N8N_USER_FOLDER, with the given tarball(s) installed as community packages.
 * @param {{
 *   line: Line, tarball?: string, tarballs?: string[], installMode?: 'n8n' | 'npm',
 *   env?: Record<string, string | undefined>
 * }} opts `env` adds to / overrides (undefined removes) the n8n environment
 * @returns {Promise<Ctx>}
 */
export function createUserFolder(opts: {
	line: Line;
	tarball?: string;
	tarballs?: string[];
	installMode?: 'n8n' | 'npm';
	env?: Record<string, string | undefined>;
}): Promise<Ctx>;
/**
 * Installs a tarball into `$N8N_USER_FOLDER/.n8n/nodes` the way n8n installs a community
 * package.
 *  - mode 'n8n' (default) mirrors CommunityPackagesService.downloadPackage of n8n 1.123 and
 *    2.40: unpack the tarball into nodes/node_modules/<name> (tar --strip-components=1),
 *    drop devDependencies, peerDependencies and optionalDependencies from its package.json,
 *    run `npm install` + N8N_NPM_INSTALL_FLAGS inside that folder with NODE_ENV=production,
 *    and record `<name>: <version>` in nodes/package.json.
 *  - mode 'npm' is the documented manual route: `cd nodes && npm install <tarball>` (same
 *    flags plus --omit=dev --omit=peer --omit=optional).
 * @param {Ctx} ctx @param {string} tarball @param {'n8n' | 'npm'} [mode]
 * @returns {Promise<InstalledPackage>}
 */
export function installTarball(
	ctx: Ctx,
	tarball: string,
	mode?: 'n8n' | 'npm',
): Promise<InstalledPackage>;
/**
 * The environment every n8n process of a context runs with.
 * @param {N8nInstall} n8n @param {string} userFolder @param {string} netLog
 * @param {Record<string, string | undefined>} [extra]
 */
export function buildEnv(
	n8n: N8nInstall,
	userFolder: string,
	netLog: string,
	extra?: Record<string, string | undefined>,
): Record<string, string>;
/**
 * Outgoing non-loopback connections n8n attempted (and the guard refused) in this context.
 * @param {Ctx} ctx @returns {any[]}
 */
export function netAttempts(ctx: Ctx): any[];
/**
 * Runs `n8n <args>` for a context, with fresh ports so that calls may overlap.
 * @param {Ctx} ctx @param {string[]} args
 * @param {{ timeoutMs?: number, env?: Record<string, string> }} [opts]
 * @returns {Promise<CliResult>}
 */
export function runN8nCli(
	ctx: Ctx,
	args: string[],
	opts?: {
		timeoutMs?: number;
		env?: Record<string, string>;
	},
): Promise<CliResult>;
/**
 * `n8n import:credentials`. Each credential needs an explicit `id`, `name`, `type` and a
 * plain-object `data` (the import encrypts it with the context's key).
 * @param {Ctx} ctx
 * @param {Array<{ id: string, name: string, type: string, data: Record<string, unknown> }>} creds
 * @returns {Promise<CliResult>}
 */
export function importCredentials(
	ctx: Ctx,
	creds: Array<{
		id: string;
		name: string;
		type: string;
		data: Record<string, unknown>;
	}>,
): Promise<CliResult>;
/**
 * `n8n import:workflow`. A workflow needs an explicit `id` (at most 16 characters: n8n 1.x
 * executes by id only up to 16) and `nodes`; name, connections, settings, active, node
 * ids and positions are filled in when missing.
 * @param {Ctx} ctx @param {any | any[]} workflowJson one workflow or an array
 * @returns {Promise<CliResult>}
 */
export function importWorkflow(ctx: Ctx, workflowJson: any | any[]): Promise<CliResult>;
/** Nodes with an id, a position, parameters and typeVersion 1 where they give none. */
export function withNodeDefaults(nodes: any[]): any[];
/**
 * `n8n execute --id=<id> --rawOutput`. Never throws for a failed execution: `ok` is false
 * and `output` still holds the parsed run data (with `output.data.resultData.error`).
 * @param {Ctx} ctx @param {string} id @param {{ timeoutMs?: number, env?: Record<string, string> }} [opts]
 * @returns {Promise<ExecuteResult>}
 */
export function executeWorkflow(
	ctx: Ctx,
	id: string,
	opts?: {
		timeoutMs?: number;
		env?: Record<string, string>;
	},
): Promise<ExecuteResult>;
/**
 * Pulls the run-data JSON out of `n8n execute --rawOutput` output. The JSON is printed
 * with 2-space indentation between log lines (on failure: after "Execution was NOT
 * successful" and before the error log lines), so start at the first line that is just
 * `{` (fallback: the first `{`) and scan to its matching `}`.
 * @param {string} text @returns {any}
 */
export function parseRunOutput(text: string): any;
/**
 * The task data (one per run) of a node in a parsed execute output.
 * @param {any} output @param {string} nodeName @returns {any[]}
 */
export function nodeRuns(output: any, nodeName: string): any[];
/**
 * The items ({ json, pairedItem, … }) a node emitted on one output in one run.
 * @param {any} output @param {string} nodeName
 * @param {{ run?: number, outputIndex?: number }} [opts]
 * @returns {any[]}
 */
export function nodeItems(
	output: any,
	nodeName: string,
	opts?: {
		run?: number;
		outputIndex?: number;
	},
): any[];
/**
 * The error a node's run ended with (task data `error`), else the execution's error.
 * @param {any} output @param {string} [nodeName] @returns {any}
 */
export function executionError(output: any, nodeName?: string): any;
/**
 * `n8n start` on 127.0.0.1 with a free port. Resolves once GET /healthz answers 200 and
 * (waitFor 'ready', the default) n8n has printed "Editor is now accessible via" — /healthz
 * comes up before the REST routes (POST /rest/owner/setup is a 404 until then).
 * @param {Ctx} ctx
 * @param {{ timeoutMs?: number, env?: Record<string, string>, echo?: boolean, waitFor?: 'healthz' | 'ready' }} [opts]
 * @returns {Promise<N8nServer>}
 */
export function startN8n(
	ctx: Ctx,
	opts?: {
		timeoutMs?: number;
		env?: Record<string, string>;
		echo?: boolean;
		waitFor?: 'healthz' | 'ready';
	},
): Promise<N8nServer>;
/**
 * A JSON request to n8n's REST API.
 * @param {string} url server base URL
 * @param {string} method @param {string} pathname e.g. /rest/login
 * @param {{ body?: unknown, session?: Session, headers?: Record<string, string> }} [opts]
 * @returns {Promise<{ status: number, headers: Headers, body: any, setCookie: string[] }>}
 */
export function rest(
	url: string,
	method: string,
	pathname: string,
	opts?: {
		body?: unknown;
		session?: Session;
		headers?: Record<string, string>;
	},
): Promise<{
	status: number;
	headers: Headers;
	body: any;
	setCookie: string[];
}>;
/**
 * Logs in; returns the auth cookie (and headers to send it with).
 * @param {string} url
 * @param {{ email?: string, password?: string, browserId?: string }} [opts]
 *   browserId: when given, the cookie is bound to it and every request must send the same
 *   `browser-id` header (as n8n's editor does); without it n8n skips that check.
 * @returns {Promise<Session>}
 */
export function login(
	url: string,
	opts?: {
		email?: string;
		password?: string;
		browserId?: string;
	},
): Promise<Session>;
/**
 * Creates the instance owner (POST /rest/owner/setup), then logs in as that owner.
 * @param {string} url
 * @param {{ email?: string, password?: string, firstName?: string, lastName?: string, browserId?: string }} [opts]
 * @returns {Promise<Session>} `session.cookie` is "n8n-auth=…"
 */
export function setupOwner(
	url: string,
	opts?: {
		email?: string;
		password?: string;
		firstName?: string;
		lastName?: string;
		browserId?: string;
	},
): Promise<Session>;
/**
 * A free TCP port on 127.0.0.1 (asks the OS; tiny race window until n8n binds it).
 * @returns {Promise<number>}
 */
export function freePort(): Promise<number>;
/**
 * A temp folder (os.tmpdir()/n8n-e2e-<label>-…) removed at cleanupAll() / process exit,
 * also on Ctrl-C, unless E2E_KEEP=1.
 * @param {string} label @returns {Promise<string>}
 */
export function makeTempDir(label: string): Promise<string>;
/**
 * The n8n lines to test: E2E_LINES="1,2" (default both).
 * @returns {Line[]}
 */
export function e2eLines(): Line[];
/** Kills every n8n process this harness started and removes its temp folders (E2E_KEEP=1 keeps them). */
export function cleanupAll(): Promise<void>;
/** Variables from the calling environment that must not leak into n8n. */
export const STRIP_ENV: RegExp;
/**
 * @typedef {1 | 2} Line
 * @typedef {{
 *   line: Line, version: string, dir: string, nodeBin: string, nodeVersion: string,
 *   n8nBin: string, disabledModules: string[], env: Record<string, string>
 * }} N8nInstall
 * @typedef {{ name: string, version: string, dir: string, mode: 'n8n' | 'npm', durationMs: number }} InstalledPackage
 * @typedef {{
 *   line: Line, n8n: N8nInstall, root: string, userFolder: string, nodesDir: string,
 *   filesDir: string, netLog: string, env: Record<string, string>,
 *   installed: InstalledPackage[], cleanup: () => Promise<void>
 * }} Ctx
 * @typedef {{
 *   exitCode: number | null, signal: string | null, timedOut: boolean,
 *   stdout: string, stderr: string, durationMs: number, args: string[]
 * }} CliResult
 * @typedef {CliResult & {
 *   ok: boolean, output: any, error: any, status: string | undefined
 * }} ExecuteResult
 * @typedef {{
 *   url: string, port: number, pid: number | undefined, healthzMs: number, durationMs: number,
 *   logs: () => string, stop: () => Promise<void>
 * }} N8nServer
 * @typedef {{
 *   cookie: string, headers: Record<string, string>, email: string, password: string,
 *   user: any, browserId: string | undefined
 * }} Session
 */
/** @type {Set<import('node:child_process').ChildProcess>} */
export const liveChildren: Set<import('node:child_process').ChildProcess>;
export function installHooks(): void;
/** @param {import('node:child_process').ChildProcess} child @param {NodeJS.Signals} signal */
export function killTree(
	child: import('node:child_process').ChildProcess,
	signal: NodeJS.Signals,
): void;
/** @param {import('node:child_process').ChildProcess} child @param {number} ms */
export function waitExit(
	child: import('node:child_process').ChildProcess,
	ms: number,
): Promise<any>;
/**
 * Runs a command in its own process group; collects stdout/stderr; kills the group on timeout.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, stderrTo?: NodeJS.WritableStream }} [opts]
 * @returns {Promise<CliResult>}
 */
export function run(
	cmd: string,
	args: string[],
	opts?: {
		cwd?: string;
		env?: NodeJS.ProcessEnv;
		timeoutMs?: number;
		stderrTo?: NodeJS.WritableStream;
	},
): Promise<CliResult>;
/** @param {string} text @param {number} [n] */
export function tail(text: string, n?: number): string;
/** @param {string} url @returns {Promise<number>} status code, 0 when not reachable */
export function httpStatus(url: string): Promise<number>;
/** @param {string} dir */
export function removeTempDir(dir: string): Promise<void>;

// @ts-check
'use strict';
/**
 * End-to-end harness: runs the package inside a REAL n8n (1.x on Node 20, 2.x on Node 24),
 * installed by scripts/install-n8n.sh into a cache outside the repository.
 *
 *   const h = require('./n8n-harness');
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
 * unless E2E_KEEP=1. See README.md in this folder.
 */
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO_DIR = path.resolve(__dirname, '..', '..');
const INSTALL_SCRIPT = path.join(REPO_DIR, 'scripts', 'install-n8n.sh');
const NET_GUARD = path.join(__dirname, 'net-guard.js');
const CACHE_DIR =
	process.env.N8N_E2E_CACHE ||
	path.join(os.homedir(), '.cache', 'n8n-nodes-zoho-crm-related-records');
const KEEP = /^(1|true|yes)$/i.test(process.env.E2E_KEEP || '');
/** Fixed so that credentials imported in one CLI call decrypt in the next. */
const ENCRYPTION_KEY = 'n8n-e2e-fixed-encryption-key-do-not-use-in-production';
const CLI_TIMEOUT_MS = Number(process.env.E2E_CLI_TIMEOUT_MS) || 180_000;
const START_TIMEOUT_MS = Number(process.env.E2E_START_TIMEOUT_MS) || 120_000;
const INSTALL_TIMEOUT_MS = 45 * 60_000;
/** The flags n8n's CommunityPackagesService passes to `npm install` (1.123 and 2.40 alike). */
const N8N_NPM_INSTALL_FLAGS = [
	'--audit=false',
	'--fund=false',
	'--bin-links=false',
	'--install-strategy=shallow',
	'--ignore-scripts=true',
	'--package-lock=false',
];
/** n8n's default community-package registry (N8N_COMMUNITY_PACKAGES_REGISTRY). */
const N8N_REGISTRY = 'https://registry.npmjs.org';

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

// ---------------------------------------------------------------------------------------
// process bookkeeping: every child and temp folder is cleaned up, even on crash / Ctrl-C
// ---------------------------------------------------------------------------------------

/** @type {Set<import('node:child_process').ChildProcess>} */
const liveChildren = new Set();
/** @type {Set<string>} */
const tempDirs = new Set();
let hooksInstalled = false;

/** @param {import('node:child_process').ChildProcess} child @param {NodeJS.Signals} signal */
function killTree(child, signal) {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal); // spawned detached: its own process group
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

function cleanupAllSync() {
	for (const child of liveChildren) killTree(child, 'SIGKILL');
	liveChildren.clear();
	for (const dir of tempDirs) {
		if (KEEP) {
			process.stderr.write(`[n8n-harness] E2E_KEEP=1: kept ${dir}\n`);
			continue;
		}
		try {
			fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
		} catch {
			/* best effort */
		}
	}
	tempDirs.clear();
}

function installHooks() {
	if (hooksInstalled) return;
	hooksInstalled = true;
	process.on('exit', cleanupAllSync);
	for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
		const onSignal = () => {
			cleanupAllSync();
			process.removeListener(sig, onSignal);
			process.kill(process.pid, sig);
		};
		process.on(sig, onSignal);
	}
}

/** Kills every n8n process this harness started and removes its temp folders (E2E_KEEP=1 keeps them). */
async function cleanupAll() {
	const children = [...liveChildren];
	for (const child of children) killTree(child, 'SIGTERM');
	await Promise.all(children.map((c) => waitExit(c, 10_000)));
	cleanupAllSync();
}

/**
 * A temp folder (os.tmpdir()/n8n-e2e-<label>-…) removed at cleanupAll() / process exit,
 * also on Ctrl-C, unless E2E_KEEP=1.
 * @param {string} label @returns {Promise<string>}
 */
async function makeTempDir(label) {
	installHooks();
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `n8n-e2e-${label}-`));
	tempDirs.add(dir);
	return dir;
}

/** @param {string} dir */
async function removeTempDir(dir) {
	if (!tempDirs.has(dir)) return;
	tempDirs.delete(dir);
	if (KEEP) {
		process.stderr.write(`[n8n-harness] E2E_KEEP=1: kept ${dir}\n`);
		return;
	}
	await fsp.rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** @param {import('node:child_process').ChildProcess} child @param {number} ms */
function waitExit(child, ms) {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
		const timer = setTimeout(() => resolve(false), ms);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}

// ---------------------------------------------------------------------------------------
// generic child process runner
// ---------------------------------------------------------------------------------------

/**
 * Runs a command in its own process group; collects stdout/stderr; kills the group on timeout.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, stderrTo?: NodeJS.WritableStream }} [opts]
 * @returns {Promise<CliResult>}
 */
function run(cmd, args, opts = {}) {
	installHooks();
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		liveChildren.add(child);
		/** @type {Buffer[]} */ const out = [];
		/** @type {Buffer[]} */ const err = [];
		child.stdout?.on('data', (d) => out.push(d));
		child.stderr?.on('data', (d) => {
			err.push(d);
			opts.stderrTo?.write(d);
		});
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killTree(child, 'SIGKILL');
		}, opts.timeoutMs ?? CLI_TIMEOUT_MS);
		child.on('error', (e) => {
			clearTimeout(timer);
			liveChildren.delete(child);
			reject(e);
		});
		child.on('close', (exitCode, signal) => {
			clearTimeout(timer);
			liveChildren.delete(child);
			// The group may still hold children (e.g. a task runner): make sure they go too.
			if (child.pid !== undefined) {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					/* group already empty */
				}
			}
			resolve({
				exitCode,
				signal,
				timedOut,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
				durationMs: Date.now() - started,
				args: [cmd, ...args],
			});
		});
	});
}

/** @param {string} text @param {number} [n] */
function tail(text, n = 40) {
	return text.split('\n').slice(-n).join('\n');
}

/** @param {string} what @param {CliResult} r */
function cliError(what, r) {
	return new Error(
		`${what} failed (exit ${r.exitCode}${r.signal ? `, signal ${r.signal}` : ''}${
			r.timedOut ? ', TIMED OUT' : ''
		}, ${r.durationMs} ms): ${r.args.join(' ')}\n--- stdout (tail) ---\n${tail(r.stdout)}\n--- stderr (tail) ---\n${tail(r.stderr)}`,
	);
}

// ---------------------------------------------------------------------------------------
// ports
// ---------------------------------------------------------------------------------------

/**
 * A free TCP port on 127.0.0.1 (asks the OS; tiny race window until n8n binds it).
 * @returns {Promise<number>}
 */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = addr && typeof addr === 'object' ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

// ---------------------------------------------------------------------------------------
// n8n install
// ---------------------------------------------------------------------------------------

/** @type {Map<Line, Promise<N8nInstall>>} */
const installs = new Map();
/** n8n backend modules that contact api.n8n.io by themselves; disabled where they exist. */
const PHONE_HOME_MODULES = ['mcp-registry'];

/**
 * Installs (first time only, via scripts/install-n8n.sh) and locates n8n for a line.
 * @param {Line} line 1 = n8n 1.x on this machine's Node 20, 2 = n8n 2.x on Node 24
 * @returns {Promise<N8nInstall>}
 */
function ensureN8n(line) {
	if (line !== 1 && line !== 2) throw new Error(`ensureN8n: line must be 1 or 2, got ${line}`);
	let p = installs.get(line);
	if (!p) {
		p = doEnsureN8n(line);
		installs.set(line, p);
		p.catch(() => installs.delete(line));
	}
	return p;
}

/** @param {Line} line @returns {Promise<N8nInstall>} */
async function doEnsureN8n(line) {
	const env = { ...process.env, N8N_E2E_CACHE: CACHE_DIR };
	/** @param {string[]} extra */
	const script = async (extra) => {
		const r = await run('bash', [INSTALL_SCRIPT, String(line), ...extra], {
			env,
			timeoutMs: INSTALL_TIMEOUT_MS,
			stderrTo: process.stderr,
		});
		if (r.exitCode !== 0) throw cliError(`install-n8n.sh ${line}`, r);
		const last = r.stdout.trim().split('\n').pop();
		if (!last) throw cliError(`install-n8n.sh ${line} (no output)`, r);
		return last.trim();
	};
	const dir = await script([]);
	const nodeBin = await script(['node']);
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const pkg = JSON.parse(
		await fsp.readFile(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8'),
	);
	const v = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' });
	if (v.status !== 0) throw new Error(`cannot run ${nodeBin}: ${v.stderr}`);
	// Backend modules that call api.n8n.io on their own (n8n 2.x's mcp-registry fetches
	// https://api.n8n.io/api/mcp-servers at start-up). Only names this n8n knows may be
	// listed in N8N_DISABLED_MODULES (an unknown name is a start-up error).
	const modulesConfig = path.join(
		dir,
		'node_modules',
		'@n8n',
		'backend-common',
		'dist',
		'modules',
		'modules.config.js',
	);
	const known = fs.existsSync(modulesConfig) ? await fsp.readFile(modulesConfig, 'utf8') : '';
	const disabledModules = PHONE_HOME_MODULES.filter((m) => known.includes(`'${m}'`));
	return {
		line,
		version: String(pkg.version),
		dir,
		nodeBin,
		nodeVersion: v.stdout.trim(),
		n8nBin,
		disabledModules,
		env: { PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}` },
	};
}

/**
 * Whether scripts/install-n8n.sh has already installed a line into the cache (so that
 * ensureN8n() is quick), without installing anything. Reads the versions the script would
 * install (its defaults, or N8N1_VERSION / N8N2_VERSION / NODE24_VERSION).
 * @param {Line} line
 * @returns {{ installed: boolean, version: string, dir: string }}
 */
function n8nInstalled(line) {
	const script = fs.readFileSync(INSTALL_SCRIPT, 'utf8');
	/** @param {string} variable */
	const fallback = (variable) =>
		process.env[variable] ||
		new RegExp(`\\$\\{${variable}:-([^}]+)\\}`).exec(script)?.[1] ||
		'unknown';
	const version = fallback(line === 1 ? 'N8N1_VERSION' : 'N8N2_VERSION');
	const dir = path.join(CACHE_DIR, `n8n-${version}`);
	let installed = fs.existsSync(path.join(dir, '.ok'));
	if (line === 2)
		installed &&= fs.existsSync(path.join(CACHE_DIR, `node-${fallback('NODE24_VERSION')}`, '.ok'));
	return { installed, version, dir };
}

// ---------------------------------------------------------------------------------------
// packing and installing a community package
// ---------------------------------------------------------------------------------------

/**
 * `npm pack` of an already BUILT package (does not build). Returns the tarball path, in a
 * temp folder removed at exit.
 * @param {string} [repoDir] defaults to this repository
 * @returns {Promise<string>}
 */
async function packPackage(repoDir = REPO_DIR) {
	const pkg = JSON.parse(await fsp.readFile(path.join(repoDir, 'package.json'), 'utf8'));
	const declared = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = declared.filter(
		(/** @type {string} */ f) => !fs.existsSync(path.join(repoDir, f)),
	);
	if (missing.length)
		throw new Error(
			`packPackage: ${pkg.name} is not built (missing ${missing.join(', ')}); run \`npm run build\` first`,
		);
	const dest = await makeTempDir('pack');
	const r = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], {
		cwd: repoDir,
		env: { ...process.env, npm_config_update_notifier: 'false' },
		timeoutMs: 120_000,
	});
	if (r.exitCode !== 0) throw cliError('npm pack', r);
	const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')));
	return path.join(dest, info[0].filename);
}

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
async function installTarball(ctx, tarball, mode = 'n8n') {
	const started = Date.now();
	const nodesDir = ctx.nodesDir;
	await fsp.mkdir(path.join(nodesDir, 'node_modules'), { recursive: true });
	const rootPkgPath = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(rootPkgPath))
		await fsp.writeFile(
			rootPkgPath,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	// n8n runs npm with NODE_ENV=production (and little else). The rest of the calling
	// environment is kept on purpose: proxy and CA settings (NODE_EXTRA_CA_CERTS…) are what
	// lets npm on the Node 24 binary, which has no system CA store, reach the registry here.
	/** @type {Record<string, string>} */
	const npmEnv = {};
	for (const [k, v] of Object.entries(process.env))
		if (v !== undefined && !STRIP_ENV.test(k)) npmEnv[k] = v;
	Object.assign(npmEnv, {
		PATH: ctx.env.PATH,
		NODE_ENV: 'production',
		npm_config_cache: path.join(CACHE_DIR, 'npm-cache'),
		npm_config_update_notifier: 'false',
	});
	const npmArgs = [...N8N_NPM_INSTALL_FLAGS, `--registry=${N8N_REGISTRY}`];
	const absTarball = path.resolve(tarball);

	if (mode === 'npm') {
		const r = await run(
			'npm',
			['install', ...npmArgs, '--omit=dev', '--omit=peer', '--omit=optional', absTarball],
			{ cwd: nodesDir, env: npmEnv, timeoutMs: 300_000 },
		);
		if (r.exitCode !== 0) throw cliError('npm install <tarball>', r);
		const list = await run('tar', ['-xzOf', absTarball, 'package/package.json'], {
			timeoutMs: 30_000,
		});
		const pkg = JSON.parse(list.stdout);
		const installed = {
			name: pkg.name,
			version: pkg.version,
			dir: path.join(nodesDir, 'node_modules', pkg.name),
			mode,
			durationMs: Date.now() - started,
		};
		ctx.installed.push(installed);
		return /** @type {InstalledPackage} */ (installed);
	}

	const staging = await fsp.mkdtemp(path.join(nodesDir, '.staging-'));
	try {
		const x = await run('tar', ['-xzf', absTarball, '-C', staging, '--strip-components=1'], {
			timeoutMs: 60_000,
		});
		if (x.exitCode !== 0) throw cliError('tar -xzf', x);
		const pkgPath = path.join(staging, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(
			await fsp.readFile(pkgPath, 'utf8'),
		);
		if (!/^(@[a-z0-9][a-z0-9._-]*\/)?n8n-nodes-/.test(pkg.name))
			throw new Error(
				`installTarball: "${pkg.name}" is not a community package name (n8n-nodes-…)`,
			);
		await fsp.writeFile(pkgPath, JSON.stringify(pkg, null, 2), 'utf8');
		const dir = path.join(nodesDir, 'node_modules', pkg.name);
		await fsp.rm(dir, { recursive: true, force: true });
		await fsp.mkdir(path.dirname(dir), { recursive: true });
		await fsp.rename(staging, dir);
		const r = await run('npm', ['install', ...npmArgs], {
			cwd: dir,
			env: npmEnv,
			timeoutMs: 300_000,
		});
		if (r.exitCode !== 0) throw cliError(`npm install (in ${dir})`, r);
		const root = JSON.parse(await fsp.readFile(rootPkgPath, 'utf8'));
		root.dependencies = { ...(root.dependencies ?? {}), [pkg.name]: pkg.version };
		await fsp.writeFile(rootPkgPath, JSON.stringify(root, null, 2), 'utf8');
		/** @type {InstalledPackage} */
		const installed = {
			name: pkg.name,
			version: pkg.version,
			dir,
			mode,
			durationMs: Date.now() - started,
		};
		ctx.installed.push(installed);
		return installed;
	} finally {
		await fsp.rm(staging, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------
// user folder and environment
// ---------------------------------------------------------------------------------------

/** Variables from the calling environment that must not leak into n8n. */
const STRIP_ENV =
	/^(N8N_|DB_|QUEUE_|EXECUTIONS_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_OPTIONS$|NODE_PATH$|NODE_ENV$|NODES_|CREDENTIALS_|EXTERNAL_|E2E_TESTS$|E2E_NET_GUARD_LOG$|VUE_APP_|CODE_ENABLE_|NODE_FUNCTION_|WORKFLOWS_|OTEL_|SENTRY_|JEST_|npm_)/;

/**
 * The environment every n8n process of a context runs with.
 * @param {N8nInstall} n8n @param {string} userFolder @param {string} netLog
 * @param {Record<string, string | undefined>} [extra]
 */
function buildEnv(n8n, userFolder, netLog, extra = {}) {
	/** @type {Record<string, string>} */
	const env = {};
	for (const [k, v] of Object.entries(process.env))
		if (v !== undefined && !STRIP_ENV.test(k)) env[k] = v;
	Object.assign(env, {
		PATH: n8n.env.PATH,
		TZ: 'UTC',
		GENERIC_TIMEZONE: 'UTC',
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		DB_TYPE: 'sqlite',
		DB_SQLITE_DATABASE: path.join(userFolder, '.n8n', 'database.sqlite'),
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		// nothing may call home
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		// community packages: load what is in .n8n/nodes; never ask api.n8n.io about them
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		// local only
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_SSRF_PROTECTION_ENABLED: 'false',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		// network guard (see net-guard.js); JSON quoting survives spaces in the path
		NODE_OPTIONS: `--require ${JSON.stringify(NET_GUARD)}`,
		E2E_NET_GUARD: process.env.E2E_NET_GUARD || 'block',
		E2E_NET_GUARD_LOG: netLog,
	});
	if (n8n.disabledModules.length) env.N8N_DISABLED_MODULES = n8n.disabledModules.join(',');
	// n8n 1.x's default expression engine needs isolated-vm, which does not build on Node 20.
	if (n8n.line === 1) env.N8N_EXPRESSION_ENGINE = 'legacy';
	for (const [k, v] of Object.entries(extra)) {
		if (v === undefined) delete env[k];
		else env[k] = v;
	}
	return env;
}

/**
 * A fresh temp N8N_USER_FOLDER, with the given tarball(s) installed as community packages.
 * @param {{
 *   line: Line, tarball?: string, tarballs?: string[], installMode?: 'n8n' | 'npm',
 *   env?: Record<string, string | undefined>
 * }} opts `env` adds to / overrides (undefined removes) the n8n environment
 * @returns {Promise<Ctx>}
 */
async function createUserFolder(opts) {
	const n8n = await ensureN8n(opts.line);
	const root = await makeTempDir(`n8n${opts.line}`);
	const userFolder = root;
	const filesDir = path.join(root, 'e2e-files');
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	await fsp.mkdir(filesDir, { recursive: true });
	await fsp.mkdir(path.join(userFolder, '.n8n'), { recursive: true });
	const netLog = path.join(root, 'net-guard.log');
	/** @type {Ctx} */
	const ctx = {
		line: opts.line,
		n8n,
		root,
		userFolder,
		nodesDir,
		filesDir,
		netLog,
		env: buildEnv(n8n, userFolder, netLog, opts.env),
		installed: [],
		cleanup: () => removeTempDir(root),
	};
	for (const t of [...(opts.tarball ? [opts.tarball] : []), ...(opts.tarballs ?? [])])
		await installTarball(ctx, t, opts.installMode ?? 'n8n');
	return ctx;
}

/**
 * Outgoing non-loopback connections n8n attempted (and the guard refused) in this context.
 * @param {Ctx} ctx @returns {any[]}
 */
function netAttempts(ctx) {
	if (!fs.existsSync(ctx.netLog)) return [];
	return fs
		.readFileSync(ctx.netLog, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((l) => JSON.parse(l));
}

// ---------------------------------------------------------------------------------------
// n8n CLI
// ---------------------------------------------------------------------------------------

/**
 * Runs `n8n <args>` for a context, with fresh ports so that calls may overlap.
 * @param {Ctx} ctx @param {string[]} args
 * @param {{ timeoutMs?: number, env?: Record<string, string> }} [opts]
 * @returns {Promise<CliResult>}
 */
async function runN8nCli(ctx, args, opts = {}) {
	const env = {
		...ctx.env,
		N8N_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...opts.env,
	};
	return run(ctx.n8n.nodeBin, [ctx.n8n.n8nBin, ...args], {
		cwd: ctx.root,
		env,
		timeoutMs: opts.timeoutMs ?? CLI_TIMEOUT_MS,
	});
}

let fileCounter = 0;
/** @param {Ctx} ctx @param {string} prefix @param {unknown} data */
async function writeJsonFile(ctx, prefix, data) {
	const file = path.join(ctx.filesDir, `${prefix}-${++fileCounter}.json`);
	await fsp.writeFile(file, JSON.stringify(data, null, 2), 'utf8');
	return file;
}

/**
 * `n8n import:credentials`. Each credential needs an explicit `id`, `name`, `type` and a
 * plain-object `data` (the import encrypts it with the context's key).
 * @param {Ctx} ctx
 * @param {Array<{ id: string, name: string, type: string, data: Record<string, unknown> }>} creds
 * @returns {Promise<CliResult>}
 */
async function importCredentials(ctx, creds) {
	for (const c of creds)
		if (!c.id || !c.name || !c.type || !c.data || typeof c.data !== 'object')
			throw new Error(
				`importCredentials: every credential needs id, name, type and data (object): ${JSON.stringify(c)}`,
			);
	const file = await writeJsonFile(ctx, 'credentials', creds);
	const r = await runN8nCli(ctx, ['import:credentials', `--input=${file}`]);
	if (r.exitCode !== 0 || !/Successfully imported/i.test(r.stdout + r.stderr))
		throw cliError('n8n import:credentials', r);
	return r;
}

/**
 * Nodes as n8n stores them: an id, a position in a row, parameters and typeVersion 1 where
 * the node does not give its own.
 * @param {any[]} nodes
 */
function withNodeDefaults(nodes) {
	return nodes.map((n, i) => ({
		id: crypto.randomUUID(),
		position: [i * 220, 0],
		parameters: {},
		typeVersion: 1,
		...n,
	}));
}

/**
 * `n8n import:workflow`. A workflow needs an explicit `id` (at most 16 characters: n8n 1.x
 * executes by id only up to 16) and `nodes`; name, connections, settings, active, node
 * ids and positions are filled in when missing.
 * @param {Ctx} ctx @param {any | any[]} workflowJson one workflow or an array
 * @returns {Promise<CliResult>}
 */
async function importWorkflow(ctx, workflowJson) {
	const list = (Array.isArray(workflowJson) ? workflowJson : [workflowJson]).map((wf) => {
		if (typeof wf?.id !== 'string' || !/^[A-Za-z0-9]{1,16}$/.test(wf.id))
			throw new Error(
				`importWorkflow: workflow id must be 1-16 letters/digits, got ${JSON.stringify(wf?.id)}`,
			);
		if (!Array.isArray(wf.nodes))
			throw new Error(`importWorkflow: workflow ${wf.id} has no nodes[]`);
		return {
			name: wf.id,
			active: false,
			settings: {},
			connections: {},
			...wf,
			nodes: withNodeDefaults(wf.nodes),
		};
	});
	const file = await writeJsonFile(ctx, 'workflow', list);
	const r = await runN8nCli(ctx, ['import:workflow', `--input=${file}`]);
	if (r.exitCode !== 0 || !/Successfully imported/i.test(r.stdout + r.stderr))
		throw cliError('n8n import:workflow', r);
	return r;
}

/**
 * Pulls the run-data JSON out of `n8n execute --rawOutput` output. The JSON is printed
 * with 2-space indentation between log lines (on failure: after "Execution was NOT
 * successful" and before the error log lines), so start at the first line that is just
 * `{` (fallback: the first `{`) and scan to its matching `}`.
 * @param {string} text @returns {any}
 */
function parseRunOutput(text) {
	/** @type {number[]} */
	const starts = [];
	for (const m of text.matchAll(/^\{[ \t]*$/gm)) starts.push(/** @type {number} */ (m.index));
	const first = text.indexOf('{');
	if (first >= 0 && !starts.includes(first)) starts.push(first);
	/** @type {any} */
	let fallback;
	for (const start of starts) {
		const end = matchingBrace(text, start);
		if (end < 0) continue;
		try {
			const value = JSON.parse(text.slice(start, end + 1));
			if (value && typeof value === 'object' && 'data' in value) return value; // an IRun
			fallback ??= value;
		} catch {
			/* try the next candidate */
		}
	}
	return fallback;
}

/** @param {string} s @param {number} start index of `{` @returns {number} index of the matching `}` */
function matchingBrace(s, start) {
	let depth = 0;
	let inString = false;
	for (let i = start; i < s.length; i++) {
		const c = s[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '{' || c === '[') depth++;
		else if (c === '}' || c === ']') {
			depth--;
			if (depth === 0) return i;
		}
	}
	return -1;
}

/**
 * `n8n execute --id=<id> --rawOutput`. Never throws for a failed execution: `ok` is false
 * and `output` still holds the parsed run data (with `output.data.resultData.error`).
 * @param {Ctx} ctx @param {string} id @param {{ timeoutMs?: number, env?: Record<string, string> }} [opts]
 * @returns {Promise<ExecuteResult>}
 */
async function executeWorkflow(ctx, id, opts = {}) {
	const r = await runN8nCli(ctx, ['execute', `--id=${id}`, '--rawOutput'], opts);
	const output = parseRunOutput(r.stdout) ?? parseRunOutput(r.stderr);
	const error = output?.data?.resultData?.error;
	const status = output?.status;
	return {
		...r,
		ok: r.exitCode === 0 && !!output && !error && status !== 'error',
		output,
		error,
		status,
	};
}

// --- reading run data -----------------------------------------------------------------

/**
 * The task data (one per run) of a node in a parsed execute output.
 * @param {any} output @param {string} nodeName @returns {any[]}
 */
function nodeRuns(output, nodeName) {
	return output?.data?.resultData?.runData?.[nodeName] ?? [];
}

/**
 * The items ({ json, pairedItem, … }) a node emitted on one output in one run.
 * @param {any} output @param {string} nodeName
 * @param {{ run?: number, outputIndex?: number }} [opts]
 * @returns {any[]}
 */
function nodeItems(output, nodeName, opts = {}) {
	const task = nodeRuns(output, nodeName)[opts.run ?? 0];
	return task?.data?.main?.[opts.outputIndex ?? 0] ?? [];
}

/**
 * The error a node's run ended with (task data `error`), else the execution's error.
 * @param {any} output @param {string} [nodeName] @returns {any}
 */
function executionError(output, nodeName) {
	if (nodeName) return nodeRuns(output, nodeName).find((t) => t?.error)?.error;
	return output?.data?.resultData?.error;
}

// ---------------------------------------------------------------------------------------
// n8n start (server) and REST
// ---------------------------------------------------------------------------------------

/** @param {string} url @returns {Promise<number>} status code, 0 when not reachable */
function httpStatus(url) {
	return new Promise((resolve) => {
		const req = http.get(url, { timeout: 2000 }, (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('timeout', () => req.destroy());
		req.on('error', () => resolve(0));
	});
}

/**
 * `n8n start` on 127.0.0.1 with a free port. Resolves once GET /healthz answers 200 and
 * (waitFor 'ready', the default) n8n has printed "Editor is now accessible via" — /healthz
 * comes up before the REST routes (POST /rest/owner/setup is a 404 until then).
 * @param {Ctx} ctx
 * @param {{ timeoutMs?: number, env?: Record<string, string>, echo?: boolean, waitFor?: 'healthz' | 'ready' }} [opts]
 * @returns {Promise<N8nServer>}
 */
async function startN8n(ctx, opts = {}) {
	installHooks();
	const started = Date.now();
	const port = await freePort();
	const env = {
		...ctx.env,
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...opts.env,
	};
	const child = spawn(ctx.n8n.nodeBin, [ctx.n8n.n8nBin, 'start'], {
		cwd: ctx.root,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	liveChildren.add(child);
	let log = '';
	/** @param {Buffer} d */
	const onData = (d) => {
		log += d.toString('utf8');
		if (opts.echo || process.env.E2E_ECHO_N8N) process.stderr.write(d);
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	let exited = false;
	child.on('exit', () => {
		exited = true;
		liveChildren.delete(child);
	});
	const url = `http://127.0.0.1:${port}`;
	const stop = async () => {
		if (exited) return;
		killTree(child, 'SIGTERM');
		if (!(await waitExit(child, 15_000))) killTree(child, 'SIGKILL');
		await waitExit(child, 5_000);
		// anything left in the group (task runner) goes too
		if (child.pid !== undefined) {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* empty group */
			}
		}
		liveChildren.delete(child);
	};
	const deadline = Date.now() + (opts.timeoutMs ?? START_TIMEOUT_MS);
	const waitReady = (opts.waitFor ?? 'ready') === 'ready';
	/** @type {number | undefined} */
	let healthzMs;
	while (Date.now() < deadline) {
		if (exited) throw new Error(`n8n start exited before it was ready:\n${tail(log, 60)}`);
		if (healthzMs === undefined && (await httpStatus(`${url}/healthz`)) === 200)
			healthzMs = Date.now() - started;
		// /healthz answers before the REST routes exist; n8n prints this line once they do.
		if (healthzMs !== undefined && (!waitReady || log.includes('Editor is now accessible via'))) {
			return {
				url,
				port,
				pid: child.pid,
				healthzMs,
				durationMs: Date.now() - started,
				logs: () => log,
				stop,
			};
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	await stop();
	throw new Error(
		`n8n start: not ready after ${opts.timeoutMs ?? START_TIMEOUT_MS} ms (healthz ${healthzMs ?? 'never'} ms):\n${tail(log, 60)}`,
	);
}

/**
 * A JSON request to n8n's REST API.
 * @param {string} url server base URL
 * @param {string} method @param {string} pathname e.g. /rest/login
 * @param {{ body?: unknown, session?: Session, headers?: Record<string, string> }} [opts]
 * @returns {Promise<{ status: number, headers: Headers, body: any, setCookie: string[] }>}
 */
async function rest(url, method, pathname, opts = {}) {
	const res = await fetch(url + pathname, {
		method,
		headers: {
			'content-type': 'application/json',
			...(opts.session?.headers ?? {}),
			...(opts.headers ?? {}),
		},
		body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
	});
	const text = await res.text();
	let body;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		body = text;
	}
	const setCookie =
		typeof res.headers.getSetCookie === 'function'
			? res.headers.getSetCookie()
			: (res.headers.get('set-cookie') ?? '').split(/,(?=\s*\w+=)/).filter(Boolean);
	return { status: res.status, headers: res.headers, body, setCookie };
}

/** @param {string[]} setCookie @returns {string | undefined} "n8n-auth=…" */
function authCookie(setCookie) {
	const c = setCookie.find((s) => s.trim().startsWith('n8n-auth='));
	return c?.split(';')[0].trim();
}

const DEFAULT_OWNER = {
	email: 'owner@e2e.example.com',
	password: 'E2e-Passw0rd!',
	firstName: 'E2E',
	lastName: 'Owner',
};

/**
 * Logs in; returns the auth cookie (and headers to send it with).
 * @param {string} url
 * @param {{ email?: string, password?: string, browserId?: string }} [opts]
 *   browserId: when given, the cookie is bound to it and every request must send the same
 *   `browser-id` header (as n8n's editor does); without it n8n skips that check.
 * @returns {Promise<Session>}
 */
async function login(url, opts = {}) {
	const email = opts.email ?? DEFAULT_OWNER.email;
	const password = opts.password ?? DEFAULT_OWNER.password;
	const headers = opts.browserId ? { 'browser-id': opts.browserId } : undefined;
	const r = await rest(url, 'POST', '/rest/login', {
		body: { emailOrLdapLoginId: email, password },
		headers,
	});
	const cookie = authCookie(r.setCookie);
	if (r.status !== 200 || !cookie)
		throw new Error(`login failed: HTTP ${r.status} ${JSON.stringify(r.body)}`);
	return {
		cookie,
		headers: { cookie, ...(headers ?? {}) },
		email,
		password,
		user: r.body?.data,
		browserId: opts.browserId,
	};
}

/**
 * Creates the instance owner (POST /rest/owner/setup), then logs in as that owner.
 * @param {string} url
 * @param {{ email?: string, password?: string, firstName?: string, lastName?: string, browserId?: string }} [opts]
 * @returns {Promise<Session>} `session.cookie` is "n8n-auth=…"
 */
async function setupOwner(url, opts = {}) {
	const owner = { ...DEFAULT_OWNER, ...opts };
	const r = await rest(url, 'POST', '/rest/owner/setup', {
		body: {
			email: owner.email,
			password: owner.password,
			firstName: owner.firstName,
			lastName: owner.lastName,
		},
	});
	if (r.status !== 200)
		throw new Error(`owner setup failed: HTTP ${r.status} ${JSON.stringify(r.body)}`);
	return login(url, { email: owner.email, password: owner.password, browserId: opts.browserId });
}

// ---------------------------------------------------------------------------------------

/**
 * The n8n lines to test: E2E_LINES="1,2" (default both).
 * @returns {Line[]}
 */
function e2eLines() {
	const raw = process.env.E2E_LINES || '1,2';
	const lines = raw
		.split(',')
		.map((s) => Number(s.trim()))
		.filter((n) => n === 1 || n === 2);
	return /** @type {Line[]} */ ([...new Set(lines)]);
}

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
	// building blocks for other process sets (test/e2e/queue-mode.js)
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

// @ts-check
'use strict';
/**
 * A test's n8n instance on disk: a fresh temp N8N_USER_FOLDER with the package(s) installed,
 * the environment every n8n process of it runs with (local only, nothing calls home, the
 * network guard preloaded), and what the guard logged.
 */
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');
const { ENCRYPTION_KEY, strippedEnv } = require('./config');
const { makeTempDir, removeTempDir } = require('./process');
const { ensureN8n } = require('./install');
const { installTarball } = require('./community-package');

const NET_GUARD = path.join(__dirname, 'net-guard.js');

/**
 * @typedef {{
 *   line: import('./install').Line, n8n: import('./install').N8nInstall, root: string,
 *   userFolder: string, nodesDir: string, filesDir: string, netLog: string,
 *   env: Record<string, string>, installed: import('./community-package').InstalledPackage[],
 *   cleanup: () => Promise<void>
 * }} Ctx
 */

/**
 * The environment every n8n process of a context runs with.
 * @param {import('./install').N8nInstall} n8n @param {string} userFolder @param {string} netLog
 * @param {Record<string, string | undefined>} [extra]
 */
function buildEnv(n8n, userFolder, netLog, extra = {}) {
	const env = strippedEnv();
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
 *   line: import('./install').Line, tarball?: string, tarballs?: string[],
 *   installMode?: 'n8n' | 'npm', env?: Record<string, string | undefined>
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

module.exports = { buildEnv, createUserFolder, netAttempts };

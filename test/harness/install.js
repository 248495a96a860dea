// @ts-check
'use strict';
/**
 * Installing and locating real n8n: scripts/install-n8n.sh installs a line once into the cache
 * (N8N_E2E_CACHE), n8n 1.x for this machine's Node 20, n8n 2.x with its own Node 24;
 * ensureN8n() says where the binaries are, n8nInstalled() whether a line is there already.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');
const { CACHE_DIR, INSTALL_SCRIPT } = require('./config');
const { run, cliError } = require('./process');

const INSTALL_TIMEOUT_MS = 45 * 60_000;
/** n8n backend modules that contact api.n8n.io by themselves; disabled where they exist. */
const PHONE_HOME_MODULES = ['mcp-registry'];

/**
 * @typedef {1 | 2} Line
 * @typedef {{
 *   line: Line, version: string, dir: string, nodeBin: string, nodeVersion: string,
 *   n8nBin: string, disabledModules: string[], env: Record<string, string>
 * }} N8nInstall
 */

/** @type {Map<Line, Promise<N8nInstall>>} */
const installs = new Map();

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

module.exports = { ensureN8n, n8nInstalled };

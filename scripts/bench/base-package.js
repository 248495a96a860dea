// @ts-check
'use strict';
/**
 * The comparison package: the tarball given in BENCH_BASE_TARBALL, or this repository at
 * BENCH_BASE_REF (default 0eb5e2c, before input items shared calls) cloned into a temp folder,
 * built and packed there; the repository itself is only read.
 */
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');
const { BenchError } = require('./settings');

/**
 * Runs a tool to completion (output kept for the error message).
 * @param {string} cmd @param {string[]} args @param {string} cwd
 */
function tool(cmd, args, cwd) {
	return new Promise((resolve, reject) => {
		execFile(
			cmd,
			args,
			{ cwd, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 },
			(error, stdout, stderr) => {
				if (error)
					reject(
						new BenchError(
							`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${error.message}\n${String(stdout).slice(-2000)}${String(stderr).slice(-2000)}`,
						),
					);
				else resolve(stdout);
			},
		);
	});
}

/**
 * The tarball of the comparison package: `tarball` when given, else `git clone` of this
 * repository into a temp folder, checkout of `ref`, `npm run build` with this repository's
 * node_modules (linked when the lock file is the same, else `npm ci`), `npm pack`.
 * @param {{ ref: string, tarball: string | undefined }} base
 * @returns {Promise<string>}
 */
async function baseTarball(base) {
	if (base.tarball) return base.tarball;
	const dir = await h.makeTempDir('bench-base');
	const src = path.join(dir, 'repo');
	await tool('git', ['clone', '--quiet', '--no-hardlinks', h.REPO_DIR, src], dir);
	await tool('git', ['-c', 'advice.detachedHead=false', 'checkout', '--quiet', base.ref], src);
	const lock = (/** @type {string} */ d) =>
		fs.readFileSync(path.join(d, 'package-lock.json'), 'utf8');
	if (lock(src) === lock(h.REPO_DIR))
		fs.symlinkSync(path.join(h.REPO_DIR, 'node_modules'), path.join(src, 'node_modules'), 'dir');
	else await tool('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], src);
	await tool('npm', ['run', 'build'], src);
	return await h.packPackage(src);
}

module.exports = { baseTarball };

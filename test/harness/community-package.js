// @ts-check
'use strict';
/**
 * A community package for a test: `npm pack` of a built package, and installing the tarball
 * into a user folder's `.n8n/nodes` the way n8n installs community packages (or the manual
 * `npm install <tarball>` route).
 */
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');
const { REPO_DIR, CACHE_DIR, strippedEnv } = require('./config');
const { makeTempDir, run, cliError } = require('./process');

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
 * @typedef {{ name: string, version: string, dir: string, mode: 'n8n' | 'npm', durationMs: number }} InstalledPackage
 */

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
 * @param {import('./user-folder').Ctx} ctx @param {string} tarball @param {'n8n' | 'npm'} [mode]
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
	const npmEnv = {
		...strippedEnv(),
		PATH: ctx.env.PATH,
		NODE_ENV: 'production',
		npm_config_cache: path.join(CACHE_DIR, 'npm-cache'),
		npm_config_update_notifier: 'false',
	};
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

module.exports = { N8N_NPM_INSTALL_FLAGS, packPackage, installTarball };

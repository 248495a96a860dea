// @ts-check
'use strict';
/**
 * The two packages under test, each installed in its own user folder of the same n8n: this
 * working tree (or BENCH_TARBALL) and the comparison package (base-package.js); and for each,
 * its campaigns seeded in the sandbox and its workflows and credential imported.
 */
const h = require('./harness');
const { CREDENTIAL, NOW, basePackage, tarballToMeasure } = require('./settings');
const { baseTarball } = require('./base-package');
const ids10k = require('./ids-10k');
const sharing = require('./sharing');
const memory100k = require('./memory-100k');
const { progress } = require('./print');

/**
 * @typedef {import('./sandbox').Pair} Pair
 * @typedef {{ big: Pair[], one: Pair[], ten: Pair[], each: Pair[], huge: Pair[] }} Seeds
 *   each node scenario's pairs, on campaigns of its own
 * @typedef {{ tag: string, tarball: string, ctx: import('./harness').Ctx, seeds: Seeds }} Pkg
 *   a package under test: its name in the package column, its tarball, its user folder
 * @typedef {import('./sandbox').SeededSandbox & { line: 1 | 2, now: Pkg, base: Pkg }} Bench
 *   everything a scenario family runs with
 * @typedef {Omit<Pkg, 'seeds'>} Installed
 */

/**
 * Packs this package (unless BENCH_TARBALL) and installs it; unless `withBase` is false, builds
 * and installs the comparison package too.
 * @param {1 | 2} line @param {boolean} withBase
 * @returns {Promise<{ now: Installed, base: Installed | undefined }>}
 */
async function installPackages(line, withBase) {
	const tarball = tarballToMeasure() ?? (await h.packPackage());
	const now = { tag: NOW, tarball, ctx: await h.createUserFolder({ line, tarball }) };
	if (!withBase) return { now, base: undefined };
	const base = basePackage();
	progress(`building and installing the package at ${base.tag} (clone in a temp folder)…`);
	const baseTgz = await baseTarball(base);
	const ctx = await h.createUserFolder({ line, tarball: baseTgz });
	return { now, base: { tag: base.tag, tarball: baseTgz, ctx } };
}

/**
 * Seeds one package's campaigns for every node scenario (the sharing scenarios, 10k, 100k, in
 * that order) and gives their workflows.
 * @param {import('./sandbox').SeededSandbox} s @param {string} tag
 * @returns {{ seeds: Seeds, workflows: any[] }}
 */
function seedPackage(s, tag) {
	const one = sharing.seed(s.sb, tag, s.few);
	const big = ids10k.seed(s.sb, tag, s.big);
	const huge = memory100k.seed(s.sb, tag, s.contacts);
	return {
		seeds: { ...one.seeds, ...big.seeds, ...huge.seeds },
		workflows: [...big.workflows, ...one.workflows, ...huge.workflows],
	};
}

/**
 * Imports the sandbox's credential and the workflows into a package's user folder.
 * @param {import('./harness').Ctx} ctx @param {import('./sandbox').SeededSandbox} s @param {any[]} workflows
 */
async function importInto(ctx, s, workflows) {
	await h.importCredentials(ctx, [h.sandboxCredential(s.sb, CREDENTIAL)]);
	await h.importWorkflow(ctx, workflows);
}

module.exports = { installPackages, seedPackage, importInto };

/**
 * Copies every icon the node and credential reference (`icon: 'file:…'`) into dist, at the
 * path the reference resolves to from the compiled file. Fails the build when one is missing.
 */
const path = require('path');
const fs = require('fs');
const { task, series } = require('gulp');

const ROOT = __dirname;
const DIST = path.join(ROOT, 'dist');
const SOURCES = ['nodes', 'credentials'];

function findSources(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return findSources(full);
		return /\.(node|credentials)\.ts$/.test(entry.name) ? [full] : [];
	});
}

function iconReferences(source) {
	const text = fs.readFileSync(source, 'utf8');
	return [...text.matchAll(/['"]file:([^'"]+\.(?:svg|png))['"]/g)].map((match) => match[1]);
}

function copyIcons(done) {
	let copied = 0;
	for (const source of SOURCES.flatMap((dir) => findSources(path.join(ROOT, dir)))) {
		for (const reference of iconReferences(source)) {
			const from = path.resolve(path.dirname(source), reference);
			const compiled = path.join(DIST, path.relative(ROOT, path.dirname(source)));
			const to = path.resolve(compiled, reference);
			if (!fs.existsSync(from)) {
				return done(new Error(`${path.relative(ROOT, source)} references ${reference}, which does not exist`));
			}
			if (!to.startsWith(DIST + path.sep)) {
				return done(new Error(`${reference} in ${path.relative(ROOT, source)} resolves outside dist`));
			}
			fs.mkdirSync(path.dirname(to), { recursive: true });
			fs.copyFileSync(from, to);
			copied++;
		}
	}
	const codex = path.join('nodes', 'ZohoCrmRelatedRecords', 'ZohoCrmRelatedRecords.node.json');
	fs.copyFileSync(path.join(ROOT, codex), path.join(DIST, codex));
	console.log(`copied ${copied} icon reference(s) and the codex file into dist`);
	done();
}

task('build:icons', series(copyIcons));

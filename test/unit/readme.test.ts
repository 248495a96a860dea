/**
 * The README and the pages it sends readers to (docs/*.md, test/README.md): the relations
 * table is relations.ts row for row; the README stays short, opens with the two quick-start
 * commands and keeps its sections in a user's order; every docs page is linked from it; and
 * every relative link (and the heading it names) resolves.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import {
	moduleDisplayName,
	relatedListsOf,
	supportedModules,
} from '../../nodes/ZohoCrmRelatedRecords/relations';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const readme = read('README.md');
const docsPages = readdirSync(join(root, 'docs'))
	.filter((name) => name.endsWith('.md'))
	.map((name) => `docs/${name}`);
/** The pages whose links are checked: the README, every docs page, the map of the tests. */
const pages = ['README.md', ...docsPages, 'test/README.md'];

/** The text outside fenced code blocks, line by line (links and headings live there). */
function proseLines(markdown: string): string[] {
	let fenced = false;
	return markdown.split('\n').filter((line) => {
		if (/^\s*(```|~~~)/.test(line)) {
			fenced = !fenced;
			return false;
		}
		return !fenced;
	});
}

/**
 * Every link and image target of a page, as written (`[text](target)`, `![alt](target)`), code
 * left out: code spans are dropped first (a link's text may be one: [`file`](file) stays a link).
 */
function linkTargets(markdown: string): string[] {
	const text = proseLines(markdown)
		.join('\n')
		.replace(/`[^`\n]*`/g, '');
	return [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
		(m) => m[1],
	);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
	return heading
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

/** The anchors a page's headings get, numbered as GitHub numbers repeated ones. */
function anchors(markdown: string): Set<string> {
	const seen = new Map<string, number>();
	const result = new Set<string>();
	for (const line of proseLines(markdown)) {
		const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
		if (heading === undefined) continue;
		const base = slug(heading);
		const n = seen.get(base) ?? 0;
		seen.set(base, n + 1);
		result.add(n === 0 ? base : `${base}-${n}`);
	}
	return result;
}

/** The relative links of a page that lead nowhere: a missing file, or a missing heading. */
function brokenLinks(page: string): string[] {
	const broken: string[] = [];
	for (const target of linkTargets(read(page))) {
		if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
		const [path, anchor] = target.split('#', 2);
		const file = path === '' ? join(root, page) : resolve(root, dirname(page), path);
		if (!existsSync(file)) {
			broken.push(`${target} (no file ${relative(root, file)})`);
			continue;
		}
		if (anchor && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor)) {
			broken.push(`${target} (no heading #${anchor} in ${relative(root, file)})`);
		}
	}
	return broken;
}

/** The files a page links to, relative to the repository root, anchors dropped. */
function linkedFiles(page: string): Set<string> {
	return new Set(
		linkTargets(read(page))
			.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#'))
			.map((target) => relative(root, resolve(root, dirname(page), target.split('#')[0]))),
	);
}

test('README "Supported relations" table matches relations.ts', () => {
	const table = /<!-- relations-table:start -->\n([\s\S]*?)<!-- relations-table:end -->/.exec(
		readme,
	)?.[1];
	const expected = [
		'| Module | Related lists |',
		'| --- | --- |',
		...supportedModules().map(
			(m) => `| ${moduleDisplayName(m)} | ${relatedListsOf(m).map(moduleDisplayName).join(', ')} |`,
		),
	].join('\n');
	// Prettier pads the cells to align the columns; the content is what matters.
	const cells = (s: string | undefined) =>
		(s ?? '')
			.trim()
			.split('\n')
			.map((row) => row.replace(/ *\| */g, '|').replace(/-{3,}/g, '---'))
			.join('\n');
	expect(cells(table)).toBe(cells(expected));
});

test('README.md is at most 200 lines', () => {
	expect(readme.replace(/\n$/, '').split('\n').length).toBeLessThanOrEqual(200);
});

test('README opens with the two quick-start commands, exactly as commands', () => {
	const firstScreen = readme.split('\n').slice(0, 40);
	expect(firstScreen.some((line) => /^npm ci && npm run demo(\s|$)/.test(line))).toBe(true);
	expect(firstScreen.some((line) => /^npm ci && npm test(\s|$)/.test(line))).toBe(true);
});

test('README sections come in the order a user needs them', () => {
	const headings = proseLines(readme)
		.map((line) => /^## (.*)$/.exec(line)?.[1])
		.filter((h): h is string => h !== undefined);
	const order = [
		'Quick start',
		'Operations',
		'Supported relations',
		'Credentials',
		'Install',
		'Links',
		'Version history',
	].map((wanted) => headings.findIndex((h) => h.startsWith(wanted)));
	expect(order).not.toContain(-1);
	expect([...order].sort((a, b) => a - b)).toEqual(order);
	expect(/## Version history\s+See \[CHANGELOG\.md\]\(CHANGELOG\.md\)/.test(readme)).toBe(true);
});

test('every docs page is linked from the README, and every docs page the README links exists', () => {
	const linked = [...linkedFiles('README.md')].filter((file) => file.startsWith('docs/'));
	for (const page of docsPages) expect(linked).toContain(page);
	for (const file of linked) expect(existsSync(join(root, file))).toBe(true);
	expect(linkedFiles('README.md').has('test/README.md')).toBe(true);
});

test.each(pages)('%s: every relative link resolves to a file (and to its heading)', (page) => {
	expect(brokenLinks(page)).toEqual([]);
});

test('the link checker itself: finds links and images, skips code, computes GitHub anchors', () => {
	const sample = [
		'See [a](docs/a.md#x-y) and ![b](img.png "title").',
		'```sh',
		'[not a link](nowhere.md)',
		'```',
		'`[code](not-a-link.md)` is code, [c](https://example.com) is external.',
	].join('\n');
	expect(linkTargets(sample)).toEqual(['docs/a.md#x-y', 'img.png', 'https://example.com']);
	expect(linkTargets('[`docker/Dockerfile`](../docker/Dockerfile)')).toEqual([
		'../docker/Dockerfile',
	]);
	expect(slug('100,000 ids: in a running n8n and under `n8n execute`')).toBe(
		'100000-ids-in-a-running-n8n-and-under-n8n-execute',
	);
	expect(slug('Allocations during the 100k run (`BENCH_HEAP_ALL=1`)')).toBe(
		'allocations-during-the-100k-run-bench_heap_all1',
	);
	expect([...anchors('# A\n## A\n```\n# B\n```\n### C: d')]).toEqual(['a', 'a-1', 'c-d']);
});

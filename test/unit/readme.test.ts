/** The README's relations table is relations.ts, row for row. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	moduleDisplayName,
	relatedListsOf,
	supportedModules,
} from '../../nodes/ZohoCrmRelatedRecords/relations';

test('README "Supported relations" table matches relations.ts', () => {
	const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
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
	expect(table?.trim()).toBe(expected);
});

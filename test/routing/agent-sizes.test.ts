/**
 * What a model would read from the node as a tool, measured: for Delink and Link of 10, 1,000
 * and 10,000 ids (members with mixed Member_Status, 1% of the ids not linked) through the real
 * routing engine on n8n-core 1.x and 2.x, the bytes of JSON n8n hands the model (its items'
 * json as one array, as makeHandleToolInvocation does) with the Summary output (the default as
 * a tool) and with One Item Per ID (the default in a workflow), and the Zoho calls. Max Links
 * Per Run is set to 0 (no limit) so that 10,000 ids run; with the default (1,000) they are
 * refused, which is printed too. Prints one table per engine:
 *
 *   npx jest --selectProjects routing-v1 routing-v2 --testPathPattern agent-sizes
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SUMMARY_BUDGET } from '../../nodes/ZohoCrmRelatedRecords/actions/toolOutput';
import { delinkParameters, runNode } from '../helpers/routing';
import { apiCalls, sandboxesClosedAfterEach } from './fixtures';

const setup = sandboxesClosedAfterEach();
const rows: string[] = [];
const bytes = (items: Array<{ json: IDataObject }>) =>
	Buffer.byteLength(JSON.stringify(items.map((i) => i.json)));
/** The n8n-core this jest project runs (routing-v1 maps n8n-core to the 1.x copy). */
const engine = (() => {
	let dir = dirname(require.resolve('n8n-core'));
	while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
	return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version as string;
})();

async function measure(operation: 'delink' | 'link', n: number, output: 'summary' | 'items') {
	const { sandbox, credential } = await setup();
	const campaignId = sandbox.addRecord('Campaigns');
	const contactIds = sandbox.addRecords('Contacts', n);
	const strangers = Math.floor(n / 100);
	if (operation === 'delink') {
		sandbox.link('Campaigns', campaignId, 'Contacts', contactIds.slice(strangers), (_id, i) => ({
			Member_Status: i % 3 === 0 ? 'Sent' : 'Active',
		}));
	}
	const options = { output, maxLinksPerRun: 0 };
	const parameters: INodeParameters =
		operation === 'delink'
			? delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
					...options,
					keepRelationData: true,
				})
			: ({
					operation: 'link',
					module: 'Campaigns',
					relatedList: 'Contacts',
					recordId: { __rl: true, mode: 'id', value: campaignId },
					relatedRecordIds: contactIds,
					memberStatus: 'Active',
					options,
				} as INodeParameters);
	const { items, error } = await runNode({ parameters, credentials: credential(), asTool: true });
	expect(error).toBeUndefined();
	const calls = apiCalls(sandbox);
	const count = (method: string) => calls.filter((c) => c.method === method).length;
	return {
		items,
		size: bytes(items),
		gets: count('GET'),
		writes: count(operation === 'delink' ? 'DELETE' : 'PUT'),
	};
}

describe(`tool result sizes (n8n-core ${engine})`, () => {
	afterAll(() => {
		console.log(
			[
				`n8n-core ${engine}: bytes of JSON the model gets, and Zoho calls (Max Links Per Run 0)`,
				'operation | ids | Summary (tool default) | One Item Per ID (workflow default) | GET | DELETE/PUT',
				...rows,
			].join('\n'),
		);
	});

	test.each([
		['delink', 10],
		['delink', 1000],
		['delink', 10_000],
		['link', 10],
		['link', 1000],
		['link', 10_000],
	] as const)('%s of %i ids: the summary stays within 8 KB', async (operation, n) => {
		const summary = await measure(operation, n, 'summary');
		const perId = await measure(operation, n, 'items');
		expect(summary.items).toHaveLength(1);
		expect(summary.size).toBeLessThanOrEqual(SUMMARY_BUDGET);
		expect(perId.items).toHaveLength(n);
		expect([perId.gets, perId.writes]).toEqual([summary.gets, summary.writes]);
		rows.push(
			`${operation} | ${n} | ${summary.size} | ${perId.size} | ${summary.gets} | ${summary.writes}`,
		);
	});

	test('with the tool default (1,000), 10,000 ids are refused: nothing sent', async () => {
		const { sandbox, credential } = await setup();
		const campaignId = sandbox.addRecord('Campaigns');
		const contactIds = sandbox.addRecords('Contacts', 10_000);
		const { items } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds),
			credentials: credential(),
			asTool: true,
		});
		expect(items[0].json).toMatchObject({ status: 'refused', requested: 10_000, limit: 1000 });
		expect(apiCalls(sandbox)).toEqual([]);
		rows.push(`delink, default limit | 10000 | ${bytes(items)} (refused) | - | 0 | 0`);
	});
});

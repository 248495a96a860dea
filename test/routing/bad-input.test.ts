/**
 * Bad input fails before any request, with an error naming the field and the value, and
 * what to do. Through the real routing engine (n8n 1.x and 2.x), counting requests.
 */
import type { INodeParameters } from 'n8n-workflow';

import { delinkParameters, runNode } from '../helpers/routing';
import type { ZohoSandbox } from '../zoho-sandbox';
import { sandboxWithCredential } from './fixtures';

let sandbox: ZohoSandbox;
let credential: Awaited<ReturnType<typeof sandboxWithCredential>>['credential'];
beforeAll(async () => ({ sandbox, credential } = await sandboxWithCredential()));
afterAll(async () => sandbox.close());
beforeEach(() => sandbox.clearRequests());

const C = '3652397000000327001';
const R = '3652397000000925128';
const cases: Array<[string, INodeParameters, RegExp]> = [
	[
		'empty id list',
		delinkParameters('Campaigns', 'Contacts', C, ''),
		/^Related Record IDs is empty/,
	],
	[
		'non-numeric related id',
		delinkParameters('Campaigns', 'Contacts', C, `${R},abc`),
		/"abc" is not a Zoho record id/,
	],
	[
		'related id with a slash',
		delinkParameters('Campaigns', 'Contacts', C, `${R}/../../Leads`),
		/URL characters/,
	],
	[
		'related id with a query',
		delinkParameters('Campaigns', 'Contacts', C, `${R}?ids=1`),
		/URL characters/,
	],
	[
		'related id with a fragment',
		delinkParameters('Campaigns', 'Contacts', C, `${R}#x`),
		/URL characters/,
	],
	['related id with ..', delinkParameters('Campaigns', 'Contacts', C, '..'), /URL characters/],
	[
		'related id with a space inside (JSON array)',
		delinkParameters('Campaigns', 'Contacts', C, `["12 34"]`),
		/space inside/,
	],
	[
		'number that lost digits (expression)',
		delinkParameters('Campaigns', 'Contacts', C, '={{ [3652397000000925128] }}'),
		/lose their last digits/,
	],
	['empty record id', delinkParameters('Campaigns', 'Contacts', '', R), /^Record ID is empty/],
	[
		'non-numeric record id',
		delinkParameters('Campaigns', 'Contacts', 'abc', R),
		/^Record ID "abc"/,
	],
	[
		'record id with a slash',
		delinkParameters('Campaigns', 'Contacts', `${C}/Contacts`, R),
		/URL characters/,
	],
	[
		'unsupported pair from an expression',
		delinkParameters('Campaigns', '={{ "Deals" }}', C, R),
		/^Related List "Deals" cannot be delinked from Campaigns records/,
	],
	[
		'unknown module from an expression',
		delinkParameters('={{ "Tasks" }}', 'Contacts', C, R),
		/^Module "Tasks" has no related list/,
	],
	[
		'batch size over 100',
		delinkParameters('Campaigns', 'Contacts', C, R, { batchSize: 500 }),
		/^Batch Size 500 is not a whole number from 1 to 100/,
	],
	[
		'unknown API version',
		delinkParameters('Campaigns', 'Contacts', C, R, { apiVersion: '={{ "v9/../../x" }}' }),
		/^API Version "v9\/..\/..\/x"/,
	],
];

test.each(cases)('%s: clear error, zero requests', async (_label, parameters, message) => {
	const { items, error } = await runNode({ parameters, credentials: credential() });
	expect(items).toEqual([]);
	expect(error?.message).toMatch(message);
	expect((error?.description ?? '').length).toBeGreaterThan(20);
	expect(sandbox.requests).toHaveLength(0);
});

test('Continue On Fail: bad input becomes one error item for that input item, the others still run', async () => {
	const campaignId = sandbox.addRecord('Campaigns');
	const contactId = sandbox.addRecord('Contacts');
	sandbox.link('Campaigns', campaignId, 'Contacts', contactId);
	const { items, error } = await runNode({
		parameters: delinkParameters('Campaigns', 'Contacts', campaignId, '={{ $json.ids }}'),
		items: [{ json: { ids: 'oops' } }, { json: { ids: contactId } }],
		credentials: credential(),
		continueOnFail: true,
	});
	expect(error).toBeUndefined();
	expect(
		items.map((i) => [(i.pairedItem as { item: number }).item, i.json.status, i.json.code]),
	).toEqual([
		[0, 'error', 'INVALID_INPUT'],
		[1, 'success', 'SUCCESS'],
	]);
	expect(items[0].json.message).toMatch(/"oops" is not a Zoho record id/);
	expect(items[0].json.description).toMatch(/numeric id/);
	expect(sandbox.requests).toHaveLength(1);
});

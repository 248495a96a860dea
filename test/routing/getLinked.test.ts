/**
 * Get Linked Records through n8n's real routing engine, over real HTTP, against the Zoho
 * sandbox. Runs twice: on n8n-core 2.x (routing-v2) and on n8n 1.123's n8n-core 1.x (routing-v1).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runNode } from '../helpers/routing';
import { ZOHO_ERRORS, type ZohoSandbox } from '../zoho-sandbox';
import { apiCalls, campaignWithContacts, sandboxWithCredential } from './fixtures';

let sandbox: ZohoSandbox;
let credential: Awaited<ReturnType<typeof sandboxWithCredential>>['credential'];

beforeAll(async () => ({ sandbox, credential } = await sandboxWithCredential()));
afterAll(async () => sandbox.close());
beforeEach(() => sandbox.clearRequests());

function getLinkedParameters(
	module: string,
	relatedList: string,
	recordId: unknown,
	more: IDataObject = {},
): INodeParameters {
	const locator =
		typeof recordId === 'string' ? { __rl: true, mode: 'id', value: recordId } : recordId;
	return {
		operation: 'getLinked',
		module,
		relatedList,
		recordId: locator,
		...more,
	} as INodeParameters;
}

const json = (items: { json: IDataObject }[]) => items.map((i) => i.json);

describe('paging', () => {
	test('Return All: 450 linked contacts → 3 GETs of per_page 200, 450 items in link order', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 450);
		const { items, error } = await runNode({
			parameters: getLinkedParameters('Campaigns', 'Contacts', campaignId, { returnAll: true }),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		const calls = apiCalls(sandbox);
		expect(calls.map((c) => [c.method, c.path, c.query])).toEqual(
			[1, 2, 3].map((page) => [
				'GET',
				`/crm/v2/Campaigns/${campaignId}/Contacts`,
				{ page: String(page), per_page: '200' },
			]),
		);
		expect(items.map((i) => i.json.id)).toEqual(contactIds);
		expect(items.every((i) => typeof i.json.id === 'string')).toBe(true);
		expect(items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		// the record's fields as Zoho returns them
		expect(items[0].json).toMatchObject({ id: contactIds[0], Last_Name: expect.any(String) });
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toHaveLength(450);
	});

	test('Limit 250 of 450 stops after 2 calls and returns exactly 250', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 450);
		const { items, error } = await runNode({
			parameters: getLinkedParameters('Campaigns', 'Contacts', campaignId, {
				returnAll: false,
				limit: 250,
			}),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(apiCalls(sandbox).map((c) => c.query.page)).toEqual(['1', '2']);
		expect(items.map((i) => i.json.id)).toEqual(contactIds.slice(0, 250));
	});

	test('the default Limit (50) is one call of per_page 50', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 120);
		const { items } = await runNode({
			parameters: getLinkedParameters('Campaigns', 'Contacts', campaignId),
			credentials: credential(),
		});
		expect(apiCalls(sandbox).map((c) => c.query)).toEqual([{ page: '1', per_page: '50' }]);
		expect(items.map((i) => i.json.id)).toEqual(contactIds.slice(0, 50));
	});

	test('exactly 200 linked: Zoho says no more records, so one call', async () => {
		const { campaignId } = campaignWithContacts(sandbox, 200);
		const { items } = await runNode({
			parameters: getLinkedParameters('Campaigns', 'Contacts', campaignId, { returnAll: true }),
			credentials: credential(),
		});
		expect(apiCalls(sandbox)).toHaveLength(1);
		expect(items).toHaveLength(200);
	});

	test('nothing linked: Zoho answers 204 with no body → zero items, no error', async () => {
		const campaignId = sandbox.addRecord('Campaigns');
		const { items, error } = await runNode({
			parameters: getLinkedParameters('Campaigns', 'Contacts', campaignId, { returnAll: true }),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(apiCalls(sandbox).map((c) => c.status)).toEqual([204]);
		expect(items).toEqual([]);
	});

	test('one input item per record: each gets its own linked records, paired to it', async () => {
		const a = campaignWithContacts(sandbox, 2);
		const b = campaignWithContacts(sandbox, 3);
		const { items } = await runNode({
			parameters: getLinkedParameters('Campaigns', 'Contacts', '={{ $json.campaignId }}', {
				returnAll: true,
			}),
			items: [{ json: { campaignId: a.campaignId } }, { json: { campaignId: b.campaignId } }],
			credentials: credential(),
		});
		expect(items.map((i) => [(i.pairedItem as { item: number }).item, i.json.id])).toEqual([
			...a.contactIds.map((id) => [0, id]),
			...b.contactIds.map((id) => [1, id]),
		]);
	});
});

describe('both directions of a relation', () => {
	test('Products → Price Books and Price Books → Products', async () => {
		const productId = sandbox.addRecord('Products');
		const priceBookIds = sandbox.addRecords('Price_Books', 3);
		sandbox.link('Products', productId, 'Price_Books', priceBookIds);

		const forward = await runNode({
			parameters: getLinkedParameters('Products', 'Price_Books', productId, { returnAll: true }),
			credentials: credential(),
		});
		expect(forward.items.map((i) => i.json.id)).toEqual(priceBookIds);
		expect(forward.items[0].json.Price_Book_Name).toEqual(expect.any(String));

		const back = await runNode({
			parameters: getLinkedParameters('Price_Books', 'Products', priceBookIds[1], {
				returnAll: true,
			}),
			credentials: credential(),
		});
		expect(back.items.map((i) => i.json.id)).toEqual([productId]);
		expect(apiCalls(sandbox).map((c) => c.path)).toEqual([
			`/crm/v2/Products/${productId}/Price_Books`,
			`/crm/v2/Price_Books/${priceBookIds[1]}/Products`,
		]);
	});

	test('Leads → Campaigns, with the record given By URL', async () => {
		const leadId = sandbox.addRecord('Leads');
		const campaignId = sandbox.addRecord('Campaigns');
		sandbox.link('Campaigns', campaignId, 'Leads', leadId);
		const { items, error } = await runNode({
			parameters: getLinkedParameters('Leads', 'Campaigns', {
				__rl: true,
				mode: 'url',
				value: `https://crm.zoho.eu/crm/org1/tab/Leads/${leadId}`,
			}),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(json(items)).toMatchObject([{ id: campaignId, Campaign_Name: expect.any(String) }]);
	});
});

describe('fields and API versions', () => {
	test('v2 sends no fields; v3 and later send id, the related module name field and the fields on the link', async () => {
		const { campaignId } = campaignWithContacts(sandbox, 2);
		await runNode({
			parameters: getLinkedParameters('Campaigns', 'Contacts', campaignId),
			credentials: credential(),
		});
		const { items } = await runNode({
			parameters: getLinkedParameters('Campaigns', 'Contacts', campaignId, {
				options: { apiVersion: 'v8' },
			}),
			credentials: credential(),
		});
		const [v2, v8] = apiCalls(sandbox);
		expect(v2.query.fields).toBeUndefined();
		expect(v8.path).toBe(`/crm/v8/Campaigns/${campaignId}/Contacts`);
		expect(v8.query.fields).toBe('id,Full_Name,Member_Status');
		expect(Object.keys(items[0].json).sort()).toEqual(['Full_Name', 'Member_Status', 'id']);
	});

	test('Options › Fields is sent as given, trimmed and de-duplicated', async () => {
		const productId = sandbox.addRecord('Products');
		sandbox.link('Products', productId, 'Deals', sandbox.addRecords('Deals', 1));
		const { items } = await runNode({
			parameters: getLinkedParameters('Products', 'Deals', productId, {
				options: { apiVersion: 'v3', fields: ' Deal_Name, id ,Deal_Name' },
			}),
			credentials: credential(),
		});
		expect(apiCalls(sandbox)[0].query.fields).toBe('Deal_Name,id');
		expect(Object.keys(items[0].json).sort()).toEqual(['Deal_Name', 'id']);
	});
});

describe('bad input fails before any request', () => {
	const C = '3652397000000327001';
	test.each<[string, INodeParameters, RegExp]>([
		[
			'unsupported pair',
			getLinkedParameters('Campaigns', 'Deals', C),
			/Related List "Deals" is not a supported related list of Campaigns/,
		],
		['unknown module', getLinkedParameters('Invoices', 'Products', C), /Module "Invoices"/],
		['empty record id', getLinkedParameters('Campaigns', 'Contacts', ''), /Record ID is empty/],
		[
			'record id with a path',
			getLinkedParameters('Campaigns', 'Contacts', `${C}/../../Leads`),
			/URL characters/,
		],
		[
			'URL of another module',
			getLinkedParameters('Campaigns', 'Contacts', {
				__rl: true,
				mode: 'url',
				value: `https://crm.zoho.com/crm/tab/Products/${C}`,
			}),
			/is a Products record, but Module is Campaigns/,
		],
		[
			'limit 0',
			getLinkedParameters('Campaigns', 'Contacts', C, { limit: 0 }),
			/Limit 0 is not a whole number/,
		],
		[
			'a field that is not an API name',
			getLinkedParameters('Campaigns', 'Contacts', C, { options: { fields: 'id,Full Name' } }),
			/Fields entry "Full Name"/,
		],
		[
			'an unknown API version',
			getLinkedParameters('Campaigns', 'Contacts', C, { options: { apiVersion: 'v9' } }),
			/API Version "v9"/,
		],
	])('%s', async (_name, parameters, message) => {
		const { items, error } = await runNode({ parameters, credentials: credential() });
		expect(error?.message).toMatch(message);
		expect(items).toEqual([]);
		expect(apiCalls(sandbox)).toHaveLength(0);
	});

	test('with Continue On Fail: one INVALID_INPUT item, still no request', async () => {
		const { items, error } = await runNode({
			parameters: getLinkedParameters('Campaigns', 'Contacts', 'abc'),
			credentials: credential(),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(json(items)).toMatchObject([{ status: 'error', code: 'INVALID_INPUT' }]);
		expect(apiCalls(sandbox)).toHaveLength(0);
	});
});

describe('Zoho errors', () => {
	test('a top-level Zoho error stops the node with Zoho code, message and the request', async () => {
		const { campaignId } = campaignWithContacts(sandbox, 3);
		sandbox.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
		const { items, error } = await runNode({
			parameters: getLinkedParameters('Campaigns', 'Contacts', campaignId),
			credentials: credential(),
		});
		expect(items).toEqual([]);
		expect(error?.message).toBe(
			'Zoho CRM error NO_PERMISSION: permission denied to delete records',
		);
		expect(error?.httpCode).toBe('403');
		expect(error?.description).toContain(`Request: v2 GET Campaigns ${campaignId} → Contacts`);
		expect(apiCalls(sandbox)).toHaveLength(1);
	});

	test('an error on page 2: the description says how many were read; with Continue On Fail the records read come out, then an error item', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 300);
		sandbox.failNext(1, ZOHO_ERRORS.NO_PERMISSION, { after: 1 });
		const failed = await runNode({
			parameters: getLinkedParameters('Campaigns', 'Contacts', campaignId, { returnAll: true }),
			credentials: credential(),
		});
		expect(failed.error?.description).toContain('200 linked records were read');

		sandbox.failNext(1, ZOHO_ERRORS.NO_PERMISSION, { after: 1 });
		const { items, error } = await runNode({
			parameters: getLinkedParameters('Campaigns', 'Contacts', campaignId, { returnAll: true }),
			credentials: credential(),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(201);
		expect(items.slice(0, 200).map((i) => i.json.id)).toEqual(contactIds.slice(0, 200));
		expect(items[200].json).toMatchObject({
			module: 'Campaigns',
			recordId: campaignId,
			relatedList: 'Contacts',
			status: 'error',
			code: 'NO_PERMISSION',
		});
	});
});

/**
 * The editor's pickers (Record ID › From List, Linked Records) run in n8n-core's real
 * LoadOptionsContext with n8n's own httpRequestWithAuthentication, over real HTTP against the
 * Zoho sandbox, on n8n-core 2.x (routing-v2) and 1.x (routing-v1).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { getLinkedRecords } from '../../nodes/ZohoCrmRelatedRecords/methods/loadOptions';
import { searchRecords } from '../../nodes/ZohoCrmRelatedRecords/methods/listSearch';
import { TestCredentialsHelper } from '../helpers/credentials';
import { loadOptionsContext, stopSshCleanupTimer } from '../helpers/loadOptions';
import { delinkParameters, runNode } from '../helpers/routing';
import { ZOHO_ERRORS, type ZohoSandbox } from '../zoho-sandbox';
import { apiCalls, campaignWithContacts, sandboxWithCredential } from './fixtures';

let sandbox: ZohoSandbox;
let credential: Awaited<ReturnType<typeof sandboxWithCredential>>['credential'];

beforeAll(async () => ({ sandbox, credential } = await sandboxWithCredential()));
afterAll(async () => {
	stopSshCleanupTimer();
	await sandbox.close();
});
beforeEach(() => sandbox.clearRequests());

/** The sandbox credential, but with a named data centre (the token's api_domain still wins). */
const credentialIn = (dataCenter: string, environment = 'production') =>
	new TestCredentialsHelper({ ...credential().data, dataCenter, environment });

const params = (module: string, more: IDataObject = {}) =>
	({ operation: 'delink', module, ...more }) as INodeParameters;

describe('Record ID › From List (listSearch.searchRecords)', () => {
	let campaigns: string[];
	beforeAll(() => {
		campaigns = sandbox.addRecords('Campaigns', 60, (i) => ({
			Campaign_Name: `Picker ${String(i).padStart(2, '0')}`,
		}));
	});

	test('no filter: lists the module by name, 50 a page, the next page as token', async () => {
		const ctx = loadOptionsContext(params('Campaigns'), credential());
		const first = await searchRecords.call(ctx);
		const [call] = apiCalls(sandbox);
		expect(call.method).toBe('GET');
		expect(call.path).toBe('/crm/v2/Campaigns');
		expect(call.query).toEqual({ page: '1', per_page: '50', fields: 'id,Campaign_Name' });
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('2');
		expect(first.results[0]).toEqual({
			name: expect.stringMatching(/ \(\d{19}\)$/),
			value: expect.stringMatching(/^\d{19}$/),
		});

		sandbox.clearRequests();
		const all: string[] = first.results.map((r) => String(r.value));
		let token = first.paginationToken;
		while (token) {
			const next = await searchRecords.call(ctx, undefined, token);
			all.push(...next.results.map((r) => String(r.value)));
			token = next.paginationToken;
		}
		expect(all).toEqual(expect.arrayContaining(campaigns));
		expect(apiCalls(sandbox)[0].query.page).toBe('2');
	});

	test('a filter of 2+ characters uses search?word=, a shorter one lists', async () => {
		const ctx = loadOptionsContext(params('Campaigns'), credential());
		const found = await searchRecords.call(ctx, 'picker 0');
		expect(apiCalls(sandbox)[0].path).toBe('/crm/v2/Campaigns/search');
		expect(apiCalls(sandbox)[0].query).toMatchObject({ word: 'picker 0', page: '1' });
		expect(found.results.map((r) => r.name.replace(/ \(\d+\)$/, ''))).toEqual(
			Array.from({ length: 10 }, (_, i) => `Picker 0${i}`),
		);
		expect(found.paginationToken).toBeUndefined();

		sandbox.clearRequests();
		await searchRecords.call(ctx, ' p ');
		expect(apiCalls(sandbox)[0].path).toBe('/crm/v2/Campaigns');
	});

	test('no match: Zoho answers 204 → an empty list', async () => {
		const ctx = loadOptionsContext(params('Campaigns'), credential());
		const found = await searchRecords.call(ctx, 'no such campaign');
		expect(apiCalls(sandbox).map((c) => c.status)).toEqual([204]);
		expect(found).toEqual({ results: [], paginationToken: undefined });
	});

	test('Contacts are named by Full_Name, else Last_Name', async () => {
		const id = sandbox.addRecord('Contacts', { Full_Name: '', Last_Name: 'Lonely' });
		sandbox.addRecord('Contacts', { First_Name: 'Ada', Last_Name: 'Lovelace' });
		const ctx = loadOptionsContext(params('Contacts'), credential());
		const found = await searchRecords.call(ctx, 'lovelace');
		expect(found.results.map((r) => r.name)).toEqual([expect.stringMatching(/^Ada Lovelace \(/)]);
		let all = (await searchRecords.call(ctx)).results;
		for (let page = 2; !all.some((r) => r.value === id); page++) {
			all = (await searchRecords.call(ctx, undefined, String(page))).results;
		}
		expect(all.find((r) => r.value === id)?.name).toBe(`Lonely (${id})`);
		expect(apiCalls(sandbox)[1].query.fields).toBe('id,Full_Name,Last_Name');
	});

	test.each([
		['eu', 'production', 'crm.zoho.eu'],
		['us', 'production', 'crm.zoho.com'],
		['ca', 'production', 'crm.zohocloud.ca'],
		['au', 'sandbox', 'crmsandbox.zoho.com.au'],
	])('data centre %s (%s): each record links to %s', async (dataCenter, environment, host) => {
		const dealId = sandbox.addRecord('Deals', { Deal_Name: `Linkable ${dataCenter}` });
		const ctx = loadOptionsContext(params('Deals'), credentialIn(dataCenter, environment));
		const found = await searchRecords.call(ctx, `Linkable ${dataCenter}`);
		// Deals live under the "Potentials" tab in Zoho CRM's web app
		expect(found.results).toEqual([
			{
				name: `Linkable ${dataCenter} (${dealId})`,
				value: dealId,
				url: `https://${host}/crm/tab/Potentials/${dealId}`,
			},
		]);
	});

	test('custom data centre: no url', async () => {
		const ctx = loadOptionsContext(params('Campaigns'), credential());
		const found = await searchRecords.call(ctx);
		expect(found.results.every((r) => r.url === undefined)).toBe(true);
	});

	test('a Zoho error is a NodeApiError with Zoho code and message', async () => {
		sandbox.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
		const ctx = loadOptionsContext(params('Campaigns'), credential());
		await expect(searchRecords.call(ctx)).rejects.toMatchObject({
			message: 'Zoho CRM error NO_PERMISSION: permission denied to delete records',
			httpCode: '403',
		});
	});

	test('an expired token is refreshed by n8n and the list still loads', async () => {
		const creds = credential({}, true);
		const found = await searchRecords.call(loadOptionsContext(params('Campaigns'), creds));
		expect(found.results.length).toBeGreaterThan(0);
		expect(creds.tokenUpdates).toHaveLength(1);
	});
});

describe('Linked Records (loadOptions.getLinkedRecords)', () => {
	const linkedParams = (module: string, relatedList: string, recordId: string) =>
		params(module, {
			relatedList,
			recordId: { __rl: true, mode: 'list', value: recordId },
			relatedRecordsSource: 'linked',
		});

	test('every page of the linked records, by name, id as value, sorted by name', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 450);
		const ctx = loadOptionsContext(
			linkedParams('Campaigns', 'Contacts', campaignId),
			credential(),
			'parameters.linkedRecordIds',
		);
		const options = await getLinkedRecords.call(ctx);
		expect(apiCalls(sandbox).map((c) => [c.path, c.query])).toEqual(
			[1, 2, 3].map((page) => [
				`/crm/v2/Campaigns/${campaignId}/Contacts`,
				{ page: String(page), per_page: '200', fields: 'id,Full_Name,Last_Name' },
			]),
		);
		expect(options.map((o) => o.value).sort()).toEqual([...contactIds].sort());
		const names = options.map((o) => o.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		const first = sandbox.getRecord('Contacts', contactIds[0])!;
		expect(options).toContainEqual({
			name: `${String(first.Full_Name)} (${contactIds[0]})`,
			value: contactIds[0],
		});
	});

	test('the other direction, and a record given by URL', async () => {
		const priceBookId = sandbox.addRecord('Price_Books');
		const productId = sandbox.addRecord('Products', { Product_Name: 'Router X' });
		sandbox.link('Products', productId, 'Price_Books', priceBookId);
		const ctx = loadOptionsContext(
			params('Price_Books', {
				relatedList: 'Products',
				recordId: {
					__rl: true,
					mode: 'url',
					value: `https://crm.zoho.com/crm/org1/tab/PriceBooks/${priceBookId}`,
				},
			}),
			credential(),
		);
		expect(await getLinkedRecords.call(ctx)).toEqual([
			{ name: `Router X (${productId})`, value: productId },
		]);
	});

	test('nothing linked (204): no options', async () => {
		const campaignId = sandbox.addRecord('Campaigns');
		const ctx = loadOptionsContext(linkedParams('Campaigns', 'Leads', campaignId), credential());
		expect(await getLinkedRecords.call(ctx)).toEqual([]);
	});

	test('Record ID not filled in yet: a clear error and no request', async () => {
		const ctx = loadOptionsContext(linkedParams('Campaigns', 'Leads', ''), credential());
		await expect(getLinkedRecords.call(ctx)).rejects.toThrow(/Record ID is empty/);
		expect(apiCalls(sandbox)).toHaveLength(0);
	});

	test('the picked values are what Related Record IDs accepts: Delink unlinks them', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 3);
		const picked = (
			await getLinkedRecords.call(
				loadOptionsContext(linkedParams('Campaigns', 'Contacts', campaignId), credential()),
			)
		)
			.map((o) => o.value)
			.slice(0, 2);
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, picked),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.status)).toEqual(['success', 'success']);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual(
			contactIds.filter((id) => !picked.includes(id)),
		);
	});
});

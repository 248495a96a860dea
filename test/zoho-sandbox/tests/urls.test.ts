/**
 * Which URLs the CRM API serves: every supported related list from both ends (relations are
 * symmetric), unknown modules and related lists, API versions v2 to v8, invalid record ids,
 * wrong methods, unknown paths, and a DELETE that names a record.
 */
import { ZOHO_ERRORS, type ZohoModule } from '../index';
import { sb, start, call, del, get, expectError, campaignWith } from './helpers';

describe('relations and URL patterns', () => {
	beforeEach(() => start());

	test('relations are symmetric: linked from one end, visible and removable from the other', async () => {
		const { campaignId, contactIds } = campaignWith(1);
		expect(sb.linkedIds('Contacts', contactIds[0], 'Campaigns')).toEqual([campaignId]);
		const answer = await del(`/crm/v2/Contacts/${contactIds[0]}/Campaigns?ids=${campaignId}`);
		expect(answer.status).toBe(200);
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(false);
	});

	const pairs: Array<[ZohoModule, ZohoModule]> = [
		['Campaigns', 'Leads'],
		['Campaigns', 'Contacts'],
		['Products', 'Leads'],
		['Products', 'Accounts'],
		['Products', 'Contacts'],
		['Products', 'Deals'],
		['Products', 'Price_Books'],
	];
	test.each(
		pairs.flatMap(
			([a, b]) =>
				[
					[a, b],
					[b, a],
				] as Array<[ZohoModule, ZohoModule]>,
		),
	)('%s/{id}/%s is a supported related list', async (module, relatedList) => {
		const id = sb.addRecord(module);
		const relatedId = sb.addRecord(relatedList);
		sb.link(module, id, relatedList, relatedId);
		const answer = await del(`/crm/v2/${module}/${id}/${relatedList}/${relatedId}`);
		expect(answer.status).toBe(200);
		expect(sb.isLinked(relatedList, relatedId, module, id)).toBe(false);
	});

	test('an unsupported related list answers 404 INVALID_URL_PATTERN', async () => {
		const c = sb.addRecord('Campaigns');
		const l = sb.addRecord('Leads');
		expectError(await del(`/crm/v2/Campaigns/${c}/Deals?ids=1`), ZOHO_ERRORS.INVALID_URL_PATTERN);
		expectError(await del(`/crm/v2/Leads/${l}/Accounts/1`), ZOHO_ERRORS.INVALID_URL_PATTERN);
		expectError(await del(`/crm/v2/Campaigns/${c}/Notes?ids=1`), ZOHO_ERRORS.INVALID_URL_PATTERN);
	});

	test('an unknown capitalised module answers 400 INVALID_MODULE; a lowercase one 404', async () => {
		expectError(await del('/crm/v2/Potentials/1/Products?ids=1'), ZOHO_ERRORS.INVALID_MODULE);
		expect(ZOHO_ERRORS.INVALID_MODULE.message).toBe('the module name given seems to be invalid');
		expectError(await del('/crm/v2/campaigns/1/Contacts?ids=1'), ZOHO_ERRORS.INVALID_URL_PATTERN);
	});

	test('every API version v2 to v8 serves the delink; others answer 404', async () => {
		const { campaignId, contactIds } = campaignWith(8);
		const versions = ['v2', 'v2.1', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8'];
		for (const [i, v] of versions.entries()) {
			const answer = await del(`/crm/${v}/Campaigns/${campaignId}/Contacts/${contactIds[i]}`);
			expect([v, answer.status]).toEqual([v, 200]);
		}
		for (const v of ['v1', 'v9', 'V2', '']) {
			expectError(
				await del(`/crm/${v}/Campaigns/${campaignId}/Contacts?ids=1`),
				ZOHO_ERRORS.INVALID_URL_PATTERN,
			);
		}
	});

	test('a record id that is not all digits, or unknown, answers 400 INVALID_DATA at path index 1', async () => {
		const expected = {
			code: 'INVALID_DATA',
			details: { resource_path_index: 1 },
			message: 'the id given seems to be invalid',
			status: 'error',
		};
		for (const id of ['abc', '1e5', '3652397000000999999']) {
			const answer = await del(`/crm/v2/Campaigns/${id}/Contacts?ids=1`);
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual(expected);
		}
		const contact = sb.addRecord('Contacts'); // an id of another module is unknown here
		expect((await del(`/crm/v2/Campaigns/${contact}/Contacts?ids=1`)).body).toEqual(expected);
	});

	test('POST and PATCH on related-list paths answer 400 INVALID_REQUEST_METHOD (PUT links: see below)', async () => {
		const { campaignId, contactIds } = campaignWith(1);
		for (const method of ['POST', 'PATCH']) {
			expectError(
				await call(method, `/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`),
				ZOHO_ERRORS.INVALID_REQUEST_METHOD,
			);
			expectError(
				await call(method, `/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`),
				ZOHO_ERRORS.INVALID_REQUEST_METHOD,
			);
		}
		expectError(
			await get(`/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`),
			ZOHO_ERRORS.INVALID_REQUEST_METHOD,
		);
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(true);
	});

	test('unknown paths answer 404 INVALID_URL_PATTERN', async () => {
		for (const p of [
			'/',
			'/crm',
			'/crm/v2',
			'/api/v2/Leads',
			'/crm/v2/Campaigns/1/Contacts/1/x',
			'/crm/v2/Campaigns//Contacts',
		]) {
			expectError(await del(p), ZOHO_ERRORS.INVALID_URL_PATTERN);
		}
	});

	test('a DELETE that misses the related list deletes the record, as Zoho would, and is counted', async () => {
		const { campaignId, contactIds } = campaignWith(1);
		const answer = await del(`/crm/v2/Campaigns/${campaignId}`);
		expect(answer.status).toBe(200);
		expect(answer.body.data[0]).toMatchObject({ code: 'SUCCESS', message: 'record deleted' });
		expect(sb.getRecord('Campaigns', campaignId)).toBeUndefined();
		expect(sb.linkedIds('Contacts', contactIds[0], 'Campaigns')).toEqual([]);
		expect(sb.stats.recordsDeleted).toBe(1);
	});
});

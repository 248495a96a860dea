/**
 * Reads: related records paged by per_page, fields=, list and search, one record,
 * settings/related_lists, Get Records by ids (GET /{Module}?ids=), and the relation fields the
 * GET of a related list carries.
 */
import { ZOHO_ERRORS } from '../index';
import { sb, start, get, expectError, campaignWith, idsOf } from './helpers';

describe('reads', () => {
	beforeEach(() => start());

	test('related records page by per_page (max 200) with info.more_records, then 204 with an empty body', async () => {
		const { campaignId, contactIds } = campaignWith(250);
		const page1 = await get(`/crm/v2/Campaigns/${campaignId}/Contacts?page=1&per_page=200`);
		expect(page1.status).toBe(200);
		expect(page1.body.data.map((r: { id: string }) => r.id)).toEqual(contactIds.slice(0, 200));
		expect(page1.body.info).toEqual({ page: 1, per_page: 200, count: 200, more_records: true });
		const page2 = await get(`/crm/v2/Campaigns/${campaignId}/Contacts?page=2&per_page=200`);
		expect(page2.body.info).toEqual({ page: 2, per_page: 200, count: 50, more_records: false });
		expect(page2.body.data[0]).toMatchObject({
			id: contactIds[200],
			First_Name: expect.any(String),
			Full_Name: expect.any(String),
		});
		const page3 = await get(`/crm/v2/Campaigns/${campaignId}/Contacts?page=3&per_page=200`);
		expect(page3.status).toBe(204);
		expect(page3.text).toBe('');
	});

	test('per_page above 200 answers 400 INVALID_DATA naming per_page', async () => {
		const { campaignId } = campaignWith(1);
		const answer = await get(`/crm/v2/Campaigns/${campaignId}/Contacts?per_page=201`);
		expect(answer.status).toBe(400);
		expect(answer.body).toMatchObject({
			code: 'INVALID_DATA',
			details: { param_name: 'per_page' },
			status: 'error',
		});
	});

	test('fields= limits the record to id and those fields; a record without relations gives 204', async () => {
		const { campaignId, contactIds } = campaignWith(1);
		const answer = await get(`/crm/v2/Campaigns/${campaignId}/Contacts?fields=Last_Name,Email`);
		expect(answer.body.data).toEqual([
			{ id: contactIds[0], Last_Name: expect.any(String), Email: null },
		]);
		const lonely = sb.addRecord('Campaigns');
		const empty = await get(`/crm/v2/Campaigns/${lonely}/Contacts`);
		expect(empty.status).toBe(204);
		expect(empty.text).toBe('');
	});

	test('list records pages and sorts; an empty module gives 204', async () => {
		sb.addRecords('Deals', 3, (i) => ({ Deal_Name: ['b', 'c', 'a'][i] }));
		const sorted = await get('/crm/v2/Deals?sort_by=Deal_Name&sort_order=asc&per_page=2');
		expect(sorted.body.data.map((d: { Deal_Name: string }) => d.Deal_Name)).toEqual(['a', 'b']);
		expect(sorted.body.info).toEqual({ page: 1, per_page: 2, count: 2, more_records: true });
		expect((await get('/crm/v2/Accounts')).status).toBe(204);
	});

	test('search?word= matches the name field case-insensitively; no match gives 204', async () => {
		sb.addRecord('Products', { Product_Name: 'Legacy Router X100' });
		sb.addRecord('Products', { Product_Name: 'Switch' });
		const found = await get('/crm/v2/Products/search?word=router');
		expect(found.body.data.map((p: { Product_Name: string }) => p.Product_Name)).toEqual([
			'Legacy Router X100',
		]);
		expect((await get('/crm/v2/Products/search?word=modem')).status).toBe(204);
		const contact = sb.addRecord('Contacts', { First_Name: 'Grace', Last_Name: 'Hopper' });
		expect((await get('/crm/v2/Contacts/search?word=hopp')).body.data[0].id).toBe(contact);
	});

	test('GET one record answers {data:[record]}', async () => {
		const id = sb.addRecord('Leads', { First_Name: 'Ada', Last_Name: 'Lovelace' });
		const answer = await get(`/crm/v8/Leads/${id}`);
		expect(answer.body).toEqual({
			data: [expect.objectContaining({ id, Full_Name: 'Ada Lovelace' })],
		});
	});

	test('settings/related_lists lists the supported related lists (settings scope needed)', async () => {
		const t = sb.issueTokens({ scope: 'ZohoCRM.settings.related_lists.READ' }).access_token;
		const answer = await get('/crm/v2/settings/related_lists?module=Campaigns', {
			auth: `Bearer ${t}`,
		});
		expect(answer.body.related_lists.map((r: { api_name: string }) => r.api_name)).toEqual([
			'Leads',
			'Contacts',
		]);
		expectError(
			await get('/crm/v2/settings/related_lists?module=Campaigns'),
			ZOHO_ERRORS.OAUTH_SCOPE_MISMATCH,
		);
	});
});

describe('Get Records by ids: GET /{Module}?ids=', () => {
	beforeEach(() => start());

	test('the records that exist, in the order asked, each once, honouring fields', async () => {
		const [a, b, c] = sb.addRecords('Leads', 3);
		const contact = sb.addRecord('Contacts');
		const answer = await get(`/crm/v2/Leads?ids=${c},9999999999999999999,${a},${contact},${c}`);
		expect(answer.status).toBe(200);
		expect(idsOf(answer)).toEqual([c, a]);
		expect(answer.body.info).toEqual({ page: 1, per_page: 200, count: 2, more_records: false });
		expect(answer.body.data[0]).toMatchObject({ First_Name: 'Lead', Company: expect.any(String) });
		const some = await get(`/crm/v2/Leads?ids=${b}%2C${a}&fields=Last_Name,Email`);
		expect(some.body.data).toEqual([
			{ id: b, Last_Name: expect.any(String), Email: null },
			{ id: a, Last_Name: expect.any(String), Email: null },
		]);
	});

	test('none exists: 204 with an empty body', async () => {
		const answer = await get('/crm/v2/Leads?ids=1,2');
		expect([answer.status, answer.text]).toEqual([204, '']);
	});

	test('ids is checked like a delink: empty, over 100, not digits', async () => {
		const ids = sb.addRecords('Leads', 101);
		expectError(await get('/crm/v2/Leads?ids='), ZOHO_ERRORS.MANDATORY_NOT_FOUND);
		expectError(await get(`/crm/v2/Leads?ids=${ids.join(',')}`), ZOHO_ERRORS.LIMIT_EXCEEDED);
		expectError(
			await get(`/crm/v2/Leads?ids=${ids[0]},abc`),
			ZOHO_ERRORS.UNABLE_TO_PARSE_DATA_TYPE,
		);
		const hundred = await get(`/crm/v2/Leads?ids=${ids.slice(0, 100).join(',')}`);
		expect(hundred.body.data).toHaveLength(100);
		expect(sb.stats).toMatchObject({ getCalls: 4, deleteCalls: 0, creditsUsed: 4 });
	});
});

describe('GET of a related list carries the relation fields of each link', () => {
	beforeEach(() => start());

	test('without fields: the whole record plus the fields set on its link, from either end', async () => {
		const campaign = sb.addRecord('Campaigns');
		const [a, b] = sb.addRecords('Contacts', 2, (i) => ({ Email: `c${i}@example.com` }));
		sb.link('Campaigns', campaign, 'Contacts', a, { Member_Status: 'Active' });
		sb.link('Campaigns', campaign, 'Contacts', b);
		const answer = await get(`/crm/v2/Campaigns/${campaign}/Contacts`);
		expect(answer.body.data).toEqual([
			{ ...sb.getRecord('Contacts', a), Member_Status: 'Active' },
			{ ...sb.getRecord('Contacts', b) },
		]);
		const other = await get(`/crm/v5/Contacts/${a}/Campaigns`);
		expect(other.body.data).toEqual([
			{ ...sb.getRecord('Campaigns', campaign), Member_Status: 'Active' },
		]);
		expect(sb.getRecord('Contacts', a)).not.toHaveProperty('Member_Status'); // not on the record
	});

	test('with fields: only those (record and relation fields) plus id; unset ones are null', async () => {
		const product = sb.addRecord('Products');
		const books = sb.addRecords('Price_Books', 2);
		sb.link('Products', product, 'Price_Books', books[0], { list_price: 99.95 });
		sb.link('Products', product, 'Price_Books', books[1]);
		const answer = await get(
			`/crm/v5/Products/${product}/Price_Books?fields=Price_Book_Name,list_price`,
		);
		expect(answer.body.data).toEqual([
			{ id: books[0], Price_Book_Name: expect.any(String), list_price: 99.95 },
			{ id: books[1], Price_Book_Name: expect.any(String), list_price: null },
		]);
		const only = await get(`/crm/v5/Price_Books/${books[0]}/Products?fields=list_price`);
		expect(only.body.data).toEqual([{ id: product, list_price: 99.95 }]);
	});

	test('paging, sort_by a relation field and page tokens still work', async () => {
		await sb.close();
		await start({ pageTokens: true });
		const campaign = sb.addRecord('Campaigns');
		const leads = sb.addRecords('Leads', 5);
		const statuses = ['Sent', 'Active', 'Planning', 'Invited', 'Active'];
		sb.link('Campaigns', campaign, 'Leads', leads, (_rid, i) => ({ Member_Status: statuses[i] }));
		const base = `/crm/v3/Campaigns/${campaign}/Leads`;
		const page2 = await get(`${base}?page=2&per_page=2&fields=Member_Status`);
		expect(page2.body.data).toEqual([
			{ id: leads[2], Member_Status: 'Planning' },
			{ id: leads[3], Member_Status: 'Invited' },
		]);
		expect(page2.body.info).toMatchObject({ page: 2, count: 2, more_records: true });
		const sorted = await get(`${base}?sort_by=Member_Status&sort_order=asc&per_page=3`);
		expect(sorted.body.data.map((r: { Member_Status: string }) => r.Member_Status)).toEqual([
			'Active',
			'Active',
			'Invited',
		]);
		const next = await get(
			`${base}?page_token=${encodeURIComponent(sorted.body.info.next_page_token)}&fields=Member_Status`,
		);
		expect(next.body.data).toEqual([
			{ id: leads[2], Member_Status: 'Planning' },
			{ id: leads[0], Member_Status: 'Sent' },
		]);
	});
});

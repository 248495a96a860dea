/**
 * Update Related Records (link), PUT /{Module}/{id}/{RelatedList}: both forms, relation fields
 * set and merged, per-entry answers (200, 207, 400), the 100-entry limit, body checks, big ids
 * kept exact, scopes, URL checks and API versions.
 */
import { ZOHO_ERRORS } from '../index';
import {
	sb,
	start,
	call,
	put,
	expectError,
	MISSING_ID,
	updated,
	invalidRelatedId,
} from './helpers';

const wrongType = (api_name: string, expected_data_type: string) => ({
	code: 'INVALID_DATA',
	details: { api_name, expected_data_type },
	message: 'invalid data',
	status: 'error',
});

describe('Update Related Records (link): PUT /{Module}/{id}/{RelatedList}', () => {
	beforeEach(() => start());

	test('multi form: links each id (both ends) with its relation fields; 200, "relation updated" per entry, counted', async () => {
		const campaign = sb.addRecord('Campaigns');
		const [a, b] = sb.addRecords('Contacts', 2);
		const answer = await put(`/crm/v2/Campaigns/${campaign}/Contacts`, {
			data: [
				{ id: a, Member_Status: 'Active' },
				{ id: b, Member_Status: 'Planning' },
			],
		});
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
		expect(answer.body).toEqual({ data: [updated(a), updated(b)] });
		expect(sb.linkedIds('Campaigns', campaign, 'Contacts')).toEqual([a, b]);
		expect(sb.linkedIds('Contacts', b, 'Campaigns')).toEqual([campaign]);
		expect(sb.relationData('Contacts', a, 'Campaigns', campaign)).toEqual({
			Member_Status: 'Active',
		});
		expect(sb.relationData('Campaigns', campaign, 'Contacts', b)).toEqual({
			Member_Status: 'Planning',
		});
		expect(sb.stats).toMatchObject({
			putCalls: 1,
			relationsLinked: 2,
			relationsUpdated: 0,
			getCalls: 0,
			deleteCalls: 0,
			creditsUsed: 1,
		});
		expect(sb.requests[0]).toMatchObject({ method: 'PUT', hasBody: true, status: 200 });
	});

	test('an existing link is updated: sent fields set, others kept; counted as relationsUpdated', async () => {
		const product = sb.addRecord('Products');
		const [x, y] = sb.addRecords('Price_Books', 2);
		sb.link('Products', product, 'Price_Books', [x, y], { list_price: 5 });
		const answer = await put(`/crm/v8/Price_Books/${x}/Products`, {
			data: [{ id: product, list_price: 7.25 }],
		});
		expect([answer.status, answer.body]).toEqual([200, { data: [updated(product)] }]);
		expect(sb.relationData('Products', product, 'Price_Books', x)).toEqual({ list_price: 7.25 });
		const untouched = await put(`/crm/v8/Products/${product}/Price_Books`, { data: [{ id: y }] });
		expect(untouched.status).toBe(200);
		expect(sb.relationData('Products', product, 'Price_Books', y)).toEqual({ list_price: 5 });
		const cleared = await put(`/crm/v8/Products/${product}/Price_Books`, {
			data: [{ id: y, list_price: null }],
		});
		expect(cleared.status).toBe(200);
		expect(sb.relationData('Products', product, 'Price_Books', y)).toEqual({});
		expect(sb.linkedIds('Products', product, 'Price_Books')).toEqual([x, y]);
		expect(sb.stats).toMatchObject({ putCalls: 3, relationsLinked: 0, relationsUpdated: 3 });
	});

	test('single form PUT .../{RelatedList}/{relatedId} with {"data":[{...fields}]}', async () => {
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		const p = `/crm/v2/Campaigns/${campaign}/Leads/${lead}`;
		const answer = await put(p, { data: [{ Member_Status: 'Sent' }] });
		expect([answer.status, answer.body]).toEqual([200, { data: [updated(lead)] }]);
		expect(sb.relationData('Leads', lead, 'Campaigns', campaign)).toEqual({
			Member_Status: 'Sent',
		});
		// an id in the entry is ignored: the path names the related record
		const other = sb.addRecord('Leads');
		await put(p, { data: [{ id: other, Member_Status: 'Active' }] });
		expect(sb.linkedIds('Campaigns', campaign, 'Leads')).toEqual([lead]);
		expect(sb.relationData('Leads', lead, 'Campaigns', campaign)).toEqual({
			Member_Status: 'Active',
		});
		const missing = await put(`/crm/v2/Campaigns/${campaign}/Leads/${MISSING_ID}`, {
			data: [{ Member_Status: 'Sent' }],
		});
		expect([missing.status, missing.body]).toEqual([400, { data: [invalidRelatedId(MISSING_ID)] }]);
		expect(sb.stats).toMatchObject({
			relationsLinked: 1,
			relationsUpdated: 1,
			invalidRelatedIds: 1,
		});
	});

	test('mixed: 207, per entry in order; failing entries (no id, unknown id, wrong type) change nothing', async () => {
		const product = sb.addRecord('Products');
		const [ok, typed, fine] = sb.addRecords('Price_Books', 3);
		const lead = sb.addRecord('Leads'); // a record, not of the Price_Books module
		const answer = await put(`/crm/v3/Products/${product}/Price_Books`, {
			data: [
				{ id: ok, list_price: 12 },
				{ list_price: 1 },
				{ id: MISSING_ID, list_price: 1 },
				{ id: lead },
				{ id: typed, list_price: '12.00' },
				{ id: 'abc' },
				{ id: fine, list_price: 0, Member_Status: 'Active', Unit_Price: 'x' },
			],
		});
		expect(answer.status).toBe(207);
		expect(answer.body).toEqual({
			data: [
				updated(ok),
				{
					code: 'MANDATORY_NOT_FOUND',
					details: { api_name: 'id' },
					message: 'required field not found',
					status: 'error',
				},
				invalidRelatedId(MISSING_ID),
				invalidRelatedId(lead),
				wrongType('list_price', 'double'),
				invalidRelatedId('abc'),
				updated(fine),
			],
		});
		expect(sb.linkedIds('Products', product, 'Price_Books')).toEqual([ok, fine]);
		// fields that are no relation field of the pair are ignored
		expect(sb.relationData('Products', product, 'Price_Books', fine)).toEqual({ list_price: 0 });
		expect(sb.isLinked('Leads', lead, 'Products', product)).toBe(false);
		expect(sb.stats).toMatchObject({ relationsLinked: 2, invalidRelatedIds: 3 });
	});

	test('all entries failed: 400 whose body is still the per-entry data[]; Member_Status must be a string', async () => {
		const campaign = sb.addRecord('Campaigns');
		const contact = sb.addRecord('Contacts');
		const answer = await put(`/crm/v2/Campaigns/${campaign}/Contacts`, {
			data: [{ id: contact, Member_Status: 3 }, { id: MISSING_ID }],
		});
		expect([answer.status, answer.body]).toEqual([
			400,
			{ data: [wrongType('Member_Status', 'picklist'), invalidRelatedId(MISSING_ID)] },
		]);
		expect(sb.isLinked('Campaigns', campaign, 'Contacts', contact)).toBe(false);
		const single = await put(`/crm/v2/Campaigns/${campaign}/Contacts/${contact}`, {
			data: [{ Member_Status: ['Active'] }],
		});
		expect([single.status, single.body]).toEqual([
			400,
			{ data: [wrongType('Member_Status', 'picklist')] },
		]);
	});

	test('100 entries in one call; 101 answer 400 LIMIT_EXCEEDED naming data, and link nothing', async () => {
		const campaign = sb.addRecord('Campaigns');
		const leads = sb.addRecords('Leads', 101);
		const p = `/crm/v2/Campaigns/${campaign}/Leads`;
		const over = await put(p, { data: leads.map((id) => ({ id, Member_Status: 'Sent' })) });
		expectError(over, {
			...ZOHO_ERRORS.LIMIT_EXCEEDED,
			details: { limit: '100', param_name: 'data' },
		});
		expect(over.body.message).toBe('You cannot give more than 100 record ids');
		expect(sb.linkedIds('Campaigns', campaign, 'Leads')).toEqual([]);
		const ok = await put(p, { data: leads.slice(0, 100).map((id) => ({ id })) });
		expect(ok.status).toBe(200);
		expect(ok.body.data).toHaveLength(100);
		expect(sb.linkedIds('Campaigns', campaign, 'Leads')).toEqual(leads.slice(0, 100));
	});

	test('no body, no or empty data: 400 MANDATORY_NOT_FOUND; not JSON: 400 INVALID_DATA', async () => {
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		const mandatory = {
			...ZOHO_ERRORS.MANDATORY_NOT_FOUND,
			message: 'required field not found',
			details: { api_name: 'data' },
		};
		const notJson = {
			...ZOHO_ERRORS.INVALID_DATA,
			message: 'body',
			details: { expected_data_type: 'jsonobject' },
		};
		for (const p of [
			`/crm/v2/Campaigns/${campaign}/Leads`,
			`/crm/v2/Campaigns/${campaign}/Leads/${lead}`,
		]) {
			expectError(await call('PUT', p), mandatory);
			expectError(await put(p, {}), mandatory);
			expectError(await put(p, { data: [] }), mandatory);
			expectError(await put(p, { data: null }), mandatory);
			expectError(await put(p, '{"data":[{"id":'), notJson);
			expectError(await put(p, 'id=1'), notJson);
			expectError(await put(p, [{ id: lead }]), notJson);
			expectError(await put(p, { data: { id: lead } }), {
				...ZOHO_ERRORS.INVALID_DATA,
				message: 'invalid data',
				details: { api_name: 'data', expected_data_type: 'jsonarray' },
			});
		}
		expect(sb.isLinked('Campaigns', campaign, 'Leads', lead)).toBe(false);
		expect(sb.stats).toMatchObject({ putCalls: 16, creditsUsed: 16, relationsLinked: 0 });
	});

	test('an entry that is not an object, or an id of another type, fails on its own', async () => {
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		const answer = await put(`/crm/v2/Campaigns/${campaign}/Leads`, {
			data: [lead, { id: true }, { id: lead }],
		});
		expect(answer.status).toBe(207);
		expect(answer.body.data).toEqual([
			{
				code: 'INVALID_DATA',
				details: { expected_data_type: 'jsonobject' },
				message: 'invalid data',
				status: 'error',
			},
			wrongType('id', 'bigint'),
			updated(lead),
		]);
	});

	test('an id sent as an unquoted JSON number keeps every digit', async () => {
		const campaign = sb.addRecord('Campaigns');
		const [a, b] = sb.addRecords('Leads', 2); // adjacent ids: equal as JS numbers
		const answer = await put(
			`/crm/v2/Campaigns/${campaign}/Leads`,
			`{"data":[{"id": ${b} ,"Member_Status":"Sent"}]}`,
		);
		expect([answer.status, answer.body]).toEqual([200, { data: [updated(b)] }]);
		expect(sb.linkedIds('Campaigns', campaign, 'Leads')).toEqual([b]);
		expect(sb.isLinked('Campaigns', campaign, 'Leads', a)).toBe(false);
	});

	test('scopes: modules ALL, or the module ALL, WRITE or UPDATE; READ or DELETE alone do not', async () => {
		const campaign = sb.addRecord('Campaigns');
		const leads = sb.addRecords('Leads', 4);
		const p = `/crm/v2/Campaigns/${campaign}/Leads`;
		const allowed = [
			'ZohoCRM.modules.ALL',
			'ZohoCRM.modules.campaigns.ALL',
			'ZohoCRM.users.READ,ZohoCRM.modules.Campaigns.WRITE',
			'ZohoCRM.modules.campaigns.UPDATE',
		];
		for (const [i, scope] of allowed.entries()) {
			const t = sb.issueTokens({ scope }).access_token;
			const answer = await put(p, { data: [{ id: leads[i] }] }, { auth: `Bearer ${t}` });
			expect([scope, answer.status]).toEqual([scope, 200]);
		}
		for (const scope of [
			'ZohoCRM.modules.campaigns.READ',
			'ZohoCRM.modules.campaigns.DELETE',
			'ZohoCRM.modules.leads.UPDATE',
		]) {
			const t = sb.issueTokens({ scope }).access_token;
			expectError(
				await put(p, { data: [{ id: leads[0] }] }, { auth: `Bearer ${t}` }),
				ZOHO_ERRORS.OAUTH_SCOPE_MISMATCH,
			);
		}
		const books = sb.issueTokens({ scope: 'ZohoCRM.modules.pricebooks.UPDATE' }).access_token;
		const book = sb.addRecord('Price_Books');
		const product = sb.addRecord('Products');
		const viaBooks = await put(
			`/crm/v2/Price_Books/${book}/Products/${product}`,
			{ data: [{ list_price: 1 }] },
			{ auth: `Bearer ${books}` },
		);
		expect(viaBooks.status).toBe(200);
	});

	test('URL checks as for a delink; PUT on a module or a record is no link: 400 INVALID_REQUEST_METHOD', async () => {
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		const body = { data: [{ id: lead }] };
		expectError(
			await put(`/crm/v2/Campaigns/${campaign}/Deals`, body),
			ZOHO_ERRORS.INVALID_URL_PATTERN,
		);
		expectError(
			await put(`/crm/v2/Potentials/${campaign}/Leads`, body),
			ZOHO_ERRORS.INVALID_MODULE,
		);
		expect((await put(`/crm/v2/Campaigns/${MISSING_ID}/Leads`, body)).body).toEqual({
			code: 'INVALID_DATA',
			details: { resource_path_index: 1 },
			message: 'the id given seems to be invalid',
			status: 'error',
		});
		expect((await put(`/crm/v2/Campaigns/${campaign}/Leads/12ab`, body)).body).toEqual({
			code: 'INVALID_DATA',
			details: { resource_path_index: 3 },
			message: 'the related id given seems to be invalid',
			status: 'error',
		});
		for (const p of ['/crm/v2/Campaigns', `/crm/v2/Campaigns/${campaign}`, '/crm/v2/Leads/search'])
			expectError(await put(p, body), ZOHO_ERRORS.INVALID_REQUEST_METHOD);
		expect(sb.isLinked('Campaigns', campaign, 'Leads', lead)).toBe(false);
	});

	test('every API version v2 to v8 serves the link', async () => {
		const campaign = sb.addRecord('Campaigns');
		const leads = sb.addRecords('Leads', 8);
		const versions = ['v2', 'v2.1', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8'];
		for (const [i, v] of versions.entries()) {
			const answer = await put(`/crm/${v}/Leads/${leads[i]}/Campaigns`, {
				data: [{ id: campaign, Member_Status: v }],
			});
			expect([v, answer.status]).toEqual([v, 200]);
		}
		expect(leads.map((l) => sb.relationData('Campaigns', campaign, 'Leads', l))).toEqual(
			versions.map((v) => ({ Member_Status: v })),
		);
	});
});

/**
 * The Zoho CRM sandbox, exercised over real HTTP with Node's fetch: what it answers is what
 * the node's routing and e2e tests will rely on, so each Zoho behaviour it models is proven
 * here.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

import {
	seedDemo,
	startZohoSandbox,
	ZOHO_ERRORS,
	type SandboxOptions,
	type SeedDemoResult,
	type ZohoModule,
	type ZohoSandbox,
} from './index';

interface Answer {
	status: number;
	headers: Headers;
	text: string;
	body: any;
}

let sb: ZohoSandbox;
let token: string;

async function start(options: SandboxOptions = {}): Promise<void> {
	sb = await startZohoSandbox(options);
	token = sb.issueTokens().access_token;
}

afterEach(async () => {
	await sb?.close();
});

async function call(
	method: string,
	pathAndQuery: string,
	init: { auth?: string | null; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
	const headers: Record<string, string> = { ...init.headers };
	const auth = init.auth === undefined ? `Zoho-oauthtoken ${token}` : init.auth;
	if (auth !== null) headers.Authorization = auth;
	const res = await fetch(sb.url + pathAndQuery, { method, headers, body: init.body });
	const text = await res.text();
	let body: unknown;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		body = undefined;
	}
	return { status: res.status, headers: res.headers, text, body };
}

const del = (p: string, init?: Parameters<typeof call>[2]) => call('DELETE', p, init);
const get = (p: string, init?: Parameters<typeof call>[2]) => call('GET', p, init);

function expectError(answer: Answer, entry: (typeof ZOHO_ERRORS)[keyof typeof ZOHO_ERRORS]) {
	expect(answer.status).toBe(entry.status);
	expect(answer.body).toEqual({
		code: entry.code,
		details: entry.details,
		message: entry.message,
		status: 'error',
	});
}

/** A campaign linked to `n` contacts. */
function campaignWith(n: number) {
	const campaignId = sb.addRecord('Campaigns');
	const contactIds = sb.addRecords('Contacts', n);
	sb.link('Campaigns', campaignId, 'Contacts', contactIds);
	return { campaignId, contactIds };
}

const success = (id: string) => ({
	code: 'SUCCESS',
	details: { id },
	message: 'relation removed',
	status: 'success',
});
const notFound = (id: string) => ({
	code: 'INVALID_DATA',
	details: { id },
	message: 'relation not found',
	status: 'error',
});

describe('records and ids', () => {
	beforeEach(() => start());

	test('ids are unique 19-digit strings beyond Number precision, with default names per module', () => {
		const [a, b] = sb.addRecords('Contacts', 2);
		expect(a).toMatch(/^\d{19}$/);
		expect(b).not.toBe(a);
		expect(Number(a)).toBe(Number(b)); // adjacent ids collide as numbers: a client must keep strings
		expect(sb.getRecord('Contacts', a)).toMatchObject({
			id: a,
			First_Name: 'Contact',
			Full_Name: expect.stringContaining('Contact'),
		});
		expect(sb.getRecord('Leads', sb.addRecord('Leads'))).toHaveProperty('Last_Name');
		expect(sb.getRecord('Campaigns', sb.addRecord('Campaigns'))).toHaveProperty('Campaign_Name');
		expect(sb.getRecord('Products', sb.addRecord('Products'))).toHaveProperty('Product_Name');
		expect(sb.getRecord('Accounts', sb.addRecord('Accounts'))).toHaveProperty('Account_Name');
		expect(sb.getRecord('Deals', sb.addRecord('Deals'))).toHaveProperty('Deal_Name');
		expect(sb.getRecord('Price_Books', sb.addRecord('Price_Books'))).toHaveProperty(
			'Price_Book_Name',
		);
	});

	test('link() rejects an unsupported relation and an unknown record', () => {
		const c = sb.addRecord('Campaigns');
		const d = sb.addRecord('Deals');
		expect(() => sb.link('Campaigns', c, 'Deals', d)).toThrow(/no related list/);
		expect(() => sb.link('Campaigns', c, 'Contacts', '1')).toThrow(/no Contacts record/);
	});

	test('seedDemo builds a 250-contact campaign and a product in 3 of 4 price books', () => {
		const seed: SeedDemoResult = seedDemo(sb);
		expect(sb.getRecord('Campaigns', seed.campaignId)?.Campaign_Name).toBe('Spring Launch 2026');
		expect(sb.linkedIds('Campaigns', seed.campaignId, 'Contacts')).toEqual(seed.contactIds);
		expect(seed.contactIds).toHaveLength(250);
		expect(sb.getRecord('Products', seed.productId)?.Product_Name).toBe('Legacy Router X100');
		expect(sb.linkedIds('Products', seed.productId, 'Price_Books')).toEqual(seed.priceBookIds);
		expect(seed.priceBookIds).toHaveLength(3);
		expect(sb.isLinked('Products', seed.productId, 'Price_Books', seed.unlinkedPriceBookId)).toBe(
			false,
		);
	});
});

describe('delink, single form DELETE /{Module}/{id}/{RelatedList}/{relatedId}', () => {
	beforeEach(() => start());

	test('removes the one relation and answers 200 with a SUCCESS entry', async () => {
		const { campaignId, contactIds } = campaignWith(2);
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ data: [success(contactIds[0])] });
		expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([contactIds[1]]);
	});

	test('a relation that does not exist answers 400 with a per-entry data[] "relation not found"', async () => {
		const { campaignId } = campaignWith(1);
		const stranger = sb.addRecord('Contacts');
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts/${stranger}`);
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual({ data: [notFound(stranger)] });
	});

	test('a non-digit related id answers 400 INVALID_DATA pointing at path index 3', async () => {
		const { campaignId } = campaignWith(1);
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts/12ab`);
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual({
			code: 'INVALID_DATA',
			details: { resource_path_index: 3 },
			message: 'the related id given seems to be invalid',
			status: 'error',
		});
	});
});

describe('delink, multi form DELETE /{Module}/{id}/{RelatedList}?ids=', () => {
	beforeEach(() => start());

	test('all linked: 200, every relation removed, entries in request order', async () => {
		const { campaignId, contactIds } = campaignWith(3);
		const ids = [contactIds[2], contactIds[0]];
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${ids.join(',')}`);
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
		expect(answer.body).toEqual({ data: ids.map(success) });
		expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([contactIds[1]]);
	});

	test('mixed: 207 with a success entry and a "relation not found" entry', async () => {
		const { campaignId, contactIds } = campaignWith(1);
		const stranger = sb.addRecord('Contacts'); // exists, not linked (a missing id: see below)
		const answer = await del(
			`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]},${stranger}`,
		);
		expect(answer.status).toBe(207);
		expect(answer.body).toEqual({
			data: [success(contactIds[0]), notFound(stranger)],
		});
	});

	test('none linked: 400 whose body is still the per-entry data[]', async () => {
		const { campaignId } = campaignWith(0);
		const [x, y] = sb.addRecords('Contacts', 2);
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${x},${y}`);
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual({ data: [notFound(x), notFound(y)] });
	});

	test('commas encoded as %2C are accepted like literal commas', async () => {
		const { campaignId, contactIds } = campaignWith(2);
		const answer = await del(
			`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds.join('%2C')}`,
		);
		expect(answer.status).toBe(200);
		expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
	});

	test('a duplicated id is answered per occurrence: the second is "relation not found"', async () => {
		const { campaignId, contactIds } = campaignWith(1);
		const id = contactIds[0];
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${id},${id}`);
		expect(answer.status).toBe(207);
		expect(answer.body).toEqual({ data: [success(id), notFound(id)] });
	});

	test('ids missing or empty: 400 MANDATORY_NOT_FOUND naming param ids', async () => {
		const { campaignId } = campaignWith(1);
		expectError(
			await del(`/crm/v2/Campaigns/${campaignId}/Contacts`),
			ZOHO_ERRORS.MANDATORY_NOT_FOUND,
		);
		expectError(
			await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=`),
			ZOHO_ERRORS.MANDATORY_NOT_FOUND,
		);
		expect(ZOHO_ERRORS.MANDATORY_NOT_FOUND.details).toEqual({ param_name: 'ids' });
	});

	test('100 ids are accepted in one call; 101 answer 400 LIMIT_EXCEEDED and remove nothing', async () => {
		const { campaignId, contactIds } = campaignWith(101);
		const over = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds.join(',')}`);
		expectError(over, ZOHO_ERRORS.LIMIT_EXCEEDED);
		expect(over.body.details).toEqual({ limit: '100', param_name: 'ids' });
		expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toHaveLength(101);

		const hundred = contactIds.slice(0, 100);
		const ok = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${hundred.join(',')}`);
		expect(ok.status).toBe(200);
		expect(ok.body.data).toHaveLength(100);
		expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([contactIds[100]]);
	});

	test('an id that is not all digits: 400 UNABLE_TO_PARSE_DATA_TYPE and nothing removed', async () => {
		const { campaignId, contactIds } = campaignWith(1);
		for (const bad of [`${contactIds[0]},abc`, `${contactIds[0]},`, `${contactIds[0]}, 1`]) {
			expectError(
				await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${encodeURIComponent(bad)}`),
				ZOHO_ERRORS.UNABLE_TO_PARSE_DATA_TYPE,
			);
		}
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(true);
	});

	test('a request body is ignored but logged as hasBody', async () => {
		const { campaignId, contactIds } = campaignWith(1);
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`, {
			body: '{"ids":["1"]}',
			headers: { 'Content-Type': 'application/json' },
		});
		expect(answer.status).toBe(200);
		expect(sb.requests[0].hasBody).toBe(true);
		expect(sb.requests[0].headers['content-type']).toBe('application/json');
	});
});

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

describe('authentication and scopes', () => {
	beforeEach(() => start());

	test('both "Zoho-oauthtoken <t>" and "Bearer <t>" are accepted', async () => {
		const { campaignId, contactIds } = campaignWith(2);
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts/`;
		expect((await del(base + contactIds[0], { auth: `Zoho-oauthtoken ${token}` })).status).toBe(
			200,
		);
		expect((await del(base + contactIds[1], { auth: `Bearer ${token}` })).status).toBe(200);
	});

	test('no Authorization header, or another scheme: 401 AUTHENTICATION_FAILURE', async () => {
		const { campaignId, contactIds } = campaignWith(1);
		const p = `/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`;
		for (const auth of [
			null,
			token,
			`Token ${token}`,
			`Basic ${Buffer.from('a:b').toString('base64')}`,
		]) {
			expectError(await del(p, { auth }), ZOHO_ERRORS.AUTHENTICATION_FAILURE);
		}
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(true);
		expect(sb.stats.authFailures).toBe(4);
	});

	test('an unknown, an expired-at-issue and an expired-later token answer 401 INVALID_TOKEN', async () => {
		const { campaignId, contactIds } = campaignWith(1);
		const p = `/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`;
		const unknown = '1000.' + '0'.repeat(32) + '.' + '0'.repeat(32);
		expectError(await del(p, { auth: `Bearer ${unknown}` }), ZOHO_ERRORS.INVALID_TOKEN);
		const expired = sb.issueTokens({ expired: true }).access_token;
		expectError(await del(p, { auth: `Bearer ${expired}` }), ZOHO_ERRORS.INVALID_TOKEN);
		sb.expireAccessTokens();
		expectError(await del(p), ZOHO_ERRORS.INVALID_TOKEN);
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(true);
	});

	test('access tokens expire by themselves after accessTokenTtlSeconds', async () => {
		await sb.close();
		await start({ accessTokenTtlSeconds: 0.3 });
		const c = sb.addRecord('Campaigns');
		expect((await get(`/crm/v2/Campaigns/${c}`)).status).toBe(200);
		await new Promise((r) => setTimeout(r, 400));
		expectError(await get(`/crm/v2/Campaigns/${c}`), ZOHO_ERRORS.INVALID_TOKEN);
	});

	test('a token whose scopes do not cover the module answers 401 OAUTH_SCOPE_MISMATCH', async () => {
		const { campaignId, contactIds } = campaignWith(1);
		const p = `/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`;
		for (const scope of [
			'ZohoCRM.modules.leads.ALL',
			'ZohoCRM.modules.campaigns.READ',
			'ZohoCRM.settings.ALL',
		]) {
			const t = sb.issueTokens({ scope }).access_token;
			expectError(await del(p, { auth: `Bearer ${t}` }), ZOHO_ERRORS.OAUTH_SCOPE_MISMATCH);
		}
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(true);
	});

	test('module scopes ALL, DELETE and WRITE allow a delink; READ or ALL allow a read', async () => {
		const { campaignId, contactIds } = campaignWith(3);
		const scopes = [
			'ZohoCRM.modules.campaigns.ALL',
			'ZohoCRM.modules.Campaigns.DELETE',
			'ZohoCRM.users.READ,ZohoCRM.modules.campaigns.WRITE',
		];
		for (const [i, scope] of scopes.entries()) {
			const t = sb.issueTokens({ scope }).access_token;
			const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[i]}`, {
				auth: `Bearer ${t}`,
			});
			expect([scope, answer.status]).toEqual([scope, 200]);
		}
		const reader = sb.issueTokens({ scope: 'ZohoCRM.modules.campaigns.READ' }).access_token;
		expect(
			(await get(`/crm/v2/Campaigns/${campaignId}`, { auth: `Bearer ${reader}` })).status,
		).toBe(200);
		const writer = sb.issueTokens({ scope: 'ZohoCRM.modules.campaigns.DELETE' }).access_token;
		expectError(
			await get(`/crm/v2/Campaigns/${campaignId}`, { auth: `Bearer ${writer}` }),
			ZOHO_ERRORS.OAUTH_SCOPE_MISMATCH,
		);
	});

	test('Price_Books is covered by the scope name "pricebooks"', async () => {
		const p = sb.addRecord('Price_Books');
		const product = sb.addRecord('Products');
		sb.link('Price_Books', p, 'Products', product);
		const t = sb.issueTokens({ scope: 'ZohoCRM.modules.pricebooks.DELETE' }).access_token;
		expect(
			(await del(`/crm/v2/Price_Books/${p}/Products/${product}`, { auth: `Bearer ${t}` })).status,
		).toBe(200);
	});
});

describe('OAuth accounts server', () => {
	beforeEach(() => start());

	async function authorize(params: Record<string, string>) {
		const q = new URLSearchParams({
			client_id: sb.clientId,
			redirect_uri: 'http://localhost:5678/rest/oauth2-credential/callback',
			response_type: 'code',
			scope: 'ZohoCRM.modules.ALL',
			access_type: 'offline',
			prompt: 'consent',
			state: 'xyz',
			...params,
		});
		const res = await fetch(`${sb.url}/oauth/v2/auth?${q}`, { redirect: 'manual' });
		return res;
	}

	async function token(
		params: Record<string, string>,
		init: { query?: boolean; basic?: boolean } = {},
	) {
		const all = new URLSearchParams(params);
		const headers: Record<string, string> = {};
		if (init.basic) {
			headers.Authorization = `Basic ${Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64')}`;
		} else {
			all.set('client_id', sb.clientId);
			all.set('client_secret', sb.clientSecret);
		}
		const res = init.query
			? await fetch(`${sb.url}/oauth/v2/token?${all}`, { method: 'POST', headers })
			: await fetch(`${sb.url}/oauth/v2/token`, {
					method: 'POST',
					headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
					body: all.toString(),
				});
		return { status: res.status, body: (await res.json()) as any };
	}

	test('the auth endpoint auto-approves: 302 to redirect_uri with code, state, location, accounts-server', async () => {
		const res = await authorize({});
		expect(res.status).toBe(302);
		const location = new URL(res.headers.get('location') ?? '');
		expect(location.origin + location.pathname).toBe(
			'http://localhost:5678/rest/oauth2-credential/callback',
		);
		expect(location.searchParams.get('state')).toBe('xyz');
		expect(location.searchParams.get('code')).toMatch(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
		expect(location.searchParams.get('location')).toBe('us');
		expect(location.searchParams.get('accounts-server')).toBe(sb.url);
	});

	test('an authorization code gives a token pair with api_domain = sandbox url, and works once only', async () => {
		const code =
			new URL((await authorize({})).headers.get('location') ?? '').searchParams.get('code') ?? '';
		const first = await token({
			grant_type: 'authorization_code',
			code,
			redirect_uri: 'http://localhost:5678/rest/oauth2-credential/callback',
		});
		expect(first.status).toBe(200);
		expect(first.body).toEqual({
			access_token: expect.stringMatching(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/),
			refresh_token: expect.stringMatching(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/),
			scope: 'ZohoCRM.modules.ALL',
			api_domain: sb.url,
			token_type: 'Bearer',
			expires_in: 3600,
		});
		const c = sb.addRecord('Campaigns');
		expect(
			(await get(`/crm/v2/Campaigns/${c}`, { auth: `Bearer ${first.body.access_token}` })).status,
		).toBe(200);
		const again = await token({ grant_type: 'authorization_code', code });
		expect(again).toEqual({ status: 400, body: { error: 'invalid_code' } });
	});

	test('the token endpoint takes its params from the query string and the client from Basic auth', async () => {
		const { refresh_token } = sb.issueTokens();
		const viaQuery = await token({ grant_type: 'refresh_token', refresh_token }, { query: true });
		expect(viaQuery.status).toBe(200);
		const viaBasic = await token({ grant_type: 'refresh_token', refresh_token }, { basic: true });
		expect(viaBasic.status).toBe(200);
	});

	test('a wrong client id or secret answers 400 invalid_client', async () => {
		const { refresh_token } = sb.issueTokens();
		const res = await fetch(`${sb.url}/oauth/v2/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'refresh_token',
				refresh_token,
				client_id: sb.clientId,
				client_secret: 'wrong',
			}).toString(),
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ error: 'invalid_client' });
		expect((await authorize({ client_id: 'someone-else' })).status).toBe(400);
	});

	test('refresh: a new access token, no new refresh token, counted; the expired one stays dead', async () => {
		const pair = sb.issueTokens({ expired: true });
		const c = sb.addRecord('Campaigns');
		expectError(
			await get(`/crm/v2/Campaigns/${c}`, { auth: `Bearer ${pair.access_token}` }),
			ZOHO_ERRORS.INVALID_TOKEN,
		);
		const refreshed = await token({
			grant_type: 'refresh_token',
			refresh_token: pair.refresh_token,
		});
		expect(refreshed.status).toBe(200);
		expect(refreshed.body).not.toHaveProperty('refresh_token');
		expect(refreshed.body).toMatchObject({
			api_domain: sb.url,
			token_type: 'Bearer',
			expires_in: 3600,
		});
		expect(refreshed.body.access_token).not.toBe(pair.access_token);
		expect(
			(await get(`/crm/v2/Campaigns/${c}`, { auth: `Bearer ${refreshed.body.access_token}` }))
				.status,
		).toBe(200);
		expectError(
			await get(`/crm/v2/Campaigns/${c}`, { auth: `Bearer ${pair.access_token}` }),
			ZOHO_ERRORS.INVALID_TOKEN,
		);
		expect(sb.stats.tokenRefreshes).toBe(1);
	});

	test('an unknown refresh token answers 400 invalid_code and is not counted as a refresh', async () => {
		const answer = await token({ grant_type: 'refresh_token', refresh_token: '1000.nope.nope' });
		expect(answer).toEqual({ status: 400, body: { error: 'invalid_code' } });
		expect(sb.stats.tokenRefreshes).toBe(0);
		expect(sb.stats.tokenRefreshFailures).toBe(1);
	});

	test('tokens remember their scope through the code and every refresh', async () => {
		const code =
			new URL(
				(await authorize({ scope: 'ZohoCRM.modules.campaigns.READ' })).headers.get('location') ??
					'',
			).searchParams.get('code') ?? '';
		const pair = await token({ grant_type: 'authorization_code', code });
		const refreshed = await token({
			grant_type: 'refresh_token',
			refresh_token: pair.body.refresh_token,
		});
		expect(refreshed.body.scope).toBe('ZohoCRM.modules.campaigns.READ');
		const { campaignId, contactIds } = campaignWith(1);
		const auth = `Bearer ${refreshed.body.access_token}`;
		expect((await get(`/crm/v2/Campaigns/${campaignId}/Contacts`, { auth })).status).toBe(200);
		expectError(
			await del(`/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`, { auth }),
			ZOHO_ERRORS.OAUTH_SCOPE_MISMATCH,
		);
	});

	test('strictOfflineAccess: a refresh token only with access_type=offline, again only with prompt=consent', async () => {
		await sb.close();
		await start({ strictOfflineAccess: true });
		const exchange = async (params: Record<string, string>) => {
			const code =
				new URL((await authorize(params)).headers.get('location') ?? '').searchParams.get('code') ??
				'';
			return (await token({ grant_type: 'authorization_code', code })).body;
		};
		expect(await exchange({ access_type: 'online', prompt: '' })).not.toHaveProperty(
			'refresh_token',
		);
		expect(await exchange({ prompt: '' })).toHaveProperty('refresh_token');
		expect(await exchange({ prompt: '' })).not.toHaveProperty('refresh_token');
		expect(await exchange({ prompt: 'consent' })).toHaveProperty('refresh_token');
	});

	test('revoking a refresh token kills it and the access tokens made from it', async () => {
		const pair = sb.issueTokens();
		const res = await fetch(`${sb.url}/oauth/v2/token/revoke?token=${pair.refresh_token}`, {
			method: 'POST',
		});
		expect(res.status).toBe(200);
		const c = sb.addRecord('Campaigns');
		expectError(
			await get(`/crm/v2/Campaigns/${c}`, { auth: `Bearer ${pair.access_token}` }),
			ZOHO_ERRORS.INVALID_TOKEN,
		);
		expect(
			(await token({ grant_type: 'refresh_token', refresh_token: pair.refresh_token })).body,
		).toEqual({ error: 'invalid_code' });
	});

	test('OAuth requests are logged as kind "oauth", cost no credit and are never faulted', async () => {
		sb.setFaults({ dailyCredits: 1, errorRate: 1 });
		sb.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
		const { refresh_token } = sb.issueTokens();
		expect((await token({ grant_type: 'refresh_token', refresh_token })).status).toBe(200);
		expect(sb.requests.map((r) => [r.kind, r.path, r.status])).toEqual([
			['oauth', '/oauth/v2/token', 200],
		]);
		expect(sb.stats.creditsUsed).toBe(0);
		expect(sb.stats.injectedFailures).toBe(0);
	});
});

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

describe('faults and limits', () => {
	test('latencyMs delays every API answer', async () => {
		await start({ latencyMs: 60 });
		const c = sb.addRecord('Campaigns');
		const t0 = Date.now();
		await get(`/crm/v2/Campaigns/${c}`);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
	});

	test('maxConcurrent: a request arriving while N are in flight gets 429 without Retry-After', async () => {
		await start({ maxConcurrent: 2, latencyMs: 300 });
		const c = sb.addRecord('Campaigns');
		const answers = await Promise.all(
			Array.from({ length: 5 }, () => get(`/crm/v2/Campaigns/${c}`)),
		);
		const statuses = answers.map((a) => a.status).sort();
		expect(statuses).toEqual([200, 200, 429, 429, 429]);
		const rejected = answers.find((a) => a.status === 429) as Answer;
		expectError(rejected, ZOHO_ERRORS.TOO_MANY_REQUESTS);
		expect(rejected.headers.get('retry-after')).toBeNull();
		expect(sb.stats).toMatchObject({
			maxInFlight: 2,
			rejected429: 3,
			rejectedConcurrency: 3,
			inFlight: 0,
		});
	});

	test('dailyCredits: 1 credit per call, X-API-CREDITS-REMAINING once under half, then 429', async () => {
		await start({ dailyCredits: 4 });
		const c = sb.addRecord('Campaigns');
		const remaining: Array<string | null> = [];
		for (let i = 0; i < 5; i++) {
			const answer = await get(`/crm/v2/Campaigns/${c}`);
			remaining.push(answer.headers.get('x-api-credits-remaining'));
			if (i === 4) expectError(answer, ZOHO_ERRORS.TOO_MANY_REQUESTS);
			else expect(answer.status).toBe(200);
		}
		expect(remaining).toEqual([null, null, '1', '0', '0']);
		expect(sb.stats).toMatchObject({ creditsUsed: 4, creditsRemaining: 0, rejectedCredits: 1 });
	});

	test('errorRate 1: 500 INTERNAL_ERROR before the work (nothing removed)', async () => {
		await start({ errorRate: 1 });
		const { campaignId, contactIds } = campaignWith(1);
		expectError(
			await del(`/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`),
			ZOHO_ERRORS.INTERNAL_ERROR,
		);
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(true);
	});

	test('the same seed gives the same sequence of random faults', async () => {
		const run = async () => {
			await start({ errorRate: 0.5, seed: 42 });
			const c = sb.addRecord('Campaigns');
			const statuses: number[] = [];
			for (let i = 0; i < 12; i++) statuses.push((await get(`/crm/v2/Campaigns/${c}`)).status);
			await sb.close();
			return statuses;
		};
		const first = await run();
		expect(first).toContain(500);
		expect(first).toContain(200);
		expect(await run()).toEqual(first);
	});

	test('dropAfterApplyRate 1: the relation is removed, then the socket dies unanswered', async () => {
		await start({ dropAfterApplyRate: 1 });
		const { campaignId, contactIds } = campaignWith(1);
		await expect(
			del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`),
		).rejects.toThrow();
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(false);
		expect(sb.requests[0]).toMatchObject({ status: 0, dropped: true });
		expect(sb.stats.droppedAfterApply).toBe(1);
	});

	test('malformedJsonRate 1: the work is done and the JSON answer is cut short', async () => {
		await start({ malformedJsonRate: 1 });
		const { campaignId, contactIds } = campaignWith(1);
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`);
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toMatch(/json/);
		expect(() => JSON.parse(answer.text)).toThrow();
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(false);
	});

	test('htmlErrorRate 1: a 502/503 text/html gateway page and nothing done', async () => {
		await start({ htmlErrorRate: 1 });
		const { campaignId, contactIds } = campaignWith(1);
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`);
		expect([502, 503]).toContain(answer.status);
		expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
		expect(answer.text).toMatch(/^<html>.*(Bad Gateway|Unavailable).*<\/html>$/);
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(true);
	});

	test('echoAuthorization: top-level and per-entry error bodies carry the header received', async () => {
		await start({ echoAuthorization: true });
		const { campaignId } = campaignWith(0);
		const stranger = sb.addRecord('Contacts');
		const perEntry = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${stranger}`, {
			auth: `Bearer ${token}`,
		});
		expect(perEntry.body.data[0].details).toEqual({
			id: stranger,
			authorization: `Bearer ${token}`,
		});
		const topLevel = await del(`/crm/v2/Campaigns/${campaignId}/Deals?ids=1`, {
			auth: `Bearer ${token}`,
		});
		expect(topLevel.body.details).toEqual({ authorization: `Bearer ${token}` });
	});

	test('failNext takes a catalogue entry: the next n API requests get it, then normal service', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(1);
		sb.failNext(2, ZOHO_ERRORS.NO_PERMISSION);
		const p = `/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`;
		for (let i = 0; i < 2; i++) {
			const answer = await del(p);
			expectError(answer, ZOHO_ERRORS.NO_PERMISSION);
			expect(answer.body.details).toEqual({ permissions: ['Crm_Implied_Delete_Related_Records'] });
		}
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(true);
		expect((await del(p)).status).toBe(200);
		expect(sb.stats.injectedFailures).toBe(2);
	});

	test('failNext takes a full reply (status, body or raw, headers) and can drop the socket', async () => {
		await start();
		const c = sb.addRecord('Campaigns');
		sb.failNext(1, { status: 418, body: { hello: 'x' }, headers: { 'X-Test': 'yes' } });
		sb.failNext(1, { status: 200, raw: 'not json' });
		sb.failNext(1, { drop: true });
		const first = await get(`/crm/v2/Campaigns/${c}`);
		expect([first.status, first.body, first.headers.get('x-test')]).toEqual([
			418,
			{ hello: 'x' },
			'yes',
		]);
		const second = await get(`/crm/v2/Campaigns/${c}`);
		expect([second.status, second.text]).toEqual([200, 'not json']);
		await expect(get(`/crm/v2/Campaigns/${c}`)).rejects.toThrow();
		expect((await get(`/crm/v2/Campaigns/${c}`)).status).toBe(200);
	});

	test.each(Object.entries(ZOHO_ERRORS))(
		'catalogue entry %s injects with its documented status and body',
		async (_name, entry) => {
			await start();
			sb.failNext(1, entry);
			expectError(await get('/crm/v2/Leads'), entry);
		},
	);

	test('the catalogue holds the documented statuses and messages', () => {
		const summary = Object.fromEntries(Object.entries(ZOHO_ERRORS).map(([k, e]) => [k, e.status]));
		expect(summary).toEqual({
			INVALID_MODULE: 400,
			INVALID_URL_PATTERN: 404,
			AUTHENTICATION_FAILURE: 401,
			OAUTH_SCOPE_MISMATCH: 401,
			INVALID_TOKEN: 401,
			NO_PERMISSION: 403,
			INTERNAL_ERROR: 500,
			INVALID_REQUEST_METHOD: 400,
			AUTHORIZATION_FAILED: 400,
			INVALID_DATA: 400,
			UNABLE_TO_PARSE_DATA_TYPE: 400,
			LIMIT_EXCEEDED: 400,
			MANDATORY_NOT_FOUND: 400,
			TOO_MANY_REQUESTS: 429,
			DISCRETE_PAGINATION_LIMIT_EXCEEDED: 400,
			AMBIGUITY_DURING_PROCESSING: 400,
		});
		expect(ZOHO_ERRORS.AUTHORIZATION_FAILED.message).toBe(
			'User does not have sufficient privilege to delete related records data',
		);
		expect(ZOHO_ERRORS.NO_PERMISSION.message).toBe('permission denied to delete records');
	});

	test('setFaults merges, restarts the PRNG on a new seed, and rejects unknown options', async () => {
		await start({ latencyMs: 5 });
		expect(sb.setFaults({ errorRate: 0.25 })).toMatchObject({ latencyMs: 5, errorRate: 0.25 });
		expect(() => sb.setFaults({ errorRatio: 1 } as never)).toThrow(/unknown fault option/);
		expect(() => sb.setFaults({ errorRate: 2 })).toThrow();
		await expect(startZohoSandbox({ latencyMS: 1 } as never)).rejects.toThrow(
			/unknown fault option/,
		);
	});
});

describe('request log and lifecycle', () => {
	test('every request is logged in order with decoded path, raw path, query, auth and status', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(2);
		await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds.join('%2C')}&x=1&x=2`);
		await del(`/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`, { auth: null });
		const [first, second] = sb.requests;
		expect(first).toMatchObject({
			seq: 1,
			kind: 'api',
			method: 'DELETE',
			path: `/crm/v2/Campaigns/${campaignId}/Contacts`,
			rawPath: `/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds.join('%2C')}&x=1&x=2`,
			query: { ids: contactIds.join(','), x: '1' },
			authorization: `Zoho-oauthtoken ${token}`,
			status: 200,
			hasBody: false,
		});
		expect(first.endedAt).toBeGreaterThanOrEqual(first.startedAt);
		expect(second).toMatchObject({ seq: 2, authorization: undefined, status: 401 });
		expect(sb.stats).toMatchObject({
			requests: 2,
			apiRequests: 2,
			deleteCalls: 2,
			relationsRemoved: 2,
		});
		sb.clearRequests();
		expect(sb.requests).toEqual([]);
	});

	test('/__sandbox endpoints steer and inspect the sandbox without being logged', async () => {
		await start();
		const seed = seedDemo(sb);
		const linked = await (
			await fetch(
				`${sb.url}/__sandbox/linked?module=Products&id=${seed.productId}&relatedList=Price_Books`,
			)
		).json();
		expect(linked).toEqual({ ids: seed.priceBookIds });
		const faults = await fetch(`${sb.url}/__sandbox/faults`, {
			method: 'POST',
			body: JSON.stringify({ latencyMs: 3 }),
		});
		expect(((await faults.json()) as any).faults.latencyMs).toBe(3);
		await fetch(`${sb.url}/__sandbox/fail-next`, {
			method: 'POST',
			body: JSON.stringify({ n: 1, error: 'NO_PERMISSION' }),
		});
		expectError(await get('/crm/v2/Leads'), ZOHO_ERRORS.NO_PERMISSION);
		const log = (await (await fetch(`${sb.url}/__sandbox/requests`)).json()) as unknown[];
		expect(log).toHaveLength(1);
		await fetch(`${sb.url}/__sandbox/reset-log`, { method: 'POST' });
		expect(sb.requests).toEqual([]);
		expect((await fetch(`${sb.url}/__sandbox/nope`)).status).toBe(404);
	});

	test('close() ends keep-alive and in-flight sockets at once', async () => {
		await start({ latencyMs: 10_000 });
		const c = sb.addRecord('Campaigns');
		await fetch(`${sb.url}/__sandbox/stats`); // leaves a keep-alive socket open
		const pending = get(`/crm/v2/Campaigns/${c}`);
		await new Promise((r) => setTimeout(r, 30));
		const t0 = Date.now();
		await sb.close();
		expect(Date.now() - t0).toBeLessThan(1000);
		await expect(pending).rejects.toThrow();
	});
});

describe('cli.js', () => {
	const cli = path.join(__dirname, 'cli.js');

	function spawnCli(args: string[]) {
		const child = spawn(process.execPath, [cli, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
		const exited = new Promise<number | null>((resolve) =>
			child.on('exit', (code) => resolve(code)),
		);
		const firstLine = new Promise<any>((resolve, reject) => {
			const lines = createInterface({ input: child.stdout });
			lines.once('line', (line) => {
				lines.close();
				resolve(JSON.parse(line));
			});
			child.once('exit', (code) => reject(new Error(`cli exited with ${code}`)));
		});
		firstLine.catch(() => undefined); // awaited by the tests that expect a line
		return { child, exited, firstLine };
	}

	test('prints one JSON line (url, tokens, client, seed), serves the API and /__sandbox/stats, stops on SIGTERM', async () => {
		const { child, exited, firstLine } = spawnCli(['--seed', 'demo', '--port', '0']);
		const info = await firstLine;
		expect(info).toMatchObject({
			url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
			accessToken: expect.stringMatching(/^1000\./),
			refreshToken: expect.stringMatching(/^1000\./),
			expiredAccessToken: expect.stringMatching(/^1000\./),
			clientId: 'sandbox-client-id',
			clientSecret: 'sandbox-client-secret',
		});
		expect(info.seed.contactIds).toHaveLength(250);
		const { campaignId, contactIds } = info.seed;
		const res = await fetch(
			`${info.url}/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds.slice(0, 100).join(',')}`,
			{
				method: 'DELETE',
				headers: { Authorization: `Bearer ${info.accessToken}` },
			},
		);
		expect(res.status).toBe(200);
		await res.arrayBuffer();
		const expired = await fetch(`${info.url}/crm/v2/Campaigns/${campaignId}`, {
			headers: { Authorization: `Bearer ${info.expiredAccessToken}` },
		});
		expect(expired.status).toBe(401);
		await expired.arrayBuffer();
		const stats = (await (await fetch(`${info.url}/__sandbox/stats`)).json()) as any;
		expect(stats).toMatchObject({ apiRequests: 2, deleteCalls: 1, relationsRemoved: 100 });
		const linked = (await (
			await fetch(
				`${info.url}/__sandbox/linked?module=Campaigns&id=${campaignId}&relatedList=Contacts`,
			)
		).json()) as any;
		expect(linked.ids).toHaveLength(150);
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	});

	test('exits by itself when its stdin closes (the parent died)', async () => {
		const { child, exited, firstLine } = spawnCli([]);
		await firstLine;
		child.stdin.end();
		expect(await exited).toBe(0);
	});

	test('exits by itself after --max-seconds', async () => {
		const { exited, firstLine } = spawnCli(['--max-seconds', '0.3']);
		await firstLine;
		expect(await exited).toBe(0);
	});

	test('rejects an unknown option with exit code 2', async () => {
		const { exited } = spawnCli(['--nope', '1']);
		expect(await exited).toBe(2);
	});

	test('--page-tokens, --page-window N and --not-linked-answer X set the fault options', async () => {
		const { child, exited, firstLine } = spawnCli([
			'--page-tokens',
			'--page-window',
			'10',
			'--not-linked-answer',
			'success',
		]);
		const info = await firstLine;
		const faults = (await (await fetch(`${info.url}/__sandbox/faults`)).json()) as any;
		expect(faults).toMatchObject({
			pageTokens: true,
			pageWindow: 10,
			notLinkedAnswer: 'success',
		});
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	});

	test('--not-linked-answer with an unknown value exits with code 2', async () => {
		const { exited } = spawnCli(['--not-linked-answer', 'maybe']);
		expect(await exited).toBe(2);
	});
});

const idsOf = (answer: Answer): string[] => answer.body.data.map((r: { id: string }) => r.id);

describe("Zoho's page window (pageWindow, default 2000)", () => {
	const WINDOW_ERROR =
		'{"code":"DISCRETE_PAGINATION_LIMIT_EXCEEDED","details":{"limit":2000},"message":"You can only get the first 2000 records without using page_token param.","status":"error"}';

	test('related records: pages up to record 2,000 are served; page 11 at 200 and page 21 at 100 answer 400 with the exact body', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(2001);
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		const page10 = await get(`${base}?page=10&per_page=200`);
		expect(page10.status).toBe(200);
		expect(idsOf(page10)).toEqual(contactIds.slice(1800, 2000));
		expect(page10.body.info).toEqual({ page: 10, per_page: 200, count: 200, more_records: true });
		expect(page10.body.info).not.toHaveProperty('next_page_token');
		for (const q of ['page=11&per_page=200', 'page=21&per_page=100', 'page=2001&per_page=1']) {
			const answer = await get(`${base}?${q}`);
			expect([q, answer.status]).toEqual([q, 400]);
			expect(answer.text).toBe(WINDOW_ERROR);
			expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
		}
		expectError(await get(`${base}?page=11`), ZOHO_ERRORS.DISCRETE_PAGINATION_LIMIT_EXCEEDED);
		expect(JSON.parse(WINDOW_ERROR)).toEqual({
			...ZOHO_ERRORS.DISCRETE_PAGINATION_LIMIT_EXCEEDED,
			status: 'error',
		});
	});

	test('a page starting before record 2,000 but running past it is clipped there, more_records true', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(2001);
		const answer = await get(`/crm/v2/Campaigns/${campaignId}/Contacts?page=14&per_page=150`);
		expect(idsOf(answer)).toEqual(contactIds.slice(1950, 2000));
		expect(answer.body.info).toEqual({ page: 14, per_page: 150, count: 50, more_records: true });
	});

	test('a small pageWindow models the same on module records and search: clipped, then 400 naming the window', async () => {
		await start({ pageWindow: 10 });
		const deals = sb.addRecords('Deals', 12, (i) => ({ Deal_Name: `Deal ${i}` }));
		const clipped = await get('/crm/v2/Deals?page=4&per_page=3');
		expect(idsOf(clipped)).toEqual([deals[9]]);
		expect(clipped.body.info).toEqual({ page: 4, per_page: 3, count: 1, more_records: true });
		const over = await get('/crm/v2/Deals?page=5&per_page=3');
		expect(over.status).toBe(400);
		expect(over.body).toEqual({
			code: 'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
			details: { limit: 10 },
			message: 'You can only get the first 10 records without using page_token param.',
			status: 'error',
		});
		const found = await get('/crm/v2/Deals/search?word=deal&page=2&per_page=6');
		expect(idsOf(found)).toEqual(deals.slice(6, 10));
		expect(found.body.info.more_records).toBe(true);
		expect((await get('/crm/v2/Deals/search?word=deal&page=3&per_page=5')).body.code).toBe(
			'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
		);
	});

	test('a listing of exactly the window ends with more_records false; past the window is 400 even for a short listing', async () => {
		await start({ pageWindow: 10 });
		sb.addRecords('Deals', 10);
		const last = await get('/crm/v2/Deals?page=4&per_page=3');
		expect(last.body.info).toEqual({ page: 4, per_page: 3, count: 1, more_records: false });
		sb.addRecords('Leads', 2);
		expect((await get('/crm/v2/Leads?page=11&per_page=1')).status).toBe(400);
		expect((await get('/crm/v2/Leads?page=3&per_page=1')).status).toBe(204);
	});

	test('a window 400 costs a credit and counts as a GET like any answered request', async () => {
		await start({ pageWindow: 10, dailyCredits: 5 });
		sb.addRecords('Deals', 3);
		expect((await get('/crm/v2/Deals?page=11&per_page=1')).status).toBe(400);
		expect(sb.stats).toMatchObject({
			getCalls: 1,
			deleteCalls: 0,
			creditsUsed: 1,
			creditsRemaining: 4,
		});
	});

	test('pageWindow must be an integer >= 1', async () => {
		await start();
		expect(() => sb.setFaults({ pageWindow: 0 })).toThrow(/pageWindow/);
		expect(() => sb.setFaults({ pageWindow: 2.5 })).toThrow(/pageWindow/);
		expect(sb.faults.pageWindow).toBe(2000);
	});
});

describe('page tokens (pageTokens)', () => {
	/** Follows next_page_token from the first page; returns every page's answer. */
	async function followTokens(first: string, perPage: number): Promise<Answer[]> {
		const pages = [await get(first)];
		while (pages[pages.length - 1].body?.info?.next_page_token) {
			const t = pages[pages.length - 1].body.info.next_page_token;
			const p = first.split('?')[0];
			pages.push(await get(`${p}?page_token=${encodeURIComponent(t)}&per_page=${perPage}`));
		}
		return pages;
	}

	test('off by default: no token, even when more records follow', async () => {
		await start();
		const { campaignId } = campaignWith(3);
		const answer = await get(`/crm/v2/Campaigns/${campaignId}/Contacts?per_page=2`);
		expect(answer.body.info).toEqual({ page: 1, per_page: 2, count: 2, more_records: true });
	});

	test('on: each answer with more records carries next_page_token and an ISO page_token_expiry; tokens go past the window', async () => {
		await start({ pageTokens: true, pageWindow: 10 });
		const { campaignId, contactIds } = campaignWith(25);
		const pages = await followTokens(`/crm/v2/Campaigns/${campaignId}/Contacts?per_page=4`, 4);
		expect(pages.map((p) => p.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
		expect(pages.flatMap(idsOf)).toEqual(contactIds);
		expect(pages.map((p) => p.body.info.page)).toEqual([1, 2, 3, 4, 5, 6, 7]);
		const [first] = pages;
		expect(first.body.info).toEqual({
			page: 1,
			per_page: 4,
			count: 4,
			more_records: true,
			next_page_token: expect.any(String),
			page_token_expiry: expect.any(String),
		});
		const expiry = Date.parse(first.body.info.page_token_expiry);
		expect(new Date(expiry).toISOString()).toBe(first.body.info.page_token_expiry);
		expect(expiry).toBeGreaterThan(Date.now());
		const last = pages[pages.length - 1].body.info;
		expect(last).toEqual({ page: 7, per_page: 4, count: 1, more_records: false });
		expect(sb.stats.getCalls).toBe(7);
	});

	test('a page clipped by the window gives the token that continues past it', async () => {
		await start({ pageTokens: true, pageWindow: 10 });
		const { campaignId, contactIds } = campaignWith(14);
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		const clipped = await get(`${base}?page=3&per_page=4`);
		expect(idsOf(clipped)).toEqual(contactIds.slice(8, 10));
		expect((await get(`${base}?page=4&per_page=4`)).status).toBe(400);
		const next = await get(`${base}?page_token=${clipped.body.info.next_page_token}`);
		expect(idsOf(next)).toEqual(contactIds.slice(10));
		expect(next.body.info).toEqual({ page: 4, per_page: 200, count: 4, more_records: false });
	});

	test('a token is a cursor: records removed before it do not shift the next page (page numbers do)', async () => {
		await start({ pageTokens: true });
		const { campaignId, contactIds } = campaignWith(30);
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		const page1 = await get(`${base}?page=1&per_page=10`);
		const removed = await del(`${base}?ids=${contactIds.slice(0, 5).join(',')}`);
		expect(removed.status).toBe(200);
		const byToken = await get(`${base}?page_token=${page1.body.info.next_page_token}&per_page=10`);
		expect(idsOf(byToken)).toEqual(contactIds.slice(10, 20));
		const byPage = await get(`${base}?page=2&per_page=10`);
		expect(idsOf(byPage)).toEqual(contactIds.slice(15, 25)); // 10..14 skipped
		// the same token again: still continues after its last record
		expect(
			idsOf(await get(`${base}?page_token=${page1.body.info.next_page_token}&per_page=3`)),
		).toEqual(contactIds.slice(10, 13));
	});

	test('a token whose last record left the listing continues from the index that record had', async () => {
		await start({ pageTokens: true });
		const { campaignId, contactIds } = campaignWith(30);
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		const page1 = await get(`${base}?per_page=10`);
		sb.unlink('Campaigns', campaignId, 'Contacts', contactIds[9]); // page 1's last record
		const next = await get(`${base}?page_token=${page1.body.info.next_page_token}&per_page=10`);
		expect(idsOf(next)).toEqual(contactIds.slice(10, 20));
	});

	test('a token remembers its listing (sort, search word) and works only on it', async () => {
		await start({ pageTokens: true });
		const deals = sb.addRecords('Deals', 5, (i) => ({ Deal_Name: `Deal ${'edcba'[i]}` }));
		const sorted = await get('/crm/v3/Deals?sort_by=Deal_Name&sort_order=asc&per_page=2');
		expect(idsOf(sorted)).toEqual([deals[4], deals[3]]);
		const more = await get(`/crm/v3/Deals?page_token=${sorted.body.info.next_page_token}`);
		expect(idsOf(more)).toEqual([deals[2], deals[1], deals[0]]);
		const found = await get('/crm/v3/Deals/search?word=deal&per_page=4');
		const rest = await get(`/crm/v3/Deals/search?page_token=${found.body.info.next_page_token}`);
		expect(idsOf(rest)).toEqual([deals[4]]);
		const elsewhere = await get(`/crm/v3/Leads?page_token=${found.body.info.next_page_token}`);
		expect(elsewhere.status).toBe(400);
		expect(elsewhere.body).toMatchObject({
			code: 'INVALID_DATA',
			details: { param_name: 'page_token' },
		});
	});

	test('page with page_token: 400 AMBIGUITY_DURING_PROCESSING; an unknown token: 400 INVALID_DATA naming page_token', async () => {
		await start({ pageTokens: true });
		const { campaignId } = campaignWith(3);
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		const first = await get(`${base}?per_page=1`);
		const both = await get(`${base}?page=2&page_token=${first.body.info.next_page_token}`);
		expect(both.status).toBe(400);
		expect(both.text).toBe(
			'{"code":"AMBIGUITY_DURING_PROCESSING","details":{"ambiguity_due_to":["page_token","page"]},"message":"Ambiguity while processing the request","status":"error"}',
		);
		expectError(both, ZOHO_ERRORS.AMBIGUITY_DURING_PROCESSING);
		const unknown = await get(`${base}?page_token=nope`);
		expect(unknown.status).toBe(400);
		expect(unknown.body).toEqual({
			code: 'INVALID_DATA',
			details: { param_name: 'page_token' },
			message: 'invalid data',
			status: 'error',
		});
	});

	test('a token page whose records are all gone answers 204', async () => {
		await start({ pageTokens: true });
		const { campaignId, contactIds } = campaignWith(3);
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		const first = await get(`${base}?per_page=1`);
		for (const id of contactIds.slice(1)) sb.unlink('Campaigns', campaignId, 'Contacts', id);
		expect((await get(`${base}?page_token=${first.body.info.next_page_token}`)).status).toBe(204);
	});
});

describe('what a delink answers for an id that is not linked (notLinkedAnswer)', () => {
	const MISSING = '9999999999999999999';
	const invalidRelated = (id: string) => ({
		code: 'INVALID_DATA',
		details: { id },
		message: 'the related id given seems to be invalid',
		status: 'error',
	});
	const answers = {
		'relation-not-found': notFound,
		success,
		'invalid-data': invalidRelated,
	} as const;

	test.each(Object.entries(answers))(
		'%s: linked, existing-not-linked, missing and other-module ids are answered per id and counted',
		async (mode, notLinked) => {
			await start({ notLinkedAnswer: mode as keyof typeof answers });
			const { campaignId, contactIds } = campaignWith(1);
			const stranger = sb.addRecord('Contacts');
			const lead = sb.addRecord('Leads'); // a record, but not of the Contacts module
			const ids = [contactIds[0], stranger, MISSING, lead];
			const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${ids.join(',')}`);
			expect(answer.status).toBe(207);
			expect(answer.body).toEqual({
				data: [
					success(contactIds[0]),
					notLinked(stranger),
					invalidRelated(MISSING),
					invalidRelated(lead),
				],
			});
			expect(sb.stats).toMatchObject({
				relationsRemoved: 1,
				relationsNotFound: 1,
				invalidRelatedIds: 2,
				deleteCalls: 1,
			});
			expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
		},
	);

	test.each([
		['relation-not-found', 400],
		['success', 200],
		['invalid-data', 400],
	] as const)(
		'%s: only not-linked ids answer %i (body still data[]); with a linked one 200 or 207',
		async (mode, status) => {
			await start({ notLinkedAnswer: mode });
			const { campaignId, contactIds } = campaignWith(1);
			const [x, y] = sb.addRecords('Contacts', 2);
			const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
			const strangers = await del(`${base}?ids=${x},${y}`);
			expect(strangers.status).toBe(status);
			expect(strangers.body.data).toEqual([answers[mode](x), answers[mode](y)]);
			const single = await del(`${base}/${x}`);
			expect([single.status, single.body]).toEqual([status, { data: [answers[mode](x)] }]);
			const mixed = await del(`${base}?ids=${contactIds[0]},${y}`);
			expect(mixed.status).toBe(mode === 'success' ? 200 : 207);
			expectError(
				await del(`${base}?ids=${MISSING}`).then((a) => ({ ...a, body: a.body.data[0] })),
				{ ...ZOHO_ERRORS.INVALID_DATA, details: { id: MISSING } },
			);
		},
	);

	test('a missing id alone: 400 with per-id INVALID_DATA "the related id given seems to be invalid", in every mode', async () => {
		await start({ notLinkedAnswer: 'success' });
		const { campaignId } = campaignWith(0);
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts/${MISSING}`);
		expect([answer.status, answer.body]).toEqual([400, { data: [invalidRelated(MISSING)] }]);
		expect(sb.stats).toMatchObject({ invalidRelatedIds: 1, relationsNotFound: 0 });
	});

	test('an unknown notLinkedAnswer is refused', async () => {
		await start();
		expect(() => sb.setFaults({ notLinkedAnswer: 'ok' as never })).toThrow(/notLinkedAnswer/);
		expect(sb.setFaults({ notLinkedAnswer: 'success' }).notLinkedAnswer).toBe('success');
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

describe('failNext dropAfterApply: the work is done, the answer is lost', () => {
	test('a delink is applied, the credit used, and the socket destroyed unanswered; the next call is normal', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(2);
		sb.failNext(1, { dropAfterApply: true });
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		await expect(del(`${base}?ids=${contactIds[0]}`)).rejects.toThrow();
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(false);
		expect(sb.requests[0]).toMatchObject({ status: 0, dropped: true });
		expect((await del(`${base}?ids=${contactIds[1]}`)).status).toBe(200);
		expect(sb.stats).toMatchObject({
			droppedAfterApply: 1,
			injectedFailures: 1,
			creditsUsed: 2,
			deleteCalls: 2,
			relationsRemoved: 2,
		});
	});

	test('drop: true still drops BEFORE the work', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(1);
		sb.failNext(1, { drop: true });
		await expect(
			del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`),
		).rejects.toThrow();
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(true);
		expect(sb.stats).toMatchObject({ droppedAfterApply: 0, relationsRemoved: 0, deleteCalls: 1 });
	});

	test('via POST /__sandbox/fail-next { n, after, dropAfterApply }', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(3);
		const queued = await fetch(`${sb.url}/__sandbox/fail-next`, {
			method: 'POST',
			body: JSON.stringify({ n: 1, after: 1, dropAfterApply: true }),
		});
		expect(await queued.json()).toEqual({ queued: 2 });
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		expect((await del(`${base}/${contactIds[0]}`)).status).toBe(200);
		await expect(del(`${base}/${contactIds[1]}`)).rejects.toThrow();
		expect((await del(`${base}/${contactIds[2]}`)).status).toBe(200);
		expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
		expect(sb.requests.map((r) => r.status)).toEqual([200, 0, 200]);
	});
});

describe('deterministic token expiry and revocation', () => {
	test('expireAccessTokensAfter(n): n calls pass, the (n+1)-th answers 401 INVALID_TOKEN; a refreshed token works', async () => {
		await start();
		const pair = sb.issueTokens();
		token = pair.access_token;
		const c = sb.addRecord('Campaigns');
		sb.expireAccessTokensAfter(2);
		expect((await get(`/crm/v2/Campaigns/${c}`)).status).toBe(200);
		expect((await get(`/crm/v2/Campaigns/${c}`)).status).toBe(200);
		expectError(await get(`/crm/v2/Campaigns/${c}`), ZOHO_ERRORS.INVALID_TOKEN);
		expectError(await get(`/crm/v2/Campaigns/${c}`), ZOHO_ERRORS.INVALID_TOKEN);
		const refreshed = await fetch(`${sb.url}/oauth/v2/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'refresh_token',
				refresh_token: pair.refresh_token,
				client_id: sb.clientId,
				client_secret: sb.clientSecret,
			}).toString(),
		});
		token = ((await refreshed.json()) as any).access_token;
		expect((await get(`/crm/v2/Campaigns/${c}`)).status).toBe(200);
		expect(sb.stats).toMatchObject({ authFailures: 2, getCalls: 5, tokenRefreshes: 1 });
	});

	test('n = 0 expires at the very next API request; tokens issued afterwards are valid', async () => {
		await start();
		const c = sb.addRecord('Campaigns');
		sb.expireAccessTokensAfter(0);
		const before = sb.issueTokens().access_token; // issued before the request: expires too
		expectError(await get(`/crm/v2/Campaigns/${c}`), ZOHO_ERRORS.INVALID_TOKEN);
		expectError(
			await get(`/crm/v2/Campaigns/${c}`, { auth: `Bearer ${before}` }),
			ZOHO_ERRORS.INVALID_TOKEN,
		);
		token = sb.issueTokens().access_token;
		expect((await get(`/crm/v2/Campaigns/${c}`)).status).toBe(200);
		expect(() => sb.expireAccessTokensAfter(-1)).toThrow();
	});

	test('the n requests that arrived before keep authenticating even while still in flight', async () => {
		await start({ latencyMs: 50 });
		const c = sb.addRecord('Campaigns');
		sb.expireAccessTokensAfter(1);
		const answers = await Promise.all([
			get(`/crm/v2/Campaigns/${c}`),
			get(`/crm/v2/Campaigns/${c}`),
		]);
		expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
		expect(sb.requests.map((r) => [r.seq, r.status])).toEqual([
			[1, 200],
			[2, 401],
		]);
	});

	test('via POST /__sandbox/expire-tokens-after { n }', async () => {
		await start();
		const c = sb.addRecord('Campaigns');
		await fetch(`${sb.url}/__sandbox/expire-tokens-after`, {
			method: 'POST',
			body: JSON.stringify({ n: 1 }),
		});
		expect((await get(`/crm/v2/Campaigns/${c}`)).status).toBe(200);
		expectError(await get(`/crm/v2/Campaigns/${c}`), ZOHO_ERRORS.INVALID_TOKEN);
	});

	test('revokeRefreshTokens: API 401, refresh answers {error: invalid_code} with oauthErrorStatus (200 like Zoho)', async () => {
		await start({ oauthErrorStatus: 200 });
		const pair = sb.issueTokens();
		const c = sb.addRecord('Campaigns');
		sb.revokeRefreshTokens();
		expectError(
			await get(`/crm/v2/Campaigns/${c}`, { auth: `Bearer ${pair.access_token}` }),
			ZOHO_ERRORS.INVALID_TOKEN,
		);
		const refresh = await fetch(`${sb.url}/oauth/v2/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'refresh_token',
				refresh_token: pair.refresh_token,
				client_id: sb.clientId,
				client_secret: sb.clientSecret,
			}).toString(),
		});
		expect([refresh.status, await refresh.json()]).toEqual([200, { error: 'invalid_code' }]);
		expect(sb.stats).toMatchObject({ tokenRefreshFailures: 1, tokenRefreshes: 0 });
		token = sb.issueTokens().access_token; // a new connection works
		expect((await get(`/crm/v2/Campaigns/${c}`)).status).toBe(200);
	});

	test('via POST /__sandbox/revoke-refresh-tokens', async () => {
		await start();
		const c = sb.addRecord('Campaigns');
		await fetch(`${sb.url}/__sandbox/revoke-refresh-tokens`, { method: 'POST' });
		expectError(await get(`/crm/v2/Campaigns/${c}`), ZOHO_ERRORS.INVALID_TOKEN);
	});
});

describe('onApiRequest: lists that change during a run', () => {
	test('after the 2nd GET, 5 new contacts are linked: later pages see them', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(10);
		const extra = sb.addRecords('Contacts', 5);
		let gets = 0;
		const off = sb.onApiRequest((entry, sandbox) => {
			if (entry.method !== 'GET') return;
			gets += 1;
			if (gets === 2) sandbox.link('Campaigns', campaignId, 'Contacts', extra);
		});
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		const pages: Answer[] = [];
		for (let page = 1; page === 1 || pages[pages.length - 1].body.info.more_records; page++)
			pages.push(await get(`${base}?page=${page}&per_page=4`));
		expect(pages.flatMap(idsOf)).toEqual([...contactIds, ...extra]);
		expect(pages[1].body.info.more_records).toBe(true); // the 2nd answer already counts them
		expect(gets).toBe(4);
		off();
		await get(base);
		expect(gets).toBe(4);
	});

	test('the hook sees the log entry (method, path, query, status about to be sent) after the work', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(2);
		const seen: Array<[string, string, Record<string, string>, number | null, boolean]> = [];
		sb.onApiRequest((entry, sandbox) => {
			seen.push([entry.method, entry.path, { ...entry.query }, entry.status, entry.dropped]);
			// the work is already applied when the hook runs
			if (entry.method === 'DELETE')
				expect(sandbox.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(false);
		});
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		sb.failNext(1, { dropAfterApply: true }, { after: 1 });
		await del(`${base}?ids=${contactIds[0]}`);
		await expect(get(`${base}?per_page=1`)).rejects.toThrow();
		expect(seen).toEqual([
			['DELETE', base, { ids: contactIds[0] }, 200, false],
			['GET', base, { per_page: '1' }, 0, true],
		]);
	});

	test('a hook that throws turns the answer into a text 500', async () => {
		await start();
		sb.onApiRequest(() => {
			throw new Error('boom');
		});
		const answer = await get('/crm/v2/Leads');
		expect(answer.status).toBe(500);
		expect(answer.text).toMatch(/onApiRequest hook threw: Error: boom/);
	});
});

describe('POST /__sandbox/unlink', () => {
	test('unlinks the given ids and answers the ids still linked and how many were removed', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(3);
		const stranger = sb.addRecord('Contacts');
		const res = await fetch(`${sb.url}/__sandbox/unlink`, {
			method: 'POST',
			body: JSON.stringify({
				module: 'Campaigns',
				id: campaignId,
				relatedList: 'Contacts',
				relatedIds: [contactIds[0], contactIds[2], stranger],
			}),
		});
		expect(await res.json()).toEqual({ ids: [contactIds[1]], removed: 2 });
		expect(sb.isLinked('Contacts', contactIds[0], 'Campaigns', campaignId)).toBe(false);
		const bad = await fetch(`${sb.url}/__sandbox/unlink`, {
			method: 'POST',
			body: JSON.stringify({
				module: 'Campaigns',
				id: campaignId,
				relatedList: 'Deals',
				relatedIds: '1',
			}),
		});
		expect(bad.status).toBe(400);
		expect(sb.stats.apiRequests).toBe(0);
	});
});

const put = (p: string, body: unknown, init: Parameters<typeof call>[2] = {}) =>
	call('PUT', p, {
		...init,
		headers: { 'Content-Type': 'application/json', ...init.headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
const updated = (id: string) => ({
	code: 'SUCCESS',
	details: { id },
	message: 'relation updated',
	status: 'success',
});
const invalidRelatedId = (id: string) => ({
	code: 'INVALID_DATA',
	details: { id },
	message: 'the related id given seems to be invalid',
	status: 'error',
});
const wrongType = (api_name: string, expected_data_type: string) => ({
	code: 'INVALID_DATA',
	details: { api_name, expected_data_type },
	message: 'invalid data',
	status: 'error',
});
const MISSING_ID = '9999999999999999999';

describe('relation data on links: sb.link(..., data), sb.relationData', () => {
	beforeEach(() => start());

	test('one object for every id, or a function of (relatedId, index); the same from either end', () => {
		const campaign = sb.addRecord('Campaigns');
		const leads = sb.addRecords('Leads', 2);
		sb.link('Campaigns', campaign, 'Leads', leads, { Member_Status: 'Planning' });
		expect(leads.map((l) => sb.relationData('Leads', l, 'Campaigns', campaign))).toEqual([
			{ Member_Status: 'Planning' },
			{ Member_Status: 'Planning' },
		]);
		const product = sb.addRecord('Products');
		const books = sb.addRecords('Price_Books', 3);
		const seen: Array<[string, number]> = [];
		sb.link('Products', product, 'Price_Books', books, (rid, i) => {
			seen.push([rid, i]);
			return i === 2 ? undefined : { list_price: 10.5 * (i + 1) };
		});
		expect(seen).toEqual(books.map((b, i) => [b, i]));
		expect(books.map((b) => sb.relationData('Price_Books', b, 'Products', product))).toEqual([
			{ list_price: 10.5 },
			{ list_price: 21 },
			{},
		]);
		const copy = sb.relationData('Products', product, 'Price_Books', books[0]) ?? {};
		copy.list_price = 1; // a copy: the link keeps its data
		expect(sb.relationData('Products', product, 'Price_Books', books[0])).toEqual({
			list_price: 10.5,
		});
	});

	test('linking again keeps the place and merges the data (null clears a field)', () => {
		const campaign = sb.addRecord('Campaigns');
		const [a, b] = sb.addRecords('Contacts', 2);
		sb.link('Campaigns', campaign, 'Contacts', [a, b], { Member_Status: 'Sent' });
		sb.link('Contacts', a, 'Campaigns', campaign, { Member_Status: 'Active' });
		expect(sb.linkedIds('Campaigns', campaign, 'Contacts')).toEqual([a, b]);
		expect(sb.relationData('Campaigns', campaign, 'Contacts', a)).toEqual({
			Member_Status: 'Active',
		});
		sb.link('Campaigns', campaign, 'Contacts', b);
		expect(sb.relationData('Campaigns', campaign, 'Contacts', b)).toEqual({
			Member_Status: 'Sent',
		});
		sb.link('Campaigns', campaign, 'Contacts', b, { Member_Status: null });
		expect(sb.relationData('Campaigns', campaign, 'Contacts', b)).toEqual({});
	});

	test('undefined when not linked; unlink, a delink and a record deletion drop the data', async () => {
		const campaign = sb.addRecord('Campaigns');
		const [a, b, c] = sb.addRecords('Leads', 3);
		expect(sb.relationData('Campaigns', campaign, 'Leads', a)).toBeUndefined();
		sb.link('Campaigns', campaign, 'Leads', [a, b, c], { Member_Status: 'Invited' });
		sb.unlink('Leads', a, 'Campaigns', campaign);
		expect(sb.relationData('Campaigns', campaign, 'Leads', a)).toBeUndefined();
		expect((await del(`/crm/v3/Campaigns/${campaign}/Leads/${b}`)).status).toBe(200);
		expect(sb.relationData('Leads', b, 'Campaigns', campaign)).toBeUndefined();
		expect((await del(`/crm/v2/Leads?ids=${c}`)).status).toBe(200); // the record itself
		// relinking starts without data: Zoho makes the caller send it again
		sb.link('Campaigns', campaign, 'Leads', [a, b]);
		expect(sb.relationData('Campaigns', campaign, 'Leads', a)).toEqual({});
		expect(sb.relationData('Campaigns', campaign, 'Leads', b)).toEqual({});
	});

	test('a field that is no relation field of the pair, or a value of the wrong type, throws', () => {
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		const product = sb.addRecord('Products');
		const book = sb.addRecord('Price_Books');
		const deal = sb.addRecord('Deals');
		expect(() => sb.link('Campaigns', campaign, 'Leads', lead, { list_price: 3 } as never)).toThrow(
			/"list_price" is no relation field of Campaigns <-> Leads \(Member_Status\)/,
		);
		expect(() => sb.link('Products', product, 'Deals', deal, { list_price: 3 })).toThrow(
			/\(none\)/,
		);
		expect(() =>
			sb.link('Products', product, 'Price_Books', book, { list_price: '3' } as never),
		).toThrow(/list_price takes a number/);
		expect(() =>
			sb.link('Campaigns', campaign, 'Leads', lead, { Member_Status: 1 } as never),
		).toThrow(/Member_Status takes a string/);
		expect(() => sb.link('Campaigns', campaign, 'Leads', lead, 'x' as never)).toThrow(/object/);
		expect(sb.isLinked('Campaigns', campaign, 'Leads', lead)).toBe(false);
		expect(() => sb.relationData('Campaigns', campaign, 'Deals', deal)).toThrow(/no related list/);
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

describe('Update Related Records (link) under faults', () => {
	const linkBody = (id: string) => ({ data: [{ id, Member_Status: 'Active' }] });

	test('failNext: the canned answer and nothing linked; then normal service', async () => {
		await start();
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		sb.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
		const p = `/crm/v2/Campaigns/${campaign}/Leads`;
		expectError(await put(p, linkBody(lead)), ZOHO_ERRORS.NO_PERMISSION);
		expect(sb.isLinked('Campaigns', campaign, 'Leads', lead)).toBe(false);
		expect((await put(p, linkBody(lead))).status).toBe(200);
		expect(sb.stats).toMatchObject({ injectedFailures: 1, putCalls: 2, relationsLinked: 1 });
	});

	test('failNext dropAfterApply: linked (data set), credit used, the socket destroyed unanswered', async () => {
		await start();
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		sb.failNext(1, { dropAfterApply: true });
		await expect(put(`/crm/v2/Campaigns/${campaign}/Leads`, linkBody(lead))).rejects.toThrow();
		expect(sb.relationData('Campaigns', campaign, 'Leads', lead)).toEqual({
			Member_Status: 'Active',
		});
		expect(sb.requests[0]).toMatchObject({ method: 'PUT', status: 0, dropped: true });
		expect(sb.stats).toMatchObject({ droppedAfterApply: 1, creditsUsed: 1, relationsLinked: 1 });
	});

	test('dropAfterApplyRate 1 applies to PUT as to DELETE', async () => {
		await start({ dropAfterApplyRate: 1 });
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		await expect(
			put(`/crm/v2/Campaigns/${campaign}/Leads/${lead}`, { data: [{ Member_Status: 'Sent' }] }),
		).rejects.toThrow();
		expect(sb.relationData('Leads', lead, 'Campaigns', campaign)).toEqual({
			Member_Status: 'Sent',
		});
		expect(sb.stats.droppedAfterApply).toBe(1);
		expect((await get(`/crm/v2/Leads/${lead}`)).status).toBe(200); // reads are never dropped
	});

	test('malformedJsonRate 1: linked, the answer cut short', async () => {
		await start({ malformedJsonRate: 1 });
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		const answer = await put(`/crm/v2/Campaigns/${campaign}/Leads`, linkBody(lead));
		expect(answer.status).toBe(200);
		expect(() => JSON.parse(answer.text)).toThrow();
		expect(sb.isLinked('Campaigns', campaign, 'Leads', lead)).toBe(true);
	});

	test('errorRate and htmlErrorRate 1: nothing linked', async () => {
		for (const faults of [{ errorRate: 1 }, { htmlErrorRate: 1 }]) {
			await start(faults);
			const campaign = sb.addRecord('Campaigns');
			const lead = sb.addRecord('Leads');
			const answer = await put(`/crm/v2/Campaigns/${campaign}/Leads`, linkBody(lead));
			expect([500, 502, 503]).toContain(answer.status);
			expect(sb.isLinked('Campaigns', campaign, 'Leads', lead)).toBe(false);
			await sb.close();
		}
	});

	test('latency and the concurrency cap: a PUT arriving while one is in flight gets 429, not linked', async () => {
		await start({ latencyMs: 200, maxConcurrent: 1 });
		const campaign = sb.addRecord('Campaigns');
		const [a, b] = sb.addRecords('Leads', 2);
		const p = `/crm/v2/Campaigns/${campaign}/Leads`;
		const t0 = Date.now();
		const first = put(p, linkBody(a));
		await new Promise((r) => setTimeout(r, 50));
		const second = await put(p, linkBody(b));
		expectError(second, ZOHO_ERRORS.TOO_MANY_REQUESTS);
		expect((await first).status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
		expect(sb.linkedIds('Campaigns', campaign, 'Leads')).toEqual([a]);
		expect(sb.stats).toMatchObject({ putCalls: 2, rejectedConcurrency: 1 });
	});

	test('echoAuthorization reaches per-entry errors of a PUT; onApiRequest sees the PUT after the work', async () => {
		await start({ echoAuthorization: true });
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		const seen: Array<[string, number | null, boolean]> = [];
		sb.onApiRequest((entry, sandbox) => {
			seen.push([
				entry.method,
				entry.status,
				sandbox.isLinked('Leads', lead, 'Campaigns', campaign),
			]);
		});
		const answer = await put(`/crm/v2/Campaigns/${campaign}/Leads`, {
			data: [{ id: lead }, { id: MISSING_ID }],
		});
		expect(answer.body.data[1].details).toEqual({
			id: MISSING_ID,
			authorization: `Zoho-oauthtoken ${token}`,
		});
		expect(answer.body.data[0].details).toEqual({ id: lead });
		expect(seen).toEqual([['PUT', 207, true]]);
	});
});

describe('Appointments__s <-> Services__s (API v3 and later)', () => {
	beforeEach(() => start());

	test('records with default names; linked both ways with no relation fields', () => {
		const appointment = sb.addRecord('Appointments__s');
		const service = sb.addRecord('Services__s');
		expect(sb.getRecord('Appointments__s', appointment)).toMatchObject({
			Appointment_Name: 'Appointment 1',
		});
		expect(sb.getRecord('Services__s', service)).toMatchObject({ Service_Name: 'Service 1' });
		sb.link('Services__s', service, 'Appointments__s', appointment);
		expect(sb.linkedIds('Appointments__s', appointment, 'Services__s')).toEqual([service]);
		expect(sb.relationData('Appointments__s', appointment, 'Services__s', service)).toEqual({});
		expect(() =>
			sb.link('Services__s', service, 'Appointments__s', appointment, { Member_Status: 'x' }),
		).toThrow(/no relation field/);
		expect(() => sb.link('Campaigns', sb.addRecord('Campaigns'), 'Services__s', service)).toThrow(
			/no related list/,
		);
	});

	test('v3 to v8: GET, PUT and DELETE from either end; relation fields sent are ignored', async () => {
		const appointment = sb.addRecord('Appointments__s');
		const services = sb.addRecords('Services__s', 6);
		const versions = ['v3', 'v4', 'v5', 'v6', 'v7', 'v8'];
		for (const [i, v] of versions.entries()) {
			const answer = await put(`/crm/${v}/Appointments__s/${appointment}/Services__s`, {
				data: [{ id: services[i], Member_Status: 'Active' }],
			});
			expect([v, answer.status, answer.body]).toEqual([v, 200, { data: [updated(services[i])] }]);
		}
		expect(sb.relationData('Services__s', services[0], 'Appointments__s', appointment)).toEqual({});
		const listed = await get(
			`/crm/v3/Appointments__s/${appointment}/Services__s?fields=Service_Name`,
		);
		expect(listed.body.data).toEqual(
			services.map((id, i) => ({ id, Service_Name: `Service ${i + 1}` })),
		);
		const back = await get(`/crm/v8/Services__s/${services[1]}/Appointments__s`);
		expect(idsOf(back)).toEqual([appointment]);
		const single = await put(`/crm/v4/Services__s/${services[0]}/Appointments__s/${appointment}`, {
			data: [{}],
		});
		expect([single.status, single.body]).toEqual([200, { data: [updated(appointment)] }]);
		for (const [i, v] of versions.entries()) {
			const p =
				i % 2 === 0
					? `/crm/${v}/Appointments__s/${appointment}/Services__s?ids=${services[i]}`
					: `/crm/${v}/Services__s/${services[i]}/Appointments__s/${appointment}`;
			expect([v, (await del(p)).status]).toEqual([v, 200]);
		}
		expect(sb.linkedIds('Appointments__s', appointment, 'Services__s')).toEqual([]);
		expect(sb.stats).toMatchObject({
			relationsLinked: 6,
			relationsUpdated: 1,
			relationsRemoved: 6,
		});
	});

	test('v2 and v2.1: any request naming either module answers 400 INVALID_MODULE', async () => {
		const appointment = sb.addRecord('Appointments__s');
		const service = sb.addRecord('Services__s');
		sb.link('Appointments__s', appointment, 'Services__s', service);
		const settings = sb.issueTokens({ scope: 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL' });
		token = settings.access_token;
		for (const v of ['v2', 'v2.1']) {
			for (const [method, p] of [
				['GET', `/crm/${v}/Appointments__s`],
				['GET', `/crm/${v}/Services__s?ids=${service}`],
				['GET', `/crm/${v}/Services__s/search?word=x`],
				['GET', `/crm/${v}/Appointments__s/${appointment}`],
				['GET', `/crm/${v}/Appointments__s/${appointment}/Services__s`],
				['DELETE', `/crm/${v}/Services__s/${service}/Appointments__s?ids=${appointment}`],
				['DELETE', `/crm/${v}/Appointments__s/${appointment}/Services__s/${service}`],
				['PUT', `/crm/${v}/Appointments__s/${appointment}/Services__s/${service}`],
				['DELETE', `/crm/${v}/Campaigns/1/Services__s?ids=1`],
				['GET', `/crm/${v}/settings/related_lists?module=Services__s`],
			]) {
				const answer = await call(method, p, {
					body: method === 'PUT' ? '{"data":[{}]}' : undefined,
				});
				expect([method, p, answer.status, answer.body.code]).toEqual([
					method,
					p,
					400,
					'INVALID_MODULE',
				]);
			}
		}
		expect(sb.isLinked('Appointments__s', appointment, 'Services__s', service)).toBe(true);
		// v3: an unsupported pair is a wrong URL, as for the other modules
		expectError(
			await del(`/crm/v3/Campaigns/1/Services__s?ids=1`),
			ZOHO_ERRORS.INVALID_URL_PATTERN,
		);
	});

	test('scope names appointments and services', async () => {
		const appointment = sb.addRecord('Appointments__s');
		const service = sb.addRecord('Services__s');
		const body = { data: [{}] };
		const apptToken = sb.issueTokens({ scope: 'ZohoCRM.modules.appointments.UPDATE' }).access_token;
		const p = `/crm/v3/Appointments__s/${appointment}/Services__s/${service}`;
		expect((await put(p, body, { auth: `Bearer ${apptToken}` })).status).toBe(200);
		const svcToken = sb.issueTokens({ scope: 'ZohoCRM.modules.services.DELETE' }).access_token;
		expectError(await del(p, { auth: `Bearer ${svcToken}` }), ZOHO_ERRORS.OAUTH_SCOPE_MISMATCH);
		const q = `/crm/v3/Services__s/${service}/Appointments__s/${appointment}`;
		expect((await del(q, { auth: `Bearer ${svcToken}` })).status).toBe(200);
		const reader = sb.issueTokens({ scope: 'ZohoCRM.modules.services.READ' }).access_token;
		expect((await get(`/crm/v3/Services__s/${service}`, { auth: `Bearer ${reader}` })).status).toBe(
			200,
		);
	});

	test('settings/related_lists (v3+) lists them with Zoho-style labels', async () => {
		token = sb.issueTokens({ scope: 'ZohoCRM.settings.related_lists.READ' }).access_token;
		const appointments = await get('/crm/v3/settings/related_lists?module=Appointments__s');
		expect(appointments.body.related_lists).toEqual([
			expect.objectContaining({
				api_name: 'Services__s',
				display_label: 'Services',
				href: 'Appointments__s/{ENTITYID}/Services__s',
				module: { api_name: 'Services__s' },
			}),
		]);
		const services = await get('/crm/v8/settings/related_lists?module=Services__s');
		expect(services.body.related_lists.map((r: { api_name: string }) => r.api_name)).toEqual([
			'Appointments__s',
		]);
		const books = await get('/crm/v2/settings/related_lists?module=Price_Books');
		expect(books.body.related_lists[0]).toMatchObject({
			api_name: 'Products',
			display_label: 'Products',
		});
	});
});

describe('/__sandbox/link with data, /__sandbox/relation', () => {
	test('data for every id, dataById merged over it; relation answers {linked, data}', async () => {
		await start();
		const campaign = sb.addRecord('Campaigns');
		const [a, b] = sb.addRecords('Contacts', 2);
		const res = await fetch(`${sb.url}/__sandbox/link`, {
			method: 'POST',
			body: JSON.stringify({
				module: 'Campaigns',
				id: campaign,
				relatedList: 'Contacts',
				relatedIds: [a, b],
				data: { Member_Status: 'Planning' },
				dataById: { [b]: { Member_Status: 'Active' } },
			}),
		});
		expect(await res.json()).toEqual({ ids: [a, b] });
		const relation = async (q: Record<string, string>) => {
			const r = await fetch(`${sb.url}/__sandbox/relation?${new URLSearchParams(q)}`);
			return [r.status, await r.json()];
		};
		const q = { module: 'Contacts', relatedList: 'Campaigns', relatedId: campaign };
		expect(await relation({ ...q, id: a })).toEqual([
			200,
			{ linked: true, data: { Member_Status: 'Planning' } },
		]);
		expect(await relation({ ...q, id: b })).toEqual([
			200,
			{ linked: true, data: { Member_Status: 'Active' } },
		]);
		const stranger = sb.addRecord('Contacts');
		expect(await relation({ ...q, id: stranger })).toEqual([200, { linked: false, data: null }]);
		const [status] = await relation({ ...q, relatedList: 'Deals', id: a });
		expect(status).toBe(400);

		const bad = async (extra: Record<string, unknown>) =>
			(
				await fetch(`${sb.url}/__sandbox/link`, {
					method: 'POST',
					body: JSON.stringify({
						module: 'Campaigns',
						id: campaign,
						relatedList: 'Contacts',
						relatedIds: stranger,
						...extra,
					}),
				})
			).status;
		expect(await bad({ data: 'Active' })).toBe(400);
		expect(await bad({ dataById: [] })).toBe(400);
		expect(await bad({ data: { list_price: 1 } })).toBe(400);
		expect(sb.isLinked('Campaigns', campaign, 'Contacts', stranger)).toBe(false);
		expect(await bad({})).toBe(200);
		expect(sb.relationData('Campaigns', campaign, 'Contacts', stranger)).toEqual({});
		expect(sb.stats.apiRequests).toBe(0);
	});
});

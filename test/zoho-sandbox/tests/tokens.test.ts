/**
 * Access tokens on the API: the two Authorization schemes, 401 for missing, unknown, expired or
 * revoked tokens, scopes per module and operation, and the deterministic expiry
 * (expireAccessTokensAfter) and revocation (revokeRefreshTokens) that tests steer.
 */
import { ZOHO_ERRORS } from '../index';
import { sb, token, start, setToken, del, get, expectError, campaignWith } from './helpers';

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

describe('deterministic token expiry and revocation', () => {
	test('expireAccessTokensAfter(n): n calls pass, the (n+1)-th answers 401 INVALID_TOKEN; a refreshed token works', async () => {
		await start();
		const pair = sb.issueTokens();
		setToken(pair.access_token);
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
		setToken(((await refreshed.json()) as any).access_token);
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
		setToken(sb.issueTokens().access_token);
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
		setToken(sb.issueTokens().access_token); // a new connection works
		expect((await get(`/crm/v2/Campaigns/${c}`)).status).toBe(200);
	});

	test('via POST /__sandbox/revoke-refresh-tokens', async () => {
		await start();
		const c = sb.addRecord('Campaigns');
		await fetch(`${sb.url}/__sandbox/revoke-refresh-tokens`, { method: 'POST' });
		expectError(await get(`/crm/v2/Campaigns/${c}`), ZOHO_ERRORS.INVALID_TOKEN);
	});
});

/**
 * The OAuth accounts server under /oauth/v2/: the auto-approving auth endpoint, code and refresh
 * grants, client checks, scopes kept through refreshes, strictOfflineAccess, revocation, and
 * OAuth requests logged apart, free of credits and never faulted.
 */
import { ZOHO_ERRORS } from '../index';
import { sb, start, del, get, expectError, campaignWith } from './helpers';

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

/** Base URL per data centre and environment, and the credential's hidden OAuth URLs. */
import { ZohoCrmOAuth2Api } from '../../credentials/ZohoCrmOAuth2Api.credentials';
import { ZOHO_DATA_CENTERS } from '../../nodes/ZohoCrmRelatedRecords/zoho/dataCenters';
import { apiBaseUrl } from '../../nodes/ZohoCrmRelatedRecords/zoho/transport';
import { resolveCredential } from '../helpers/credentials';

const seedDataCenters = {
	us: ['accounts.zoho.com', 'www.zohoapis.com'],
	eu: ['accounts.zoho.eu', 'www.zohoapis.eu'],
	in: ['accounts.zoho.in', 'www.zohoapis.in'],
	au: ['accounts.zoho.com.au', 'www.zohoapis.com.au'],
	cn: ['accounts.zoho.com.cn', 'www.zohoapis.com.cn'],
	jp: ['accounts.zoho.jp', 'www.zohoapis.jp'],
	ca: ['accounts.zohocloud.ca', 'www.zohoapis.ca'],
	sa: ['accounts.zoho.sa', 'www.zohoapis.sa'],
};

describe.each(Object.entries(seedDataCenters))('data centre %s', (dc, [accounts, api]) => {
	test('OAuth URLs point at its accounts server', () => {
		const c = resolveCredential({ dataCenter: dc });
		expect(c.authUrl).toBe(`https://${accounts}/oauth/v2/auth`);
		expect(c.accessTokenUrl).toBe(`https://${accounts}/oauth/v2/token`);
	});

	test.each([
		['production', `https://${api}`],
		['sandbox', `https://${api.replace('www.', 'sandbox.')}`],
		['developer', `https://${api.replace('www.', 'developer.')}`],
	])('%s without api_domain uses %s', (environment, expected) => {
		expect(apiBaseUrl({ dataCenter: dc, environment })).toBe(expected);
	});
});

test('every data centre of the table has distinct hosts, and CA is zohocloud.ca', () => {
	expect(new Set(ZOHO_DATA_CENTERS.map((d) => d.accountsHost)).size).toBe(ZOHO_DATA_CENTERS.length);
	expect(ZOHO_DATA_CENTERS.find((d) => d.value === 'ca')?.accountsHost).toBe(
		'accounts.zohocloud.ca',
	);
});

test('the api_domain Zoho returned with the token wins over the data centre', () => {
	const creds = {
		dataCenter: 'us',
		environment: 'production',
		oauthTokenData: { api_domain: 'https://www.zohoapis.eu' },
	};
	expect(apiBaseUrl(creds)).toBe('https://www.zohoapis.eu');
	expect(apiBaseUrl({ ...creds, environment: 'sandbox' })).toBe('https://sandbox.zohoapis.eu');
});

test('custom data centre: URLs as entered, trailing slash trimmed, environment untouched', () => {
	const c = resolveCredential({
		dataCenter: 'custom',
		customAccountsServer: 'http://127.0.0.1:9/',
		environment: 'sandbox',
	});
	expect(c.accessTokenUrl).toBe('http://127.0.0.1:9/oauth/v2/token');
	expect(
		apiBaseUrl({
			dataCenter: 'custom',
			customApiDomain: 'http://127.0.0.1:9',
			environment: 'sandbox',
		}),
	).toBe('http://127.0.0.1:9');
});

test('an API domain that is not http(s) is refused with a fix', () => {
	expect(() => apiBaseUrl({ dataCenter: 'custom', customApiDomain: 'file:///etc/passwd' })).toThrow(
		/not an http\(s\) URL/,
	);
	expect(() => apiBaseUrl({ dataCenter: 'custom', customApiDomain: '' })).toThrow(
		/not an http\(s\) URL/,
	);
});

test('credential: offline access with consent, client credentials in the body, default scope', () => {
	const c = resolveCredential({ dataCenter: 'eu' });
	expect(c.authQueryParameters).toBe('access_type=offline&prompt=consent');
	expect(c.authentication).toBe('body');
	expect(c.grantType).toBe('authorizationCode');
	expect(c.scope).toBe('ZohoCRM.modules.ALL');
	const type = new ZohoCrmOAuth2Api();
	expect(type.name).toBe('zohoCrmOAuth2Api');
	expect(type.extends).toEqual(['oAuth2Api']);
	const visible = type.properties.filter((p) => p.type !== 'hidden').map((p) => p.name);
	expect(visible).toEqual(
		expect.arrayContaining([
			'dataCenter',
			'environment',
			'scope',
			'customAccountsServer',
			'customApiDomain',
		]),
	);
});

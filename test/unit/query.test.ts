/**
 * The node builds each call's query string itself (zoho/call.ts) instead of handing `qs` to n8n;
 * on the wire it must be exactly what n8n's own serializer (qs, as n8n-core configures it) sends.
 */
import { queryString, type ZohoQuery } from '../../nodes/ZohoCrmRelatedRecords/zoho/call';

const { stringify } = jest.requireActual<{
	stringify: (params: object, options: object) => string;
}>('qs');

/** What n8n-core's axios paramsSerializer makes of `qs`, with the `?` axios puts before it. */
function n8nQuery(params: ZohoQuery): string {
	const text = stringify(params, { arrayFormat: 'indices' });
	return text ? `?${text}` : '';
}

const ids = Array.from({ length: 100 }, (_, i) => String(3652397000000000000n + BigInt(i)));

const cases: Array<[string, ZohoQuery]> = [
	['100 ids', { ids: ids.join(',') }],
	['ids and fields', { ids: ids.slice(0, 3).join(','), fields: 'id' }],
	['a page', { page: 3, per_page: 200, fields: 'Last_Name,Email' }],
	['a page token', { page_token: 'a+b/c=d==', per_page: 200 }],
	['reserved and unreserved', { 'k y': "a b!'()*~-._", x: '?&=#%/:;@$' }],
	['non-ASCII', { name: 'Müller 東京 😀' }],
	['undefined left out', { a: undefined, b: '1', c: undefined }],
	['empty value', { a: '' }],
	['nothing', {}],
];

describe('queryString', () => {
	test.each(cases)('%s: the same as n8n would send', (_name, params) => {
		expect(queryString(params)).toBe(n8nQuery(params));
	});

	test('no parameters: no question mark', () => {
		expect(queryString(undefined)).toBe('');
		expect(queryString({ a: undefined })).toBe('');
	});

	test('order kept', () => {
		expect(queryString({ page_token: 't', per_page: 5, fields: 'id' })).toBe(
			'?page_token=t&per_page=5&fields=id',
		);
	});
});

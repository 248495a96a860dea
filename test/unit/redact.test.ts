/** No secret leaves the node, whatever Zoho echoes back. */
import { createRedactor } from '../../nodes/ZohoCrmRelatedRecords/zoho/redact';

const access = '1000.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210';
const refresh = '1000.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const secret = 'my-client-secret-value';

test('known secrets, Authorization values and Zoho-shaped tokens are replaced, structure kept', () => {
	const redact = createRedactor([access, refresh, secret, undefined]);
	const out = redact({
		code: 'INVALID_TOKEN',
		message: `token ${access} rejected`,
		details: {
			authorization: `Zoho-oauthtoken ${access}`,
			header: `Bearer ${access}`,
			nested: [{ note: `secret=${secret}` }, `refresh ${refresh}`],
			other: '1000.1111111111111111aaaa.2222222222222222bbbb',
		},
	});
	const text = JSON.stringify(out);
	for (const s of [access, refresh, secret, '1000.1111111111111111aaaa'])
		expect(text).not.toContain(s);
	expect(out.code).toBe('INVALID_TOKEN');
	expect(out.details.authorization).toBe('[redacted]');
	expect(out.details.header).toBe('Bearer [redacted]');
});

test('ids and ordinary text pass unchanged', () => {
	const redact = createRedactor([access]);
	const value = { id: '3652397000000925128', message: 'relation removed', n: 5 };
	expect(redact(value)).toEqual(value);
});

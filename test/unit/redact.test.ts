/** No secret leaves the node, whatever Zoho echoes back. */
import fc from 'fast-check';

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

/**
 * The redactor as it was first written (every string split, joined and replaced; every object
 * rebuilt through Object.entries / Object.fromEntries), kept here as the reference: the faster
 * one must give the same values, keys in the same order, and objects of its own.
 */
function referenceRedactor(secrets: unknown[]) {
	const REDACTED = '[redacted]';
	const TOKEN_SHAPE = /\b1000\.[0-9a-f]{16,}\.[0-9a-f]{16,}\b/gi;
	const AUTH_HEADER_VALUE = /\b(Bearer|Zoho-oauthtoken|Basic)\s+[^\s"',;]+/gi;
	const SECRET_KEYS =
		/^(authorization|access_token|refresh_token|client_secret|clientsecret|password|cookie)$/i;
	const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6);
	const scrubText = (text: string): string => {
		let out = text;
		for (const secret of known) out = out.split(secret).join(REDACTED);
		return out.replace(AUTH_HEADER_VALUE, `$1 ${REDACTED}`).replace(TOKEN_SHAPE, REDACTED);
	};
	const scrub = (value: unknown, depth: number): unknown => {
		if (typeof value === 'string') return scrubText(value);
		if (depth > 8 || value === null || typeof value !== 'object') return value;
		if (Array.isArray(value)) return value.map((entry) => scrub(entry, depth + 1));
		return Object.fromEntries(
			Object.entries(value as Record<string, unknown>).map(([key, entry]) => [
				key,
				SECRET_KEYS.test(key) ? REDACTED : scrub(entry, depth + 1),
			]),
		);
	};
	return <T>(value: T) => scrub(value, 0) as T;
}

/** Same values, same key order at every level, and no object or array shared with `input`. */
function expectSameAndOwn(actual: unknown, expected: unknown, input: unknown, depth = 0): void {
	expect(typeof actual).toBe(typeof expected);
	if (actual === null || typeof actual !== 'object') {
		expect(actual).toBe(expected);
		return;
	}
	if (depth <= 8) expect(actual).not.toBe(input);
	else expect(actual).toBe(input); // past the depth limit both keep the value as it is
	expect(Array.isArray(actual)).toBe(Array.isArray(expected));
	expect(Object.getPrototypeOf(actual)).toBe(Object.getPrototypeOf(expected));
	const keys = Reflect.ownKeys(actual as object);
	expect(keys).toEqual(Reflect.ownKeys(expected as object));
	for (const key of keys) {
		if (key === 'length' && Array.isArray(actual)) continue;
		expectSameAndOwn(
			(actual as Record<PropertyKey, unknown>)[key],
			(expected as Record<PropertyKey, unknown>)[key],
			(input as Record<PropertyKey, unknown> | null)?.[key],
			depth + 1,
		);
	}
}

describe('same output as the reference redactor', () => {
	const secrets = [access, refresh, secret, 'short', undefined, 12345678];
	const redact = createRedactor(secrets);
	const reference = referenceRedactor(secrets);
	const pieces = [
		access,
		refresh,
		secret,
		'Bearer',
		'bEaReR ',
		'Zoho-oauthtoken ',
		'BASIC\t',
		'1000.',
		'1000.0123456789abcdef0123.fedcba9876543210fedc',
		'relation removed',
		'3652397000000925128',
		' ',
		',',
		'"',
		'x',
		'é',
		'ſ',
	];
	const textArb = fc
		.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 })), { maxLength: 6 })
		.map((parts) => parts.join(''));
	const keyArb = fc.oneof(
		fc.constantFrom(
			'authorization',
			'Authorization',
			'ACCESS_TOKEN',
			'password',
			'message',
			'details',
			'id',
			'__proto__',
			'0',
			'10',
			'constructor',
		),
		fc.string({ maxLength: 5 }),
	);
	const { value: valueArb } = fc.letrec<{ value: unknown }>((tie) => ({
		value: fc.oneof(
			{ depthSize: 'small', withCrossShrink: true },
			textArb,
			fc.integer(),
			fc.boolean(),
			fc.constant(null),
			fc.constant(undefined),
			fc.array(tie('value'), { maxLength: 4 }),
			fc.array(fc.tuple(keyArb, tie('value')), { maxLength: 5 }).map((pairs) => {
				const o: Record<string, unknown> = {};
				for (const [k, v] of pairs)
					Object.defineProperty(o, k, {
						value: v,
						enumerable: true,
						writable: true,
						configurable: true,
					});
				return o;
			}),
		),
	}));

	test('property: random nested values (secrets, tokens, secret keys, __proto__, integer keys)', () => {
		fc.assert(
			fc.property(valueArb, (value) => {
				expectSameAndOwn(redact(value), reference(value), value);
			}),
			{ numRuns: 3000 },
		);
	});

	test('deeper than the depth limit, and a delink outcome', () => {
		let deep: unknown = { leaf: `Bearer ${access}` };
		for (let i = 0; i < 12; i++) deep = { next: deep, text: `token ${refresh}` };
		expectSameAndOwn(redact(deep), reference(deep), deep);
		const item = {
			module: 'Campaigns',
			recordId: '3652397000000327001',
			relatedList: 'Contacts',
			relatedRecordId: '3652397000000925128',
			status: 'error',
			code: 'INVALID_TOKEN',
			message: `token ${access} rejected`,
			details: { id: '3652397000000925128', authorization: `Zoho-oauthtoken ${access}` },
			attempts: 2,
		};
		expectSameAndOwn(redact(item), reference(item), item);
	});

	test('objects that are not plain: no prototype, a class with a getter, a Date, symbols, sparse arrays', () => {
		const bare = Object.assign(Object.create(null) as Record<string, unknown>, {
			message: `Bearer ${access}`,
			password: 'x',
		});
		class Answer {
			code = 'INVALID_TOKEN';
			get message() {
				return `token ${refresh}`;
			}
		}
		const withSymbol = { [Symbol('s')]: secret, text: secret, 2: 'two', 1: 'one' };
		// eslint-disable-next-line no-sparse-arrays
		const sparse = [`Basic ${secret}`, , 'x'];
		for (const value of [bare, new Answer(), new Date(0), withSymbol, sparse, [bare, [sparse]]])
			expectSameAndOwn(redact(value), reference(value), value);
	});

	test('the same text twice gives the same value (scrubbed once, then remembered)', () => {
		const texts = ['relation removed', `token ${access}`, 'a'.repeat(300) + secret];
		for (const text of [...texts, ...texts]) expect(redact(text)).toBe(reference(text));
	});
});

/** Id parsing: strings end to end, every bad input explained, property-checked. */
import fc from 'fast-check';

import {
	InvalidInputError,
	parseRecordId,
	parseRelatedIds,
} from '../../nodes/ZohoCrmRelatedRecords/fields/ids';

const F = 'Related Record IDs';
const id = (n: number) => `36523970000009${String(n).padStart(5, '0')}`;

describe('parseRelatedIds', () => {
	test.each([
		['one id', id(1), [id(1)]],
		['comma separated with spaces', ` ${id(1)} , ${id(2)} `, [id(1), id(2)]],
		[
			'newlines, tabs and semicolons',
			`${id(1)}\n${id(2)}\t${id(3)};${id(4)}`,
			[id(1), id(2), id(3), id(4)],
		],
		['an array of strings', [id(1), id(2)], [id(1), id(2)]],
		['duplicates, first kept', [id(2), id(1), id(2)], [id(2), id(1)]],
		['a JSON array string of quoted ids', `["${id(1)}","${id(2)}"]`, [id(1), id(2)]],
		['records with an id field', [{ id: id(1) }, { id: id(2), Full_Name: 'x' }], [id(1), id(2)]],
		['a safe integer', [12345], ['12345']],
		['a bigint keeps every digit', [BigInt('3652397000000925128')], ['3652397000000925128']],
	])('%s', (_label, input, expected) => {
		expect(parseRelatedIds(F, input)).toEqual(expected);
	});

	test.each([
		['empty string', '', /is empty/],
		['only separators', ' , ;\n', /is empty/],
		['empty array', [], /is empty/],
		['null', null, /is empty/],
		['letters', 'abc', /"abc" is not a Zoho record id/],
		['path traversal', '../Leads', /URL characters/],
		['slash', `${id(1)}/x`, /URL characters/],
		['query', `${id(1)}?x=1`, /URL characters/],
		['fragment', `${id(1)}#x`, /URL characters/],
		['encoded slash', `${id(1)}%2F1`, /not a Zoho record id/],
		['unicode digits', '３６５２３９７', /not a Zoho record id/],
		['null byte', `${id(1)}\u0000`, /not a Zoho record id/],
		['10 KB string', '1'.repeat(10_240), /10240 characters long/],
		['a number that lost digits', [3652397000000925128], /lose their last digits/],
		[
			'a JSON array with a decimal number',
			'[1.5]',
			/\(entry 1\) 1\.5 is written as a decimal number, which is not a record id/,
		],
		[
			'a JSON array with an exponent number',
			`["${id(1)}", 3.65e18]`,
			/\(entry 2\) 3\.65e18 is written as a number in exponent notation/,
		],
		[
			'a JSON array with a negative number',
			'[-5]',
			/\(entry 1\) -5 is written as a negative number/,
		],
		['a JSON array with a 30-digit number', `[${'1'.repeat(30)}]`, /30 characters long/],
		[
			'a JSON array with a comma inside a quoted entry',
			'["a,1234", 5]',
			/\(entry 1\) "a,1234" is not a Zoho record id/,
		],
		[
			'a JSON array with digits between commas inside a quoted entry',
			`["x,${id(1)},y"]`,
			/\(entry 1\) "x,3652397000000900001,y" is not a Zoho record id/,
		],
		['a quoted "#" before digits', `["#${id(1)}"]`, /URL characters/],
		['a JSON array cut short', `[${id(1)},`, /is not valid JSON: it ends too early/],
		['a JSON array without commas', `[${id(1)} ${id(2)}]`, /is not valid JSON: expected , or \]/],
		['text after a JSON array', `[${id(1)}] x`, /is not valid JSON: there is more text/],
		['an unclosed quoted text', `["${id(1)}]`, /is not valid JSON: a quoted text is not closed/],
		['a bad escape', '["\\q"]', /is not valid JSON: a quoted text has a bad escape/],
		['a JSON array nested too deep', `${'['.repeat(20)}1${']'.repeat(20)}`, /nested too deep/],
		['a negative number', [-5], /not an exact record id/],
		['a boolean', [true], /entry 1\) is true/],
		['a nested object without id', [{ name: 'x' }], /not a record id/],
		['arrays nested too deep', [[[id(1)]]], /nested too deep/],
	])('refuses %s, naming the field', (_label, input, message) => {
		expect(() => parseRelatedIds(F, input)).toThrow(InvalidInputError);
		expect(() => parseRelatedIds(F, input)).toThrow(message);
		try {
			parseRelatedIds(F, input);
		} catch (error) {
			expect((error as InvalidInputError).message.startsWith(F)).toBe(true);
			expect((error as InvalidInputError).hint.length).toBeGreaterThan(20);
		}
	});

	describe('a JSON array string with unquoted ids keeps every digit', () => {
		test.each([
			[
				'two long ids',
				'[3652397000000925128, 3652397000000649013]',
				['3652397000000925128', '3652397000000649013'],
			],
			[
				'quoted and unquoted mixed',
				`["${id(1)}", ${id(2)},"${id(3)}",${id(4)}]`,
				[id(1), id(2), id(3), id(4)],
			],
			[
				'newlines, tabs and carriage returns around entries',
				`[\n\t${id(1)} ,\r\n  "${id(2)}"\n\t,\n${id(3)}\n]`,
				[id(1), id(2), id(3)],
			],
			['records with an unquoted id', `[{"id": ${id(1)}}, {"id":"${id(2)}"}]`, [id(1), id(2)]],
			['duplicates, first kept', `[${id(2)}, "${id(1)}", ${id(1)}, "${id(2)}"]`, [id(2), id(1)]],
			['a safe integer', '[12345]', ['12345']],
			['a max-length id (25 digits)', `[${'9'.repeat(25)}]`, ['9'.repeat(25)]],
			['null entries skipped', `[null, ${id(1)}]`, [id(1)]],
		])('%s', (_label, input, expected) => {
			expect(parseRelatedIds(F, input)).toEqual(expected);
		});

		test('property: ids written quoted or not, with any JSON whitespace, come back as written', () => {
			const space = fc.stringMatching(/^[ \t\n\r]{0,3}$/);
			const written = fc.record({
				id: fc.stringMatching(/^[1-9][0-9]{0,24}$/),
				quoted: fc.boolean(),
				before: space,
				after: space,
			});
			fc.assert(
				fc.property(fc.array(written, { minLength: 1, maxLength: 50 }), space, (entries, end) => {
					const text = `[${entries
						.map((e) => `${e.before}${e.quoted ? `"${e.id}"` : e.id}${e.after}`)
						.join(',')}${end}]`;
					expect(parseRelatedIds(F, text)).toEqual([...new Set(entries.map((e) => e.id))]);
				}),
			);
		});

		test('property: digits inside quoted entries are never taken for ids', () => {
			const junk = fc
				.string({ unit: fc.constantFrom('1', '2', ',', ' ', '[', ']', 'a', '\\"', '.', 'e') })
				.filter((t) => t.trim() !== '' && !/^[0-9]+$/.test(t.trim()));
			fc.assert(
				fc.property(junk, fc.nat({ max: 3 }), (text, at) => {
					const entries = [id(1), id(2), id(3)].map((x) => `"${x}"`);
					entries.splice(at, 0, JSON.stringify(text));
					let error: unknown;
					try {
						parseRelatedIds(F, `[${entries.join(', ')}]`);
					} catch (e) {
						error = e;
					}
					// The quoted junk is one entry, named by its position, whatever digits it holds.
					expect(error).toBeInstanceOf(InvalidInputError);
					expect((error as Error).message).toContain(`(entry ${at + 1})`);
				}),
			);
		});
	});

	test('property: any input either throws InvalidInputError or yields exactly the digit ids it holds', () => {
		const idArb = fc.stringMatching(/^[0-9]{1,19}$/);
		const junk = fc.oneof(
			fc.string(),
			fc.string({ unit: 'binary' }),
			fc.integer(),
			fc.double(),
			fc.boolean(),
			fc.constant(null),
		);
		const entry = fc.oneof(idArb, junk, fc.record({ id: fc.oneof(idArb, junk) }));
		const input = fc.oneof(
			entry,
			fc.array(entry, { maxLength: 20 }),
			fc.array(idArb, { maxLength: 300 }).map((a) => a.join(', ')),
		);
		fc.assert(
			fc.property(input, (value) => {
				let ids: string[];
				try {
					ids = parseRelatedIds(F, value);
				} catch (error) {
					return error instanceof InvalidInputError && error.message.startsWith(F);
				}
				return (
					ids.length > 0 &&
					ids.every((x) => /^[0-9]{1,25}$/.test(x)) &&
					new Set(ids).size === ids.length &&
					ids.every((x) => JSON.stringify(value).includes(x))
				);
			}),
			{ numRuns: 2000 },
		);
	});

	test('property: a list of valid ids comes back de-duplicated in first-seen order', () => {
		fc.assert(
			fc.property(
				fc.array(fc.stringMatching(/^[1-9][0-9]{17,18}$/), { minLength: 1, maxLength: 500 }),
				(ids) => {
					expect(parseRelatedIds(F, ids.join(','))).toEqual([...new Set(ids)]);
					expect(parseRelatedIds(F, ids)).toEqual([...new Set(ids)]);
				},
			),
		);
	});
});

describe('parseRecordId', () => {
	const R = 'Record ID';
	test.each([
		['By ID', { __rl: true, mode: 'id', value: id(7) }, id(7)],
		['plain string', ` ${id(7)} `, id(7)],
		[
			'By URL with org',
			{ mode: 'url', value: `https://crm.zoho.eu/crm/org123/tab/Products/${id(7)}` },
			id(7),
		],
		[
			'By URL without org, trailing path',
			{ mode: 'url', value: `https://crm.zoho.com/crm/tab/Products/${id(7)}/overview?x=1` },
			id(7),
		],
		[
			'a URL pasted into By ID',
			{ mode: 'id', value: `https://crm.zohocloud.ca/crm/org9/tab/Products/${id(7)}` },
			id(7),
		],
		['From List', { mode: 'list', value: id(7) }, id(7)],
	])('%s', (_label, input, expected) => {
		expect(parseRecordId(R, input, 'Products')).toBe(expected);
	});

	test('a Deals URL uses the Potentials tab name and matches module Deals', () => {
		expect(
			parseRecordId(
				R,
				{ mode: 'url', value: `https://crm.zoho.com/crm/org1/tab/Potentials/${id(3)}` },
				'Deals',
			),
		).toBe(id(3));
	});

	test.each([
		['empty', { mode: 'id', value: '' }, /Record ID is empty/],
		['letters', { mode: 'id', value: '12a' }, /"12a" is not a Zoho record id/],
		[
			'a URL of another module',
			{ mode: 'url', value: `https://crm.zoho.com/crm/org1/tab/Contacts/${id(3)}` },
			/is a Contacts record, but Module is Products/,
		],
		[
			'not a record URL',
			{ mode: 'url', value: 'https://example.com/x' },
			/is not a Zoho CRM record URL/,
		],
		['path traversal', { mode: 'id', value: '../../oauth' }, /URL characters/],
		['unsafe number', 3652397000000925128, /lose their last digits/],
	])('refuses %s', (_label, input, message) => {
		expect(() => parseRecordId(R, input, 'Products')).toThrow(message);
	});
});

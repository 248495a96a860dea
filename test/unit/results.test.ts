/** Zoho's per-id answers paired with the ids sent: by id, by position, by a shared answer. */
import fc from 'fast-check';

import {
	outcome,
	outcomesFromEntries,
	type ZohoEntry,
} from '../../nodes/ZohoCrmRelatedRecords/actions/delink/results';

const ref = { module: 'Products', recordId: '3652397000000111111', relatedList: 'Price_Books' };
const A = '3652397000000925128';
const B = '3652397000000649013';
const C = '3652397000000649014';
const D = '3652397000000649015';

const ok = (id?: string): ZohoEntry => ({
	code: 'SUCCESS',
	status: 'success',
	message: 'relation removed',
	details: id === undefined ? {} : { id },
});
const invalid = (id?: string): ZohoEntry => ({
	code: 'INVALID_DATA',
	status: 'error',
	message: 'the related id given seems to be invalid',
	details: id === undefined ? { api_name: 'id' } : { id },
});

/** [id, code, status] of each outcome, for short expectations. */
const brief = (ids: string[], entries: ZohoEntry[]) =>
	outcomesFromEntries(ref, ids, entries).map((o) => [o.relatedRecordId, o.code, o.status]);

describe('outcomesFromEntries', () => {
	test('every entry with an id answers that id, whatever the order', () => {
		const outcomes = outcomesFromEntries(ref, [A, B, C], [invalid(C), ok(A), ok(B)]);
		expect(outcomes).toEqual([
			{
				...ref,
				relatedRecordId: A,
				status: 'success',
				code: 'SUCCESS',
				message: 'relation removed',
				details: { id: A },
			},
			{
				...ref,
				relatedRecordId: B,
				status: 'success',
				code: 'SUCCESS',
				message: 'relation removed',
				details: { id: B },
			},
			{
				...ref,
				relatedRecordId: C,
				status: 'error',
				code: 'INVALID_DATA',
				message: 'the related id given seems to be invalid',
				details: { id: C },
			},
		]);
	});

	test('one entry without an id for one id sent answers it (a single-record call)', () => {
		expect(brief([A], [invalid()])).toEqual([[A, 'INVALID_DATA', 'error']]);
	});

	test('entries without an id, one per id sent, answer the ids by position', () => {
		expect(brief([A, B], [invalid(), ok()])).toEqual([
			[A, 'INVALID_DATA', 'error'],
			[B, 'SUCCESS', 'success'],
		]);
	});

	test('some entries with an id and some without, one per id sent: by id, then by position', () => {
		const outcomes = outcomesFromEntries(ref, [A, B, C], [ok(A), invalid(), ok()]);
		expect(outcomes.map((o) => [o.relatedRecordId, o.code, o.message])).toEqual([
			[A, 'SUCCESS', 'relation removed'],
			[B, 'INVALID_DATA', 'the related id given seems to be invalid'],
			[C, 'SUCCESS', 'relation removed'],
		]);
		expect(outcomes[1].details).toEqual({ api_name: 'id' });
	});

	test('an entry without an id whose position is already answered by id falls to the shared rule', () => {
		// Entry 0 has no id, but A (position 0) is answered by entry 1: entry 0 is left for B.
		expect(brief([A, B], [invalid(), ok(A)])).toEqual([
			[A, 'SUCCESS', 'success'],
			[B, 'INVALID_DATA', 'error'],
		]);
	});

	test('fewer entries than ids, the entries without an id all alike: their answer applies to the rest', () => {
		expect(brief([A, B, C], [ok(A), invalid(), invalid()])).toEqual([
			[A, 'SUCCESS', 'success'],
			[B, 'INVALID_DATA', 'error'],
			[C, 'INVALID_DATA', 'error'],
		]);
		expect(brief([A, B, C, D], [invalid()])).toEqual([
			[A, 'INVALID_DATA', 'error'],
			[B, 'INVALID_DATA', 'error'],
			[C, 'INVALID_DATA', 'error'],
			[D, 'INVALID_DATA', 'error'],
		]);
	});

	test('entries without an id that differ, not one per id: NO_RESULT naming what Zoho answered', () => {
		const entries = [ok(A), invalid(), ok()];
		const outcomes = outcomesFromEntries(ref, [A, B, C, D], entries);
		expect(outcomes[0].code).toBe('SUCCESS');
		for (const o of outcomes.slice(1)) {
			expect(o.status).toBe('error');
			expect(o.code).toBe('NO_RESULT');
			expect(o.message).toBe(
				"Zoho's answer had no entry for this id; it answered 2 entries without an id: " +
					'INVALID_DATA "the related id given seems to be invalid", SUCCESS "relation removed"',
			);
			expect(o.details).toEqual({ unmatchedEntries: [entries[1], entries[2]] });
		}
		expect(outcomes.map((o) => o.relatedRecordId)).toEqual([A, B, C, D]);
	});

	test('a long list of differing entries is cut in the message but kept whole in the details', () => {
		const entries = [invalid(), ok(), invalid(), ok(), { status: 'error' }];
		const [first] = outcomesFromEntries(ref, [A, B, C, D, '1', '2'], entries);
		expect(first.code).toBe('NO_RESULT');
		expect(first.message).toMatch(/it answered 5 entries without an id: .*, and 2 more$/);
		expect(first.details.unmatchedEntries).toEqual(entries);
	});

	test('an entry naming an id that was not sent is never applied to another id', () => {
		const stray = ok('3652397000000999999');
		const outcomes = outcomesFromEntries(ref, [A, B], [stray, invalid(A)]);
		expect(outcomes[0].code).toBe('INVALID_DATA');
		expect(outcomes[1]).toMatchObject({
			relatedRecordId: B,
			status: 'error',
			code: 'NO_RESULT',
			details: { unmatchedEntries: [stray] },
		});
		expect(outcomes[1].message).toBe(
			"Zoho's answer had no entry for this id; it answered 1 entry for ids that were not sent or were already answered",
		);
	});

	test('a second entry for the same id is not applied to another id', () => {
		const outcomes = outcomesFromEntries(ref, [A, B], [ok(A), invalid(A)]);
		expect(outcomes.map((o) => o.code)).toEqual(['SUCCESS', 'NO_RESULT']);
		expect(outcomes[1].details).toEqual({ unmatchedEntries: [invalid(A)] });
	});

	test('duplicate entries are consumed in order when the id was sent twice', () => {
		expect(brief([A, A], [invalid(A), ok(A)])).toEqual([
			[A, 'INVALID_DATA', 'error'],
			[A, 'SUCCESS', 'success'],
		]);
	});

	test('a numeric details.id matches its id', () => {
		expect(brief(['12345'], [{ ...ok(), details: { id: 12345 } }])).toEqual([
			['12345', 'SUCCESS', 'success'],
		]);
	});

	test('no entry at all: every id is NO_RESULT, never a silent success', () => {
		expect(outcomesFromEntries(ref, [A, B], [])).toEqual(
			[A, B].map((id) => ({
				...ref,
				relatedRecordId: id,
				status: 'error',
				code: 'NO_RESULT',
				message: "Zoho's answer had no entry for this id",
				details: { unmatchedEntries: [] },
			})),
		);
	});

	test('property: one outcome per id in order; an id-named entry only answers its id; nothing Zoho said is dropped while an id lacks an answer', () => {
		const ids = [A, B, C, D, '1', '2'];
		const entryArb = fc.record({
			code: fc.constantFrom('SUCCESS', 'INVALID_DATA', 'NOT_FOUND'),
			status: fc.constantFrom('success', 'error'),
			message: fc.constantFrom('m1', 'm2'),
			id: fc.option(fc.constantFrom(...ids, '999'), { nil: undefined }),
		});
		// Each entry's details is its own object (tagged), so an outcome shows which entry it took.
		const entriesArb = fc.array(entryArb, { maxLength: 8 }).map((list) =>
			list.map(({ id, ...rest }, tag) => ({
				...rest,
				details: id === undefined ? { tag } : { id, tag },
			})),
		);
		fc.assert(
			fc.property(fc.subarray(ids, { minLength: 1 }), entriesArb, (sent, entries) => {
				const outcomes = outcomesFromEntries(ref, sent, entries);
				expect(outcomes.map((o) => o.relatedRecordId)).toEqual(sent);
				const used = new Set<unknown>();
				for (const o of outcomes) {
					if (o.code === 'NO_RESULT') continue;
					const entry = entries.find((e) => e.details === o.details);
					expect(entry).toBeDefined();
					expect([o.code, o.message]).toEqual([entry?.code, entry?.message]);
					const named = (entry?.details as { id?: string }).id;
					if (named !== undefined) expect(named).toBe(o.relatedRecordId);
					used.add(entry);
				}
				const missing = outcomes.find((o) => o.code === 'NO_RESULT');
				if (missing) {
					const unmatched = missing.details.unmatchedEntries as ZohoEntry[];
					for (const e of entries) {
						const listed = unmatched.some((u) => u.details === e.details);
						expect(used.has(e) !== listed).toBe(true);
					}
				}
			}),
			{ numRuns: 1000 },
		);
	});
});

/**
 * The pairing as it was first written (one array per id, spread on every id), kept here as the
 * reference: the faster version must pair the same entries with the same ids, and leave the
 * same entries unmatched, for any ids (repeated ones too) and any entries.
 */
function referencePairing(ids: readonly string[], entries: readonly ZohoEntry[]) {
	const answers: Array<ZohoEntry | undefined> = ids.map(() => undefined);
	const waiting = new Map<string, number[]>();
	ids.forEach((id, index) => waiting.set(id, [...(waiting.get(id) ?? []), index]));
	const withoutId: number[] = [];
	const strays: number[] = [];
	entries.forEach((entry, e) => {
		const details = entry.details as { id?: unknown } | undefined;
		const raw = details && typeof details === 'object' ? details.id : undefined;
		const id = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined;
		if (id === undefined) return void withoutId.push(e);
		const index = waiting.get(id)?.shift();
		if (index === undefined) strays.push(e);
		else answers[index] = entry;
	});
	let leftOver = withoutId;
	if (entries.length === ids.length) {
		leftOver = withoutId.filter((e) => {
			if (answers[e] !== undefined) return true;
			answers[e] = entries[e];
			return false;
		});
	}
	const same = (x: ZohoEntry, y: ZohoEntry) =>
		x.status === y.status && x.code === y.code && x.message === y.message;
	if (
		answers.some((entry) => entry === undefined) &&
		leftOver.length > 0 &&
		leftOver.every((e) => same(entries[e], entries[leftOver[0]]))
	) {
		answers.forEach((entry, index) => {
			if (entry === undefined) answers[index] = entries[leftOver[0]];
		});
		leftOver = [];
	}
	const unmatched = [...leftOver, ...strays].sort((x, y) => x - y).map((e) => entries[e]);
	return { answers, unmatched };
}

test('property: the pairing is the reference pairing, repeated ids included', () => {
	const ids = [A, B, C, '1'];
	const entryArb = fc.record({
		code: fc.constantFrom('SUCCESS', 'INVALID_DATA'),
		status: fc.constantFrom('success', 'error'),
		message: fc.constantFrom('m1', 'm2'),
		id: fc.option(fc.constantFrom(...ids, '999', 1), { nil: undefined }),
	});
	// Each entry's details is its own object (tagged), so an outcome shows which entry it took.
	const entriesArb = fc.array(entryArb, { maxLength: 8 }).map((list) =>
		list.map(({ id, ...rest }, tag) => ({
			...rest,
			details: id === undefined ? { tag } : { id, tag },
		})),
	);
	fc.assert(
		fc.property(
			fc.array(fc.constantFrom(...ids), { minLength: 1, maxLength: 6 }),
			entriesArb,
			(sent, entries) => {
				const outcomes = outcomesFromEntries(ref, sent, entries);
				const { answers, unmatched } = referencePairing(sent, entries);
				expect(outcomes.map((o) => o.relatedRecordId)).toEqual(sent);
				sent.forEach((_, index) => {
					const entry = answers[index];
					const o = outcomes[index];
					if (entry) {
						expect(o.details).toBe(entry.details);
						expect([o.code, o.message]).toEqual([entry.code, entry.message]);
					} else {
						expect(o.code).toBe('NO_RESULT');
						expect(o.details.unmatchedEntries).toEqual(unmatched);
					}
				});
			},
		),
		{ numRuns: 3000 },
	);
});

test('outcome: the same object as a spread of the ref, for the usual ref and any other', () => {
	const spread = (r: object) => ({
		...r,
		relatedRecordId: A,
		status: 'error',
		code: 'X',
		message: 'm',
		details: { id: A },
	});
	const symbol = Symbol('s');
	const hidden = { module: 'Products', recordId: '1', relatedList: 'Deals' };
	Object.defineProperty(hidden, 'relatedList', { enumerable: false });
	const refs: object[] = [
		ref,
		{ recordId: '1', module: 'Products', relatedList: 'Deals' },
		{ ...ref, extra: true },
		{ ...ref, [symbol]: 's' },
		{ ...ref, relatedRecordId: 'shadowed', status: 'success' },
		hidden,
		{ module: 'Products', recordId: '1' },
	];
	for (const r of refs) {
		const o = outcome(r as typeof ref, A, 'error', 'X', 'm', { id: A });
		const expected = spread(r);
		expect(Reflect.ownKeys(o)).toEqual(Reflect.ownKeys(expected));
		expect(o).toEqual(expected);
		expect((o as unknown as Record<symbol, unknown>)[symbol]).toBe(
			(expected as Record<symbol, unknown>)[symbol],
		);
	}
});

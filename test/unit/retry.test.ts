/** Which answers are retried, and how long each retry waits. */
import fc from 'fast-check';

import {
	BACKOFF_JITTER,
	MAX_BACKOFF_MS,
	backoffMs,
	creditsRemaining,
	isRetryableAnswer,
	isRetryableCode,
	isRetryableStatus,
	mayHaveApplied,
} from '../../nodes/ZohoCrmRelatedRecords/zoho/retry';

const none = () => 0;
const most = () => 0.999999;
const half = () => 0.5;

describe('backoffMs', () => {
	test('the constants: a 5-minute cap and 25% jitter', () => {
		expect(MAX_BACKOFF_MS).toBe(300_000);
		expect(BACKOFF_JITTER).toBe(0.25);
	});

	test.each([
		[1, 1000, 1000],
		[2, 1000, 2000],
		[3, 1000, 4000],
		[4, 1000, 8000],
		[9, 1000, 256_000],
		[10, 1000, 300_000],
		[30, 1000, 300_000],
		[1, 60_000, 60_000],
		[2, 60_000, 120_000],
		[3, 60_000, 240_000],
		[4, 60_000, 300_000],
		[1, 600_000, 600_000],
		[3, 600_000, 600_000],
	])('retry %i with base %i ms waits at least %i ms', (attempt, base, floor) => {
		expect(backoffMs(attempt, base, none)).toBe(floor);
		expect(backoffMs(attempt, base, half)).toBe(floor + Math.floor(floor * 0.125));
		expect(backoffMs(attempt, base, most)).toBe(floor + Math.floor(floor * 0.25 * 0.999999));
	});

	test('a base of 60 s waits 60 s on the first retry (the old 30 s cap and half-base floor are gone)', () => {
		expect(backoffMs(1, 60_000, none)).toBe(60_000);
		expect(backoffMs(1, 1000, none)).toBe(1000);
	});

	test('a random outside [0, 1) cannot take the wait below its floor or above 25% more', () => {
		expect(backoffMs(2, 1000, () => -3)).toBe(2000);
		expect(backoffMs(2, 1000, () => 7)).toBe(2500);
		expect(backoffMs(2, 1000, () => Number.NaN)).toBe(2000);
	});

	test('no base, no wait', () => {
		expect(backoffMs(1, 0, half)).toBe(0);
	});

	test('property: floor <= wait <= floor * 1.25, floor = min(base * 2^(n-1), max(base, 5 min))', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 60 }),
				fc.integer({ min: 1, max: 3_600_000 }),
				fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
				(attempt, base, r) => {
					const floor = Math.min(base * 2 ** (attempt - 1), Math.max(base, MAX_BACKOFF_MS));
					const wait = backoffMs(attempt, base, () => r);
					expect(Number.isInteger(wait)).toBe(true);
					expect(wait).toBeGreaterThanOrEqual(floor);
					expect(wait).toBeLessThanOrEqual(floor * (1 + BACKOFF_JITTER));
				},
			),
		);
	});
});

describe('isRetryableAnswer', () => {
	test.each([
		[429, true],
		[429, false],
		[500, true],
		[500, false],
		[502, true],
		[502, false],
		[503, true],
		[503, false],
		[504, true],
		[504, false],
	])('%i (Zoho-shaped: %s) is retried', (status, shaped) => {
		expect(isRetryableAnswer(status, shaped)).toBe(true);
	});

	test.each([200, 201, 202, 207])(
		'%i with a damaged (not Zoho-shaped) body is retried',
		(status) => {
			expect(isRetryableAnswer(status, false)).toBe(true);
		},
	);

	test.each([200, 201, 202, 204, 207])('%i with a Zoho-shaped body is final', (status) => {
		expect(isRetryableAnswer(status, true)).toBe(false);
	});

	test('204 is meant to be empty: final even without a Zoho body', () => {
		expect(isRetryableAnswer(204, false)).toBe(false);
	});

	test.each([400, 401, 403, 404, 405, 409, 413, 422])(
		'%i is final, whether Zoho answered it or a proxy page did',
		(status) => {
			expect(isRetryableAnswer(status, true)).toBe(false);
			expect(isRetryableAnswer(status, false)).toBe(false);
		},
	);

	test.each([301, 302, 304, 501, 505])('%i is final', (status) => {
		expect(isRetryableAnswer(status, true)).toBe(false);
		expect(isRetryableAnswer(status, false)).toBe(false);
	});
});

describe('the helpers other code uses, unchanged', () => {
	test('isRetryableStatus: 429 and 500/502/503/504 only', () => {
		expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
		expect([200, 400, 401, 403, 404, 501].some(isRetryableStatus)).toBe(false);
	});

	test('isRetryableCode: dropped or timed-out connections', () => {
		expect(isRetryableCode('ECONNRESET')).toBe(true);
		expect(isRetryableCode('ETIMEDOUT')).toBe(true);
		expect(isRetryableCode('Error: socket hang up')).toBe(true);
		expect(isRetryableCode('ENOTFOUND')).toBe(false);
		expect(isRetryableCode('CERT_HAS_EXPIRED')).toBe(false);
	});

	test('mayHaveApplied: no answer or a 5xx may follow the work; a 429 or 4xx is before it', () => {
		expect(mayHaveApplied(undefined)).toBe(true);
		expect(mayHaveApplied(502)).toBe(true);
		expect(mayHaveApplied(429)).toBe(false);
		expect(mayHaveApplied(404)).toBe(false);
	});

	test('creditsRemaining: the header in any case, the first of several, nothing when absent or empty', () => {
		expect(creditsRemaining({ 'X-API-CREDITS-REMAINING': '4200' })).toBe(4200);
		expect(creditsRemaining({ 'x-api-credits-remaining': ['12', '13'] })).toBe(12);
		expect(creditsRemaining({ 'x-api-credits-remaining': 7 })).toBe(7);
		expect(creditsRemaining({})).toBeUndefined();
		expect(creditsRemaining({ 'x-api-credits-remaining': 'many' })).toBeUndefined();
		expect(creditsRemaining({ 'x-api-credits-remaining': '' })).toBeUndefined();
		expect(creditsRemaining({ 'x-api-credits-remaining': [] })).toBeUndefined();
	});
});

// @ts-check
'use strict';
/**
 * Fault and limit settings (Zoho behaviours a test may switch too: the page window, page
 * tokens, the answer for a not-linked id), the deterministic PRNG behind the random ones, and
 * the `failNext` queue of canned answers.
 */
const { errorBody } = require('./errors');

/**
 * @typedef {import('./index').FaultOptions} FaultOptions
 * @typedef {import('./index').CannedReply} CannedReply
 */

/** @type {FaultOptions} */
const DEFAULT_FAULTS = Object.freeze({
	latencyMs: 0,
	maxConcurrent: null,
	dailyCredits: null,
	errorRate: 0,
	dropAfterApplyRate: 0,
	malformedJsonRate: 0,
	htmlErrorRate: 0,
	echoAuthorization: false,
	seed: 1,
	pageWindow: 2000,
	pageTokens: false,
	notLinkedAnswer: 'relation-not-found',
	holdUntilInFlight: null,
	numericIds: false,
});

const RATES = ['errorRate', 'dropAfterApplyRate', 'malformedJsonRate', 'htmlErrorRate'];
const BOOLEANS = ['echoAuthorization', 'pageTokens', 'numericIds'];
/** @type {ReadonlyArray<import('./index').NotLinkedAnswer>} */
const NOT_LINKED_ANSWERS = ['relation-not-found', 'success', 'invalid-data'];

/**
 * Validates a partial fault object (unknown keys are a typo in a test: throw).
 * @param {Record<string, unknown>} partial
 * @returns {Partial<FaultOptions>}
 */
function checkFaults(partial) {
	for (const [key, value] of Object.entries(partial)) {
		if (!(key in DEFAULT_FAULTS)) throw new Error(`zoho-sandbox: unknown fault option "${key}"`);
		if (BOOLEANS.includes(key)) {
			if (typeof value !== 'boolean') throw new Error(`zoho-sandbox: ${key} must be a boolean`);
		} else if (key === 'notLinkedAnswer') {
			if (!NOT_LINKED_ANSWERS.includes(/** @type {any} */ (value)))
				throw new Error(`zoho-sandbox: ${key} must be one of ${NOT_LINKED_ANSWERS.join(', ')}`);
		} else if (key === 'pageWindow') {
			if (!(Number.isInteger(value) && /** @type {number} */ (value) >= 1))
				throw new Error(`zoho-sandbox: ${key} must be an integer >= 1`);
		} else if (key === 'maxConcurrent' || key === 'dailyCredits' || key === 'holdUntilInFlight') {
			if (value !== null && !(Number.isInteger(value) && /** @type {number} */ (value) >= 0))
				throw new Error(`zoho-sandbox: ${key} must be a non-negative integer or null`);
		} else if (RATES.includes(key)) {
			if (typeof value !== 'number' || !(value >= 0 && value <= 1))
				throw new Error(`zoho-sandbox: ${key} must be a number from 0 to 1`);
		} else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
			throw new Error(`zoho-sandbox: ${key} must be a non-negative number`);
		}
	}
	return /** @type {Partial<FaultOptions>} */ (partial);
}

/**
 * mulberry32: small, fast, deterministic.
 * @param {number} seed
 * @returns {() => number} in [0, 1)
 */
function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Turns what a test passed to failNext (a full reply, or a catalogue entry such as
 * ZOHO_ERRORS.NO_PERMISSION) into a reply.
 * @param {CannedReply} spec
 * @returns {{ status: number, body?: unknown, raw?: string, headers?: Record<string, string>, drop: boolean, dropAfterApply: boolean, delayMs: number }}
 */
function cannedReply(spec) {
	const isCatalogue = spec.code !== undefined && spec.body === undefined && spec.raw === undefined;
	const body = isCatalogue
		? errorBody({
				status: spec.status ?? 500,
				code: String(spec.code),
				message: spec.message ?? '',
				details: spec.details ?? {},
			})
		: spec.body === undefined
			? undefined
			: JSON.parse(JSON.stringify(spec.body));
	return {
		status: spec.status ?? 500,
		body,
		raw: spec.raw,
		headers: spec.headers ? { ...spec.headers } : undefined,
		drop: spec.drop === true,
		dropAfterApply: spec.dropAfterApply === true,
		delayMs: spec.delayMs ?? 0,
	};
}

module.exports = { DEFAULT_FAULTS, NOT_LINKED_ANSWERS, checkFaults, prng, cannedReply };

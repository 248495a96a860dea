/**
 * Which Zoho answers are worth another attempt, and how long to wait before it.
 */
import type { IDataObject } from 'n8n-workflow';

/** Statuses Zoho or its gateways use for passing trouble: limits, server faults, gateways. */
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Failures without any answer: the connection dropped or timed out. */
const RETRY_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'EPIPE',
	'ETIMEDOUT',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'EAI_AGAIN',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'NO_RESPONSE',
]);

/** Longest wait before a retry (5 minutes), unless the base delay itself is longer. */
export const MAX_BACKOFF_MS = 300_000;

/** Jitter on top of a retry's wait: up to this fraction more, never less. */
export const BACKOFF_JITTER = 0.25;

/**
 * Whether an HTTP status is passing trouble: 429 (rate limit) or a server/gateway fault
 * (500, 502, 503, 504). Says nothing about the body; see `isRetryableAnswer` for the whole
 * decision on an answered attempt.
 */
export function isRetryableStatus(statusCode: number): boolean {
	return RETRY_STATUSES.has(statusCode);
}

/**
 * Whether a failure without any answer (an error code such as ECONNRESET or ETIMEDOUT, or a
 * "socket hang up" message) is worth another attempt: the connection dropped or timed out.
 */
export function isRetryableCode(code: string): boolean {
	return RETRY_CODES.has(code) || /socket hang up/i.test(code);
}

/**
 * Whether an attempt that Zoho (or something on the way) answered is worth another attempt:
 *  - 429: always (the limit passes);
 *  - 500, 502, 503, 504: always, with Zoho's JSON or a gateway's HTML page alike;
 *  - a 2xx whose body is not Zoho-shaped (truncated JSON, an empty body): it was damaged on
 *    the way. A 204 is meant to be empty, so it is final;
 *  - anything else, every 4xx but 429 included (a proxy's HTML 403, a 404 page from a wrong
 *    custom domain, Zoho's own 400/401/403/404): final, another attempt would answer the same.
 */
export function isRetryableAnswer(statusCode: number, zohoShaped: boolean): boolean {
	if (isRetryableStatus(statusCode)) return true;
	if (statusCode >= 200 && statusCode < 300 && statusCode !== 204) return !zohoShaped;
	return false;
}

/**
 * Whether an attempt that failed this way may still have changed Zoho's data: a lost answer
 * (`undefined`: no status) or a server/gateway fault (5xx) may follow the work; a 429 and
 * other 4xx are refused before it. Damaged 2xx bodies are the caller's to judge.
 */
export function mayHaveApplied(statusCode: number | undefined): boolean {
	return statusCode === undefined || statusCode >= 500;
}

/**
 * How long to wait before the `attempt`-th retry (1 for the first): at least
 * `baseMs * 2^(attempt-1)`, capped at `max(baseMs, MAX_BACKOFF_MS)` (so a base above 5 minutes
 * still waits the base), plus up to `BACKOFF_JITTER` (25%) more, never less. `random` gives
 * a number in [0, 1), as Math.random does; tests inject it.
 */
export function backoffMs(
	attempt: number,
	baseMs: number,
	random: () => number = Math.random,
): number {
	if (!(baseMs > 0)) return 0;
	const exponent = Math.max(0, attempt - 1);
	const wait = Math.ceil(Math.min(baseMs * 2 ** exponent, Math.max(baseMs, MAX_BACKOFF_MS)));
	const share = Math.min(Math.max(random(), 0), 1);
	return wait + Math.floor(wait * BACKOFF_JITTER * (Number.isNaN(share) ? 0 : share));
}

/**
 * `X-API-CREDITS-REMAINING` (any case; the first value if repeated), when Zoho sends it (it
 * does once half the day's credits are used); undefined when absent, empty or not a number.
 */
export function creditsRemaining(headers: IDataObject): number | undefined {
	const entry = Object.entries(headers).find(
		([name]) => name.toLowerCase() === 'x-api-credits-remaining',
	);
	const raw: unknown = Array.isArray(entry?.[1]) ? (entry[1] as unknown[])[0] : entry?.[1];
	if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
	if (typeof raw !== 'string' || raw.trim() === '') return undefined;
	const value = Number(raw);
	return Number.isFinite(value) ? value : undefined;
}

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

export function isRetryableStatus(statusCode: number): boolean {
	return RETRY_STATUSES.has(statusCode);
}

export function isRetryableCode(code: string): boolean {
	return RETRY_CODES.has(code) || /socket hang up/i.test(code);
}

/**
 * Whether an attempt that failed this way may still have changed Zoho's data: a lost answer
 * or a server/gateway fault may follow the work; a 429 is refused before it.
 */
export function mayHaveApplied(statusCode: number | undefined): boolean {
	return statusCode === undefined || statusCode >= 500;
}

/** Exponential backoff with jitter: random in [ceiling/2, ceiling], ceiling = base * 2^(attempt-1), capped at 30 s. */
export function backoffMs(
	attempt: number,
	baseMs: number,
	random: () => number = Math.random,
): number {
	const ceiling = Math.min(baseMs * 2 ** (attempt - 1), 30_000);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** `X-API-CREDITS-REMAINING`, when Zoho sends it (it does once half the day's credits are used). */
export function creditsRemaining(headers: IDataObject): number | undefined {
	const entry = Object.entries(headers).find(
		([name]) => name.toLowerCase() === 'x-api-credits-remaining',
	);
	const value = Number(Array.isArray(entry?.[1]) ? entry?.[1][0] : entry?.[1]);
	return entry && Number.isFinite(value) ? value : undefined;
}

/**
 * The options every call-making operation shares (API Version, Batch Size, Daily API Credits,
 * Max Concurrent Calls, Max Retries, Retry Base Delay): their fields and their reader, with
 * the bounds in one place for both.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { DEFAULT_CALL_POLICY, type CallPolicy } from '../zoho/call';
import { API_VERSIONS, DEFAULT_API_VERSION } from '../zoho/transport';
import { InvalidInputError, showValue } from './ids';
import { readApiVersion } from './relationInput';
import { checkToolOptions } from './toolOptions';

export const MAX_IDS_PER_CALL = 100;
export const MAX_RETRY_BASE_DELAY_MS = 60_000;
export const MAX_DAILY_CREDITS = 10_000_000;
const { maxConcurrentCalls, maxRetries, retryBaseDelayMs } = DEFAULT_CALL_POLICY;

/** The option fields, for an operation's Options collection (sorted with its own). */
export function callOptionFields(what: string): INodeProperties[] {
	return [
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			default: DEFAULT_API_VERSION,
			description:
				'Zoho CRM API version used for the calls. The paths are the same in every version; Appointments → Services needs v3 or later.',
			options: API_VERSIONS.map((version) => ({ name: version, value: version })),
		},
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			default: MAX_IDS_PER_CALL,
			typeOptions: { minValue: 1, maxValue: MAX_IDS_PER_CALL },
			description: `How many IDs to ${what} per Zoho call (at most ${MAX_IDS_PER_CALL}). Each call costs one API credit, so ${MAX_IDS_PER_CALL} uses the fewest.`,
		},
		{
			displayName: 'Daily API Credits',
			name: 'dailyCredits',
			type: 'number',
			default: 5000,
			typeOptions: { minValue: 1, maxValue: MAX_DAILY_CREDITS },
			description:
				"Your org's daily Zoho API credit limit (Free edition: 5000). When Zoho reports fewer than 10% left, the output items carry a warning.",
		},
		{
			displayName: 'Max Concurrent Calls',
			name: 'maxConcurrentCalls',
			type: 'number',
			default: maxConcurrentCalls,
			typeOptions: { minValue: 1, maxValue: 25 },
			description:
				'Most Zoho calls in flight at once for this Zoho org (credential) in this n8n process: all items, batches, pages and retries of every execution count. Zoho allows 5 (Free) to 25 (Ultimate) per org and app; above that it answers 429. When values differ, the lowest one in use applies. With several queue-mode workers, give each the org limit divided by the number of workers.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			default: maxRetries,
			typeOptions: { minValue: 0, maxValue: 10 },
			description:
				'How many times a call is repeated after a rate limit (429), a Zoho server error (5xx) or a lost connection, waiting longer each time',
		},
		{
			displayName: 'Retry Base Delay (Ms)',
			name: 'retryBaseDelayMs',
			type: 'number',
			default: retryBaseDelayMs,
			typeOptions: { minValue: 0, maxValue: MAX_RETRY_BASE_DELAY_MS },
			description:
				'Wait before the first retry, in milliseconds; each further retry waits twice as long (up to 5 minutes, or this value if larger), plus up to 25% random jitter',
		},
	];
}

export interface CallOptions {
	apiVersion: string;
	batchSize: number;
	policy: CallPolicy;
	/** The org's daily API credits, to warn when fewer than 10% remain. */
	dailyCredits: number;
}

/** Reads and checks the shared options; throws InvalidInputError naming the field. */
export function readCallOptions(options: IDataObject): CallOptions {
	const apiVersion = readApiVersion(options.apiVersion, DEFAULT_API_VERSION);
	checkToolOptions(options); // Output, Max Links Per Run (fields/toolOptions.ts)
	const batchSize = wholeNumber(
		options,
		'batchSize',
		'Batch Size',
		1,
		MAX_IDS_PER_CALL,
		MAX_IDS_PER_CALL,
		`Zoho accepts at most ${MAX_IDS_PER_CALL} ids per call; leave it at ${MAX_IDS_PER_CALL} to use the fewest API credits.`,
	);
	const policy: CallPolicy = {
		maxRetries: wholeNumber(
			options,
			'maxRetries',
			'Max Retries',
			0,
			10,
			DEFAULT_CALL_POLICY.maxRetries,
			'Use 0 to never retry, or up to 10.',
		),
		retryBaseDelayMs: wholeNumber(
			options,
			'retryBaseDelayMs',
			'Retry Base Delay (ms)',
			0,
			MAX_RETRY_BASE_DELAY_MS,
			DEFAULT_CALL_POLICY.retryBaseDelayMs,
			'Use a wait in milliseconds, e.g. 1000.',
		),
		maxConcurrentCalls: wholeNumber(
			options,
			'maxConcurrentCalls',
			'Max Concurrent Calls',
			1,
			25,
			DEFAULT_CALL_POLICY.maxConcurrentCalls,
			'Zoho allows 5 (Free) to 25 (Ultimate) concurrent calls per org.',
		),
	};
	const dailyCredits = wholeNumber(
		options,
		'dailyCredits',
		'Daily API Credits',
		1,
		MAX_DAILY_CREDITS,
		5000,
		"Give your org's daily API credit limit (Free edition: 5000).",
	);
	return { apiVersion, batchSize, policy, dailyCredits };
}

/** A whole number option within bounds, or an InvalidInputError naming it. */
function wholeNumber(
	options: IDataObject,
	key: string,
	field: string,
	min: number,
	max: number,
	fallback: number,
	hint: string,
): number {
	const value = options[key] ?? fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < min || n > max) {
		throw new InvalidInputError(
			field,
			`${field} ${showValue(value)} is not a whole number from ${min} to ${max}`,
			hint,
		);
	}
	return n;
}

/** Options of a collection, sorted by display name as n8n's lint wants them. */
export function sortedByName(options: INodeProperties[]): INodeProperties[] {
	return [...options].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

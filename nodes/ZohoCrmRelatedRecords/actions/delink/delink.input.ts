/**
 * Delink's input: the fields of one item, read and validated before any request is sent.
 * Bad input throws InvalidInputError naming the field, its value and what to do.
 */
import type { IDataObject, IExecutePaginationFunctions } from 'n8n-workflow';

import { InvalidInputError, parseRecordId, parseRelatedIds, showValue } from '../../fields/ids';
import { LINKED_RECORD_IDS, RELATED_RECORDS_SOURCE } from '../../fields/linkedRecordsPicker';
import {
	isSupportedPair,
	moduleDisplayName,
	relatedListsOf,
	supportedModules,
} from '../../relations';
import { DEFAULT_CALL_POLICY, type CallPolicy } from '../../zoho/call';
import { API_VERSIONS, DEFAULT_API_VERSION } from '../../zoho/transport';
import type { RelationRef } from './results';

export const MAX_IDS_PER_CALL = 100;
/** Bounds the fields share with the checks below (one source for both). */
export const MAX_RETRY_BASE_DELAY_MS = 60_000;
export const MAX_DAILY_CREDITS = 10_000_000;

export interface DelinkInput extends RelationRef {
	relatedRecordIds: string[];
	apiVersion: string;
	batchSize: number;
	policy: CallPolicy;
	/** The org's daily API credits, to warn when fewer than 10% remain. */
	dailyCredits: number;
	/** Report "relation not found" as success (alreadyUnlinked), so a rerun finishes cleanly. */
	treatNotLinkedAsSuccess: boolean;
	/** Delink every record linked now, read from Zoho. */
	allLinked: boolean;
	/** Report what would be delinked; send no DELETE. */
	dryRun: boolean;
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

/** Reads and validates the item's parameters; throws InvalidInputError naming the field. */
export function readDelinkInput(ctx: IExecutePaginationFunctions): DelinkInput {
	const module = String(ctx.getNodeParameter('module', ''));
	if (!relatedListsOf(module).length) {
		throw new InvalidInputError(
			'Module',
			`Module ${showValue(module)} has no related list that Zoho CRM can delink`,
			`Use one of: ${supportedModules().join(', ')}.`,
		);
	}
	const relatedList = String(ctx.getNodeParameter('relatedList', ''));
	if (!isSupportedPair(module, relatedList)) {
		throw new InvalidInputError(
			'Related List',
			`Related List ${showValue(relatedList)} cannot be delinked from ${moduleDisplayName(module)} records`,
			`For ${module}, use one of: ${relatedListsOf(module).join(', ')}.`,
		);
	}
	const recordId = parseRecordId(
		'Record ID',
		ctx.getNodeParameter('recordId', '', { extractValue: false }),
		module,
	);
	const source = String(ctx.getNodeParameter(RELATED_RECORDS_SOURCE, 'ids'));
	// "All Linked Records" reads the ids from Zoho once the input is known to be valid.
	const relatedRecordIds =
		source === 'all'
			? []
			: source === 'linked'
				? parseRelatedIds('Linked Records', ctx.getNodeParameter(LINKED_RECORD_IDS, []))
				: parseRelatedIds('Related Record IDs', ctx.getNodeParameter('relatedRecordIds', ''));
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const apiVersion = String(options.apiVersion ?? DEFAULT_API_VERSION);
	if (!(API_VERSIONS as readonly string[]).includes(apiVersion)) {
		throw new InvalidInputError(
			'API Version',
			`API Version ${showValue(apiVersion)} is not a Zoho CRM API version`,
			`Use one of: ${API_VERSIONS.join(', ')}.`,
		);
	}
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
	return {
		module,
		relatedList,
		recordId,
		relatedRecordIds,
		apiVersion,
		batchSize,
		policy,
		dailyCredits,
		treatNotLinkedAsSuccess: options.treatNotLinkedAsSuccess === true,
		allLinked: source === 'all',
		dryRun: options.dryRun === true,
	};
}

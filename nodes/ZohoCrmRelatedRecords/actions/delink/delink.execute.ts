/**
 * The Delink operation, run by n8n's routing engine as a pagination function: it validates
 * the input item, splits its ids into calls of at most Batch Size (100), sends each call
 * through `makeRoutingRequest`, and returns one output item per related id.
 */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import {
	isSupportedPair,
	moduleDisplayName,
	relatedListsOf,
	supportedModules,
} from '../../relations';
import { failureFromAnswer, zohoApiError, type ZohoFailure } from '../../shared/errors';
import {
	chunk,
	InvalidInputError,
	parseRecordId,
	parseRelatedIds,
	showValue,
} from '../../shared/ids';
import type { Redactor } from '../../shared/redact';
import { startItem } from '../../shared/itemStart';
import { LINKED_RECORD_IDS, RELATED_RECORDS_SOURCE } from '../../shared/linkedRecordsPicker';
import { readLinkedRecords } from '../../shared/linkedRecords';
import { recordIdOf } from '../../shared/records';
import { versionRequiresFields } from '../../shared/relationInput';
import { creditsRemaining } from '../../shared/retry';
import {
	API_VERSIONS,
	callZoho,
	DEFAULT_API_VERSION,
	DEFAULT_CALL_POLICY,
	isNoAnswer,
	segment,
	type CallPolicy,
	type CallResult,
} from '../../shared/transport';
import {
	dataEntries,
	outcome,
	outcomesFromEntries,
	type DelinkOutcome,
	type RelationRef,
} from './results';

export const MAX_IDS_PER_CALL = 100;

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
			60_000,
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
		10_000_000,
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

/** `routing.operations.pagination` of Delink. */
export async function delinkRelatedRecords(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const start = await startItem(this, readDelinkInput);
	if ('items' in start) return start.items;
	const { input, baseURL, redact, node, itemIndex } = start;
	const ref: RelationRef = {
		module: input.module,
		recordId: input.recordId,
		relatedList: input.relatedList,
	};
	const listPath = `/${segment(input.module)}/${segment(input.recordId)}/${segment(input.relatedList)}`;

	if (input.allLinked || input.dryRun) {
		const read = await readLinkedRecords.call(this, requestData, baseURL, input, {
			fields: versionRequiresFields(input.apiVersion) ? ['id'] : [],
			policy: input.policy,
		});
		if (read.failure) {
			const request = `${input.apiVersion} GET ${input.module} ${input.recordId} → ${input.relatedList}, page ${read.page} (reading the linked records)`;
			throw zohoApiError(node, read.failure, { request, itemIndex }, redact);
		}
		const linked = read.records.map(recordIdOf);
		if (input.allLinked) input.relatedRecordIds = linked;
		if (input.dryRun)
			return toItems(dryRunOutcomes(ref, input.relatedRecordIds, linked), itemIndex, redact);
	}
	// Nothing linked under "All Linked Records": done, with no call and no item.
	if (input.relatedRecordIds.length === 0) return [];
	const batches = chunk(input.relatedRecordIds, input.batchSize);
	const results: BatchResult[] = new Array(batches.length);
	let next = 0;
	let stopped = false;
	// Batches go out in parallel, up to Max Concurrent Calls (the execution-wide cap in
	// callZoho holds across items too). After a whole-call failure no new batch starts.
	const worker = async () => {
		while (next < batches.length && !stopped) {
			const batchIndex = next++;
			const batch = batches[batchIndex];
			const single = batch.length === 1;
			const answer = await callZoho.call(
				this,
				requestData,
				baseURL,
				input.apiVersion,
				{
					method: 'DELETE',
					path: single ? `${listPath}/${segment(batch[0])}` : listPath,
					qs: single ? undefined : { ids: batch.join(',') },
				},
				input.policy,
			);
			const entries = isNoAnswer(answer) ? undefined : dataEntries(answer.body);
			if (entries) {
				const credits = isNoAnswer(answer) ? undefined : creditsRemaining(answer.headers);
				results[batchIndex] = {
					outcomes: outcomesFromEntries(ref, batch, entries).map((o) =>
						withCallFacts(o, answer, credits, input),
					),
				};
				continue;
			}
			const failure: ZohoFailure = isNoAnswer(answer)
				? { code: answer.code, message: answer.message, details: {} }
				: failureFromAnswer(answer);
			if (answer.attempts > 1) failure.attempts = answer.attempts;
			results[batchIndex] = { failure, attempts: answer.attempts };
			stopped = true;
		}
	};
	const workers = Math.min(input.policy.maxConcurrentCalls, batches.length);
	await Promise.all(Array.from({ length: workers }, worker));

	const firstFailure = results.findIndex((r) => r && 'failure' in r);
	if (firstFailure === -1) {
		return toItems(
			results.flatMap((r) => (r as { outcomes: DelinkOutcome[] }).outcomes),
			itemIndex,
			redact,
		);
	}
	const { failure } = results[firstFailure] as { failure: ZohoFailure };
	const done = results.flatMap((r) => (r && 'outcomes' in r ? r.outcomes : []));
	const delinked = done.filter((o) => o.status === 'success').length;
	const unsent = batches.filter((_, index) => !results[index]).flat().length;
	const progress =
		delinked || unsent
			? `${delinked} of ${input.relatedRecordIds.length} ids were delinked by other calls; ${unsent} were not sent.`
			: undefined;
	const request = describeRequest(input, batches[firstFailure]);
	const error = zohoApiError(node, failure, { request, progress, itemIndex }, redact);
	if (!this.continueOnFail()) throw error;

	// Every id still gets its item, in input order. Failed ids are items like Zoho's own
	// per-id errors, with no `error` on the item: n8n would replace their json with the
	// message alone and the ids would be lost.
	const safe = redact(failure);
	const items = batches.flatMap((batch, index) => {
		const result = results[index];
		if (result && 'outcomes' in result) return result.outcomes;
		if (result) {
			const f = redact(result.failure);
			return batch.map((id) => ({
				...outcome(ref, id, 'error', f.code, f.message, f.details),
				attempts: result.attempts,
			}));
		}
		return batch.map((id) =>
			outcome(
				ref,
				id,
				'error',
				'NOT_SENT',
				`Not sent: another call for this record failed with ${safe.code}`,
				{},
			),
		);
	});
	return toItems(items, itemIndex, redact);
}

/** Dry Run: per id, whether it is linked now and so would be delinked. No DELETE is sent. */
function dryRunOutcomes(ref: RelationRef, ids: string[], linked: string[]): DelinkOutcome[] {
	const linkedNow = new Set(linked);
	return ids.map((id) => ({
		...outcome(
			ref,
			id,
			'success',
			'DRY_RUN',
			linkedNow.has(id) ? 'would be delinked' : 'not linked now: nothing to delink',
			{},
		),
		dryRun: true,
		wouldDelink: linkedNow.has(id),
	}));
}

/** What one batch came to: Zoho's per-id answers, or a failure of the whole call. */
type BatchResult = { outcomes: DelinkOutcome[] } | { failure: ZohoFailure; attempts: number };

/**
 * Adds what the call's attempts and headers tell: the attempt count, Zoho's remaining
 * credits (with a warning under 10% of the day), and, when an earlier attempt may have done
 * the work before its answer was lost, a "relation not found" read as delinked (retried).
 */
function withCallFacts(
	o: DelinkOutcome,
	answer: CallResult,
	credits: number | undefined,
	input: DelinkInput,
): DelinkOutcome {
	let result: DelinkOutcome = { ...o, attempts: answer.attempts };
	if (answer.earlierAttemptMayHaveApplied && o.status === 'error' && isRelationNotFound(o)) {
		result = {
			...result,
			status: 'success',
			code: 'SUCCESS',
			message: 'relation removed (an earlier attempt removed it; its answer was lost)',
			retried: true,
		};
	}
	if (input.treatNotLinkedAsSuccess && result.status === 'error' && isRelationNotFound(result)) {
		result = { ...result, status: 'success', alreadyUnlinked: true };
	}
	if (credits !== undefined) {
		result.creditsRemaining = credits;
		if (credits < input.dailyCredits * 0.1) {
			result.warning = `Only ${credits} Zoho API credits left today (under 10% of ${input.dailyCredits}): spread the remaining work over time.`;
		}
	}
	return result;
}

function isRelationNotFound(o: DelinkOutcome): boolean {
	return o.code === 'INVALID_DATA' && /relation not found/i.test(o.message);
}

function toItems(
	outcomes: DelinkOutcome[],
	itemIndex: number,
	redact: Redactor,
): INodeExecutionData[] {
	return outcomes.map((json) => ({ json: redact(json), pairedItem: { item: itemIndex } }));
}

function describeRequest(input: DelinkInput, batch: string[]): string {
	const ids =
		batch.length > 5 ? `${batch.slice(0, 5).join(', ')} … (${batch.length} ids)` : batch.join(', ');
	return `${input.apiVersion} ${input.module} ${input.recordId} → ${input.relatedList}: ${ids}`;
}

/**
 * Sends ids to Zoho's delink call in batches of at most Batch Size, in parallel up to Max
 * Concurrent Calls (the org's cap in zoho/cap.ts holds across items and executions too), and
 * turns Zoho's per-id answers into outcomes that say only what Zoho said.
 */
import type { IDataObject } from 'n8n-workflow';

import { chunk } from '../../fields/ids';
import { failureOf, isNoAnswer, type CallResult, type ZohoClient } from '../../zoho/call';
import type { ZohoFailure } from '../../zoho/errors';
import { inParallel } from '../../zoho/pool';
import { creditsRemaining } from '../../zoho/retry';
import { segment } from '../../zoho/transport';
import type { DelinkInput } from './delink.input';
import { markNotLinked } from './notLinked';
import {
	dataEntries,
	outcome,
	outcomesFromEntries,
	type DelinkOutcome,
	type RelationRef,
} from './results';

/** Code of an id that is not linked after a retry whose earlier attempt's answer was lost. */
export const NOT_LINKED_AFTER_RETRY = 'NOT_LINKED_AFTER_RETRY';

/** What one batch came to: Zoho's per-id answers, or a failure of the whole call. */
export type BatchResult =
	| { ids: string[]; outcomes: DelinkOutcome[] }
	| { ids: string[]; failure: ZohoFailure; attempts: number; mayHaveApplied: boolean }
	| { ids: string[]; notSent: true };

export interface BatchRun {
	results: BatchResult[];
	/** The first whole-call failure; after it no new batch was started. */
	failed?: { failure: ZohoFailure; batch: string[] };
}

export interface BatchOptions {
	/**
	 * Ids known to be linked when this run read the list (All Linked Records), which sharpens
	 * what is said about an answer lost on the way.
	 */
	linkedAtRead?: ReadonlySet<string>;
	/**
	 * The input items that asked for each id, when items share calls. A batch whose items have
	 * all failed already is not sent (NOT_SENT); without owners, one failed call stops the rest.
	 */
	owners?: ReadonlyMap<string, readonly number[]>;
	/**
	 * Tell ids that are records but not linked from mistyped ones, for items that treat
	 * not-linked as success (default: the input's own option).
	 */
	settle?: boolean;
}

/** Delinks `ids` in batches of Batch Size, in parallel up to Max Concurrent Calls. */
export async function delinkInBatches(
	client: ZohoClient,
	input: DelinkInput,
	ref: RelationRef,
	ids: string[],
	options: BatchOptions = {},
): Promise<BatchRun> {
	const { linkedAtRead, owners } = options;
	const settle = options.settle ?? input.treatNotLinkedAsSuccess;
	const listPath = `/${segment(ref.module)}/${segment(ref.recordId)}/${segment(ref.relatedList)}`;
	const batches = chunk(ids, input.batchSize);
	const results: BatchResult[] = batches.map((batch) => ({ ids: batch, notSent: true }));
	const ownersOf = (batch: string[]) => {
		const found = new Set<number>();
		for (const id of batch) for (const owner of owners?.get(id) ?? [-1]) found.add(owner);
		return found;
	};
	const failedOwners = new Set<number>();
	let failed: BatchRun['failed'];
	// A batch whose items have all failed already is not sent (without owners: after one failure)
	const pointless = (index: number) =>
		[...ownersOf(batches[index])].every((owner) => failedOwners.has(owner));
	await inParallel(
		batches.length,
		input.policy.maxConcurrentCalls,
		async (index) => {
			const batch = batches[index];
			const single = batch.length === 1;
			const answer = await client.call(input.apiVersion, {
				method: 'DELETE',
				path: single ? `${listPath}/${segment(batch[0])}` : listPath,
				qs: single ? undefined : { ids: batch.join(',') },
			});
			const entries = isNoAnswer(answer) ? undefined : dataEntries(answer.body);
			if (entries) {
				const outcomes = outcomesFromEntries(ref, batch, entries);
				const settled = await settleNotLinked(client, input, outcomes, answer, {
					linkedAtRead,
					settle,
				});
				results[index] = { ids: batch, outcomes: withCallFacts(settled, answer, input) };
				return;
			}
			const failure = failureOf(answer);
			// no answer at all, or an attempt whose answer was lost: Zoho may have done the work
			const mayHaveApplied = isNoAnswer(answer) || answer.earlierAttemptMayHaveApplied;
			results[index] = { ids: batch, failure, attempts: answer.attempts, mayHaveApplied };
			failed ??= { failure, batch };
			for (const owner of ownersOf(batch)) failedOwners.add(owner);
		},
		pointless,
	);
	return { results, failed };
}

/** Every id of a run in order: Zoho's answers, the failed call's error, or NOT_SENT. */
export function outcomesOfRun(
	ref: RelationRef,
	run: BatchRun,
	redact: <T>(value: T) => T,
): DelinkOutcome[] {
	return run.results.flatMap((result) => {
		if ('outcomes' in result) return result.outcomes;
		if ('failure' in result) {
			const f = redact(result.failure);
			const message = result.mayHaveApplied
				? `${f.message} (Zoho may have removed it before its answer was lost: check with Get Linked Records or Dry Run before running again)`
				: f.message;
			return result.ids.map((id) => {
				const o = outcome(ref, id, 'error', f.code, message, f.details);
				o.attempts = result.attempts; // a new object: the same as { ...o, attempts }
				if (result.mayHaveApplied) o.mayHaveApplied = true;
				return o;
			});
		}
		const code = run.failed ? redact(run.failed.failure).code : 'UNKNOWN';
		return result.ids.map((id) =>
			outcome(
				ref,
				id,
				'error',
				'NOT_SENT',
				`Not sent: another call for this record failed with ${code}`,
				{},
			),
		);
	});
}

/**
 * Ids Zoho refused with INVALID_DATA, where it matters whether they are simply not linked
 * (Treat Not-Linked as Success, or a retry after a lost answer): decided from Zoho's state,
 * not from a message text (Zoho does not document what it answers for an id that is not
 * linked). One read of the related module by ids (`GET /{list}?ids=…`, one API credit per
 * batch that has such ids) tells which are records: a record Zoho will not delink is not
 * linked; an id that is no record at all (a mistyped id) keeps Zoho's error. When that read
 * fails, Zoho's own "relation not found" is the fallback. Ids found not linked are marked
 * (isProvenNotLinked); each item decides with its own Treat Not-Linked as Success.
 */
async function settleNotLinked(
	client: ZohoClient,
	input: DelinkInput,
	outcomes: DelinkOutcome[],
	answer: CallResult,
	options: { linkedAtRead?: ReadonlySet<string>; settle: boolean },
): Promise<DelinkOutcome[]> {
	const { linkedAtRead } = options;
	if (!answer.earlierAttemptMayHaveApplied && !options.settle) return outcomes;
	const refused = outcomes.filter((o) => o.status === 'error' && o.code === 'INVALID_DATA');
	if (refused.length === 0) return outcomes;
	const records = await existingRecords(
		client,
		input,
		refused.map((o) => o.relatedRecordId),
	);
	const notLinked = (o: DelinkOutcome) =>
		records ? records.has(o.relatedRecordId) : /relation not found/i.test(o.message);
	return outcomes.map((o) => {
		if (!refused.includes(o) || !notLinked(o)) return o;
		if (!answer.earlierAttemptMayHaveApplied) return markNotLinked(o);
		const before = linkedAtRead?.has(o.relatedRecordId)
			? 'It was linked when this run read the list, so that attempt most likely removed it.'
			: 'That attempt may have removed it, or it was not linked before this run.';
		return markNotLinked({
			...o,
			code: NOT_LINKED_AFTER_RETRY,
			message: `Not linked now. An earlier attempt of this call reached Zoho but its answer was lost. ${before} Zoho's answer to the retry: ${o.code} "${o.message}".`,
			details: { ...o.details, zohoCode: o.code, zohoMessage: o.message },
			retried: true,
		});
	});
}

/** Which of `ids` are records of the related list's module, or undefined when Zoho would not say. */
async function existingRecords(
	client: ZohoClient,
	input: DelinkInput,
	ids: string[],
): Promise<Set<string> | undefined> {
	const answer = await client.call(input.apiVersion, {
		method: 'GET',
		path: `/${segment(input.relatedList)}`,
		qs: { ids: ids.join(','), fields: 'id' },
	});
	if (isNoAnswer(answer)) return undefined;
	if (answer.statusCode === 204) return new Set();
	const data = (answer.body as IDataObject | undefined)?.data;
	if (answer.statusCode !== 200 || !Array.isArray(data)) return undefined;
	return new Set(
		data
			.map((record) => String((record as IDataObject | null)?.id ?? ''))
			.filter((id) => id !== ''),
	);
}

/**
 * Adds what the call's attempts and headers tell: the attempt count, and Zoho's remaining
 * credits (with a warning under 10% of the day). The outcomes of one call are objects made for
 * it alone (outcomesFromEntries, settleNotLinked), so the facts are set on them in place, in
 * the order a copy `{ ...o, attempts, creditsRemaining, warning }` would have them.
 */
function withCallFacts(
	outcomes: DelinkOutcome[],
	answer: CallResult,
	input: DelinkInput,
): DelinkOutcome[] {
	const credits = isNoAnswer(answer) ? undefined : creditsRemaining(answer.headers);
	const warning =
		credits !== undefined && credits < input.dailyCredits * 0.1
			? `Only ${credits} Zoho API credits left today (under 10% of ${input.dailyCredits}): spread the remaining work over time.`
			: undefined;
	for (const o of outcomes) {
		o.attempts = answer.attempts;
		if (credits !== undefined) {
			o.creditsRemaining = credits;
			if (warning !== undefined) o.warning = warning;
		}
	}
	return outcomes;
}

/**
 * From what the run found per id (Zoho's answer, the read before it, an earlier try) to what
 * one input item says about it, with that item's own options: its relation data (Keep Relation
 * Data), not-linked as success (Treat Not-Linked as Success), the items it shared the id with;
 * then its output items, or the error that fails it.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { ItemStart } from '../../fields/itemStart';
import { relationErrorItem, zohoApiError, type ZohoFailure } from '../../zoho/errors';
import type { LinkedRead } from '../../zoho/linkedRecords';
import type { ItemJob, ItemResult } from '../sharedItem';
import type { BatchRun } from './batches';
import type { DelinkInput } from './delink.input';
import type { Removal } from './ledger';
import { isProvenNotLinked, markNotLinked } from './notLinked';
import { withRelation } from './readBefore';
import { outcome, type DelinkOutcome, type RelationRef } from './results';

/** Code of an id Zoho answered for although a read just before showed it not linked. */
export const NOT_LINKED = 'NOT_LINKED';

type DelinkJob = ItemJob<DelinkInput>;

/**
 * Zoho's answer for an id, with what the read before it showed (`linkedBefore`: true, false, or
 * null when no read could tell). A "removed" for a record that was not linked removed nothing:
 * it becomes NOT_LINKED, whatever Zoho said. A link that was listed just before and that the
 * retry of a call whose answer was lost finds gone was removed: NOT_LINKED_AFTER_RETRY with
 * status success.
 */
export function withLinkedBefore(o: DelinkOutcome, linkedBefore: boolean | null): DelinkOutcome {
	if (o.relatedRecordId === '') return o;
	if (linkedBefore === false && (o.code === 'SUCCESS' || o.code === 'NOT_LINKED_AFTER_RETRY')) {
		const zoho = o.code === 'SUCCESS' ? o : (o.details as IDataObject);
		const zohoCode = String(o.code === 'SUCCESS' ? o.code : zoho.zohoCode);
		const zohoMessage = String(o.code === 'SUCCESS' ? o.message : zoho.zohoMessage);
		return markNotLinked({
			...o,
			status: 'error',
			code: NOT_LINKED,
			message: `Not linked: Zoho did not list this record as linked when this run read the list just before, so nothing was removed. Zoho answered ${zohoCode} "${zohoMessage}".`,
			details: { ...o.details, zohoCode, zohoMessage },
			linkedBefore,
		});
	}
	if (linkedBefore === true && o.code === 'NOT_LINKED_AFTER_RETRY') {
		// listed just before, gone now: the attempt whose answer was lost removed it
		return markNotLinked({
			...o,
			status: 'success',
			message: `Removed: it was linked when this run read the list just before, an attempt reached Zoho but its answer was lost, and the retry finds it not linked. Zoho's answer to the retry: ${String((o.details as IDataObject).zohoCode)} "${String((o.details as IDataObject).zohoMessage)}".`,
			linkedBefore,
		});
	}
	o.linkedBefore = linkedBefore; // the outcome is the run's own object, made for this id
	return o;
}

/** A removal an earlier try of this node run made, as this try reports it. */
export function fromEarlierTry(removal: Removal): DelinkOutcome {
	return {
		...removal.outcome,
		removedByEarlierTry: true,
		message: `${removal.outcome.message} (by an earlier try of this node in this execution: n8n's Retry On Fail)`,
	};
}

/** What one item says about an id, with its own options. */
export function forItem(
	fact: DelinkOutcome,
	input: DelinkInput,
	context: {
		relations?: ReadonlyMap<string, IDataObject>;
		truncated: boolean;
		sharedWith: readonly number[];
		earlierRelation?: IDataObject | null;
	},
): DelinkOutcome {
	const notLinked = isProvenNotLinked(fact);
	let o = fact;
	if (input.keepRelationData) {
		if (context.earlierRelation !== undefined) o = { ...o, relation: context.earlierRelation };
		else o = withRelation(o, context.relations, context.truncated);
	} else if ('relation' in o) {
		o = { ...o };
		delete o.relation;
		delete o.relationNote;
	}
	if (input.treatNotLinkedAsSuccess && notLinked && o.status === 'error')
		o = { ...o, status: 'success', alreadyUnlinked: true };
	if (context.sharedWith.length) {
		// The same as { ...o, sharedWith }, which V8 builds far more slowly (once per id and item).
		if (o === fact) o = { ...o };
		o.sharedWith = context.sharedWith as number[];
	}
	return o;
}

/**
 * A read that failed: a NodeApiError, or (Continue On Fail) the outcomes so far and, for an
 * item that named its ids, one error item per id (nothing was sent for them; an id an earlier
 * try removed is reported as `earlier` says), else one error item for the relation.
 */
export function readFailed(
	job: DelinkJob,
	ref: RelationRef,
	read: LinkedRead,
	reported: DelinkOutcome[],
	earlier: (id: string) => DelinkOutcome | undefined = () => undefined,
): ItemResult {
	const { input, node, itemIndex, redact } = job.start;
	const failure = read.failure as ZohoFailure;
	const request = `${input.apiVersion} GET ${input.module} ${input.recordId} → ${input.relatedList}, page ${read.page} (reading the linked records)`;
	const done = reported.filter((o) => o.status === 'success').length;
	const progress = reported.length
		? `${done} of ${reported.length} ids sent before this read were delinked (see the items with Continue On Fail).`
		: undefined;
	if (!job.continueOnFail) {
		return { error: zohoApiError(node, failure, { request, progress, itemIndex }, redact) };
	}
	if (!input.allLinked) {
		const safe = redact(failure);
		// Zoho's code and message, as for the ids of a failed call; nothing was sent for them.
		const unsent = input.relatedRecordIds.map(
			(id) =>
				earlier(id) ?? {
					...outcome(ref, id, 'error', safe.code, safe.message, safe.details),
					readFailed: true,
					...(safe.attempts ? { attempts: safe.attempts } : {}),
				},
		);
		return { items: toItems(unsent, job.start) };
	}
	return {
		items: [...toItems(reported, job.start), relationErrorItem(ref, failure, itemIndex, redact)],
	};
}

/** The outcomes, or the item's first whole-call failure as a NodeApiError (unless Continue On Fail). */
export function finish(
	job: DelinkJob,
	ref: RelationRef,
	outcomes: DelinkOutcome[],
	failed: BatchRun['failed'],
): ItemResult {
	if (!failed || job.continueOnFail) return { items: toItems(outcomes, job.start) };
	const { input, node, itemIndex, redact } = job.start;
	const delinked = outcomes.filter((o) => o.status === 'success').length;
	const unsent = outcomes.filter((o) => o.code === 'NOT_SENT').length;
	const progress =
		delinked || unsent
			? `${delinked} of ${outcomes.length} ids were delinked by other calls; ${unsent} were not sent.`
			: undefined;
	const request = describeRequest(input, ref, failed.batch);
	return { error: zohoApiError(node, failed.failure, { request, progress, itemIndex }, redact) };
}

// Failed ids are items like Zoho's own per-id errors, with no `error` on the item: n8n would
// replace their json with the message alone and the ids would be lost.
// Zoho's `details.id` is the related id again: the item keeps one copy of that string.
export function toItems(
	outcomes: DelinkOutcome[],
	start: ItemStart<DelinkInput>,
): INodeExecutionData[] {
	const { itemIndex, redact } = start;
	return outcomes.map((o) => {
		const json = redact(o);
		const details = json.details as IDataObject | undefined;
		if (details?.id === json.relatedRecordId) details.id = json.relatedRecordId;
		return { json, pairedItem: { item: itemIndex } };
	});
}

function describeRequest(input: DelinkInput, ref: RelationRef, batch: string[]): string {
	const ids =
		batch.length > 5 ? `${batch.slice(0, 5).join(', ')} … (${batch.length} ids)` : batch.join(', ');
	return `${input.apiVersion} ${ref.module} ${ref.recordId} → ${ref.relatedList}: ${ids}`;
}

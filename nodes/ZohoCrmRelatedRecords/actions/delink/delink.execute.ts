/**
 * The Delink operation, run by n8n's routing engine as a pagination function: it validates
 * the input item, sends its ids in calls of at most Batch Size (100) through
 * `makeRoutingRequest`, and returns one output item per related id. All Linked Records reads
 * the list and delinks what it read until Zoho lists nothing new (its 2,000-record page window
 * is passed by reading again after each delink); Dry Run only reads.
 */
import type {
	DeclarativeRestApiSettings,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { startItem, type ItemStart } from '../../fields/itemStart';
import { recordIdOf } from '../../fields/records';
import { versionRequiresFields } from '../../fields/relationInput';
import { ZohoClient } from '../../zoho/call';
import { relationErrorItem, zohoApiError, type ZohoFailure } from '../../zoho/errors';
import { LIST_WINDOW_NOTE, readLinkedRecords, type LinkedRead } from '../../zoho/linkedRecords';
import type { Redactor } from '../../zoho/redact';
import { delinkInBatches, outcomesOfRun, type BatchRun } from './batches';
import { readDelinkInput, type DelinkInput } from './delink.input';
import { dryRunOutcomes } from './dryRun';
import { outcome, type DelinkOutcome, type RelationRef } from './results';

/** Code of the item that says records are still linked after All Linked Records. */
export const STILL_LINKED = 'STILL_LINKED';

type Start = ItemStart<DelinkInput>;

/** `routing.operations.pagination` of Delink. */
export async function delinkRelatedRecords(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const start = await startItem(this, readDelinkInput);
	if ('items' in start) return start.items;
	const { input } = start;
	const client = new ZohoClient(this, requestData, {
		baseURL: start.baseURL,
		orgKey: start.orgKey,
		tokenFingerprint: start.tokenFingerprint,
		policy: input.policy,
	});
	const ref: RelationRef = {
		module: input.module,
		recordId: input.recordId,
		relatedList: input.relatedList,
	};
	const continueOnFail = this.continueOnFail();
	if (input.dryRun) return await dryRun(client, start, ref, continueOnFail);
	if (input.allLinked) return await delinkAllLinked(client, start, ref, continueOnFail);
	const run = await delinkInBatches(client, input, ref, input.relatedRecordIds);
	return finish(start, ref, outcomesOfRun(ref, run, start.redact), run, continueOnFail);
}

function readList(client: ZohoClient, input: DelinkInput): Promise<LinkedRead> {
	return readLinkedRecords(client, input, {
		fields: versionRequiresFields(input.apiVersion) ? ['id'] : [],
	});
}

/** Dry Run: per id, whether it is linked now and so would be delinked. No DELETE is sent. */
async function dryRun(
	client: ZohoClient,
	start: Start,
	ref: RelationRef,
	continueOnFail: boolean,
): Promise<INodeExecutionData[]> {
	const { input } = start;
	const read = await readList(client, input);
	if (read.failure) return readFailed(start, ref, read, [], continueOnFail);
	const linked = read.records.map(recordIdOf);
	const ids = input.allLinked ? linked : input.relatedRecordIds;
	return toItems(dryRunOutcomes(ref, ids, linked, read.truncated), start);
}

/**
 * All Linked Records: read the list as far as Zoho shows it, delink what was read, and read
 * again, until a read shows nothing this run has not sent. Each id is sent and reported once,
 * however the list shifts between pages; what is still linked at the end is said on its item
 * (and in one STILL_LINKED item when Zoho's window hides the rest).
 */
async function delinkAllLinked(
	client: ZohoClient,
	start: Start,
	ref: RelationRef,
	continueOnFail: boolean,
): Promise<INodeExecutionData[]> {
	const { input, redact } = start;
	const reported: DelinkOutcome[] = [];
	const byId = new Map<string, DelinkOutcome>();
	for (;;) {
		const read = await readList(client, input);
		if (read.failure) return readFailed(start, ref, read, reported, continueOnFail);
		const linked = read.records.map(recordIdOf).filter((id) => id !== '');
		const fresh = linked.filter((id) => !byId.has(id));
		if (fresh.length === 0) {
			return toItems([...markStillLinked(reported, linked, read, ref)], start);
		}
		const run = await delinkInBatches(client, input, ref, fresh, new Set(fresh));
		for (const o of outcomesOfRun(ref, run, redact)) {
			reported.push(o);
			byId.set(o.relatedRecordId, o);
		}
		if (run.failed) return finish(start, ref, reported, run, continueOnFail);
	}
}

/** Ids the last read still lists, all already sent: delink refused, or linked again meanwhile. */
function* markStillLinked(
	reported: DelinkOutcome[],
	linked: string[],
	read: LinkedRead,
	ref: RelationRef,
): Generator<DelinkOutcome> {
	const still = new Set(linked);
	for (const o of reported) {
		if (!still.has(o.relatedRecordId)) yield o;
		else if (o.status === 'error') yield { ...o, stillLinked: true };
		else {
			yield {
				...o,
				stillLinked: true,
				warning: 'Linked again while this run was going on (by someone else): it is linked now.',
			};
		}
	}
	if (read.truncated) {
		yield {
			...outcome(
				ref,
				'',
				'error',
				STILL_LINKED,
				`Records are still linked: Zoho lists only the first 2,000 linked records, and all of those are records it refused to delink in this run (see their items), so the ones after them could not be read. ${LIST_WINDOW_NOTE}`,
				{ shownByZoho: linked.length },
			),
			stillLinked: true,
		};
	}
}

/** A read that failed: a NodeApiError, or (Continue On Fail) the outcomes so far and an error item. */
function readFailed(
	start: Start,
	ref: RelationRef,
	read: LinkedRead,
	reported: DelinkOutcome[],
	continueOnFail: boolean,
): INodeExecutionData[] {
	const { input, node, itemIndex, redact } = start;
	const failure = read.failure as ZohoFailure;
	const request = `${input.apiVersion} GET ${input.module} ${input.recordId} → ${input.relatedList}, page ${read.page} (reading the linked records)`;
	const done = reported.filter((o) => o.status === 'success').length;
	const progress = reported.length
		? `${done} of ${reported.length} ids sent before this read were delinked (see the error's items with Continue On Fail).`
		: undefined;
	const error = zohoApiError(node, failure, { request, progress, itemIndex }, redact);
	if (!continueOnFail) throw error;
	return [...toItems(reported, start), relationErrorItem(ref, failure, itemIndex, redact)];
}

/** The outcomes, or the first whole-call failure as a NodeApiError (unless Continue On Fail). */
function finish(
	start: Start,
	ref: RelationRef,
	outcomes: DelinkOutcome[],
	run: BatchRun,
	continueOnFail: boolean,
): INodeExecutionData[] {
	if (!run.failed || continueOnFail) return toItems(outcomes, start);
	const { input, node, itemIndex, redact } = start;
	const delinked = outcomes.filter((o) => o.status === 'success').length;
	const unsent = outcomes.filter((o) => o.code === 'NOT_SENT').length;
	const progress =
		delinked || unsent
			? `${delinked} of ${outcomes.length} ids were delinked by other calls; ${unsent} were not sent.`
			: undefined;
	const request = describeRequest(input, ref, run.failed.batch);
	throw zohoApiError(node, run.failed.failure, { request, progress, itemIndex }, redact);
}

// Failed ids are items like Zoho's own per-id errors, with no `error` on the item: n8n would
// replace their json with the message alone and the ids would be lost.
function toItems(outcomes: DelinkOutcome[], start: Start): INodeExecutionData[] {
	const { itemIndex, redact }: { itemIndex: number; redact: Redactor } = start;
	return outcomes.map((json) => ({ json: redact(json), pairedItem: { item: itemIndex } }));
}

function describeRequest(input: DelinkInput, ref: RelationRef, batch: string[]): string {
	const ids =
		batch.length > 5 ? `${batch.slice(0, 5).join(', ')} … (${batch.length} ids)` : batch.join(', ');
	return `${input.apiVersion} ${ref.module} ${ref.recordId} → ${ref.relatedList}: ${ids}`;
}

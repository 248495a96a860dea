/**
 * The Delink operation, run by n8n's routing engine as a pagination function, once per input
 * item: it validates the item, then hands its job to the node run's group (zoho/sharing.ts),
 * so that items asking for the same relation with the same options share Zoho calls of up to
 * Batch Size ids. Every item gets its own output items, in its own id order, paired to it.
 *
 * - Enter IDs / Choose From Linked Records: the items' ids are sent once each, in calls of at
 *   most Batch Size; an id asked for by several items says so (`sharedWith`).
 * - All Linked Records: read the list as far as Zoho shows it, delink what was read, and read
 *   again until nothing new is listed (Zoho's 2,000-record page window is passed that way).
 * - Dry Run: only reads.
 */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import type { ItemStart } from '../../fields/itemStart';
import { recordIdOf } from '../../fields/records';
import { versionRequiresFields } from '../../fields/relationInput';
import { relationFieldsOf } from '../../relations';
import { ZohoClient } from '../../zoho/call';
import { relationErrorItem, zohoApiError, type ZohoFailure } from '../../zoho/errors';
import { LIST_WINDOW_NOTE, readLinkedRecords, type LinkedRead } from '../../zoho/linkedRecords';
import type { Submitted } from '../../zoho/sharing';
import { clientOf, runSharedItem, type ItemJob, type ItemResult } from '../sharedItem';
import { delinkInBatches, outcomesOfRun, type BatchRun } from './batches';
import { readDelinkInput, type DelinkInput } from './delink.input';
import { dryRunOutcomes } from './dryRun';
import { outcome, type DelinkOutcome, type RelationRef } from './results';

/** Code of the item that says records are still linked after All Linked Records. */
export const STILL_LINKED = 'STILL_LINKED';

type Start = ItemStart<DelinkInput>;

type DelinkJob = ItemJob<DelinkInput>;

/** `routing.operations.pagination` of Delink. */
export async function delinkRelatedRecords(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	return await runSharedItem(this, requestData, {
		read: readDelinkInput,
		shareKey,
		runner: runJobs,
	});
}

/**
 * Items share calls only when sharing cannot change what any of them gets: same org, API
 * version, relation, way of giving ids, and options.
 */
function shareKey({ input, orgKey }: Start): string {
	const { apiVersion, module, recordId, relatedList, batchSize, policy, dailyCredits } = input;
	const { treatNotLinkedAsSuccess, allLinked, dryRun } = input;
	return JSON.stringify({
		...{ orgKey, apiVersion, module, recordId, relatedList, batchSize, policy, dailyCredits },
		...{ treatNotLinkedAsSuccess, allLinked, dryRun },
	});
}

/** Runs the jobs of one key together: the first job's context sends the calls for all. */
async function runJobs(jobs: Array<Submitted<DelinkJob>>): Promise<Map<number, ItemResult>> {
	const { start } = jobs[0].job;
	const { input } = start;
	const client = clientOf(jobs[0].job);
	const ref: RelationRef = {
		module: input.module,
		recordId: input.recordId,
		relatedList: input.relatedList,
	};
	const results = new Map<number, ItemResult>();
	if (input.dryRun) {
		const read = await readList(client, input);
		const linked = read.records.map(recordIdOf);
		const relations = input.keepRelationData ? relationById(input, read.records) : undefined;
		for (const { itemIndex, job } of jobs) {
			const ids = input.allLinked ? linked : job.start.input.relatedRecordIds;
			const outcomes = dryRunOutcomes(ref, ids, linked, read.truncated).map((o) =>
				relations?.has(o.relatedRecordId)
					? { ...o, relation: relations.get(o.relatedRecordId) }
					: o,
			);
			results.set(
				itemIndex,
				read.failure ? readFailed(job, ref, read, []) : { items: toItems(outcomes, job.start) },
			);
		}
		return results;
	}
	if (input.allLinked) {
		const all = await delinkAllLinked(client, start, ref);
		const others = (itemIndex: number) =>
			jobs.map((j) => j.itemIndex).filter((i) => i !== itemIndex);
		for (const { itemIndex, job } of jobs) {
			const outcomes = all.outcomes.map((o) => withSharing(o, others(itemIndex)));
			results.set(
				itemIndex,
				all.read
					? readFailed(job, ref, all.read, outcomes)
					: finish(job, ref, outcomes, all.run?.failed),
			);
		}
		return results;
	}
	const owners = new Map<string, number[]>();
	for (const { itemIndex, job } of jobs) {
		for (const id of job.start.input.relatedRecordIds) {
			const list = owners.get(id);
			if (list) list.push(itemIndex);
			else owners.set(id, [itemIndex]);
		}
	}
	let relations: Map<string, IDataObject> | undefined;
	let truncated = false;
	if (input.keepRelationData) {
		// Read the links' data before removing them: until every id asked for is seen.
		const wanted = new Set(owners.keys());
		const read = await readList(client, input, (records) => {
			const seen = new Set(records.map(recordIdOf));
			return [...wanted].every((id) => seen.has(id));
		});
		if (read.failure) {
			for (const { itemIndex, job } of jobs) results.set(itemIndex, readFailed(job, ref, read, []));
			return results;
		}
		relations = relationById(input, read.records);
		truncated = read.truncated;
	}
	const run = await delinkInBatches(client, input, ref, [...owners.keys()], { owners });
	const byId = new Map(
		withRelation(outcomesOfRun(ref, run, start.redact), relations, truncated).map((o) => [
			o.relatedRecordId,
			o,
		]),
	);
	for (const { itemIndex, job } of jobs) {
		const ids = job.start.input.relatedRecordIds;
		const outcomes = ids.map((id) =>
			withSharing(
				byId.get(id) as DelinkOutcome,
				(owners.get(id) ?? []).filter((i) => i !== itemIndex),
			),
		);
		results.set(itemIndex, finish(job, ref, outcomes, failureOfItem(run, new Set(ids))));
	}
	return results;
}

/** The first whole-call failure among the calls that carried this item's ids. */
function failureOfItem(run: BatchRun, ids: ReadonlySet<string>): BatchRun['failed'] {
	for (const result of run.results) {
		if ('failure' in result && result.ids.some((id) => ids.has(id))) {
			return { failure: result.failure, batch: result.ids };
		}
	}
	return undefined;
}

function withSharing(o: DelinkOutcome, sharedWith: number[]): DelinkOutcome {
	if (!sharedWith.length) return o;
	// The same as { ...o, sharedWith }, which V8 builds far more slowly (once per id and item).
	const shared = { ...o };
	shared.sharedWith = sharedWith;
	return shared;
}

/**
 * Reads the linked records, with the fields that live on each link when Keep Relation Data is
 * on (v2 and v2.1 send every field without a field list).
 */
function readList(
	client: ZohoClient,
	input: DelinkInput,
	until?: (records: readonly IDataObject[]) => boolean,
): Promise<LinkedRead> {
	const kept = input.keepRelationData ? keptFields(input) : [];
	return readLinkedRecords(client, input, {
		fields: versionRequiresFields(input.apiVersion) ? ['id', ...kept] : [],
		until,
	});
}

function keptFields(input: DelinkInput): string[] {
	return relationFieldsOf(input.module, input.relatedList).map((f) => f.name);
}

/** id → the data on its link, from records read with Keep Relation Data. */
function relationById(
	input: DelinkInput,
	records: readonly IDataObject[],
): Map<string, IDataObject> {
	const fields = keptFields(input);
	return new Map(
		records.map((record) => [
			recordIdOf(record),
			Object.fromEntries(fields.map((f) => [f, record[f] ?? null])) as IDataObject,
		]),
	);
}

/** Puts the kept relation data on the outcomes (Keep Relation Data), or says it was not read. */
function withRelation(
	outcomes: DelinkOutcome[],
	relations: ReadonlyMap<string, IDataObject> | undefined,
	truncated = false,
): DelinkOutcome[] {
	if (!relations) return outcomes;
	return outcomes.map((o) => {
		if (o.relatedRecordId === '') return o;
		const relation = relations.get(o.relatedRecordId);
		if (relation) return { ...o, relation };
		return {
			...o,
			relation: null,
			relationNote: truncated
				? `Relation data not kept: this record is not among the linked records Zoho lists. ${LIST_WINDOW_NOTE}`
				: 'Relation data not kept: Zoho did not list this record as linked when it was read.',
		};
	});
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
): Promise<{ outcomes: DelinkOutcome[]; read?: LinkedRead; run?: BatchRun }> {
	const { input, redact } = start;
	const outcomes: DelinkOutcome[] = [];
	const sent = new Set<string>();
	for (;;) {
		const read = await readList(client, input);
		if (read.failure) return { outcomes, read };
		const linked = read.records.map(recordIdOf).filter((id) => id !== '');
		const fresh = linked.filter((id) => !sent.has(id));
		if (fresh.length === 0) return { outcomes: [...markStillLinked(outcomes, linked, read, ref)] };
		const run = await delinkInBatches(client, input, ref, fresh, { linkedAtRead: new Set(fresh) });
		const relations = input.keepRelationData ? relationById(input, read.records) : undefined;
		for (const o of withRelation(outcomesOfRun(ref, run, redact), relations)) {
			outcomes.push(o);
			sent.add(o.relatedRecordId);
		}
		if (run.failed) return { outcomes, run };
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
				`Records are still linked: all of the linked records Zoho lists are records it refused to delink in this run (see their items), so the ones after them could not be read. ${LIST_WINDOW_NOTE}`,
				{ shownByZoho: linked.length },
			),
			stillLinked: true,
		};
	}
}

/** A read that failed: a NodeApiError, or (Continue On Fail) the outcomes so far and an error item. */
function readFailed(
	job: DelinkJob,
	ref: RelationRef,
	read: LinkedRead,
	reported: DelinkOutcome[],
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
	return {
		items: [...toItems(reported, job.start), relationErrorItem(ref, failure, itemIndex, redact)],
	};
}

/** The outcomes, or the item's first whole-call failure as a NodeApiError (unless Continue On Fail). */
function finish(
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
function toItems(outcomes: DelinkOutcome[], start: Start): INodeExecutionData[] {
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

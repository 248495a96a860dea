/**
 * The Link operation (Zoho's Update Related Records), run by n8n's routing engine as a
 * pagination function once per input item: it validates the item and hands its job to the
 * node run's group (zoho/sharing.ts), so items that link to the same record with the same
 * options share calls of up to Batch Size related records:
 * `PUT /{module}/{record}/{list}` with `{"data":[{"id":…, "Member_Status":…}, …]}`, or
 * `PUT …/{list}/{id}` for one. One output item per related id, paired to its input item, with
 * Zoho's per-id answer; the same errors, retries and cap as Delink.
 */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { chunk } from '../../fields/ids';
import type { ItemStart } from '../../fields/itemStart';
import { failureOf, isNoAnswer } from '../../zoho/call';
import { zohoApiError, type ZohoFailure } from '../../zoho/errors';
import { inParallel } from '../../zoho/pool';
import type { Submitted } from '../../zoho/sharing';
import { clientOf, runSharedItem, type ItemJob, type ItemResult } from '../sharedItem';
import { segment } from '../../zoho/transport';
import {
	dataEntries,
	outcome,
	outcomesFromEntries,
	type DelinkOutcome as LinkOutcome,
	type RelationRef,
} from '../delink/results';
import { readLinkInput, type LinkEntry, type LinkInput } from './link.input';

type Start = ItemStart<LinkInput>;

type LinkJob = ItemJob<LinkInput>;

/** Code of an item that asks for the same related record as another with other relation data. */
export const CONFLICTING_RELATION_DATA = 'CONFLICTING_RELATION_DATA';
/** Code of an undo item whose Delink output says no link was removed. */
export const NOTHING_TO_RESTORE = 'NOTHING_TO_RESTORE';

/** `routing.operations.pagination` of Link. */
export async function linkRelatedRecords(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	return await runSharedItem(this, requestData, {
		read: readLinkInput,
		shareKey,
		runner: runJobs,
		alone: (start) => (start.input.skip ? skipped(start) : undefined),
	});
}

function skipped({ input, itemIndex }: Start): INodeExecutionData[] {
	const { module, recordId, relatedList } = input;
	const json = {
		...outcome(
			{ module, recordId, relatedList },
			input.entries[0]?.id ?? '',
			'error',
			NOTHING_TO_RESTORE,
			input.skip as string,
			{},
		),
		status: 'skipped',
	};
	return [{ json, pairedItem: { item: itemIndex } }];
}

/**
 * Items that link to the same record through the same list run together, whatever their
 * options: a related record asked for by several items is sent once, and an item that asks for
 * other relation data than an earlier one is told so instead of both being told "success".
 */
function shareKey({ input, orgKey }: Start): string {
	const { module, recordId, relatedList } = input;
	return JSON.stringify({ orgKey, module, recordId, relatedList, operation: 'link' });
}

/** What must be equal for entries to go in the same calls: how the calls are made. */
function callKey(input: LinkInput): string {
	const { apiVersion, batchSize, policy, dailyCredits } = input;
	return JSON.stringify({ apiVersion, batchSize, policy, dailyCredits });
}

/** Runs the jobs of one key together: the first job's context sends the calls for all. */
async function runJobs(jobs: Array<Submitted<LinkJob>>): Promise<Map<number, ItemResult>> {
	const { start } = jobs[0].job;
	const { input } = start;
	const ref: RelationRef = {
		module: input.module,
		recordId: input.recordId,
		relatedList: input.relatedList,
	};
	// Each related record once; the first item's relation data wins, an item asking for other
	// data for the same record gets an error for it instead of a silent overwrite.
	const chosen = new Map<string, { entry: LinkEntry; owners: number[]; job: LinkJob }>();
	const conflicts = new Map<number, Set<string>>();
	for (const { itemIndex, job } of jobs) {
		for (const entry of job.start.input.entries) {
			const seen = chosen.get(entry.id);
			if (!seen) chosen.set(entry.id, { entry, owners: [itemIndex], job });
			else if (JSON.stringify(seen.entry.data) === JSON.stringify(entry.data))
				seen.owners.push(itemIndex);
			else conflicts.set(itemIndex, (conflicts.get(itemIndex) ?? new Set()).add(entry.id));
		}
	}
	// Entries go in the calls of the first item that asked for them (its version, size, policy).
	const byCalls = new Map<string, { job: LinkJob; entries: LinkEntry[] }>();
	for (const { entry, job } of chosen.values()) {
		const key = callKey(job.start.input);
		const calls = byCalls.get(key) ?? { job, entries: [] };
		calls.entries.push(entry);
		byCalls.set(key, calls);
	}
	const byId = new Map<string, LinkOutcome>();
	const failures: Array<{ failure: ZohoFailure; batch: string[] }> = [];
	const failedOwners = new Set<number>();
	const ownersOf = (batch: LinkEntry[]) =>
		new Set(batch.flatMap((e) => chosen.get(e.id)?.owners ?? []));
	const listPath = `/${segment(ref.module)}/${segment(ref.recordId)}/${segment(ref.relatedList)}`;
	for (const calls of byCalls.values()) {
		const client = clientOf(calls.job);
		const { apiVersion, batchSize, policy } = calls.job.start.input;
		const batches = chunk(calls.entries, batchSize);
		await inParallel(
			batches.length,
			policy.maxConcurrentCalls,
			async (index) => {
				const batch = batches[index];
				const ids = batch.map((e) => e.id);
				const single = batch.length === 1;
				const answer = await client.call(apiVersion, {
					method: 'PUT',
					path: single ? `${listPath}/${segment(ids[0])}` : listPath,
					body: {
						data: batch.map((e) => (single ? { ...e.data } : { id: e.id, ...e.data })),
					},
				});
				const entries = isNoAnswer(answer) ? undefined : dataEntries(answer.body);
				if (entries) {
					outcomesFromEntries(ref, ids, entries).forEach((o, i) => {
						const data = batch[i].data;
						byId.set(o.relatedRecordId, {
							...o,
							attempts: answer.attempts,
							...(Object.keys(data).length ? { relation: data } : {}),
						});
					});
					return;
				}
				const failure = start.redact(failureOf(answer));
				failures.push({ failure, batch: ids });
				for (const owner of ownersOf(batch)) failedOwners.add(owner);
				for (const id of ids) {
					byId.set(id, {
						...outcome(ref, id, 'error', failure.code, failure.message, failure.details),
						attempts: answer.attempts,
					});
				}
			},
			(index) => [...ownersOf(batches[index])].every((owner) => failedOwners.has(owner)),
		);
	}
	const results = new Map<number, ItemResult>();
	for (const { itemIndex, job } of jobs) {
		const own = conflicts.get(itemIndex) ?? new Set<string>();
		const outcomes = job.start.input.entries.map((entry): LinkOutcome => {
			if (own.has(entry.id)) {
				return outcome(
					ref,
					entry.id,
					'error',
					CONFLICTING_RELATION_DATA,
					'Another input item links this related record with other relation data in the same run; it was linked with that item’s data, not this one’s',
					{ wanted: entry.data },
				);
			}
			const sharedWith = (chosen.get(entry.id)?.owners ?? []).filter((i) => i !== itemIndex);
			const done =
				byId.get(entry.id) ??
				outcome(
					ref,
					entry.id,
					'error',
					'NOT_SENT',
					'Not sent: another call for this record failed',
					{},
				);
			return sharedWith.length ? { ...done, sharedWith } : done;
		});
		const failed = failures.find((f) =>
			f.batch.some((id) => job.start.input.entries.some((e) => e.id === id)),
		);
		results.set(itemIndex, finish(job, outcomes, failed));
	}
	return results;
}

function finish(
	job: LinkJob,
	outcomes: LinkOutcome[],
	failed: { failure: ZohoFailure; batch: string[] } | undefined,
): ItemResult {
	const { itemIndex, redact, node, input } = job.start;
	if (!failed || job.continueOnFail) {
		return {
			items: outcomes.map((json) => ({
				json: redact(json) as IDataObject,
				pairedItem: { item: itemIndex },
			})),
		};
	}
	const linked = outcomes.filter((o) => o.status === 'success').length;
	const ids =
		failed.batch.length > 5
			? `${failed.batch.slice(0, 5).join(', ')} … (${failed.batch.length} ids)`
			: failed.batch.join(', ');
	const request = `${input.apiVersion} PUT ${input.module} ${input.recordId} → ${input.relatedList}: ${ids}`;
	const progress = linked
		? `${linked} of ${outcomes.length} ids were linked by other calls.`
		: undefined;
	return { error: zohoApiError(node, failed.failure, { request, progress, itemIndex }, redact) };
}

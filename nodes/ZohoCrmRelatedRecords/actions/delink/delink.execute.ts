/**
 * The Delink operation, run by n8n's routing engine as a pagination function, once per input
 * item: it validates the item, then hands its job to the node run's group (zoho/sharing.ts).
 * Items that name the same relation (org, module, record, related list) are run together,
 * whatever their options, so that no id is sent twice in one run and no item's options leak
 * into another's answer:
 *
 * 1. One read before anything changes, when an item needs it: Dry Run items report from it,
 *    Keep Relation Data items get the data on each link and the proof that it existed
 *    (`linkedBefore`).
 * 2. The ids of the Enter IDs / Choose From Linked Records items, each sent once, in calls of
 *    the Batch Size, API version and retry policy of the first item that asked for it.
 * 3. All Linked Records, once for all the items that ask for it (zoho/allLinked.ts).
 *
 * Then every item gets its own output items, in its own id order, paired to it, read with its
 * own options (itemOutcomes.ts). With n8n's Retry On Fail, what an earlier try removed is
 * reported from its ledger (ledger.ts), never sent again.
 */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import type { ItemStart } from '../../fields/itemStart';
import type { Submitted } from '../../zoho/sharing';
import { clientOf, runSharedItem, type ItemJob, type ItemResult } from '../sharedItem';
import { delinkAllLinked } from './allLinked';
import { delinkInBatches, outcomesOfRun, type BatchRun } from './batches';
import { readDelinkInput, type DelinkInput } from './delink.input';
import { dryRunOutcomes } from './dryRun';
import {
	finish,
	forItem,
	fromEarlierTry,
	readFailed,
	toItems,
	withLinkedBefore,
} from './itemOutcomes';
import {
	ledgerFor,
	mayHaveRemoved,
	provesRemoval,
	removedByLostAnswer,
	type Ledger,
	type Origin,
	type Removal,
} from './ledger';
import { linkedBeforeOf, readBefore, untilSeen, type Before } from './readBefore';
import { outcome, type DelinkOutcome, type RelationRef } from './results';
import type { ZohoFailure } from '../../zoho/errors';
import type { Redactor } from '../../zoho/redact';

export { STILL_LINKED } from './allLinked';

type Start = ItemStart<DelinkInput>;
type DelinkJob = ItemJob<DelinkInput>;
type Jobs = Array<Submitted<DelinkJob>>;

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

/** Items run together when they name the same relation of the same org. */
function shareKey({ input, orgKey }: Start): string {
	const { module, recordId, relatedList } = input;
	return JSON.stringify({ orgKey, module, recordId, relatedList, operation: 'delink' });
}

/** What must be equal for ids to go in the same calls: how the calls are made. */
function callKey(input: DelinkInput): string {
	const { apiVersion, batchSize, policy, dailyCredits } = input;
	return JSON.stringify({ apiVersion, batchSize, policy, dailyCredits });
}

/** Runs the jobs of one relation together; the first job's context makes the reads. */
async function runJobs(jobs: Jobs): Promise<Map<number, ItemResult>> {
	const first = jobs[0].job;
	const ref: RelationRef = {
		module: first.start.input.module,
		recordId: first.start.input.recordId,
		relatedList: first.start.input.relatedList,
	};
	const ledger = ledgerFor(first.ctx, shareKey(first.start));
	const results = new Map<number, ItemResult>();
	const dry = jobs.filter((j) => j.job.start.input.dryRun);
	const enter = jobs.filter((j) => !j.job.start.input.dryRun && !j.job.start.input.allLinked);
	const all = jobs.filter((j) => !j.job.start.input.dryRun && j.job.start.input.allLinked);

	// 1. The read before anything changes.
	const keeps = (j: Submitted<DelinkJob>) => j.job.start.input.keepRelationData;
	// (what an earlier try removed is not looked for: it is reported from the ledger)
	const wanted = new Set(enter.flatMap((j) => j.job.start.input.relatedRecordIds));
	for (const [id, removal] of ledger ?? []) if (!removal.unsure) wanted.delete(id);
	let before: Before | undefined;
	if (dry.length > 0 || (enter.some(keeps) && wanted.size > 0)) {
		before = await readBefore(
			clientOf(first),
			first.start.input,
			[...dry, ...enter].some(keeps),
			dry.length > 0 ? undefined : untilSeen(wanted),
		);
	}
	const readOk = before !== undefined && !before.read.failure;
	const earlierFor = (input: DelinkInput) => (id: string) => {
		const removal = ledger?.get(id);
		if (!removal) return undefined;
		const context = { truncated: false, sharedWith: [], earlierRelation: removal.relation };
		return forItem(fromEarlierTry(removal), input, context);
	};
	for (const j of dry) results.set(j.itemIndex, dryRunResult(j.job, ref, before as Before));
	for (const j of enter) {
		if (keeps(j) && before?.read.failure)
			results.set(
				j.itemIndex,
				readFailed(j.job, ref, before.read, [], earlierFor(j.job.start.input)),
			);
	}

	// 2. The ids given by items, each sent once.
	const active = enter.filter((j) => !results.has(j.itemIndex));
	const owners = new Map<string, number[]>();
	for (const { itemIndex, job } of active) {
		for (const id of job.start.input.relatedRecordIds) {
			const list = owners.get(id);
			if (list) list.push(itemIndex);
			else owners.set(id, [itemIndex]);
		}
	}
	const linkedSet = new Set(readOk ? before!.linked : []);
	const facts = new Map<string, DelinkOutcome>();
	const runs: BatchRun[] = [];
	const byCalls = new Map<string, { job: DelinkJob; ids: string[] }>();
	const jobOf = new Map(active.map((j) => [j.itemIndex, j.job]));
	// An id an item keeps relation data for is not removed without that read, whoever else asks.
	const failedRead = before?.read.failure;
	const guarded = new Set(
		failedRead ? enter.filter(keeps).flatMap((j) => j.job.start.input.relatedRecordIds) : [],
	);
	for (const [id, list] of owners) {
		const known = ledger?.get(id);
		if (known && !known.unsure) continue; // removed by an earlier try: reported from the ledger
		if (guarded.has(id) && !known) {
			facts.set(id, notSentForRead(ref, id, failedRead!, first.start.redact));
			continue;
		}
		const job = jobOf.get(list[0]) as DelinkJob;
		const key = callKey(job.start.input);
		const calls = byCalls.get(key) ?? { job, ids: [] };
		calls.ids.push(id);
		byCalls.set(key, calls);
	}
	const settle = active.some((j) => j.job.start.input.treatNotLinkedAsSuccess);
	for (const { job, ids } of byCalls.values()) {
		const run = await delinkInBatches(clientOf(job), job.start.input, ref, ids, {
			owners,
			settle,
			linkedAtRead: readOk ? linkedSet : undefined,
		});
		runs.push(run);
		for (const o of outcomesOfRun(ref, run, first.start.redact)) {
			facts.set(
				o.relatedRecordId,
				withLinkedBefore(o, linkedBeforeOf(before, linkedSet, o.relatedRecordId)),
			);
		}
	}
	if (ledger) settleUnsure(ledger, facts);
	remember(ledger, facts.values(), before?.relations, 'ids');
	for (const { itemIndex, job } of active) {
		const ids = job.start.input.relatedRecordIds;
		const outcomes = ids.map((id) => {
			const earlier = ledger?.get(id);
			const fact = facts.get(id) ?? fromEarlierTry(earlier as Removal);
			return forItem(fact, job.start.input, {
				relations: before?.relations,
				truncated: before?.read.truncated ?? false,
				sharedWith: (owners.get(id) ?? []).filter((i) => i !== itemIndex),
				earlierRelation: earlier?.relation,
			});
		});
		results.set(itemIndex, finish(job, ref, outcomes, failureOfItem(runs, new Set(ids))));
	}

	// 3. All Linked Records, once for every item that asks for it.
	if (all.length > 0) await runAllLinked(all, ref, ledger, results);
	return results;
}

function dryRunResult(job: DelinkJob, ref: RelationRef, before: Before): ItemResult {
	if (before.read.failure) return readFailed(job, ref, before.read, []);
	const { input } = job.start;
	const ids = input.allLinked ? before.linked : input.relatedRecordIds;
	const outcomes = dryRunOutcomes(ref, ids, before.linked, before.read.truncated).map((o) => {
		const relation = input.keepRelationData ? before.relations?.get(o.relatedRecordId) : undefined;
		return relation ? { ...o, relation } : o;
	});
	return { items: toItems(outcomes, job.start) };
}

async function runAllLinked(
	jobs: Jobs,
	ref: RelationRef,
	ledger: Ledger | undefined,
	results: Map<number, ItemResult>,
): Promise<void> {
	const first = jobs[0].job;
	const inputs = jobs.map((j) => j.job.start.input);
	const run = await delinkAllLinked(clientOf(first), first.start.input, ref, {
		withRelation: inputs.some((i) => i.keepRelationData),
		settle: inputs.some((i) => i.treatNotLinkedAsSuccess),
		redact: first.start.redact,
	});
	remember(ledger, run.outcomes, run.relations, 'all');
	const sentNow = new Set(run.outcomes.map((o) => o.relatedRecordId));
	// What earlier tries removed; a lost call's link this try's reads no longer list is gone too
	// (unless a read failed: then it is reported as that try left it).
	const earlier = [...(ledger?.entries() ?? [])]
		.filter(([id, removal]) => removal.origin === 'all' && !sentNow.has(id))
		.map(([id, removal]): [string, Removal] =>
			removal.unsure && !run.read
				? [id, { ...removal, outcome: removedByLostAnswer(removal), unsure: false }]
				: [id, removal],
		);
	for (const { itemIndex, job } of jobs) {
		const sharedWith = jobs.map((j) => j.itemIndex).filter((i) => i !== itemIndex);
		const context = { relations: run.relations, truncated: false, sharedWith };
		const outcomes = [
			...earlier.map(([, removal]) =>
				forItem(removal.unsure ? removal.outcome : fromEarlierTry(removal), job.start.input, {
					...context,
					earlierRelation: removal.relation,
				}),
			),
			...run.outcomes.map((o) => forItem(o, job.start.input, context)),
		];
		results.set(
			itemIndex,
			run.read
				? readFailed(job, ref, run.read, outcomes)
				: finish(job, ref, outcomes, run.run?.failed),
		);
	}
}

/** An id not sent because another item keeps its relation data and the read before failed. */
function notSentForRead(
	ref: RelationRef,
	id: string,
	failure: ZohoFailure,
	redact: Redactor,
): DelinkOutcome {
	const safe = redact(failure);
	return {
		...outcome(
			ref,
			id,
			'error',
			safe.code,
			`Not sent: another input item keeps this link's relation data, and reading the links before delinking failed (${safe.code}: ${safe.message})`,
			safe.details,
		),
		readFailed: true,
	};
}

/** Remembers, for a later try (Retry On Fail), every link this try removed. */
function remember(
	ledger: Ledger | undefined,
	outcomes: Iterable<DelinkOutcome>,
	relations: ReadonlyMap<string, IDataObject> | undefined,
	origin: Origin,
): void {
	if (!ledger) return;
	for (const o of outcomes) {
		const known = ledger.get(o.relatedRecordId);
		if (known && !known.unsure) continue;
		// the data read before the link went: this try's read, else an earlier try's
		const relation =
			relations?.get(o.relatedRecordId) ?? known?.relation ?? (relations ? null : undefined);
		if (provesRemoval(o)) ledger.set(o.relatedRecordId, { outcome: o, relation, origin });
		else if (mayHaveRemoved(o) && !known)
			ledger.set(o.relatedRecordId, { outcome: o, relation, origin, unsure: true });
	}
}

/**
 * Ids an earlier try's lost call may have removed: when this try finds one not linked, that
 * call removed it if it was listed just before (else the item says it may have).
 */
function settleUnsure(ledger: Ledger, facts: Map<string, DelinkOutcome>): void {
	for (const [id, fact] of facts) {
		const removal = ledger.get(id);
		if (!removal?.unsure) continue;
		const notLinked =
			fact.code === 'NOT_LINKED' || (fact.status === 'error' && fact.code === 'INVALID_DATA');
		if (!notLinked) continue;
		if (removal.outcome.linkedBefore === true) facts.set(id, removedByLostAnswer(removal));
		else if (removal.outcome.code === 'NOT_LINKED_AFTER_RETRY')
			facts.set(id, { ...removal.outcome, removedByEarlierTry: true }); // as that try said
		else {
			facts.set(id, {
				...fact,
				mayHaveApplied: true,
				message: `${fact.message} (an earlier try of this node sent it in a call whose answer was lost: that call may have removed it)`,
			});
		}
	}
}

/** The first whole-call failure among the calls that carried this item's ids. */
function failureOfItem(runs: BatchRun[], ids: ReadonlySet<string>): BatchRun['failed'] {
	for (const run of runs) {
		for (const result of run.results) {
			if ('failure' in result && result.ids.some((id) => ids.has(id))) {
				return { failure: result.failure, batch: result.ids };
			}
		}
	}
	return undefined;
}

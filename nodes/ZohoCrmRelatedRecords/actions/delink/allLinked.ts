/**
 * All Linked Records: read the list as far as Zoho shows it, delink what was read, and read
 * again, until a read shows nothing this run has not sent. Each id is sent and reported once,
 * however the list shifts between pages (Zoho's 2,000-record page window is passed that way);
 * what is still linked at the end is said on its item (and in one STILL_LINKED item when
 * Zoho's window hides the rest). Every id sent was listed just before: `linkedBefore: true`.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ZohoClient } from '../../zoho/call';
import { LIST_WINDOW_NOTE, type LinkedRead } from '../../zoho/linkedRecords';
import type { Redactor } from '../../zoho/redact';
import { delinkInBatches, outcomesOfRun, type BatchRun } from './batches';
import type { DelinkInput } from './delink.input';
import { withLinkedBefore } from './itemOutcomes';
import { allLinkedRefusal } from '../runLimit';
import { readBefore } from './readBefore';
import { outcome, type DelinkOutcome, type RelationRef } from './results';

/** Code of the item that says records are still linked after All Linked Records. */
export const STILL_LINKED = 'STILL_LINKED';

export interface AllLinkedRun {
	outcomes: DelinkOutcome[];
	/** The data on each link sent, as read just before (when asked for). */
	relations?: Map<string, IDataObject>;
	/** A read that failed (the outcomes before it are kept). */
	read?: LinkedRead;
	run?: BatchRun;
}

export async function delinkAllLinked(
	client: ZohoClient,
	input: DelinkInput,
	ref: RelationRef,
	options: { withRelation: boolean; settle: boolean; redact: Redactor },
): Promise<AllLinkedRun> {
	const outcomes: DelinkOutcome[] = [];
	const relations = options.withRelation ? new Map<string, IDataObject>() : undefined;
	const sent = new Set<string>();
	for (;;) {
		const before = await readBefore(client, input, options.withRelation);
		if (before.read.failure) return { outcomes, relations, read: before.read };
		const fresh = before.linked.filter((id) => !sent.has(id));
		if (fresh.length === 0) {
			return {
				outcomes: [...markStillLinked(outcomes, before.linked, before.read, ref)],
				relations,
			};
		}
		const refused = allLinkedRefusal(input, ref, sent.size, fresh.length, before.read.truncated);
		if (refused) return { outcomes: [refused], relations }; // Max Links Per Run: nothing sent
		for (const id of fresh) {
			const relation = before.relations?.get(id);
			if (relation) relations?.set(id, relation);
		}
		const run = await delinkInBatches(client, input, ref, fresh, {
			linkedAtRead: new Set(fresh),
			settle: options.settle,
		});
		for (const o of outcomesOfRun(ref, run, options.redact)) {
			outcomes.push(withLinkedBefore(o, true));
			sent.add(o.relatedRecordId);
		}
		if (run.failed) return { outcomes, relations, run };
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

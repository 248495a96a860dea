/**
 * The read Delink makes before it removes anything: the linked records as Zoho lists them, with
 * the fields that live on each link. It tells, per id, whether the link existed just before
 * (`linkedBefore`: true, false, or null past Zoho's 2,000-record window) and what it carried
 * (`relation`), which is what lets an item promise a removal and Link put it back.
 */
import type { IDataObject } from 'n8n-workflow';

import { recordIdOf } from '../../fields/records';
import { versionRequiresFields } from '../../fields/relationInput';
import { relationFieldsOf } from '../../relations';
import type { ZohoClient } from '../../zoho/call';
import { LIST_WINDOW_NOTE, readLinkedRecords, type LinkedRead } from '../../zoho/linkedRecords';
import type { DelinkInput } from './delink.input';
import type { DelinkOutcome } from './results';

/** What a read before the delink found. */
export interface Before {
	read: LinkedRead;
	/** Ids listed, in Zoho's order. */
	linked: string[];
	/** The data on each listed link (only when asked for). */
	relations?: Map<string, IDataObject>;
}

/**
 * Reads the linked records, with the fields that live on each link when `withRelation` (v2 and
 * v2.1 send every field without a field list), until `until` holds or the list ends.
 */
export async function readBefore(
	client: ZohoClient,
	input: DelinkInput,
	withRelation: boolean,
	until?: (records: readonly IDataObject[]) => boolean,
): Promise<Before> {
	const kept = withRelation ? keptFields(input) : [];
	const read = await readLinkedRecords(client, input, {
		fields: versionRequiresFields(input.apiVersion) ? ['id', ...kept] : [],
		until,
	});
	const linked = read.records.map(recordIdOf).filter((id) => id !== '');
	return {
		read,
		linked,
		relations: withRelation ? relationById(input, read.records) : undefined,
	};
}

/** Reads until every id of `wanted` has been listed (or the list ends). */
export function untilSeen(wanted: ReadonlySet<string>) {
	return (records: readonly IDataObject[]) => {
		const seen = new Set(records.map(recordIdOf));
		for (const id of wanted) if (!seen.has(id)) return false;
		return true;
	};
}

/** Whether the id was linked just before: true, false, or null when Zoho's window hid it. */
export function linkedBeforeOf(
	before: Before | undefined,
	linked: ReadonlySet<string>,
	id: string,
) {
	if (!before || before.read.failure) return null;
	if (linked.has(id)) return true;
	return before.read.truncated ? null : false;
}

function keptFields(input: DelinkInput): string[] {
	return relationFieldsOf(input.module, input.relatedList).map((f) => f.name);
}

/** id → the data on its link. */
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

/** Puts the kept relation data on an outcome, or says why it was not kept. */
export function withRelation(
	o: DelinkOutcome,
	relations: ReadonlyMap<string, IDataObject> | undefined,
	truncated: boolean,
): DelinkOutcome {
	if (!relations || o.relatedRecordId === '') return o;
	const relation = relations.get(o.relatedRecordId);
	if (relation) return { ...o, relation };
	return {
		...o,
		relation: null,
		relationNote: truncated
			? `Relation data not kept: this record is not among the linked records Zoho lists. ${LIST_WINDOW_NOTE}`
			: 'Relation data not kept: Zoho did not list this record as linked when it was read.',
	};
}

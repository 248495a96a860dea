/**
 * Zoho's per-id answers to a delink call, as output items: one per related id.
 */
import type { IDataObject } from 'n8n-workflow';

export interface DelinkOutcome extends IDataObject {
	module: string;
	recordId: string;
	relatedList: string;
	relatedRecordId: string;
	status: 'success' | 'error';
	code: string;
	message: string;
	details: IDataObject;
}

/** Fields naming the relation, shared by every outcome of one input item. */
export interface RelationRef {
	module: string;
	recordId: string;
	relatedList: string;
}

export interface ZohoEntry {
	code?: unknown;
	status?: unknown;
	message?: unknown;
	details?: unknown;
}

/** Zoho's `data[]` entries, or undefined when the body is not a per-id answer. */
export function dataEntries(body: unknown): ZohoEntry[] | undefined {
	if (body === null || typeof body !== 'object') return undefined;
	const data = (body as IDataObject).data;
	if (!Array.isArray(data) || data.length === 0) return undefined;
	return data.filter((entry): entry is ZohoEntry => entry !== null && typeof entry === 'object');
}

/**
 * Pairs Zoho's entries with the ids sent: by `details.id` where Zoho gives it, else by
 * position (a single-record call answers one entry). An id Zoho said nothing about is an
 * error, never a silent success.
 */
export function outcomesFromEntries(
	ref: RelationRef,
	ids: readonly string[],
	entries: readonly ZohoEntry[],
): DelinkOutcome[] {
	const byId = new Map<string, ZohoEntry[]>();
	for (const entry of entries) {
		const id = entryId(entry);
		if (id !== undefined) byId.set(id, [...(byId.get(id) ?? []), entry]);
	}
	const positional =
		entries.length === ids.length && entries.every((e) => entryId(e) === undefined);
	return ids.map((id, index) => {
		const entry = byId.get(id)?.shift() ?? (positional ? entries[index] : undefined);
		if (!entry) {
			return outcome(ref, id, 'error', 'NO_RESULT', 'Zoho returned no result for this id', {});
		}
		const success = String(entry.status).toLowerCase() === 'success';
		return outcome(
			ref,
			id,
			success ? 'success' : 'error',
			String(entry.code ?? (success ? 'SUCCESS' : 'UNKNOWN')),
			String(entry.message ?? ''),
			isObject(entry.details) ? entry.details : {},
		);
	});
}

export function outcome(
	ref: RelationRef,
	relatedRecordId: string,
	status: 'success' | 'error',
	code: string,
	message: string,
	details: IDataObject,
): DelinkOutcome {
	return { ...ref, relatedRecordId, status, code, message, details };
}

function entryId(entry: ZohoEntry): string | undefined {
	const details = entry.details;
	if (!isObject(details)) return undefined;
	const id = details.id;
	return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

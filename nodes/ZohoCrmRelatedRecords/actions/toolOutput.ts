/**
 * Output › Summary: one item that fits a model's context (at most SUMMARY_BUDGET bytes of JSON,
 * whatever the number of ids) instead of one item per id. It keeps what an agent needs to report
 * or undo: counts by status and by code; the failed ids grouped by Zoho's code and message, each
 * group with what to do; the links changed, grouped by the data that lived on them
 * (Member_Status, list_price), with their ids as far as they fit (smallest groups first, so the
 * one group left without ids is "the ids you sent, minus the others"); and how to undo.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { recordIdOf } from '../fields/records';
import { resolutionFor } from '../zoho/zohoErrors';

/** Most bytes of JSON a summary may take (n8n passes the tool's items to the model as JSON). */
export const SUMMARY_BUDGET = 8000;

export type SummaryOperation = 'delink' | 'dryRun' | 'link' | 'getLinked';

/** What to do about the codes the node itself gives (Zoho's own come from zohoErrors.ts). */
const OWN_FIXES: Readonly<Record<string, string>> = {
	INVALID_INPUT: 'Correct the input named in the message and call again.',
	NOT_SENT:
		'Not sent because another call of this run failed as a whole: fix that error, then send these IDs again.',
	NOT_LINKED_AFTER_RETRY:
		'Not linked now, after a call whose answer was lost: it was probably removed by that call. Check with Get Linked Records if it matters.',
	NO_RESULT:
		'Zoho gave no answer for this ID: check it with Get Linked Records, then send it again.',
	STILL_LINKED:
		'More records are linked than Zoho would list: run again once the refused ones are dealt with.',
	NOTHING_TO_RESTORE: 'Nothing to do: the delink did not remove this link.',
	CONFLICTING_RELATION_DATA: 'Send this ID once, with one value for the link data.',
	MAX_LINKS_PER_RUN: 'See the message.',
};

const NOT_LINKED = 'relation not found';

/** What to do about a failure: the node's own advice, or Zoho's documented resolution. */
export function fixFor(code: string, message = '', hint = ''): string {
	if (hint) return hint;
	if (code === 'INVALID_DATA' && message === NOT_LINKED) {
		return 'This ID is not linked to the record (already removed, or a wrong ID): check it with Get Linked Records; nothing to undo for it.';
	}
	return OWN_FIXES[code] ?? resolutionFor(code);
}

/**
 * An item as the operation made it: On Error › Continue (using error output) wraps failures as
 * `{ error, message, details: <the item> }` (actions/errorOutput.ts).
 */
function unwrapped(json: IDataObject): IDataObject {
	const details = json.details;
	const wrapped =
		typeof json.error === 'string' &&
		details !== null &&
		typeof details === 'object' &&
		!Array.isArray(details) &&
		Object.keys(json).every((k) => ['error', 'message', 'details'].includes(k));
	return wrapped ? (details as IDataObject) : json;
}

/** UTF-8 length of a string, as it is sent. */
export function byteLength(text: string): number {
	let bytes = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x80) bytes += 1;
		else if (c < 0x800) bytes += 2;
		else if (c >= 0xd800 && c <= 0xdbff) {
			bytes += 4;
			i++;
		} else bytes += 3;
	}
	return bytes;
}

interface Group {
	key: string;
	json: IDataObject;
	ids: string[];
}

function grouped<T>(items: T[], keyOf: (item: T) => string, make: (item: T) => IDataObject) {
	const groups = new Map<string, Group>();
	for (const item of items) {
		const key = keyOf(item);
		let group = groups.get(key);
		if (!group) {
			group = { key, json: make(item), ids: [] };
			groups.set(key, group);
		}
		const id = String((item as IDataObject).relatedRecordId ?? '');
		if (id !== '') group.ids.push(id);
	}
	for (const group of groups.values()) group.json.count = group.ids.length;
	return [...groups.values()];
}

/** Failure groups listed one by one; any more are counted together. */
const MAX_FAILURE_GROUPS = 8;

function clip(value: unknown, max = 240): string {
	const text = String(value ?? '');
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function count(values: string[]): IDataObject {
	const counts: IDataObject = {};
	for (const value of values) counts[value] = ((counts[value] as number | undefined) ?? 0) + 1;
	return counts;
}

/**
 * Fills `groups[i].json.ids` within what is left of the budget: all of a group's ids or, for
 * `partial` groups, as many as fit (the rest counted in `idsNotShown`); groups in the order given.
 */
function fillIds(summary: IDataObject, groups: Group[], partial: boolean) {
	let used = byteLength(JSON.stringify([summary]));
	for (const group of groups) {
		if (!group.ids.length) continue;
		const cost = (id: string) => byteLength(JSON.stringify(id)) + 1;
		const whole = group.ids.reduce((sum, id) => sum + cost(id), 0) + ',"ids":[]'.length;
		if (used + whole <= SUMMARY_BUDGET) {
			group.json.ids = group.ids;
			used += whole;
			continue;
		}
		const note = ',"idsNotShown":1234567';
		if (!partial || used + note.length + 12 > SUMMARY_BUDGET) {
			group.json.idsNotShown = group.ids.length;
			used += note.length;
			continue;
		}
		const shown: string[] = [];
		used += ',"ids":[]'.length + note.length;
		for (const id of group.ids) {
			if (used + cost(id) > SUMMARY_BUDGET) break;
			shown.push(id);
			used += cost(id);
		}
		group.json.ids = shown;
		group.json.idsNotShown = group.ids.length - shown.length;
	}
}

/** The summary of Delink, Dry Run or Link output items of one run (one tool call). */
export function summarize(operation: SummaryOperation, items: INodeExecutionData[]): IDataObject {
	if (operation === 'getLinked') return summarizeLinked(items);
	const outcomes = items.map((i) => unwrapped(i.json));
	const perId = outcomes.filter((o) => typeof o.relatedRecordId === 'string' && o.relatedRecordId);
	const other = outcomes.filter((o) => !perId.includes(o));
	const first = outcomes.find((o) => o.module) ?? {};
	const summary: IDataObject = {
		operation,
		module: first.module,
		recordId: first.recordId,
		relatedList: first.relatedList,
		ids: perId.length,
	};
	const problems = other.slice(0, 3).map((o) => ({
		code: o.code,
		message: clip(o.message, 600),
		fix: clip(fixFor(String(o.code), String(o.message ?? ''), String(o.description ?? '')), 600),
	}));
	if (operation === 'dryRun') return summarizeDryRun(summary, perId, problems);
	const failed = perId.filter((o) => o.status === 'error');
	const done = perId.filter((o) => o.status === 'success');
	const skipped = perId.filter((o) => o.status !== 'error' && o.status !== 'success');
	const verb = operation === 'link' ? 'linked' : 'delinked';
	summary.status = other.some((o) => o.code === 'MAX_LINKS_PER_RUN')
		? 'refused'
		: problems.length || (failed.length && !done.length)
			? 'error'
			: failed.length
				? 'partial'
				: 'success';
	summary[verb] = done.length;
	summary.failed = failed.length;
	if (skipped.length) summary.skipped = skipped.length;
	summary.byStatus = count(perId.map((o) => String(o.status)));
	summary.byCode = count(perId.map((o) => String(o.code)));
	const alreadyUnlinked = done.filter((o) => o.alreadyUnlinked === true).length;
	if (alreadyUnlinked) summary.alreadyUnlinked = alreadyUnlinked;
	const warnings = [...new Set(outcomes.map((o) => o.warning).filter((w) => w))];
	if (warnings.length) summary.warnings = warnings.slice(0, 3);
	const credits = outcomes.map((o) => o.creditsRemaining).filter((c) => typeof c === 'number');
	if (credits.length) summary.creditsRemaining = Math.min(...(credits as number[]));
	if (problems.length) summary.problems = problems;
	const failures = grouped(
		failed,
		(o) => `${String(o.code)}\u0000${String(o.message)}`,
		(o) => ({
			code: o.code,
			message: clip(o.message),
			fix: clip(fixFor(String(o.code), String(o.message ?? ''))),
		}),
	).sort((a, b) => b.ids.length - a.ids.length);
	const listed = failures.slice(0, MAX_FAILURE_GROUPS);
	const unlisted = failures.slice(MAX_FAILURE_GROUPS);
	if (unlisted.length) {
		summary.otherFailures = {
			count: unlisted.reduce((n, g) => n + g.ids.length, 0),
			kinds: unlisted.length,
			note: 'More kinds of failure than fit: choose Output › One Item Per ID to see each.',
		};
	}
	const kept = grouped(
		done.filter((o) => o.alreadyUnlinked !== true),
		(o) => JSON.stringify(o.relation ?? null),
		(o) => (o.relation ? { relation: o.relation } : {}),
	).sort((a, b) => a.ids.length - b.ids.length);
	summary.failures = listed.map((g) => g.json);
	summary.done = kept.map((g) => g.json);
	if (done.length) summary.undo = undoHint(operation, first, kept.length);
	fillIds(summary, listed, true);
	fillIds(summary, kept, false);
	return summary;
}

function undoHint(operation: SummaryOperation, ref: IDataObject, groups: number): string {
	const where = `record ${String(ref.recordId)} (${String(ref.module)} → ${String(ref.relatedList)})`;
	const what =
		groups > 1
			? 'the IDs of each group in done, with that group’s relation data'
			: 'the IDs in done, with its relation data';
	const action =
		operation === 'link' ? `delink ${what} from ${where}` : `link ${what} to ${where} again`;
	return `To undo, ${action}. A group whose IDs are not shown (idsNotShown) holds the IDs you sent that this result lists nowhere else.`;
}

function summarizeDryRun(summary: IDataObject, perId: IDataObject[], problems: IDataObject[]) {
	summary.status = problems.length ? 'error' : 'success';
	summary.changed = 0;
	const answer = (o: IDataObject) =>
		o.wouldDelink === true ? 'linked' : o.wouldDelink === false ? 'notLinked' : 'unknown';
	summary.wouldDelink = count(perId.map(answer));
	if (problems.length) summary.problems = problems;
	const groups = grouped(perId, answer, (o) => ({
		wouldDelink: o.wouldDelink ?? null,
		...(answer(o) === 'unknown' ? { message: o.message } : {}),
	})).sort((a, b) => a.ids.length - b.ids.length);
	summary.groups = groups.map((g) => g.json);
	fillIds(summary, groups, true);
	return summary;
}

const NOT_EVERY_RECORD =
	'Not every record fits: the ones shown are the first Zoho listed. Ask for fewer (Limit) or fewer fields.';

/** Get Linked Records: the records, whole while they fit, then by id and name only. */
function summarizeLinked(items: INodeExecutionData[]): IDataObject {
	const all = items.map((i) => unwrapped(i.json));
	const records = all.filter((r) => r.status !== 'error');
	const errors = all.filter((r) => r.status === 'error');
	const summary: IDataObject = {
		operation: 'getLinked',
		status: errors.length ? 'error' : 'success',
		count: records.length,
	};
	if (records.some((r) => r.listTruncated)) {
		summary.listTruncated = true;
		summary.listNote = records[0].listNote;
	}
	if (errors.length) {
		summary.problems = errors.slice(0, 3).map((e) => ({
			code: e.code,
			message: clip(e.message, 600),
			fix: clip(fixFor(String(e.code), String(e.message ?? ''), String(e.description ?? '')), 600),
		}));
	}
	const shown: IDataObject[] = [];
	summary.records = shown;
	const more = { recordsNotShown: 1234567, note: NOT_EVERY_RECORD };
	let used = byteLength(JSON.stringify([{ ...summary, ...more }]));
	for (const record of records) {
		const { listTruncated, listNote, ...rest } = record;
		const brief = compact(rest);
		const cost = byteLength(JSON.stringify(brief)) + 1;
		if (used + cost > SUMMARY_BUDGET) break;
		shown.push(brief);
		used += cost;
	}
	if (shown.length < records.length) {
		summary.recordsNotShown = records.length - shown.length;
		summary.note = NOT_EVERY_RECORD;
	}
	return summary;
}

/** A record without Zoho's empty and bookkeeping fields ($…, null), its id first. */
function compact(record: IDataObject): IDataObject {
	const brief: IDataObject = { id: recordIdOf(record) };
	for (const [key, value] of Object.entries(record)) {
		if (key === 'id' || key.startsWith('$') || value === null || value === '') continue;
		if (Array.isArray(value) && value.length === 0) continue;
		brief[key] = value;
	}
	return brief;
}

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
 * Pairs Zoho's entries with the ids sent, never dropping what Zoho said:
 *  1. by `details.id`: each entry answers the first id it names that is not answered yet
 *     (an entry naming an id that was not sent, or a second entry for an id sent once, is
 *     never applied to another id); an id Zoho wrote as a JSON number, which has lost its
 *     last digits in JavaScript, answers the one id sent that reads as the same number (or,
 *     when several do, the one at its position if Zoho answered one entry per id);
 *  2. then, when Zoho answered one entry per id sent, an entry without an id answers the id at
 *     its position;
 *  3. then, when every entry still without an id says the same thing (status, code and
 *     message), that answer applies to every id still unanswered;
 *  4. an id still unanswered is an error (`NO_RESULT`, never a silent success), naming what
 *     Zoho did answer, with those entries in `details.unmatchedEntries`.
 */
export function outcomesFromEntries(
	ref: RelationRef,
	ids: readonly string[],
	entries: readonly ZohoEntry[],
): DelinkOutcome[] {
	const answers = new Array<ZohoEntry | undefined>(ids.length).fill(undefined);
	// The positions of each id not answered yet, in order: the first in `waiting`, any later
	// ones (an id sent twice) in `waitingMore`.
	const waiting = new Map<string, number>();
	let waitingMore: Map<string, number[]> | undefined;
	for (let index = 0; index < ids.length; index++) {
		const id = ids[index];
		if (!waiting.has(id)) waiting.set(id, index);
		else {
			waitingMore ??= new Map();
			const more = waitingMore.get(id);
			if (more) more.push(index);
			else waitingMore.set(id, [index]);
		}
	}
	const takeWaiting = (id: string): number | undefined => {
		const index = waiting.get(id);
		if (index === undefined) return undefined;
		const next = waitingMore?.get(id)?.shift();
		if (next === undefined) waiting.delete(id);
		else waiting.set(id, next);
		return index;
	};

	// An id Zoho wrote as a JSON number has lost digits past 2^53: it answers the one id sent
	// that reads as the same number, if exactly one does; when several do (ids of one org are
	// often that close), the id at its position, when Zoho answered one entry per id sent and
	// that id reads as the same number.
	let byNumber: Map<number, string[]> | undefined;
	const sentAs = (entry: ZohoEntry, id: string, e: number): string => {
		const raw = (entry.details as IDataObject).id;
		if (typeof raw !== 'number') return id;
		byNumber ??= ids.reduce((map, sent) => {
			const n = Number(sent);
			const same = map.get(n);
			if (same) {
				if (!same.includes(sent)) same.push(sent);
			} else map.set(n, [sent]);
			return map;
		}, new Map<number, string[]>());
		const same = byNumber.get(raw);
		if (same?.length === 1) return same[0];
		const atPosition = entries.length === ids.length ? ids[e] : undefined;
		return atPosition !== undefined && Number(atPosition) === raw ? atPosition : id;
	};

	const withoutId: number[] = [];
	const strays: number[] = [];
	for (let e = 0; e < entries.length; e++) {
		const entry = entries[e];
		const id = entryId(entry);
		if (id === undefined) {
			withoutId.push(e);
			continue;
		}
		const index = takeWaiting(id) ?? takeWaiting(sentAs(entry, id, e));
		if (index === undefined) strays.push(e);
		else answers[index] = entry;
	}

	let leftOver = withoutId;
	if (entries.length === ids.length) {
		leftOver = withoutId.filter((e) => {
			if (answers[e] !== undefined) return true;
			answers[e] = entries[e];
			return false;
		});
	}

	const unanswered = answers.some((entry) => entry === undefined);
	if (
		unanswered &&
		leftOver.length > 0 &&
		leftOver.every((e) => saysSame(entries[e], entries[leftOver[0]]))
	) {
		const shared = entries[leftOver[0]];
		answers.forEach((entry, index) => {
			if (entry === undefined) answers[index] = shared;
		});
		leftOver = [];
	}

	const unmatchedEntries = [...leftOver, ...strays].sort((a, b) => a - b).map((e) => entries[e]);
	const noResult = noResultMessage(
		leftOver.map((e) => entries[e]),
		strays.length,
	);
	return ids.map((id, index) => {
		const entry = answers[index];
		if (!entry) {
			return outcome(ref, id, 'error', 'NO_RESULT', noResult, {
				unmatchedEntries: unmatchedEntries.map(asDetails),
			});
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

/** How many unmatched entries a NO_RESULT message lists before "and N more". */
const LISTED_ENTRIES = 3;

function noResultMessage(withoutId: readonly ZohoEntry[], strays: number): string {
	const parts: string[] = [];
	if (withoutId.length > 0) {
		const listed = withoutId.slice(0, LISTED_ENTRIES).map(describeEntry);
		if (withoutId.length > LISTED_ENTRIES)
			listed.push(`and ${withoutId.length - LISTED_ENTRIES} more`);
		parts.push(
			`${count(withoutId.length, 'entry', 'entries')} without an id: ${listed.join(', ')}`,
		);
	}
	if (strays > 0)
		parts.push(
			`${count(strays, 'entry', 'entries')} for ids that were not sent or were already answered`,
		);
	const answered = parts.length > 0 ? `; it answered ${parts.join(' and ')}` : '';
	return `Zoho's answer had no entry for this id${answered}`;
}

/** One entry in a message: its code (or status) and its message, e.g. INVALID_DATA "…". */
function describeEntry(entry: ZohoEntry): string {
	const code = text(entry.code) ?? text(entry.status) ?? 'no code';
	const message = text(entry.message);
	if (message === undefined) return code;
	const short = message.length > 80 ? `${message.slice(0, 77)}…` : message;
	return `${code} ${JSON.stringify(short)}`;
}

function count(n: number, one: string, many: string): string {
	return `${n} ${n === 1 ? one : many}`;
}

function text(value: unknown): string | undefined {
	if (typeof value === 'string' && value !== '') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

/** Same answer: same status, code and message (compared as Zoho wrote them). */
function saysSame(a: ZohoEntry, b: ZohoEntry): boolean {
	return a.status === b.status && a.code === b.code && a.message === b.message;
}

/** An entry as output details: its own fields, whatever Zoho put in them. */
function asDetails(entry: ZohoEntry): IDataObject {
	return { ...(entry as IDataObject) };
}

export function outcome(
	ref: RelationRef,
	relatedRecordId: string,
	status: 'success' | 'error',
	code: string,
	message: string,
	details: IDataObject,
): DelinkOutcome {
	// This runs once per id. For the usual ref (its three fields and nothing else, in this
	// order) the object is written out: the same fields in the same order as the spread below,
	// which V8 builds far more slowly (about 15 µs an object on Node 20, 100,000 ids: 1.5 s).
	if (isBareRef(ref)) {
		return {
			module: ref.module,
			recordId: ref.recordId,
			relatedList: ref.relatedList,
			relatedRecordId,
			status,
			code,
			message,
			details,
		};
	}
	return { ...ref, relatedRecordId, status, code, message, details };
}

/** Own keys exactly module, recordId, relatedList (in that order), all enumerable, no symbol. */
function isBareRef(ref: RelationRef): boolean {
	const own = Reflect.ownKeys(ref);
	return (
		own.length === 3 &&
		own[0] === 'module' &&
		own[1] === 'recordId' &&
		own[2] === 'relatedList' &&
		Object.keys(ref).length === 3
	);
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

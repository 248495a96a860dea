/**
 * Record ids: parsing and validation. A Zoho record id is a string of digits (18-19 digits
 * today); it does not fit in a JavaScript number, so it stays a string end to end.
 *
 * Every function here is pure and throws `InvalidInputError` (field + value + what to do);
 * the node turns that into a NodeOperationError before any request is sent.
 */

/** Longest id accepted. Zoho ids are 18-19 digits; the margin keeps 10 KB strings out. */
export const MAX_ID_LENGTH = 25;

const DIGITS = /^[0-9]+$/;

export class InvalidInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

/** A value shown in an error: quoted, control characters visible, long values cut. */
export function showValue(value: unknown): string {
	let text: string;
	if (typeof value === 'string') text = JSON.stringify(value);
	else if (typeof value === 'bigint') text = `${value.toString()}n`;
	else {
		try {
			text = JSON.stringify(value) ?? String(value);
		} catch {
			text = String(value);
		}
	}
	return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

export function isRecordId(value: string): boolean {
	return value.length <= MAX_ID_LENGTH && DIGITS.test(value);
}

/** Checks one id and returns it as a string, or explains what is wrong with it. */
export function checkId(field: string, value: string, position?: number): string {
	if (isRecordId(value)) return value;
	const where = position === undefined ? '' : ` (entry ${position + 1})`;
	let why = 'is not a Zoho record id: ids are digits only';
	if (/[/?#\\]|\.\./.test(value))
		why = 'contains URL characters (/ ? # ..), which could change the request path';
	else if (/\s/.test(value)) why = 'contains a space inside it';
	else if (value.length > MAX_ID_LENGTH)
		why = `is ${value.length} characters long; Zoho ids have 18-19 digits`;
	return fail(
		field,
		`${field}${where} ${showValue(value)} ${why}`,
		'Use the numeric id of the record, e.g. 3652397000000925128 (the last part of its URL in Zoho CRM).',
	);
}

function fail(field: string, message: string, hint: string): never {
	throw new InvalidInputError(field, message, hint);
}

/** Turns a JavaScript number into an id string, refusing numbers that have lost digits. */
function idFromNumber(field: string, value: number, position: number): string {
	if (!Number.isSafeInteger(value) || value < 0) {
		fail(
			field,
			`${field} (entry ${position + 1}) is the number ${String(value)}, which is not an exact record id: ` +
				'Zoho ids are 18-19 digits and lose their last digits when handled as a JavaScript number',
			'Pass the ids as text (strings) from the previous node, e.g. {{ $json.id }} rather than {{ Number($json.id) }}; ' +
				'a number like this one has already lost digits, so it is not sent.',
		);
	}
	return String(value);
}

/**
 * Related Record IDs as a user may give them: one id, a comma/whitespace/semicolon separated
 * string, a JSON array string, an array (from an expression) of strings, numbers or records
 * with an `id`. Returns the ids trimmed and de-duplicated, in first-seen order.
 */
export function parseRelatedIds(field: string, input: unknown): string[] {
	const ids: string[] = [];
	collect(field, input, ids, 0);
	const unique = [...new Set(ids)];
	if (unique.length === 0) {
		fail(
			field,
			`${field} is empty`,
			'Give at least one related record id: one id, several separated by commas, or an expression returning an array of ids.',
		);
	}
	return unique;
}

function collect(field: string, value: unknown, out: string[], depth: number): void {
	if (value === undefined || value === null) return;
	if (Array.isArray(value)) {
		if (depth > 2) fail(field, `${field} has arrays nested too deep`, 'Pass a flat list of ids.');
		value.forEach((entry, i) => collectEntry(field, entry, out, depth + 1, i));
		return;
	}
	collectEntry(field, value, out, depth, out.length);
}

function collectEntry(
	field: string,
	entry: unknown,
	out: string[],
	depth: number,
	position: number,
) {
	if (typeof entry === 'string') {
		const text = entry.trim();
		if (depth > 0) {
			// An entry of a list is one id: "12 34" inside an array is an error, not two ids.
			if (text !== '') out.push(checkId(field, text, position));
			return;
		}
		if (text.startsWith('[')) return collect(field, parseJsonIdArray(field, text), out, depth + 1);
		for (const part of text.split(/[\s,;]+/)) {
			if (part !== '') out.push(checkId(field, part, out.length));
		}
		return;
	}
	if (typeof entry === 'number') return void out.push(idFromNumber(field, entry, position));
	if (typeof entry === 'bigint') return void out.push(checkId(field, entry.toString(), position));
	if (Array.isArray(entry)) return collect(field, entry, out, depth + 1);
	if (entry === null || entry === undefined) return;
	if (typeof entry === 'object' && 'id' in entry) {
		return collectEntry(field, (entry as { id: unknown }).id, out, depth + 1, position);
	}
	fail(
		field,
		`${field} (entry ${position + 1}) is ${showValue(entry)}, which is not a record id`,
		'Each entry must be an id (text of digits) or a record with an "id" field.',
	);
}

/**
 * Parses a JSON array of ids without ever turning a long number into a float: numeric
 * literals are kept as text, and one beyond 2^53 (which can only have come from a number
 * that already lost digits upstream) is refused.
 */
function parseJsonIdArray(field: string, text: string): unknown[] {
	const quoted = text.replace(
		/(?<=[[,]\s*)(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?=\s*[\],])/g,
		'"#$1"',
	);
	let parsed: unknown;
	try {
		parsed = JSON.parse(quoted);
	} catch {
		fail(
			field,
			`${field} ${showValue(text)} looks like a list but is not valid JSON`,
			'Write ids separated by commas, or a JSON array such as ["3652397000000925128"].',
		);
	}
	if (!Array.isArray(parsed)) {
		fail(
			field,
			`${field} ${showValue(text)} is not a list of ids`,
			'Write ids separated by commas.',
		);
	}
	return parsed.map((entry, i) =>
		typeof entry === 'string' && entry.startsWith('#')
			? numberLiteral(field, entry.slice(1), i)
			: entry,
	);
}

function numberLiteral(field: string, literal: string, position: number): string {
	if (/^\d+$/.test(literal) && Number.isSafeInteger(Number(literal))) return literal;
	return idFromNumber(field, Number(literal), position);
}

/**
 * A Zoho CRM record address, e.g. https://crm.zoho.eu/crm/org123/tab/Products/3477061000007606020
 * (also without the org part, with a trailing slash, query or fragment). Group 1: the tab
 * (module) name, group 2: the record id.
 */
export const RECORD_URL_REGEX =
	'^https?://[^/?#\\s]+/crm/(?:[^/?#\\s]+/)?tab/([A-Za-z0-9_]+)/([0-9]+)(?:[/?#].*)?$';

/** Tabs whose URL name differs from the API name. */
export const TAB_ALIASES: Readonly<Record<string, string>> = {
	Potentials: 'Deals',
	PriceBooks: 'Price_Books',
};

/**
 * Record ID from a resource locator (By ID / By URL / From List) or a plain value. When the
 * URL names another module than `expectedModule`, that is an error: the id would be wrong.
 */
export function parseRecordId(field: string, input: unknown, expectedModule?: string): string {
	let mode = 'id';
	let value: unknown = input;
	if (input !== null && typeof input === 'object' && !Array.isArray(input) && 'value' in input) {
		const locator = input as { mode?: unknown; value: unknown };
		mode = typeof locator.mode === 'string' ? locator.mode : 'id';
		value = locator.value;
	}
	if (typeof value === 'number') return idFromNumber(field, value, 0);
	if (typeof value !== 'string' || value.trim() === '') {
		fail(
			field,
			`${field} is empty`,
			'Give the id of the record, paste its Zoho CRM URL, or pick it from the list.',
		);
	}
	const text = value.trim();
	if (mode !== 'url' && !/^https?:\/\//i.test(text)) return checkId(field, text);
	const match = new RegExp(RECORD_URL_REGEX).exec(text);
	if (!match) {
		fail(
			field,
			`${field} ${showValue(text)} is not a Zoho CRM record URL`,
			'Paste the address of the record as shown in Zoho CRM, e.g. https://crm.zoho.eu/crm/org123/tab/Products/3477061000007606020.',
		);
	}
	const tab = TAB_ALIASES[match[1]] ?? match[1];
	if (expectedModule && tab !== expectedModule) {
		fail(
			field,
			`${field} ${showValue(text)} is a ${tab} record, but Module is ${expectedModule}`,
			`Paste the URL of a ${expectedModule} record, or change Module to ${tab}.`,
		);
	}
	return checkId(field, match[2]);
}

/** Splits ids into batches of at most `size`, preserving order. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
	const batches: T[][] = [];
	for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
	return batches;
}

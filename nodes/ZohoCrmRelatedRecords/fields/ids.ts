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

/**
 * Turns a JavaScript number (from an expression) into an id string: a safe whole number is
 * kept; a larger one has already lost digits; a negative or fractional one is no id at all.
 */
function idFromNumber(field: string, value: number, position: number): string {
	if (Number.isSafeInteger(value) && value >= 0) return String(value);
	if (Number.isInteger(value) && value > 0) {
		fail(
			field,
			`${field} (entry ${position + 1}) is the number ${String(value)}, which is not an exact record id: ` +
				'Zoho ids are 18-19 digits and lose their last digits when handled as a JavaScript number',
			'Pass the ids as text (strings) from the previous node, e.g. {{ $json.id }} rather than {{ Number($json.id) }}; ' +
				'a number like this one has already lost digits, so it is not sent.',
		);
	}
	return fail(
		field,
		`${field} (entry ${position + 1}) is the number ${String(value)}, which is not an exact record id: ` +
			'record ids are whole numbers written with digits only',
		'Pass the ids as text (strings) from the previous node, e.g. {{ $json.id }}.',
	);
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
	if (entry instanceof NumberLiteral) {
		return void out.push(idFromLiteral(field, entry.text, position));
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
 * A number written without quotes in a JSON array string, kept exactly as written: a Zoho id
 * has more digits than a JavaScript number holds, so it is never turned into one.
 */
class NumberLiteral {
	constructor(readonly text: string) {}

	toJSON(): string {
		return this.text;
	}
}

/**
 * An unquoted number of a JSON array string: digits only is an id as text (checked like any
 * other id); a decimal, exponent or negative number is not a record id, and says so.
 */
function idFromLiteral(field: string, literal: string, position: number): string {
	if (DIGITS.test(literal)) return checkId(field, literal, position);
	const where = `${field} (entry ${position + 1}) ${literal} is written as`;
	const hint =
		'Write each id as its digits, e.g. [3652397000000925128], or quote it, e.g. ["3652397000000925128"].';
	if (literal.startsWith('-')) {
		fail(field, `${where} a negative number, which is not a record id`, hint);
	}
	if (/[eE]/.test(literal)) {
		fail(
			field,
			`${where} a number in exponent notation, which is not a record id (its digits are not all there)`,
			`${hint} A number like this one has already lost digits where it was made; take the ids from their source as text.`,
		);
	}
	return fail(field, `${where} a decimal number, which is not a record id`, hint);
}

/** How deep brackets may nest in a JSON array string (the ids themselves allow 2 levels). */
const MAX_JSON_DEPTH = 8;

const JSON_SPACE = /[ \t\n\r]*/y;
/** A quoted text up to its closing quote; JSON.parse then checks and decodes it. */
const JSON_STRING = /"(?:[^"\\]|\\.)*"/y;
/** Numbers, leniently (1., 007), so that a wrong one gets a precise message, not "bad JSON". */
const JSON_NUMBER = /-?[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?/y;
const JSON_WORDS: ReadonlyArray<[string, unknown]> = [
	['true', true],
	['false', false],
	['null', null],
];

/**
 * A small JSON reader that keeps numbers as written (`NumberLiteral`). Quoted texts are read
 * whole, so digits inside them ("a,1234") are never taken for numbers.
 */
class JsonIdReader {
	private at = 0;

	constructor(
		private readonly field: string,
		private readonly text: string,
	) {}

	document(): unknown {
		const value = this.value(0);
		this.space();
		if (this.at < this.text.length) this.bad('there is more text after the closing ]');
		return value;
	}

	private value(depth: number): unknown {
		this.space();
		const c = this.text.charAt(this.at);
		if (c === '[') return this.array(depth + 1);
		if (c === '{') return this.object(depth + 1);
		if (c === '"') return this.string();
		if (c === '-' || (c >= '0' && c <= '9')) return new NumberLiteral(this.match(JSON_NUMBER));
		for (const [word, value] of JSON_WORDS) {
			if (this.text.startsWith(word, this.at)) {
				this.at += word.length;
				return value;
			}
		}
		return this.bad(c === '' ? 'it ends too early' : `unexpected ${JSON.stringify(c)}`);
	}

	private array(depth: number): unknown[] {
		if (depth > MAX_JSON_DEPTH) this.tooDeep();
		this.at++;
		const items: unknown[] = [];
		this.space();
		if (this.eat(']')) return items;
		for (;;) {
			items.push(this.value(depth));
			this.space();
			if (this.eat(']')) return items;
			if (!this.eat(',')) this.bad('expected , or ]');
		}
	}

	private object(depth: number): Record<string, unknown> {
		if (depth > MAX_JSON_DEPTH) this.tooDeep();
		this.at++;
		const result: Record<string, unknown> = {};
		this.space();
		if (this.eat('}')) return result;
		for (;;) {
			this.space();
			if (this.text.charAt(this.at) !== '"') this.bad('expected a quoted name');
			const name = this.string();
			this.space();
			if (!this.eat(':')) this.bad('expected :');
			// Defined, not assigned: a "__proto__" name stays a plain property, as with JSON.parse.
			Object.defineProperty(result, name, {
				value: this.value(depth),
				enumerable: true,
				writable: true,
				configurable: true,
			});
			this.space();
			if (this.eat('}')) return result;
			if (!this.eat(',')) this.bad('expected , or }');
		}
	}

	private string(): string {
		const quoted = this.match(JSON_STRING);
		try {
			return JSON.parse(quoted) as string;
		} catch {
			return this.bad('a quoted text has a bad escape or control character', -quoted.length);
		}
	}

	private match(pattern: RegExp): string {
		pattern.lastIndex = this.at;
		const found = pattern.exec(this.text);
		if (!found) {
			this.bad(
				this.text.charAt(this.at) === '"' ? 'a quoted text is not closed' : 'a number is cut short',
			);
		}
		this.at += found[0].length;
		return found[0];
	}

	private space(): void {
		JSON_SPACE.lastIndex = this.at;
		this.at += JSON_SPACE.exec(this.text)?.[0].length ?? 0;
	}

	private eat(char: string): boolean {
		if (this.text.charAt(this.at) !== char) return false;
		this.at++;
		return true;
	}

	private tooDeep(): never {
		return fail(this.field, `${this.field} has arrays nested too deep`, 'Pass a flat list of ids.');
	}

	private bad(what: string, shift = 0): never {
		return fail(
			this.field,
			`${this.field} ${showValue(this.text)} looks like a list but is not valid JSON: ` +
				`${what} at character ${this.at + shift + 1}`,
			'Write ids separated by commas, or a JSON array such as ["3652397000000925128"].',
		);
	}
}

/**
 * Parses a JSON array string of ids. Unquoted numbers are kept exactly as written (never a
 * JavaScript number, which would drop the last digits of a Zoho id).
 */
function parseJsonIdArray(field: string, text: string): unknown[] {
	const parsed = new JsonIdReader(field, text).document();
	if (!Array.isArray(parsed)) {
		fail(
			field,
			`${field} ${showValue(text)} is not a list of ids`,
			'Write ids separated by commas.',
		);
	}
	return parsed;
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

/**
 * Keeps secrets out of everything the node emits (errors, items, logs): the access token,
 * the refresh token and the client secret, also when Zoho echoes them back.
 *
 * Every output item of a large run goes through here (100,000 ids: 100,000 items), so the
 * work per value is kept small: a string is scanned for what could be replaced, and only a
 * string that holds something is rebuilt (else the same string is kept: the same value); the
 * strings that repeat from item to item (status, code, Zoho's message) are scrubbed once and
 * then shared. Objects and arrays are still copied, so every call returns values of its own.
 */
const REDACTED = '[redacted]';
const TOKEN_SHAPE = /\b1000\.[0-9a-f]{16,}\.[0-9a-f]{16,}\b/gi;
const AUTH_HEADER_VALUE = /\b(Bearer|Zoho-oauthtoken|Basic)\s+[^\s"',;]+/gi;
/**
 * A string that neither pattern above can match lacks all of these (case-insensitive):
 * AUTH_HEADER_VALUE needs one of the three words, TOKEN_SHAPE needs "1000.".
 */
const MAY_MATCH = /bearer|zoho-oauthtoken|basic|1000\./i;
const SECRET_KEYS =
	/^(authorization|access_token|refresh_token|client_secret|clientsecret|password|cookie)$/i;

export type Redactor = <T>(value: T) => T;

/** Distinct strings a redactor remembers the scrubbed form of (the first ones it meets). */
const MEMO_SIZE = 1000;
/** Longer strings are scrubbed each time (an error's text, a page of HTML). */
const MEMO_MAX_LENGTH = 200;

/** A redactor that also removes these exact values (the credential's own secrets). */
export function createRedactor(secrets: unknown[]): Redactor {
	const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6);
	const scrubOnce = (text: string): string => {
		let out = text;
		for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
		if (!MAY_MATCH.test(out)) return out;
		return out.replace(AUTH_HEADER_VALUE, `$1 ${REDACTED}`).replace(TOKEN_SHAPE, REDACTED);
	};
	const memo = new Map<string, string>();
	const scrubText = (text: string): string => {
		if (text.length > MEMO_MAX_LENGTH) return scrubOnce(text);
		let out = memo.get(text);
		if (out === undefined) {
			out = scrubOnce(text);
			if (memo.size < MEMO_SIZE) memo.set(text, out);
		}
		return out;
	};
	/** Whether a key's value is replaced whole; keys repeat (every item has the same ones). */
	const secretKeys = new Map<string, boolean>();
	const isSecretKey = (key: string): boolean => {
		let secret = secretKeys.get(key);
		if (secret === undefined) {
			secret = SECRET_KEYS.test(key);
			if (secretKeys.size < MEMO_SIZE) secretKeys.set(key, secret);
		}
		return secret;
	};
	const scrub = (value: unknown, depth: number): unknown => {
		if (typeof value === 'string') return scrubText(value);
		if (depth > 8 || value === null || typeof value !== 'object') return value;
		if (Array.isArray(value)) return value.map((entry) => scrub(entry, depth + 1));
		// A new plain object with the same own enumerable string keys, in the same order (a
		// spread copies them in that order, and symbols after them, which are dropped).
		const out: Record<string | symbol, unknown> = { ...value };
		for (const symbol of Object.getOwnPropertySymbols(out)) delete out[symbol];
		for (const key of Object.keys(out))
			out[key] = isSecretKey(key) ? REDACTED : scrub(out[key], depth + 1);
		return out;
	};
	return <T>(value: T) => scrub(value, 0) as T;
}

/**
 * Keeps secrets out of everything the node emits (errors, items, logs): the access token,
 * the refresh token and the client secret, also when Zoho echoes them back.
 */
const REDACTED = '[redacted]';
const TOKEN_SHAPE = /\b1000\.[0-9a-f]{16,}\.[0-9a-f]{16,}\b/gi;
const AUTH_HEADER_VALUE = /\b(Bearer|Zoho-oauthtoken|Basic)\s+[^\s"',;]+/gi;
const SECRET_KEYS =
	/^(authorization|access_token|refresh_token|client_secret|clientsecret|password|cookie)$/i;

export type Redactor = <T>(value: T) => T;

/** A redactor that also removes these exact values (the credential's own secrets). */
export function createRedactor(secrets: unknown[]): Redactor {
	const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6);
	const scrubText = (text: string): string => {
		let out = text;
		for (const secret of known) out = out.split(secret).join(REDACTED);
		return out.replace(AUTH_HEADER_VALUE, `$1 ${REDACTED}`).replace(TOKEN_SHAPE, REDACTED);
	};
	const scrub = (value: unknown, depth: number): unknown => {
		if (typeof value === 'string') return scrubText(value);
		if (depth > 8 || value === null || typeof value !== 'object') return value;
		if (Array.isArray(value)) return value.map((entry) => scrub(entry, depth + 1));
		return Object.fromEntries(
			Object.entries(value as Record<string, unknown>).map(([key, entry]) => [
				key,
				SECRET_KEYS.test(key) ? REDACTED : scrub(entry, depth + 1),
			]),
		);
	};
	return <T>(value: T) => scrub(value, 0) as T;
}

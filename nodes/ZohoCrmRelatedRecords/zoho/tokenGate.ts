/**
 * One token refresh per expiry, whatever the number of calls in flight, on n8n 1.x and 2.x.
 *
 * Calls go out with n8n's `ignoreHttpStatusErrors`, so a 401 comes back to the node instead of
 * making n8n refresh the token inside every call that got it (n8n 1.x refreshes once per call:
 * 25 calls in flight, 25 refreshes, while Zoho grants 10 new access tokens per refresh token
 * per 10 minutes). The first call to see its token rejected becomes the refresher: it sends
 * again WITHOUT the flag, so n8n refreshes the token once, saves it and repeats that call. The
 * other calls wait for it and then send again with the new token. A refresh Zoho refuses (a
 * revoked or expired refresh token) is remembered for the credential: later calls fail at once
 * with the same error instead of asking Zoho for a token again, until the credential is
 * reconnected (its refresh token changes) or 10 minutes have passed.
 */
import { createHash } from 'crypto';

/** What the refresher's call came to, as far as the gate is concerned. */
export type RefreshOutcome<T> =
	| { kind: 'refreshed'; result: T }
	| { kind: 'refused'; result: T }
	| { kind: 'transient'; result: T };

interface Gate {
	/** Counts refreshes: a call that sent with an older epoch just sends again. */
	epoch: number;
	refreshing?: Promise<void>;
	/** Set when Zoho refused a refresh of this refresh token. */
	refused?: { fingerprint: string; result: unknown; at: number };
}

/**
 * How long a refusal is remembered: Zoho's token limits count over 10 minutes, and a refusal
 * that was a passing one (too many token requests) must not outlive them.
 */
export const REFUSAL_MEMORY_MS = 10 * 60 * 1000;

const gates = new Map<string, Gate>();

/** A short fingerprint of the credential's refresh token (never the token itself). */
export function tokenFingerprint(refreshToken: unknown): string {
	return createHash('sha256')
		.update(typeof refreshToken === 'string' ? refreshToken : '')
		.digest('hex')
		.slice(0, 16);
}

function gateOf(key: string): Gate {
	let gate = gates.get(key);
	if (!gate) {
		gate = { epoch: 0 };
		gates.set(key, gate);
	}
	return gate;
}

/**
 * Before sending: waits for a refresh in progress, and returns the epoch to hand back to
 * `onRejectedToken`, or the remembered refusal of this credential's refresh token.
 */
export async function beforeSend(
	key: string,
	fingerprint: string,
): Promise<{ epoch: number } | { refused: unknown }> {
	const gate = gateOf(key);
	if (gate.refreshing) await gate.refreshing;
	if (gate.refused) {
		const { fingerprint: refusedFor, result, at } = gate.refused;
		if (refusedFor === fingerprint && Date.now() - at < REFUSAL_MEMORY_MS)
			return { refused: result };
		gate.refused = undefined; // reconnected, or long enough ago to ask Zoho again
	}
	return { epoch: gate.epoch };
}

/**
 * After Zoho rejected the token a call was sent with (at `epoch`): either send again (someone
 * refreshed meanwhile, or is refreshing now), or refresh through `refresh` and return its call's
 * result. Only one refresh runs per credential at a time.
 */
export async function onRejectedToken<T>(
	key: string,
	fingerprint: string,
	epoch: number,
	refresh: () => Promise<RefreshOutcome<T>>,
): Promise<{ sendAgain: true } | { result: T }> {
	const gate = gateOf(key);
	if (gate.refreshing || gate.epoch !== epoch) {
		if (gate.refreshing) await gate.refreshing;
		if (gate.refused?.fingerprint === fingerprint) return { result: gate.refused.result as T };
		return { sendAgain: true };
	}
	let outcome: RefreshOutcome<T> | undefined;
	let done: () => void = () => undefined;
	gate.refreshing = new Promise<void>((resolve) => (done = resolve));
	try {
		outcome = await refresh();
	} finally {
		if (outcome?.kind === 'refreshed') gate.epoch++;
		if (outcome?.kind === 'refused') {
			gate.epoch++;
			gate.refused = { fingerprint, result: outcome.result, at: Date.now() };
		}
		gate.refreshing = undefined;
		done();
	}
	return { result: outcome.result };
}

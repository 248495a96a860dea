/**
 * How one Zoho call is sent: through n8n's routing engine (`makeRoutingRequest`, which signs it
 * with the credential's OAuth2 token), inside the org's concurrency cap (cap.ts), with one
 * token refresh per expiry (tokenGate.ts), retrying passing failures with backoff (retry.ts).
 */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IHttpRequestMethods,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { withSlot } from './cap';
import type { ZohoFailure } from './errors';
import { failureFromAnswer } from './errors';
import { backoffMs, isRetryableAnswer, isRetryableCode } from './retry';
import { beforeSend, onRejectedToken, type RefreshOutcome } from './tokenGate';
import {
	answerFromError,
	CREDENTIAL_TYPE,
	hasZohoShape,
	parseBody,
	type ZohoAnswer,
} from './transport';

/** A call's query parameters, in order; undefined ones are left out. */
export type ZohoQuery = Record<string, string | number | undefined>;

export interface ZohoCall {
	method: IHttpRequestMethods;
	/** Path below /crm/{version}, each segment already validated. */
	path: string;
	qs?: ZohoQuery;
	/** JSON body (Update Related Records). */
	body?: IDataObject;
}

/** A call that got no answer from Zoho at all (connection reset, timeout, refused refresh…). */
export interface NoAnswer {
	noAnswer: true;
	code: string;
	message: string;
	details?: IDataObject;
}

/** How calls are sent: retries with backoff, and the cap on concurrent calls per org. */
export interface CallPolicy {
	/** Attempts after the first, for 429, 5xx, gateway pages, damaged answers and lost connections. */
	maxRetries: number;
	/** The n-th retry waits base × 2^(n-1) ms, plus up to 25% jitter (retry.ts). */
	retryBaseDelayMs: number;
	/** Zoho calls in flight at once for this org in this n8n process (cap.ts). */
	maxConcurrentCalls: number;
}

export const DEFAULT_CALL_POLICY: CallPolicy = {
	maxRetries: 3,
	retryBaseDelayMs: 1000,
	maxConcurrentCalls: 5,
};

/** Code of the failure when Zoho refuses to renew the access token. */
export const REFRESH_REFUSED = 'OAUTH_REFRESH_FAILED';

/** What a call came to after its attempts. */
export type CallResult = (ZohoAnswer | NoAnswer) & {
	attempts: number;
	/**
	 * An earlier attempt reached Zoho and may have done the work before its answer was lost
	 * (no answer, a gateway page, a damaged success). Never set by a 429 or by Zoho's own JSON
	 * error body: those are refused before any work.
	 */
	earlierAttemptMayHaveApplied: boolean;
};

export function isNoAnswer(result: ZohoAnswer | NoAnswer): result is NoAnswer {
	return 'noAnswer' in result;
}

/** The failure a call came to, for an error or an error item. */
export function failureOf(result: CallResult): ZohoFailure {
	const failure: ZohoFailure = isNoAnswer(result)
		? { code: result.code, message: result.message, details: result.details ?? {} }
		: failureFromAnswer(result);
	if (result.attempts > 1) failure.attempts = result.attempts;
	return failure;
}

/** Where calls go and how: one per input item, shared by its operation's calls. */
export interface ZohoTarget {
	baseURL: string;
	/** Identifies the Zoho org and app (credential + API domain): the cap's and the token's key. */
	orgKey: string;
	/** Fingerprint of the credential's refresh token (tokenGate.ts). */
	tokenFingerprint: string;
	policy: CallPolicy;
}

/** Sends Zoho calls for one input item. */
export class ZohoClient {
	constructor(
		private readonly ctx: IExecutePaginationFunctions,
		private readonly requestData: DeclarativeRestApiSettings.ResultOptions,
		readonly target: ZohoTarget,
	) {}

	/** Sends one call, retrying passing failures, and returns what it came to. */
	async call(version: string, call: ZohoCall): Promise<CallResult> {
		const { policy } = this.target;
		let earlierAttemptMayHaveApplied = false;
		for (let attempt = 1; ; attempt++) {
			const result = await this.attempt(version, call);
			if (isNoAnswer(result)) {
				if (!isRetryableCode(result.code) || attempt > policy.maxRetries) {
					return { ...result, attempts: attempt, earlierAttemptMayHaveApplied };
				}
				earlierAttemptMayHaveApplied = true;
			} else {
				const zohoShaped = result.statusCode === 204 || hasZohoShape(result.body);
				// JSON cut short on the way (any status): Zoho answered, the answer was lost.
				const damaged =
					!zohoShaped && typeof result.body === 'string' && /^\s*[{[]/.test(result.body);
				const retryable = damaged || isRetryableAnswer(result.statusCode, zohoShaped);
				if (!retryable || attempt > policy.maxRetries) {
					return { ...result, attempts: attempt, earlierAttemptMayHaveApplied };
				}
				// A gateway page or a damaged answer may come after the work; Zoho's own JSON
				// errors (429, INTERNAL_ERROR) come before it.
				earlierAttemptMayHaveApplied ||= !zohoShaped;
			}
			await sleep(backoffMs(attempt, policy.retryBaseDelayMs));
		}
	}

	/**
	 * One attempt, token trouble included: a rejected token is renewed once for all calls of
	 * the credential (tokenGate.ts) and the attempt sent again with the new one.
	 */
	private async attempt(version: string, call: ZohoCall): Promise<ZohoAnswer | NoAnswer> {
		const { orgKey, tokenFingerprint: fingerprint } = this.target;
		for (let pass = 1; ; pass++) {
			const ready = await beforeSend(orgKey, fingerprint);
			if ('refused' in ready) return ready.refused as NoAnswer;
			const answer = await this.send(version, call, true);
			if (isNoAnswer(answer) || !tokenRejected(answer) || pass > 2) return answer;
			const next = await onRejectedToken(orgKey, fingerprint, ready.epoch, async () =>
				this.sendRefreshing(version, call),
			);
			if ('result' in next) return next.result;
		}
	}

	/**
	 * The refresher's attempt: sent without `ignoreHttpStatusErrors`, so n8n renews the token
	 * and repeats the call. A refusal from Zoho's accounts server either throws (an error
	 * status) or, when Zoho answers it with HTTP 200 `{"error": …}` as it does, makes n8n keep
	 * the old token, note the error in the credential and repeat the call, which is rejected
	 * again: both are a refused refresh.
	 */
	private async sendRefreshing(
		version: string,
		call: ZohoCall,
	): Promise<RefreshOutcome<ZohoAnswer | NoAnswer>> {
		const result = await this.send(version, call, false);
		if (isNoAnswer(result)) {
			return { kind: result.code === REFRESH_REFUSED ? 'refused' : 'transient', result };
		}
		if (!tokenRejected(result)) return { kind: 'refreshed', result };
		const credentials = await this.ctx.getCredentials(CREDENTIAL_TYPE);
		const noted = ((credentials.oauthTokenData ?? {}) as IDataObject).error;
		if (typeof noted === 'string' && noted !== '') {
			return { kind: 'refused', result: refusedRefresh(noted) };
		}
		// Renewed, and Zoho still says INVALID_TOKEN: the new token is no better.
		if ((result.body as IDataObject | undefined)?.code === 'INVALID_TOKEN') {
			return { kind: 'refused', result: refusedRefresh('the renewed token was rejected too') };
		}
		return { kind: 'refreshed', result };
	}

	/**
	 * Sends through n8n's routing engine inside the org's cap. With `statusAsAnswer`, every HTTP
	 * status comes back as an answer (n8n's `ignoreHttpStatusErrors`: no token refresh); without
	 * it, a 401 makes n8n refresh the token and repeat the call, and other non-2xx answers throw
	 * and are read back from the error.
	 */
	private async send(
		version: string,
		call: ZohoCall,
		statusAsAnswer: boolean,
	): Promise<ZohoAnswer | NoAnswer> {
		const { baseURL, orgKey, policy } = this.target;
		const options = {
			...this.requestData.options,
			method: call.method,
			baseURL,
			url: `/crm/${version}${call.path}${queryString(call.qs)}`,
			qs: {},
			headers: { ...(this.requestData.options.headers ?? {}), Accept: 'application/json' },
			json: true,
			ignoreHttpStatusErrors: statusAsAnswer,
		};
		delete options.body;
		if (call.body) options.body = call.body;
		return await withSlot(orgKey, policy.maxConcurrentCalls, async () => {
			try {
				const items = await this.ctx.makeRoutingRequest({ ...this.requestData, options });
				const full = (items[0]?.json ?? {}) as IDataObject;
				return {
					statusCode: Number(full.statusCode ?? 200),
					headers: (full.headers ?? {}) as IDataObject,
					body: parseBody(full.body),
				};
			} catch (error) {
				return answerFromError(error) ?? noAnswer(error, !statusAsAnswer);
			}
		});
	}
}

/** A 401 that a new access token may cure (not a missing scope). */
function tokenRejected(answer: ZohoAnswer): boolean {
	if (answer.statusCode !== 401) return false;
	const code = (answer.body as IDataObject | undefined)?.code;
	return code !== 'OAUTH_SCOPE_MISMATCH';
}

function refusedRefresh(reason: string): NoAnswer {
	return {
		noAnswer: true,
		code: REFRESH_REFUSED,
		message: `Zoho refused to renew the access token (${reason}): reconnect the Zoho CRM credential`,
		details: { reason },
	};
}

const NETWORK_CODE = /^(E[A-Z_]+|ERR_[A-Z_]+|NO_RESPONSE)$/;
const NETWORK_TEXT =
	/socket hang up|ECONNRESET|ETIMEDOUT|ECONNREFUSED|EPIPE|EAI_AGAIN|network|timed? ?out/i;

/**
 * The network code of a failure without an HTTP answer, if it is one: an `E…` code anywhere in
 * the error's cause chain (n8n 2.x keeps the AxiosError as the cause), or in the `httpCode` and
 * `messages` n8n 1.x puts on the NodeApiError it throws instead (no cause there).
 */
function networkCode(chain: Array<Record<string, unknown>>): string | undefined {
	for (const e of chain) {
		for (const value of [e.code, e.httpCode]) {
			if (typeof value === 'string' && NETWORK_CODE.test(value) && value !== 'EAUTH') return value;
		}
	}
	for (const e of chain) {
		const texts = [e.message, ...(Array.isArray(e.messages) ? e.messages : [])];
		if (texts.some((t) => typeof t === 'string' && NETWORK_TEXT.test(t))) return 'NO_RESPONSE';
	}
	return undefined;
}

/**
 * A failure without an HTTP answer. During a refresh (`refreshing`), anything but a network
 * fault is the accounts server refusing the refresh token: credential trouble, not retried. A
 * network fault during a refresh is passing trouble like any other (Zoho may even have granted
 * the token): the call is retried and nothing is remembered against the credential.
 */
function noAnswer(error: unknown, refreshing: boolean): NoAnswer {
	const chain: Array<Record<string, unknown>> = [];
	for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
		chain.push(e as Record<string, unknown>);
		e = (e as { cause?: unknown }).cause;
	}
	const network = networkCode(chain);
	if (refreshing && !network) {
		const oauth = chain.find((e) => e.code === 'EAUTH' || isOAuthBody(e.body));
		const body = (oauth?.body ?? {}) as IDataObject;
		return refusedRefresh(String(body.error ?? oauth?.message ?? chain[0]?.message ?? 'refused'));
	}
	const first = chain[0] ?? {};
	const message = String(first.message ?? 'The request to Zoho failed without an answer');
	return {
		noAnswer: true,
		code: network ?? 'NO_RESPONSE',
		message: refreshing
			? `The connection dropped while the access token was being renewed (the credential is fine; the call is tried again): ${message}`
			: message,
	};
}

function isOAuthBody(body: unknown): boolean {
	return (
		body !== null && typeof body === 'object' && typeof (body as IDataObject).error === 'string'
	);
}

/**
 * `?a=1&b=2`, encoded as n8n's serializer (qs, RFC 3986) encodes it, or '' for no parameters.
 * Built here once rather than handed to n8n as `qs`: n8n serializes `qs` again on each of its
 * passes over the URL (the domain check, the OAuth2 helper, axios), and qs encodes character by
 * character, a few hundred KB of garbage for every call of 100 ids.
 */
export function queryString(qs: ZohoQuery | undefined): string {
	if (!qs) return '';
	const parts: string[] = [];
	for (const key of Object.keys(qs)) {
		const value = qs[key];
		if (value !== undefined) parts.push(`${uriComponent(key)}=${uriComponent(String(value))}`);
	}
	return parts.length ? `?${parts.join('&')}` : '';
}

/** encodeURIComponent, plus the five characters RFC 3986 reserves and it leaves alone. */
function uriComponent(text: string): string {
	return encodeURIComponent(text).replace(
		/[!'()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}

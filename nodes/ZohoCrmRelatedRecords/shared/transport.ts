/**
 * Where and how the node talks to Zoho: the API base URL for the credential's data centre
 * and environment, the API versions, and one call through n8n's routing engine that hands
 * back Zoho's answer (status, headers, body) whether the call succeeded or threw.
 */
import type {
	DeclarativeRestApiSettings,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestMethods,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import { sleep } from 'n8n-workflow';

import { withSlot } from './concurrency';
import { CUSTOM_DATA_CENTER, hostsByDataCenter } from './dataCenters';
import { InvalidInputError } from './ids';
import { backoffMs, isRetryableCode, isRetryableStatus, mayHaveApplied } from './retry';

export const CREDENTIAL_TYPE = 'zohoCrmOAuth2Api';

/** Zoho CRM REST versions with the same related-records paths; v2 is the seed's. */
export const API_VERSIONS = ['v2', 'v2.1', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8'] as const;
export const DEFAULT_API_VERSION = 'v2';

const ENVIRONMENT_HOST_PREFIX: Record<string, string> = {
	sandbox: 'sandbox.',
	developer: 'developer.',
};

/**
 * The API origin for a credential: the `api_domain` Zoho returned with the token, else the
 * data centre's API domain (or the custom one); Sandbox and Developer orgs live on the
 * `sandbox.` / `developer.` host of the same data centre. Throws InvalidInputError when the
 * result is not an http(s) origin.
 */
export function apiBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const tokenData = (credentials.oauthTokenData ?? {}) as IDataObject;
	const dataCenter = String(credentials.dataCenter ?? 'us');
	let configured: string;
	if (typeof tokenData.api_domain === 'string' && tokenData.api_domain !== '') {
		configured = tokenData.api_domain;
	} else if (dataCenter === CUSTOM_DATA_CENTER) {
		configured = String(credentials.customApiDomain ?? '');
	} else {
		configured = `https://${hostsByDataCenter('apiHost')[dataCenter] ?? hostsByDataCenter('apiHost').us}`;
	}
	let url: URL | undefined;
	try {
		url = new URL(configured);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
		throw new InvalidInputError(
			'Credential',
			`The credential's API domain ${JSON.stringify(configured)} is not an http(s) URL`,
			'Reconnect the Zoho CRM credential, or with Data Center "Custom" enter a Custom API Domain such as https://www.zohoapis.com.',
		);
	}
	const prefix = ENVIRONMENT_HOST_PREFIX[String(credentials.environment ?? 'production')];
	if (prefix && dataCenter !== CUSTOM_DATA_CENTER && !url.hostname.startsWith(prefix)) {
		url.hostname = prefix + url.hostname.replace(/^www\./, '');
	}
	return url.origin;
}

/** One path segment: callers pass only validated names and ids; this is belt and braces. */
export function segment(value: string): string {
	return encodeURIComponent(value);
}

/** Zoho's answer to one call, successful or not. */
export interface ZohoAnswer {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

/**
 * `routing.output.postReceive` hook: hands the pagination function the full response
 * (status and headers too), not just the body.
 */
export async function keepFullResponse(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	return [
		{
			json: {
				statusCode: response.statusCode,
				headers: (response.headers ?? {}) as IDataObject,
				body: response.body as IDataObject,
			},
		},
	];
}

export interface ZohoCall {
	method: IHttpRequestMethods;
	/** Path below /crm/{version}, each segment already validated. */
	path: string;
	qs?: IDataObject;
}

/** A call that got no answer from Zoho at all (connection reset, timeout…). */
export interface NoAnswer {
	noAnswer: true;
	code: string;
	message: string;
}

/** How calls are sent: retries with backoff, and the cap on concurrent calls per execution. */
export interface CallPolicy {
	/** Attempts after the first, for 429, 5xx, gateway pages and lost connections. */
	maxRetries: number;
	/** Backoff base: the n-th retry waits about base * 2^(n-1) ms, with jitter. */
	retryBaseDelayMs: number;
	/** Zoho calls in flight at once across all items of one execution. */
	maxConcurrentCalls: number;
}

export const DEFAULT_CALL_POLICY: CallPolicy = {
	maxRetries: 3,
	retryBaseDelayMs: 1000,
	maxConcurrentCalls: 5,
};

/** What a call came to after its attempts. */
export type CallResult = (ZohoAnswer | NoAnswer) & {
	attempts: number;
	/** An earlier attempt may have done the work before its answer was lost. */
	earlierAttemptMayHaveApplied: boolean;
};

/**
 * Sends one call, retrying passing failures (429, 5xx, gateway pages, lost connections,
 * damaged bodies) with exponential backoff (n8n-workflow's `sleep`), while holding one
 * of the execution's concurrency slots per attempt (not while waiting).
 */
export async function callZoho(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	baseURL: string,
	version: string,
	call: ZohoCall,
	policy: CallPolicy = DEFAULT_CALL_POLICY,
): Promise<CallResult> {
	const slotKey = `${this.getExecutionId() ?? 'execution'}`;
	let earlierAttemptMayHaveApplied = false;
	for (let attempt = 1; ; attempt++) {
		const result = await withSlot(slotKey, policy.maxConcurrentCalls, async () =>
			sendOnce.call(this, requestData, baseURL, version, call),
		);
		const statusCode = isNoAnswer(result) ? undefined : result.statusCode;
		// An answer without Zoho's shape (a JSON body cut short, an empty body): it was damaged
		// on the way; if it was a success, the work may be done.
		const garbled = !isNoAnswer(result) && result.statusCode !== 204 && !hasZohoShape(result.body);
		const retryable = isNoAnswer(result)
			? isRetryableCode(result.code)
			: isRetryableStatus(result.statusCode) || garbled;
		if (!retryable || attempt > policy.maxRetries) {
			return { ...result, attempts: attempt, earlierAttemptMayHaveApplied };
		}
		earlierAttemptMayHaveApplied ||=
			mayHaveApplied(statusCode) || (garbled && (statusCode ?? 0) < 300);
		await sleep(backoffMs(attempt, policy.retryBaseDelayMs));
	}
}

/**
 * Sends one attempt through n8n's routing engine (`makeRoutingRequest`: n8n signs it with the
 * OAuth2 token and refreshes an expired token once on 401) and returns Zoho's answer.
 * Non-2xx answers throw inside n8n; Zoho's body is read back from the thrown error, so
 * token refresh keeps working on n8n 1.x and 2.x (no `ignoreHttpStatusErrors`).
 */
async function sendOnce(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	baseURL: string,
	version: string,
	call: ZohoCall,
): Promise<ZohoAnswer | NoAnswer> {
	const options = {
		...requestData.options,
		method: call.method,
		baseURL,
		url: `/crm/${version}${call.path}`,
		qs: call.qs ?? {},
		headers: { ...(requestData.options.headers ?? {}), Accept: 'application/json' },
		json: true,
	};
	delete options.body;
	try {
		const items = await this.makeRoutingRequest({ ...requestData, options });
		const full = (items[0]?.json ?? {}) as IDataObject;
		return {
			statusCode: Number(full.statusCode ?? 200),
			headers: (full.headers ?? {}) as IDataObject,
			body: parseBody(full.body),
		};
	} catch (error) {
		const answer = answerFromError(error);
		if (answer) return answer;
		const cause = (error ?? {}) as {
			code?: unknown;
			message?: unknown;
			cause?: { code?: unknown };
		};
		return {
			noAnswer: true,
			code: String(cause.code ?? cause.cause?.code ?? 'NO_RESPONSE'),
			message: String(cause.message ?? 'The request to Zoho failed without an answer'),
		};
	}
}

export function isNoAnswer(result: ZohoAnswer | NoAnswer): result is NoAnswer {
	return 'noAnswer' in result;
}

/** Zoho's answer carried by an error n8n threw (NodeApiError over an AxiosError, n8n 1.x and 2.x). */
export function answerFromError(error: unknown): ZohoAnswer | undefined {
	if (error === null || typeof error !== 'object') return undefined;
	const e = error as Record<string, any>;
	const response = e.cause?.response ?? e.response ?? e.cause?.cause?.response;
	const statusCode = Number(response?.status ?? response?.statusCode ?? e.httpCode ?? e.statusCode);
	if (!Number.isInteger(statusCode) || statusCode < 100) return undefined;
	const body = response?.data ?? response?.body ?? e.context?.data ?? e.error;
	return { statusCode, headers: (response?.headers ?? {}) as IDataObject, body: parseBody(body) };
}

/** Zoho answers with `data` (per-record results, records) or a top-level `code`. */
function hasZohoShape(body: unknown): boolean {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
	const b = body as IDataObject;
	return Array.isArray(b.data) || typeof b.code === 'string' || typeof b.error === 'string';
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body ?? {};
	if (body.trim() === '') return {};
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

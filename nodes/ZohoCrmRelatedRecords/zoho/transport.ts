/**
 * Where the node talks to Zoho: the API base URL for the credential's data centre and
 * environment, the API versions, and Zoho's answer to a call (status, headers, body) as n8n
 * hands it back, whether the call succeeded or threw. Sending calls is call.ts.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import { InvalidInputError } from '../fields/ids';
import { CUSTOM_DATA_CENTER, hostsByDataCenter } from './dataCenters';

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
	refuseCleartext(url, 'API domain');
	if (dataCenter === CUSTOM_DATA_CENTER && credentials.customAccountsServer) {
		let accounts: URL | undefined;
		try {
			accounts = new URL(String(credentials.customAccountsServer));
		} catch {
			accounts = undefined;
		}
		if (accounts) refuseCleartext(accounts, 'Custom Accounts Server');
	}
	const prefix = ENVIRONMENT_HOST_PREFIX[String(credentials.environment ?? 'production')];
	if (prefix && dataCenter !== CUSTOM_DATA_CENTER && !url.hostname.startsWith(prefix)) {
		url.hostname = prefix + url.hostname.replace(/^www\./, '');
	}
	return url.origin;
}

/** 127.0.0.0/8, ::1 and localhost: a test server or a local proxy on this machine. */
function isLoopback(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Tokens travel in every request (the access token) and every renewal (the refresh token and
 * client secret): plain http is refused unless the host is this machine, before anything is
 * sent.
 */
function refuseCleartext(url: URL, what: string): void {
	if (url.protocol !== 'http:' || isLoopback(url.hostname)) return;
	throw new InvalidInputError(
		'Credential',
		`The credential's ${what} ${JSON.stringify(url.origin)} uses plain http, which would send the Zoho tokens unencrypted`,
		`Use https:// (e.g. https://www.zohoapis.com or https://accounts.zoho.com) in the Zoho CRM credential; plain http is allowed only for 127.0.0.1 or localhost.`,
	);
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
export function hasZohoShape(body: unknown): boolean {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
	const b = body as IDataObject;
	return Array.isArray(b.data) || typeof b.code === 'string' || typeof b.error === 'string';
}

export function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body ?? {};
	if (body.trim() === '') return {};
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

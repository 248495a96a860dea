/**
 * What every sandbox test file shares: one sandbox per test (`start`, closed after each test by
 * the afterEach this module registers), requests over real HTTP with the current token
 * (`call`, `get`, `del`, `put`), the check of a catalogue error (`expectError`), a campaign
 * with linked contacts (`campaignWith`), and the answer entries several behaviours share.
 */
import { startZohoSandbox, ZOHO_ERRORS, type SandboxOptions, type ZohoSandbox } from '../index';

export interface Answer {
	status: number;
	headers: Headers;
	text: string;
	body: any;
}

/** The sandbox of the running test and the access token `call` sends (live bindings). */
export let sb: ZohoSandbox;
export let token: string;

export async function start(options: SandboxOptions = {}): Promise<void> {
	sb = await startZohoSandbox(options);
	token = sb.issueTokens().access_token;
}

/** Makes `call` send another access token from now on. */
export function setToken(accessToken: string): void {
	token = accessToken;
}

afterEach(async () => {
	await sb?.close();
});

export async function call(
	method: string,
	pathAndQuery: string,
	init: { auth?: string | null; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
	const headers: Record<string, string> = { ...init.headers };
	const auth = init.auth === undefined ? `Zoho-oauthtoken ${token}` : init.auth;
	if (auth !== null) headers.Authorization = auth;
	const res = await fetch(sb.url + pathAndQuery, { method, headers, body: init.body });
	const text = await res.text();
	let body: unknown;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		body = undefined;
	}
	return { status: res.status, headers: res.headers, text, body };
}

export const del = (p: string, init?: Parameters<typeof call>[2]) => call('DELETE', p, init);
export const get = (p: string, init?: Parameters<typeof call>[2]) => call('GET', p, init);
export const put = (p: string, body: unknown, init: Parameters<typeof call>[2] = {}) =>
	call('PUT', p, {
		...init,
		headers: { 'Content-Type': 'application/json', ...init.headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});

export function expectError(answer: Answer, entry: (typeof ZOHO_ERRORS)[keyof typeof ZOHO_ERRORS]) {
	expect(answer.status).toBe(entry.status);
	expect(answer.body).toEqual({
		code: entry.code,
		details: entry.details,
		message: entry.message,
		status: 'error',
	});
}

/** A campaign linked to `n` contacts. */
export function campaignWith(n: number) {
	const campaignId = sb.addRecord('Campaigns');
	const contactIds = sb.addRecords('Contacts', n);
	sb.link('Campaigns', campaignId, 'Contacts', contactIds);
	return { campaignId, contactIds };
}

export const idsOf = (answer: Answer): string[] =>
	answer.body.data.map((r: { id: string }) => r.id);

/** A well-formed record id that no record has. */
export const MISSING_ID = '9999999999999999999';

/** The per-entry answer of a link (PUT) that linked or updated `id`. */
export const updated = (id: string) => ({
	code: 'SUCCESS',
	details: { id },
	message: 'relation updated',
	status: 'success',
});

/** The per-entry answer for a related id that names no record of the related list's module. */
export const invalidRelatedId = (id: string) => ({
	code: 'INVALID_DATA',
	details: { id },
	message: 'the related id given seems to be invalid',
	status: 'error',
});

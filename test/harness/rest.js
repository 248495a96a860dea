// @ts-check
'use strict';
/**
 * n8n's REST API from a test: a JSON request (with a session's cookie), logging in, and
 * creating the instance owner of a fresh n8n.
 */

/**
 * @typedef {{
 *   cookie: string, headers: Record<string, string>, email: string, password: string,
 *   user: any, browserId: string | undefined
 * }} Session
 */

/**
 * A JSON request to n8n's REST API.
 * @param {string} url server base URL
 * @param {string} method @param {string} pathname e.g. /rest/login
 * @param {{ body?: unknown, session?: Session, headers?: Record<string, string> }} [opts]
 * @returns {Promise<{ status: number, headers: Headers, body: any, setCookie: string[] }>}
 */
async function rest(url, method, pathname, opts = {}) {
	const res = await fetch(url + pathname, {
		method,
		headers: {
			'content-type': 'application/json',
			...(opts.session?.headers ?? {}),
			...(opts.headers ?? {}),
		},
		body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
	});
	const text = await res.text();
	let body;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		body = text;
	}
	const setCookie =
		typeof res.headers.getSetCookie === 'function'
			? res.headers.getSetCookie()
			: (res.headers.get('set-cookie') ?? '').split(/,(?=\s*\w+=)/).filter(Boolean);
	return { status: res.status, headers: res.headers, body, setCookie };
}

/** @param {string[]} setCookie @returns {string | undefined} "n8n-auth=…" */
function authCookie(setCookie) {
	const c = setCookie.find((s) => s.trim().startsWith('n8n-auth='));
	return c?.split(';')[0].trim();
}

const DEFAULT_OWNER = {
	email: 'owner@e2e.example.com',
	password: 'E2e-Passw0rd!',
	firstName: 'E2E',
	lastName: 'Owner',
};

/**
 * Logs in; returns the auth cookie (and headers to send it with).
 * @param {string} url
 * @param {{ email?: string, password?: string, browserId?: string }} [opts]
 *   browserId: when given, the cookie is bound to it and every request must send the same
 *   `browser-id` header (as n8n's editor does); without it n8n skips that check.
 * @returns {Promise<Session>}
 */
async function login(url, opts = {}) {
	const email = opts.email ?? DEFAULT_OWNER.email;
	const password = opts.password ?? DEFAULT_OWNER.password;
	const headers = opts.browserId ? { 'browser-id': opts.browserId } : undefined;
	const r = await rest(url, 'POST', '/rest/login', {
		body: { emailOrLdapLoginId: email, password },
		headers,
	});
	const cookie = authCookie(r.setCookie);
	if (r.status !== 200 || !cookie)
		throw new Error(`login failed: HTTP ${r.status} ${JSON.stringify(r.body)}`);
	return {
		cookie,
		headers: { cookie, ...(headers ?? {}) },
		email,
		password,
		user: r.body?.data,
		browserId: opts.browserId,
	};
}

/**
 * Creates the instance owner (POST /rest/owner/setup), then logs in as that owner.
 * @param {string} url
 * @param {{ email?: string, password?: string, firstName?: string, lastName?: string, browserId?: string }} [opts]
 * @returns {Promise<Session>} `session.cookie` is "n8n-auth=…"
 */
async function setupOwner(url, opts = {}) {
	const owner = { ...DEFAULT_OWNER, ...opts };
	const r = await rest(url, 'POST', '/rest/owner/setup', {
		body: {
			email: owner.email,
			password: owner.password,
			firstName: owner.firstName,
			lastName: owner.lastName,
		},
	});
	if (r.status !== 200)
		throw new Error(`owner setup failed: HTTP ${r.status} ${JSON.stringify(r.body)}`);
	return login(url, { email: owner.email, password: owner.password, browserId: opts.browserId });
}

module.exports = { rest, login, setupOwner };

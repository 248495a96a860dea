// @ts-check
'use strict';
/**
 * Zoho's accounts server, in memory: the authorization endpoint (auto-approves), the token
 * endpoint (authorization_code and refresh_token grants), revocation, and the access-token
 * check the API uses. Tokens remember their scopes.
 */
const crypto = require('node:crypto');

/**
 * @typedef {{ scopes: string[], scope: string, expiresAt: number, expiredFromSeq: number, revoked: boolean, refreshToken?: string }} AccessToken
 *   expiredFromSeq: API requests arriving with this seq or later see the token expired
 *   (Infinity unless expireAccessTokens(fromSeq) marked it)
 * @typedef {{ scopes: string[], scope: string, clientId: string, revoked: boolean }} RefreshToken
 * @typedef {{ scopes: string[], scope: string, clientId: string, redirectUri: string, accessType: string, prompt: string }} AuthCode
 * @typedef {{ status: number, body?: unknown, headers?: Record<string, string> }} OAuthReply
 * @typedef {{ tokensIssued: number, tokenRefreshes: number, tokenRefreshFailures: number, authCodesIssued: number }} OAuthStats
 */

/** `1000.` + 32 hex + `.` + 32 hex, the shape of Zoho's tokens and grant codes. */
function newToken() {
	return `1000.${crypto.randomBytes(16).toString('hex')}.${crypto.randomBytes(16).toString('hex')}`;
}

/** Scopes are comma separated in Zoho (spaces tolerated: n8n joins scope lists with them). */
/** @param {string} scope @returns {string[]} */
function parseScopes(scope) {
	return scope
		.split(/[,\s]+/)
		.map((s) => s.trim())
		.filter(Boolean);
}

/** Module scope operation types that allow each operation (besides ZohoCRM.modules.ALL). */
const SCOPE_OPERATIONS = {
	READ: ['ALL', 'READ'],
	DELETE: ['ALL', 'DELETE', 'WRITE'],
	UPDATE: ['ALL', 'UPDATE', 'WRITE'],
};

/**
 * Whether `scopes` allow `operation` on `module`'s records (scope names are case-insensitive):
 * READ (GET) by {ALL|READ}, DELETE (delink) by {ALL|DELETE|WRITE}, UPDATE (PUT, Update Related
 * Records) by {ALL|UPDATE|WRITE}, each as `ZohoCRM.modules.{scopeName}.{op}`, or
 * `ZohoCRM.modules.ALL`.
 * @param {string[]} scopes
 * @param {string} scopeName module part of the scope, e.g. `pricebooks`
 * @param {'READ' | 'DELETE' | 'UPDATE'} operation
 */
function scopeAllows(scopes, scopeName, operation) {
	const ops = SCOPE_OPERATIONS[operation];
	const accepted = new Set([
		'zohocrm.modules.all',
		...ops.map((op) => `zohocrm.modules.${scopeName}.${op}`.toLowerCase()),
	]);
	return scopes.some((s) => accepted.has(s.toLowerCase()));
}

/**
 * Whether `scopes` allow reading CRM settings (used by `settings/related_lists`).
 * @param {string[]} scopes
 * @param {string} what e.g. `related_lists`
 */
function settingsScopeAllows(scopes, what) {
	const accepted = new Set(
		[
			'zohocrm.settings.all',
			'zohocrm.settings.read',
			`zohocrm.settings.${what}.all`,
			`zohocrm.settings.${what}.read`,
		].map((s) => s.toLowerCase()),
	);
	return scopes.some((s) => accepted.has(s.toLowerCase()));
}

class OAuthServer {
	/**
	 * @param {{ clientId: string, clientSecret: string, apiDomain: () => string, accessTokenTtlSeconds: number, errorStatus: number, strictOfflineAccess: boolean }} options
	 */
	constructor(options) {
		this.options = options;
		/** @type {Map<string, AccessToken>} */
		this.accessTokens = new Map();
		/** @type {Map<string, RefreshToken>} */
		this.refreshTokens = new Map();
		/** @type {Map<string, AuthCode>} */
		this.codes = new Map();
		/** @type {Set<string>} clients that already got a refresh token (strictOfflineAccess) */
		this.consented = new Set();
		/** @type {OAuthStats} */
		this.stats = {
			tokensIssued: 0,
			tokenRefreshes: 0,
			tokenRefreshFailures: 0,
			authCodesIssued: 0,
		};
	}

	resetStats() {
		this.stats = {
			tokensIssued: 0,
			tokenRefreshes: 0,
			tokenRefreshFailures: 0,
			authCodesIssued: 0,
		};
	}

	/**
	 * @param {string} scope
	 * @param {string | undefined} refreshToken
	 * @param {boolean} expired
	 */
	newAccessToken(scope, refreshToken, expired) {
		const token = newToken();
		const ttl = this.options.accessTokenTtlSeconds * 1000;
		this.accessTokens.set(token, {
			scope,
			scopes: parseScopes(scope),
			expiresAt: expired ? 0 : Date.now() + ttl,
			expiredFromSeq: Infinity,
			revoked: false,
			refreshToken,
		});
		this.stats.tokensIssued += 1;
		return token;
	}

	/** @param {string} scope @param {string} clientId */
	newRefreshToken(scope, clientId) {
		const token = newToken();
		this.refreshTokens.set(token, { scope, scopes: parseScopes(scope), clientId, revoked: false });
		return token;
	}

	/**
	 * A token pair for tests, as if a user had connected the credential.
	 * @param {{ scope?: string, expired?: boolean }} [options]
	 */
	issueTokens({ scope = 'ZohoCRM.modules.ALL', expired = false } = {}) {
		const refresh_token = this.newRefreshToken(scope, this.options.clientId);
		const access_token = this.newAccessToken(scope, refresh_token, expired);
		return {
			access_token,
			refresh_token,
			scope,
			api_domain: this.options.apiDomain(),
			token_type: /** @type {const} */ ('Bearer'),
			expires_in: this.options.accessTokenTtlSeconds,
		};
	}

	/**
	 * Every access token issued so far becomes expired: at once, or, with `fromSeq`, for the
	 * API requests that arrive with that seq or later (earlier ones still in flight keep it).
	 * @param {number} [fromSeq]
	 */
	expireAccessTokens(fromSeq) {
		for (const token of this.accessTokens.values()) {
			if (fromSeq === undefined) token.expiresAt = 0;
			else token.expiredFromSeq = Math.min(token.expiredFromSeq, fromSeq);
		}
	}

	/** Revokes every refresh token and the access tokens made from them. */
	revokeRefreshTokens() {
		for (const refresh of this.refreshTokens.values()) refresh.revoked = true;
		for (const access of this.accessTokens.values())
			if (access.refreshToken !== undefined) access.revoked = true;
	}

	/**
	 * @param {string} token
	 * @param {number} [seq] arrival number of the API request presenting it
	 * @returns {AccessToken | undefined} the token if it is known, unexpired and not revoked
	 */
	validAccessToken(token, seq = Infinity) {
		const found = this.accessTokens.get(token);
		if (!found || found.revoked || found.expiresAt <= Date.now()) return undefined;
		if (seq >= found.expiredFromSeq) return undefined;
		return found;
	}

	/**
	 * The client's credentials, from the parameters or HTTP Basic auth.
	 * @param {URLSearchParams} params
	 * @param {string | undefined} authorization
	 */
	clientOk(params, authorization) {
		let id = params.get('client_id');
		let secret = params.get('client_secret');
		const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
		if (basic) {
			const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			if (colon >= 0) {
				id = safeDecode(decoded.slice(0, colon));
				secret = safeDecode(decoded.slice(colon + 1));
			}
		}
		return id === this.options.clientId && secret === this.options.clientSecret;
	}

	/** @param {string} error @returns {OAuthReply} */
	fail(error) {
		return { status: this.options.errorStatus, body: { error } };
	}

	/**
	 * @param {{ method: string, path: string, params: URLSearchParams, authorization: string | undefined }} request
	 *   params: query string and form body merged (Zoho accepts both)
	 * @returns {OAuthReply}
	 */
	handle({ method, path, params, authorization }) {
		if (path === '/oauth/v2/auth' && method === 'GET') return this.authorize(params);
		if (path === '/oauth/v2/token' && method === 'POST') return this.token(params, authorization);
		if (path === '/oauth/v2/token/revoke' && method === 'POST') return this.revoke(params);
		return { status: 404, body: { error: 'invalid_url' } };
	}

	/** @param {URLSearchParams} params @returns {OAuthReply} */
	authorize(params) {
		if (params.get('client_id') !== this.options.clientId) return this.fail('invalid_client');
		if (params.get('response_type') !== 'code') return this.fail('unsupported_response_type');
		const redirectUri = params.get('redirect_uri') ?? '';
		let target;
		try {
			target = new URL(redirectUri);
		} catch {
			return this.fail('invalid_redirect_uri');
		}
		const scope = params.get('scope') ?? '';
		if (parseScopes(scope).length === 0) return this.fail('invalid_scope');
		const code = newToken();
		this.codes.set(code, {
			scope,
			scopes: parseScopes(scope),
			clientId: this.options.clientId,
			redirectUri,
			accessType: params.get('access_type') ?? 'online',
			prompt: params.get('prompt') ?? '',
		});
		this.stats.authCodesIssued += 1;
		const state = params.get('state');
		if (state !== null) target.searchParams.set('state', state);
		target.searchParams.set('code', code);
		target.searchParams.set('location', 'us');
		target.searchParams.set('accounts-server', this.options.apiDomain());
		return { status: 302, headers: { location: target.toString() } };
	}

	/** @param {URLSearchParams} params @param {string | undefined} authorization @returns {OAuthReply} */
	token(params, authorization) {
		if (!this.clientOk(params, authorization)) return this.fail('invalid_client');
		const grantType = params.get('grant_type');
		if (grantType === 'authorization_code') {
			const code = this.codes.get(params.get('code') ?? '');
			if (!code) return this.fail('invalid_code');
			this.codes.delete(params.get('code') ?? ''); // one use
			const redirectUri = params.get('redirect_uri');
			if (redirectUri !== null && redirectUri !== code.redirectUri)
				return this.fail('invalid_redirect_uri');
			const withRefresh =
				!this.options.strictOfflineAccess ||
				(code.accessType === 'offline' &&
					(code.prompt === 'consent' || !this.consented.has(code.clientId)));
			const refreshToken = withRefresh
				? this.newRefreshToken(code.scope, code.clientId)
				: undefined;
			if (refreshToken) this.consented.add(code.clientId);
			const accessToken = this.newAccessToken(code.scope, refreshToken, false);
			return {
				status: 200,
				body: {
					access_token: accessToken,
					...(refreshToken ? { refresh_token: refreshToken } : {}),
					scope: code.scope,
					api_domain: this.options.apiDomain(),
					token_type: /** @type {const} */ ('Bearer'),
					expires_in: this.options.accessTokenTtlSeconds,
				},
			};
		}
		if (grantType === 'refresh_token') {
			const token = params.get('refresh_token') ?? '';
			const refresh = this.refreshTokens.get(token);
			if (!refresh || refresh.revoked) {
				this.stats.tokenRefreshFailures += 1;
				return this.fail('invalid_code');
			}
			this.stats.tokenRefreshes += 1;
			return {
				status: 200,
				body: {
					access_token: this.newAccessToken(refresh.scope, token, false),
					scope: refresh.scope,
					api_domain: this.options.apiDomain(),
					token_type: /** @type {const} */ ('Bearer'),
					expires_in: this.options.accessTokenTtlSeconds,
				},
			};
		}
		return this.fail('unsupported_grant_type');
	}

	/** Revoking a refresh token also revokes the access tokens made from it. */
	/** @param {URLSearchParams} params @returns {OAuthReply} */
	revoke(params) {
		const token = params.get('token') ?? '';
		const refresh = this.refreshTokens.get(token);
		if (refresh) {
			refresh.revoked = true;
			for (const access of this.accessTokens.values())
				if (access.refreshToken === token) access.revoked = true;
		}
		const access = this.accessTokens.get(token);
		if (access) access.revoked = true;
		return { status: 200, body: { status: 'success' } };
	}
}

/** @param {string} s */
function safeDecode(s) {
	try {
		return decodeURIComponent(s.replace(/\+/g, ' '));
	} catch {
		return s;
	}
}

module.exports = { OAuthServer, parseScopes, scopeAllows, settingsScopeAllows, newToken };

// @ts-check
'use strict';
/**
 * The CRM API itself: authentication, URL patterns and the handlers. Pure with respect to
 * I/O: each request becomes a reply object; index.js does the sockets, faults and logging.
 */
const { ZOHO_ERRORS, errorReply } = require('./errors');
const { MODULES, isModule, supportsRelation, relatedListsOf, isDigits } = require('./store');
const { scopeAllows, settingsScopeAllows } = require('./oauth');
const { listPage, project, fieldList, MAX_PER_PAGE } = require('./paging');

/**
 * @typedef {import('./store').Store} Store
 * @typedef {import('./store').ZohoRecord} ZohoRecord
 * @typedef {import('./oauth').OAuthServer} OAuthServer
 * @typedef {import('./paging').PageTokens} PageTokens
 * @typedef {import('./index').NotLinkedAnswer} NotLinkedAnswer
 * @typedef {{ status: number, body?: unknown, raw?: string, headers?: Record<string, string>, applied?: boolean }} Reply
 * @typedef {{ pageWindow: number, pageTokens: boolean, notLinkedAnswer: NotLinkedAnswer }} RouteOptions
 *   the fault options the routes read
 * @typedef {{ method: string, segments: string[], query: URLSearchParams, authorization: string | undefined, store: Store, oauth: OAuthServer, seq: number, options: RouteOptions, pageTokens: PageTokens }} ApiRequest
 *   seq: the request's arrival number (token expiry scheduled by expireAccessTokensAfter)
 * @typedef {{ relationsRemoved: number, relationsNotFound: number, invalidRelatedIds: number, recordsDeleted: number }} RouteStats
 */

const VERSIONS = new Set(['v2', 'v2.1', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
const MAX_IDS = 100;

const urlPattern = () => errorReply(ZOHO_ERRORS.INVALID_URL_PATTERN);
const badMethod = () => errorReply(ZOHO_ERRORS.INVALID_REQUEST_METHOD);
/** @param {number} index position in the path after /crm/{version}/ */
const invalidId = (index, message = 'the id given seems to be invalid') =>
	errorReply(ZOHO_ERRORS.INVALID_DATA, { message, details: { resource_path_index: index } });

/**
 * Only `Zoho-oauthtoken <t>` and `Bearer <t>` are accepted.
 * @param {string | undefined} authorization
 * @param {OAuthServer} oauth
 * @param {number} seq the request's arrival number
 * @returns {{ scopes: string[] } | { reply: Reply }}
 */
function authenticate(authorization, oauth, seq) {
	const match = /^(Zoho-oauthtoken|Bearer) +(.*)$/i.exec(authorization ?? '');
	if (!match) return { reply: errorReply(ZOHO_ERRORS.AUTHENTICATION_FAILURE) };
	const token = oauth.validAccessToken(match[2].trim(), seq);
	if (!token) return { reply: errorReply(ZOHO_ERRORS.INVALID_TOKEN) };
	return { scopes: token.scopes };
}

/**
 * @param {ApiRequest} req
 * @param {RouteStats} stats
 * @returns {Reply}
 */
function handleApi(req, stats) {
	const { method, segments, store } = req;
	if (segments[0] !== 'crm') return urlPattern();
	const auth = authenticate(req.authorization, req.oauth, req.seq);
	if ('reply' in auth) return auth.reply;
	if (!VERSIONS.has(segments[1])) return urlPattern();
	const rest = segments.slice(2);
	if (rest.length === 0 || rest.length > 4 || rest.some((s) => s === '')) return urlPattern();

	if (rest[0] === 'settings' && rest[1] === 'related_lists' && rest.length === 2) {
		if (method !== 'GET') return badMethod();
		return relatedListSettings(req.query, auth.scopes);
	}
	const module = rest[0];
	if (!/^[A-Z]/.test(module)) return urlPattern();
	if (!isModule(module)) return errorReply(ZOHO_ERRORS.INVALID_MODULE);
	const relatedList = rest[2];
	if (relatedList !== undefined && !supportsRelation(module, relatedList)) return urlPattern();
	if (method !== 'GET' && method !== 'DELETE') return badMethod();
	if (rest.length === 4 && method !== 'DELETE') return badMethod();
	if (rest.length === 2 && rest[1] === 'search' && method !== 'GET') return badMethod();
	if (!scopeAllows(auth.scopes, MODULES[module].scopeName, method === 'GET' ? 'READ' : 'DELETE'))
		return errorReply(ZOHO_ERRORS.OAUTH_SCOPE_MISMATCH);

	if (rest.length === 1) {
		if (method === 'DELETE') return deleteRecords(store, module, req.query, stats);
		if (req.query.has('ids')) return recordsByIds(store, module, req.query);
		return listing(req, rest, () => store.listRecords(module));
	}
	if (rest[1] === 'search' && rest.length === 2)
		return listing(req, rest, (params) => search(store, module, params));

	const id = rest[1];
	if (!isDigits(id) || !store.hasRecord(module, id)) return invalidId(1);
	if (rest.length === 2) {
		if (method === 'GET') {
			const record = /** @type {ZohoRecord} */ (store.getRecord(module, id));
			return { status: 200, body: { data: [project(record, fieldList(req.query))] } };
		}
		return deleteRecordReply(store, module, [id], stats);
	}
	if (rest.length === 3) {
		if (method === 'GET') {
			return listing(req, rest, () => {
				const related = store
					.linkedIds(module, id, relatedList)
					.map((rid) => store.getRecord(relatedList, rid))
					.filter((r) => r !== undefined);
				return /** @type {ZohoRecord[]} */ (related);
			});
		}
		const ids = parseIds(req.query);
		if ('reply' in ids) return ids.reply;
		return delink(req, module, id, relatedList, ids.ids, stats);
	}
	const relatedId = rest[3];
	if (!isDigits(relatedId)) return invalidId(3, ZOHO_ERRORS.INVALID_DATA.message);
	return delink(req, module, id, relatedList, [relatedId], stats);
}

/**
 * A paged listing (see paging.js): `rest` (the path after /crm/{version}/) names it, so a
 * page token only continues the listing that issued it, in any API version.
 * @param {ApiRequest} req @param {string[]} rest @param {import('./paging').BuildListing} build
 * @returns {Reply}
 */
function listing(req, rest, build) {
	return listPage({
		key: rest.join('/'),
		query: req.query,
		build,
		options: req.options,
		tokens: req.pageTokens,
	});
}

/**
 * Get Records by ids (`GET /{Module}?ids=a,b,c`): the records that exist, in the order asked
 * (each once), honouring `fields`; 204 when none exists. `ids` is checked like a delink's.
 * @param {Store} store @param {string} module @param {URLSearchParams} query
 * @returns {Reply}
 */
function recordsByIds(store, module, query) {
	const ids = parseIds(query);
	if ('reply' in ids) return ids.reply;
	const fields = fieldList(query);
	const found = [...new Set(ids.ids)]
		.map((id) => store.getRecord(module, id))
		.filter((r) => r !== undefined)
		.map((r) => project(/** @type {ZohoRecord} */ (r), fields));
	if (found.length === 0) return { status: 204 };
	return {
		status: 200,
		body: {
			data: found,
			info: { per_page: MAX_PER_PAGE, count: found.length, page: 1, more_records: false },
		},
	};
}

/**
 * The `ids` parameter of the multi-record forms: first `ids` value, comma separated,
 * 1..100 entries, each all digits.
 * @param {URLSearchParams} query
 * @returns {{ ids: string[] } | { reply: Reply }}
 */
function parseIds(query) {
	const raw = query.get('ids');
	if (raw === null || raw === '') return { reply: errorReply(ZOHO_ERRORS.MANDATORY_NOT_FOUND) };
	const ids = raw.split(',');
	if (ids.length > MAX_IDS) return { reply: errorReply(ZOHO_ERRORS.LIMIT_EXCEEDED) };
	if (!ids.every(isDigits)) return { reply: errorReply(ZOHO_ERRORS.UNABLE_TO_PARSE_DATA_TYPE) };
	return { ids };
}

/**
 * Per-entry results answer with 200 (all succeeded), 207 (mixed) or 400 (all failed; the
 * body is still the per-entry data[]).
 * @param {Array<{ status: string }>} data
 * @returns {Reply}
 */
function perEntryReply(data) {
	const ok = data.filter((d) => d.status === 'success').length;
	const status = ok === data.length ? 200 : ok === 0 ? 400 : 207;
	return { status, body: { data }, applied: true };
}

/** @param {string} id */
const removed = (id) => ({
	code: 'SUCCESS',
	details: { id },
	message: 'relation removed',
	status: 'success',
});
/** @param {string} id @param {string} message */
const invalidEntry = (id, message) => ({
	code: 'INVALID_DATA',
	details: { id },
	message,
	status: 'error',
});
const INVALID_RELATED_ID = 'the related id given seems to be invalid';

/**
 * Per related id: removed (SUCCESS), an existing record of the related list's module that is
 * not linked (answered as `options.notLinkedAnswer` says, counted in relationsNotFound), or an
 * id that is no record of that module (INVALID_DATA "the related id given seems to be
 * invalid", counted in invalidRelatedIds).
 * @param {ApiRequest} req @param {string} module @param {string} id @param {string} relatedList
 * @param {string[]} relatedIds @param {RouteStats} stats
 * @returns {Reply}
 */
function delink(req, module, id, relatedList, relatedIds, stats) {
	const { store } = req;
	const data = relatedIds.map((relatedId) => {
		if (store.unlink(module, id, relatedList, relatedId)) {
			stats.relationsRemoved += 1;
			return removed(relatedId);
		}
		if (!store.hasRecord(relatedList, relatedId)) {
			stats.invalidRelatedIds += 1;
			return invalidEntry(relatedId, INVALID_RELATED_ID);
		}
		stats.relationsNotFound += 1;
		switch (req.options.notLinkedAnswer) {
			case 'success':
				return removed(relatedId);
			case 'invalid-data':
				return invalidEntry(relatedId, INVALID_RELATED_ID);
			default:
				return invalidEntry(relatedId, 'relation not found');
		}
	});
	return perEntryReply(data);
}

/**
 * Record deletion is not what this package does, but a wrong URL (a missing related list)
 * would do it on the real Zoho: the sandbox does it too and counts it (stats.recordsDeleted),
 * so a test can prove it never happens.
 * @param {Store} store @param {string} module @param {URLSearchParams} query @param {RouteStats} stats
 * @returns {Reply}
 */
function deleteRecords(store, module, query, stats) {
	const ids = parseIds(query);
	if ('reply' in ids) return ids.reply;
	return deleteRecordReply(store, module, ids.ids, stats);
}

/** @param {Store} store @param {string} module @param {string[]} ids @param {RouteStats} stats @returns {Reply} */
function deleteRecordReply(store, module, ids, stats) {
	const data = ids.map((id) => {
		if (store.deleteRecord(module, id)) {
			stats.recordsDeleted += 1;
			return { code: 'SUCCESS', details: { id }, message: 'record deleted', status: 'success' };
		}
		return {
			code: 'INVALID_DATA',
			details: { id },
			message: 'the id given seems to be invalid',
			status: 'error',
		};
	});
	return perEntryReply(data);
}

/**
 * `search?word=x`: records whose name field contains x, case-insensitively (paged by the caller).
 * @param {Store} store @param {string} module @param {URLSearchParams} query
 * @returns {ZohoRecord[] | Reply}
 */
function search(store, module, query) {
	const word = query.get('word');
	if (!word)
		return errorReply(ZOHO_ERRORS.MANDATORY_NOT_FOUND, { details: { param_name: 'word' } });
	const needle = word.toLowerCase();
	const field = MODULES[module].nameField;
	return store.listRecords(module).filter((r) =>
		String(r[field] ?? '')
			.toLowerCase()
			.includes(needle),
	);
}

/**
 * `settings/related_lists?module=X`: the related lists this sandbox supports for X.
 * @param {URLSearchParams} query @param {string[]} scopes
 * @returns {Reply}
 */
function relatedListSettings(query, scopes) {
	if (!settingsScopeAllows(scopes, 'related_lists'))
		return errorReply(ZOHO_ERRORS.OAUTH_SCOPE_MISMATCH);
	const module = query.get('module');
	if (!module)
		return errorReply(ZOHO_ERRORS.MANDATORY_NOT_FOUND, { details: { param_name: 'module' } });
	if (!isModule(module)) return errorReply(ZOHO_ERRORS.INVALID_MODULE);
	const related_lists = relatedListsOf(module).map((rl, i) => ({
		api_name: rl,
		display_label: rl.replace(/_/g, ' '),
		href: `${module}/{ENTITYID}/${rl}`,
		id: `36523970000009${String(i + 1).padStart(5, '0')}`,
		module: { api_name: rl },
		name: rl,
		sequence_number: String(i + 1),
		type: 'default',
	}));
	return { status: 200, body: { related_lists } };
}

module.exports = { handleApi, VERSIONS, MAX_IDS, MAX_PER_PAGE };

// @ts-check
'use strict';
/**
 * The CRM API itself: authentication, URL patterns and the handlers. Pure with respect to
 * I/O: each request becomes a reply object; index.js does the sockets, faults and logging.
 */
const { ZOHO_ERRORS, errorReply } = require('./errors');
const { MODULES, isModule, supportsRelation, relatedListsOf, isDigits } = require('./store');
const { scopeAllows, settingsScopeAllows } = require('./oauth');

/**
 * @typedef {import('./store').Store} Store
 * @typedef {import('./store').ZohoRecord} ZohoRecord
 * @typedef {import('./oauth').OAuthServer} OAuthServer
 * @typedef {{ status: number, body?: unknown, raw?: string, headers?: Record<string, string>, applied?: boolean }} Reply
 * @typedef {{ method: string, segments: string[], query: URLSearchParams, authorization: string | undefined, store: Store, oauth: OAuthServer }} ApiRequest
 * @typedef {{ relationsRemoved: number, relationsNotFound: number, recordsDeleted: number }} RouteStats
 */

const VERSIONS = new Set(['v2', 'v2.1', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
const MAX_IDS = 100;
const MAX_PER_PAGE = 200;

const urlPattern = () => errorReply(ZOHO_ERRORS.INVALID_URL_PATTERN);
const badMethod = () => errorReply(ZOHO_ERRORS.INVALID_REQUEST_METHOD);
/** @param {number} index position in the path after /crm/{version}/ */
const invalidId = (index, message = 'the id given seems to be invalid') =>
	errorReply(ZOHO_ERRORS.INVALID_DATA, { message, details: { resource_path_index: index } });

/**
 * Only `Zoho-oauthtoken <t>` and `Bearer <t>` are accepted.
 * @param {string | undefined} authorization
 * @param {OAuthServer} oauth
 * @returns {{ scopes: string[] } | { reply: Reply }}
 */
function authenticate(authorization, oauth) {
	const match = /^(Zoho-oauthtoken|Bearer) +(.*)$/i.exec(authorization ?? '');
	if (!match) return { reply: errorReply(ZOHO_ERRORS.AUTHENTICATION_FAILURE) };
	const token = oauth.validAccessToken(match[2].trim());
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
	const auth = authenticate(req.authorization, req.oauth);
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
		return method === 'GET'
			? listRecords(store.listRecords(module), req.query)
			: deleteRecords(store, module, req.query, stats);
	}
	if (rest[1] === 'search' && rest.length === 2) return search(store, module, req.query);

	const id = rest[1];
	if (!isDigits(id) || !store.hasRecord(module, id)) return invalidId(1);
	if (rest.length === 2) {
		if (method === 'GET')
			return {
				status: 200,
				body: { data: [project(store.getRecord(module, id), fieldList(req.query))] },
			};
		return deleteRecordReply(store, module, [id], stats);
	}
	if (rest.length === 3) {
		if (method === 'GET') {
			const related = store
				.linkedIds(module, id, relatedList)
				.map((rid) => store.getRecord(relatedList, rid))
				.filter((r) => r !== undefined);
			return listRecords(/** @type {ZohoRecord[]} */ (related), req.query);
		}
		const ids = parseIds(req.query);
		if ('reply' in ids) return ids.reply;
		return delink(store, module, id, relatedList, ids.ids, stats);
	}
	const relatedId = rest[3];
	if (!isDigits(relatedId)) return invalidId(3, ZOHO_ERRORS.INVALID_DATA.message);
	return delink(store, module, id, relatedList, [relatedId], stats);
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

/**
 * @param {Store} store @param {string} module @param {string} id @param {string} relatedList
 * @param {string[]} relatedIds @param {RouteStats} stats
 * @returns {Reply}
 */
function delink(store, module, id, relatedList, relatedIds, stats) {
	const data = relatedIds.map((relatedId) => {
		if (store.unlink(module, id, relatedList, relatedId)) {
			stats.relationsRemoved += 1;
			return {
				code: 'SUCCESS',
				details: { id: relatedId },
				message: 'relation removed',
				status: 'success',
			};
		}
		stats.relationsNotFound += 1;
		return {
			code: 'INVALID_DATA',
			details: { id: relatedId },
			message: 'relation not found',
			status: 'error',
		};
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
 * @param {URLSearchParams} query
 * @returns {{ page: number, perPage: number } | { reply: Reply }}
 */
function paging(query) {
	/** @param {string} name @param {number} fallback @param {number} max */
	const read = (name, fallback, max) => {
		const raw = query.get(name);
		if (raw === null) return fallback;
		const n = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
		return n >= 1 && n <= max ? n : undefined;
	};
	const page = read('page', 1, Number.MAX_SAFE_INTEGER);
	if (page === undefined)
		return {
			reply: errorReply(ZOHO_ERRORS.INVALID_DATA, {
				message: 'invalid data',
				details: { param_name: 'page' },
			}),
		};
	const perPage = read('per_page', MAX_PER_PAGE, MAX_PER_PAGE);
	if (perPage === undefined)
		return {
			reply: errorReply(ZOHO_ERRORS.INVALID_DATA, {
				message: 'invalid data',
				details: { param_name: 'per_page' },
			}),
		};
	return { page, perPage };
}

/**
 * A copy of the record with only `fields` (plus id); missing fields come back as null.
 * @param {ZohoRecord | undefined} record
 * @param {string[] | null} fields
 */
function project(record, fields) {
	if (!record) return undefined;
	if (!fields) return { ...record };
	/** @type {Record<string, unknown>} */
	const out = { id: record.id };
	for (const f of fields) out[f] = record[f] ?? null;
	return out;
}

/** @param {URLSearchParams} query @returns {string[] | null} the `fields` parameter */
function fieldList(query) {
	const fields = (query.get('fields') ?? '').split(',').filter(Boolean);
	return fields.length ? fields : null;
}

/** @param {unknown} a @param {unknown} b */
function compare(a, b) {
	const x = a === undefined || a === null ? '' : String(a);
	const y = b === undefined || b === null ? '' : String(b);
	if (isDigits(x) && isDigits(y) && x.length !== y.length) return x.length - y.length;
	return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * One page of records: 200 {data, info} or 204 with an empty body.
 * @param {ZohoRecord[]} records
 * @param {URLSearchParams} query
 * @returns {Reply}
 */
function listRecords(records, query) {
	const p = paging(query);
	if ('reply' in p) return p.reply;
	let list = records;
	const sortBy = query.get('sort_by');
	if (sortBy) {
		const desc = (query.get('sort_order') ?? 'desc') !== 'asc';
		list = [...list].sort((a, b) => compare(a[sortBy], b[sortBy]) * (desc ? -1 : 1));
	}
	const fields = fieldList(query);
	const start = (p.page - 1) * p.perPage;
	const slice = list.slice(start, start + p.perPage);
	if (slice.length === 0) return { status: 204 };
	return {
		status: 200,
		body: {
			data: slice.map((r) => project(r, fields)),
			info: {
				per_page: p.perPage,
				count: slice.length,
				page: p.page,
				more_records: start + slice.length < list.length,
			},
		},
	};
}

/**
 * `search?word=x`: records whose name field contains x, case-insensitively.
 * @param {Store} store @param {string} module @param {URLSearchParams} query
 * @returns {Reply}
 */
function search(store, module, query) {
	const word = query.get('word');
	if (!word)
		return errorReply(ZOHO_ERRORS.MANDATORY_NOT_FOUND, { details: { param_name: 'word' } });
	const needle = word.toLowerCase();
	const field = MODULES[module].nameField;
	const found = store.listRecords(module).filter((r) =>
		String(r[field] ?? '')
			.toLowerCase()
			.includes(needle),
	);
	return listRecords(found, query);
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

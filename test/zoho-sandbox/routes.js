// @ts-check
'use strict';
/**
 * The CRM API itself: authentication, URL patterns and the handlers. Pure with respect to
 * I/O: each request becomes a reply object; index.js does the sockets, faults and logging.
 */
const { ZOHO_ERRORS, errorReply } = require('./errors');
const {
	MODULES,
	isModule,
	moduleInVersion,
	supportsRelation,
	relatedListsOf,
	relationFieldsOf,
	fitsRelationField,
	isDigits,
} = require('./store');
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
 * @typedef {{ method: string, segments: string[], query: URLSearchParams, body: Buffer, authorization: string | undefined, store: Store, oauth: OAuthServer, seq: number, options: RouteOptions, pageTokens: PageTokens }} ApiRequest
 *   seq: the request's arrival number (token expiry scheduled by expireAccessTokensAfter);
 *   body: the request body as received (empty when none; read by PUT)
 * @typedef {{ relationsRemoved: number, relationsNotFound: number, invalidRelatedIds: number, recordsDeleted: number, relationsLinked: number, relationsUpdated: number }} RouteStats
 * @typedef {{ code: string, details: Record<string, unknown>, message: string, status: string }} EntryAnswer
 *   one entry of a per-entry data[] answer
 */

const VERSIONS = new Set(['v2', 'v2.1', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
const MAX_IDS = 100;
/** The scope operation each method needs. */
const OPERATIONS = /** @type {const} */ ({ GET: 'READ', DELETE: 'DELETE', PUT: 'UPDATE' });

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
	const version = segments[1];
	if (!VERSIONS.has(version)) return urlPattern();
	const rest = segments.slice(2);
	if (rest.length === 0 || rest.length > 4 || rest.some((s) => s === '')) return urlPattern();

	if (rest[0] === 'settings' && rest[1] === 'related_lists' && rest.length === 2) {
		if (method !== 'GET') return badMethod();
		return relatedListSettings(req.query, auth.scopes, version);
	}
	const module = rest[0];
	if (!/^[A-Z]/.test(module)) return urlPattern();
	if (!moduleInVersion(module, version)) return errorReply(ZOHO_ERRORS.INVALID_MODULE);
	const relatedList = rest[2];
	// a module this version does not know, even as a related list (Services__s in v2)
	if (relatedList !== undefined && isModule(relatedList) && !moduleInVersion(relatedList, version))
		return errorReply(ZOHO_ERRORS.INVALID_MODULE);
	if (relatedList !== undefined && !supportsRelation(module, relatedList)) return urlPattern();
	if (method !== 'GET' && method !== 'DELETE' && method !== 'PUT') return badMethod();
	if (rest.length === 4 && method === 'GET') return badMethod();
	if (rest.length < 3 && method === 'PUT') return badMethod(); // Update Records: not modelled
	if (rest.length === 2 && rest[1] === 'search' && method !== 'GET') return badMethod();
	if (!scopeAllows(auth.scopes, MODULES[module].scopeName, OPERATIONS[method]))
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
			// each related record with the relation fields of its link (e.g. Member_Status)
			return listing(req, rest, () =>
				store.linkedIds(module, id, relatedList).flatMap((rid) => {
					const record = store.getRecord(relatedList, rid);
					const data = store.relationData(module, id, relatedList, rid);
					return record ? [{ ...record, ...data }] : [];
				}),
			);
		}
		if (method === 'PUT') {
			const entries = parseLinkBody(req.body);
			if ('reply' in entries) return entries.reply;
			return linkEntries(req, module, id, relatedList, entries.entries, undefined, stats);
		}
		const ids = parseIds(req.query);
		if ('reply' in ids) return ids.reply;
		return delink(req, module, id, relatedList, ids.ids, stats);
	}
	const relatedId = rest[3];
	if (!isDigits(relatedId)) return invalidId(3, ZOHO_ERRORS.INVALID_DATA.message);
	if (method === 'PUT') {
		const entries = parseLinkBody(req.body);
		if ('reply' in entries) return entries.reply;
		return linkEntries(req, module, id, relatedList, entries.entries.slice(0, 1), relatedId, stats);
	}
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

/** @param {string} id @returns {EntryAnswer} */
const removed = (id) => ({
	code: 'SUCCESS',
	details: { id },
	message: 'relation removed',
	status: 'success',
});
/** @param {string} id @param {string} message @returns {EntryAnswer} */
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
 * Long ids sent as JSON numbers keep every digit (Zoho's parser does not round them):
 * an unquoted integer value of an `id` key is read as its digits.
 * @param {string} text
 */
function quoteIdNumbers(text) {
	return text.replace(/("id"\s*:\s*)([0-9]+)(?=\s*[,}\]])/g, '$1"$2"');
}

/**
 * The body of Update Related Records: `{"data": [ {...}, ... ]}` with 1..100 entries. An empty
 * body or no (or an empty) `data`: 400 MANDATORY_NOT_FOUND `{api_name: 'data'}`; text that is
 * not a JSON object: 400 INVALID_DATA `{expected_data_type: 'jsonobject'}` (message `body`);
 * `data` not an array: 400 INVALID_DATA `{api_name: 'data', expected_data_type: 'jsonarray'}`;
 * over 100 entries: 400 LIMIT_EXCEEDED `{limit: '100', param_name: 'data'}`.
 * @param {Buffer} body
 * @returns {{ entries: unknown[] } | { reply: Reply }}
 */
function parseLinkBody(body) {
	const missing = () =>
		errorReply(ZOHO_ERRORS.MANDATORY_NOT_FOUND, {
			message: 'required field not found',
			details: { api_name: 'data' },
		});
	if (body.length === 0) return { reply: missing() };
	/** @type {unknown} */
	let parsed;
	try {
		parsed = JSON.parse(quoteIdNumbers(body.toString('utf8')));
	} catch {
		parsed = undefined;
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
		return {
			reply: errorReply(ZOHO_ERRORS.INVALID_DATA, {
				message: 'body',
				details: { expected_data_type: 'jsonobject' },
			}),
		};
	const data = /** @type {Record<string, unknown>} */ (parsed).data;
	if (data === undefined || data === null || (Array.isArray(data) && data.length === 0))
		return { reply: missing() };
	if (!Array.isArray(data))
		return {
			reply: errorReply(ZOHO_ERRORS.INVALID_DATA, {
				message: 'invalid data',
				details: { api_name: 'data', expected_data_type: 'jsonarray' },
			}),
		};
	if (data.length > MAX_IDS)
		return {
			reply: errorReply(ZOHO_ERRORS.LIMIT_EXCEEDED, {
				details: { limit: String(MAX_IDS), param_name: 'data' },
			}),
		};
	return { entries: data };
}

/** @param {string} id @returns {EntryAnswer} */
const updated = (id) => ({
	code: 'SUCCESS',
	details: { id },
	message: 'relation updated',
	status: 'success',
});
/** @param {Record<string, unknown>} details @returns {EntryAnswer} */
const invalidValue = (details) => ({
	code: 'INVALID_DATA',
	details,
	message: 'invalid data',
	status: 'error',
});

/**
 * Update Related Records (link), per entry in order: links the related record (both ends) if
 * it is not yet linked (relationsLinked), else updates the link (relationsUpdated), and sets
 * the relation fields sent (null clears one; fields that are no relation field of the pair are
 * ignored). An entry without `id` (multi form): MANDATORY_NOT_FOUND `{api_name: 'id'}`; an id
 * that is no record of the related list's module: INVALID_DATA "the related id given seems to be
 * invalid" `{id}` (invalidRelatedIds); a relation field of the wrong type: INVALID_DATA
 * `{api_name, expected_data_type}`. A failed entry changes nothing.
 * @param {ApiRequest} req @param {string} module @param {string} id @param {string} relatedList
 * @param {unknown[]} entries the body's data[]
 * @param {string | undefined} pathRelatedId the single form's related id (entries' ids ignored)
 * @param {RouteStats} stats
 * @returns {Reply}
 */
function linkEntries(req, module, id, relatedList, entries, pathRelatedId, stats) {
	const { store } = req;
	const fields = relationFieldsOf(module, relatedList);
	/** @type {EntryAnswer[]} */
	const data = entries.map((entry) => {
		if (!entry || typeof entry !== 'object' || Array.isArray(entry))
			return invalidValue({ expected_data_type: 'jsonobject' });
		const sent = /** @type {Record<string, unknown>} */ (entry);
		let relatedId = pathRelatedId;
		if (relatedId === undefined) {
			if (sent.id === undefined || sent.id === null)
				return {
					code: 'MANDATORY_NOT_FOUND',
					details: { api_name: 'id' },
					message: 'required field not found',
					status: 'error',
				};
			if (typeof sent.id !== 'string' && typeof sent.id !== 'number')
				return invalidValue({ api_name: 'id', expected_data_type: 'bigint' });
			relatedId = String(sent.id);
		}
		if (!isDigits(relatedId) || !store.hasRecord(relatedList, relatedId)) {
			stats.invalidRelatedIds += 1;
			return invalidEntry(relatedId, INVALID_RELATED_ID);
		}
		/** @type {Record<string, unknown>} */
		const values = {};
		for (const [field, type] of Object.entries(fields)) {
			if (sent[field] === undefined) continue;
			if (!fitsRelationField(type, sent[field]))
				return invalidValue({ api_name: field, expected_data_type: type });
			values[field] = sent[field];
		}
		if (store.link(module, id, relatedList, relatedId, values)) stats.relationsLinked += 1;
		else stats.relationsUpdated += 1;
		return updated(relatedId);
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
 * `settings/related_lists?module=X`: the related lists this sandbox supports for X in this API
 * version (a module the version does not know: 400 INVALID_MODULE).
 * @param {URLSearchParams} query @param {string[]} scopes @param {string} version
 * @returns {Reply}
 */
function relatedListSettings(query, scopes, version) {
	if (!settingsScopeAllows(scopes, 'related_lists'))
		return errorReply(ZOHO_ERRORS.OAUTH_SCOPE_MISMATCH);
	const module = query.get('module');
	if (!module)
		return errorReply(ZOHO_ERRORS.MANDATORY_NOT_FOUND, { details: { param_name: 'module' } });
	if (!moduleInVersion(module, version)) return errorReply(ZOHO_ERRORS.INVALID_MODULE);
	const lists = relatedListsOf(module).filter((rl) => moduleInVersion(rl, version));
	const related_lists = lists.map((rl, i) => ({
		api_name: rl,
		display_label: MODULES[rl].label ?? rl.replace(/_/g, ' '),
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

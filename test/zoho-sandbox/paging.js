// @ts-check
'use strict';
/**
 * Paging of every listing (related records, module records, search): `page` / `per_page`
 * inside Zoho's page window (the first 2,000 records), and, with the `pageTokens` fault
 * option, `info.next_page_token` / `page_token` cursors that go past it.
 *
 * A page token is a cursor keyed by the LAST record its page returned: the next page starts
 * right after that record wherever it now is in the listing (records removed before it do not
 * shift what comes next). If that record has left the listing, the next page starts at the
 * index the record had when its page was served.
 */
const crypto = require('node:crypto');
const { ZOHO_ERRORS, errorReply } = require('./errors');
const { isDigits } = require('./store');

/**
 * @typedef {import('./store').ZohoRecord} ZohoRecord
 * @typedef {import('./routes').Reply} Reply
 * @typedef {{ pageWindow: number, pageTokens: boolean }} PagingOptions
 * @typedef {{ key: string, params: URLSearchParams, lastId: string, lastIndex: number, page: number, expiry: string }} PageToken
 * @typedef {(params: URLSearchParams) => ZohoRecord[] | Reply} BuildListing
 *   the listing's records for these listing params (`sort_by`, `sort_order`, `word`), or an
 *   error reply (e.g. search without `word`)
 */

const MAX_PER_PAGE = 200;
/** The query parameters that say WHICH listing (a page token remembers them). */
const LISTING_PARAMS = ['sort_by', 'sort_order', 'word'];
/** Zoho's page tokens live 24 hours (the sandbox never actually expires one). */
const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** @param {string} name */
const invalidParam = (name) =>
	errorReply(ZOHO_ERRORS.INVALID_DATA, { message: 'invalid data', details: { param_name: name } });

/**
 * A positive integer query parameter: the fallback when absent, undefined when invalid.
 * @param {URLSearchParams} query @param {string} name @param {number} fallback @param {number} max
 */
function readCount(query, name, fallback, max) {
	const raw = query.get(name);
	if (raw === null) return fallback;
	const n = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
	return n >= 1 && n <= max ? n : undefined;
}

/** @param {unknown} a @param {unknown} b */
function compare(a, b) {
	const x = a === undefined || a === null ? '' : String(a);
	const y = b === undefined || b === null ? '' : String(b);
	if (isDigits(x) && isDigits(y) && x.length !== y.length) return x.length - y.length;
	return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * `sort_by` / `sort_order` (default desc) applied to a copy; the listing's own order without.
 * @param {ZohoRecord[]} records @param {URLSearchParams} params
 */
function sorted(records, params) {
	const sortBy = params.get('sort_by');
	if (!sortBy) return records;
	const desc = (params.get('sort_order') ?? 'desc') !== 'asc';
	return [...records].sort((a, b) => compare(a[sortBy], b[sortBy]) * (desc ? -1 : 1));
}

/**
 * A copy of the record with only `fields` (plus id); missing fields come back as null.
 * @param {ZohoRecord} record
 * @param {string[] | null} fields
 */
function project(record, fields) {
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

/** The page window's 400, with the window size in its details and message. */
/** @param {number} limit @returns {Reply} */
function windowExceeded(limit) {
	const entry = ZOHO_ERRORS.DISCRETE_PAGINATION_LIMIT_EXCEEDED;
	return errorReply(entry, {
		message: entry.message.replace('2000', String(limit)),
		details: { limit },
	});
}

class PageTokens {
	constructor() {
		/** @type {Map<string, PageToken>} */
		this.tokens = new Map();
		this.issued = 0;
	}

	/**
	 * @param {Omit<PageToken, 'expiry'>} cursor
	 * @returns {{ token: string, expiry: string }}
	 */
	issue(cursor) {
		this.issued += 1;
		const token = `${crypto.randomBytes(24).toString('hex')}${this.issued.toString(16)}`;
		const expiry = new Date(Date.now() + TOKEN_LIFETIME_MS).toISOString();
		this.tokens.set(token, { ...cursor, params: new URLSearchParams(cursor.params), expiry });
		return { token, expiry };
	}

	/** @param {string} token */
	get(token) {
		return this.tokens.get(token);
	}
}

/**
 * One page of a listing: 200 `{data, info}` or 204 with an empty body, or a 400.
 * @param {{ key: string, query: URLSearchParams, build: BuildListing, options: PagingOptions, tokens: PageTokens }} request
 *   key: which listing (the path after /crm/{version}/), so a token only continues its own
 * @returns {Reply}
 */
function listPage({ key, query, build, options, tokens }) {
	const fields = fieldList(query);
	const tokenParam = query.get('page_token');
	/** @type {URLSearchParams} */
	let params;
	/** @type {ZohoRecord[]} */
	let list;
	let start;
	let end;
	let page;
	let perPage;
	if (tokenParam !== null) {
		if (query.has('page'))
			return errorReply(ZOHO_ERRORS.AMBIGUITY_DURING_PROCESSING, {
				details: { ambiguity_due_to: ['page_token', 'page'] },
			});
		const cursor = tokens.get(tokenParam);
		if (!cursor || cursor.key !== key) return invalidParam('page_token');
		perPage = readCount(query, 'per_page', MAX_PER_PAGE, MAX_PER_PAGE);
		if (perPage === undefined) return invalidParam('per_page');
		params = cursor.params;
		const built = build(params);
		if (!Array.isArray(built)) return built;
		list = sorted(built, params);
		const at = list.findIndex((r) => r.id === cursor.lastId);
		start = Math.min(at >= 0 ? at + 1 : cursor.lastIndex, list.length);
		end = Math.min(start + perPage, list.length); // token pages are not held by the window
		page = cursor.page + 1;
	} else {
		params = query;
		const built = build(params);
		if (!Array.isArray(built)) return built;
		page = readCount(query, 'page', 1, Number.MAX_SAFE_INTEGER);
		if (page === undefined) return invalidParam('page');
		perPage = readCount(query, 'per_page', MAX_PER_PAGE, MAX_PER_PAGE);
		if (perPage === undefined) return invalidParam('per_page');
		start = (page - 1) * perPage;
		if (start >= options.pageWindow) return windowExceeded(options.pageWindow);
		list = sorted(built, params);
		end = Math.min(start + perPage, options.pageWindow, list.length);
	}
	if (end <= start) return { status: 204 };
	const slice = list.slice(start, end);
	const more = end < list.length;
	/** @type {Record<string, unknown>} */
	const info = { per_page: perPage, count: slice.length, page, more_records: more };
	if (more && options.pageTokens) {
		/** @type {URLSearchParams} */
		const remembered = new URLSearchParams();
		for (const name of LISTING_PARAMS) {
			const v = params.get(name);
			if (v !== null) remembered.set(name, v);
		}
		const { token, expiry } = tokens.issue({
			key,
			params: remembered,
			lastId: slice[slice.length - 1].id,
			lastIndex: end - 1,
			page,
		});
		info.next_page_token = token;
		info.page_token_expiry = expiry;
	}
	return { status: 200, body: { data: slice.map((r) => project(r, fields)), info } };
}

module.exports = {
	PageTokens,
	listPage,
	project,
	fieldList,
	MAX_PER_PAGE,
	LISTING_PARAMS,
};

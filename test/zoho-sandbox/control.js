// @ts-check
'use strict';
/**
 * `/__sandbox/*`: lets a test in another process (the e2e harness, the demo script) inspect
 * and steer a running sandbox. These requests are not logged, cost no credit and see no
 * fault.
 *
 *   GET  /__sandbox/requests                            the request log
 *   GET  /__sandbox/stats                               sb.stats
 *   GET  /__sandbox/faults                              current fault settings
 *   GET  /__sandbox/linked?module=&id=&relatedList=     { ids: [...] } in link order
 *   GET  /__sandbox/record?module=&id=                  { record } or 404
 *   GET  /__sandbox/relation?module=&id=&relatedList=&relatedId=
 *                                 -> { linked, data } (data: the link's relation fields, or null)
 *   POST /__sandbox/faults        { ...FaultOptions }   sb.setFaults
 *   POST /__sandbox/fail-next     { n, after?, error: 'NO_PERMISSION' }
 *                                 or { n, after?, status, body, headers, raw, drop, dropAfterApply, delayMs }
 *   POST /__sandbox/records       { module, count?, fields? }         -> { ids }
 *   POST /__sandbox/link          { module, id, relatedList, relatedIds, data?, dataById? }
 *                                 -> { ids } (now linked); data: relation fields for every id,
 *                                 dataById: { [relatedId]: fields } (merged over data)
 *   POST /__sandbox/unlink        { module, id, relatedList, relatedIds }
 *                                 -> { ids (still linked), removed (how many were linked) }
 *   POST /__sandbox/issue-tokens  { scope?, expired? }  -> token pair
 *   POST /__sandbox/expire-tokens
 *   POST /__sandbox/expire-tokens-after   { n }         sb.expireAccessTokensAfter(n)
 *   POST /__sandbox/revoke-refresh-tokens               sb.revokeRefreshTokens()
 *   POST /__sandbox/reset-log
 *   POST /__sandbox/reset-stats
 */
const { ZOHO_ERRORS } = require('./errors');

/**
 * @typedef {import('./routes').Reply} Reply
 * @typedef {import('./index').ZohoSandbox} ZohoSandbox
 * @typedef {import('./index').ZohoModule} ZohoModule
 */

/** @param {unknown} body @param {number} [status] @returns {Reply} */
const json = (body, status = 200) => ({ status, body });

/**
 * @param {ZohoSandbox} sb
 * @param {string} method
 * @param {string} path
 * @param {URLSearchParams} query
 * @param {Buffer} rawBody
 * @returns {Reply}
 */
function handleControl(sb, method, path, query, rawBody) {
	/** @type {any} */
	let body = {};
	if (rawBody.length > 0) {
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			return json({ error: 'the body is not JSON' }, 400);
		}
	}
	const route = `${method} ${path}`;
	try {
		switch (route) {
			case 'GET /__sandbox/requests':
				return json(sb.requests);
			case 'GET /__sandbox/stats':
				return json(sb.stats);
			case 'GET /__sandbox/faults':
				return json(sb.faults);
			case 'GET /__sandbox/linked':
				return json({
					ids: sb.linkedIds(
						/** @type {ZohoModule} */ (query.get('module') ?? ''),
						query.get('id') ?? '',
						/** @type {ZohoModule} */ (query.get('relatedList') ?? ''),
					),
				});
			case 'GET /__sandbox/relation': {
				const module = /** @type {ZohoModule} */ (query.get('module') ?? '');
				const id = query.get('id') ?? '';
				const relatedList = /** @type {ZohoModule} */ (query.get('relatedList') ?? '');
				const relatedId = query.get('relatedId') ?? '';
				const data = sb.relationData(module, id, relatedList, relatedId);
				return json({ linked: data !== undefined, data: data ?? null });
			}
			case 'GET /__sandbox/record': {
				const module = /** @type {ZohoModule} */ (query.get('module') ?? '');
				const record = sb.getRecord(module, query.get('id') ?? '');
				return record ? json({ record }) : json({ error: 'no such record' }, 404);
			}
			case 'POST /__sandbox/faults':
				return json({ faults: sb.setFaults(body) });
			case 'POST /__sandbox/fail-next': {
				const { n = 1, after = 0, error, ...reply } = body;
				const entry =
					error === undefined
						? reply
						: ZOHO_ERRORS[/** @type {keyof typeof ZOHO_ERRORS} */ (error)];
				if (!entry) return json({ error: `unknown Zoho error "${error}"` }, 400);
				return json({ queued: sb.failNext(n, entry, { after }) });
			}
			case 'POST /__sandbox/records': {
				const { module, count = 1, fields } = body;
				return json({ ids: sb.addRecords(module, count, () => ({ ...(fields ?? {}) })) });
			}
			case 'POST /__sandbox/link': {
				const { module, id, relatedList, relatedIds, data, dataById } = body;
				for (const [name, value] of [
					['data', data],
					['dataById', dataById],
				])
					if (value !== undefined && (!value || typeof value !== 'object' || Array.isArray(value)))
						return json({ error: `${name}: an object` }, 400);
				sb.link(
					module,
					id,
					relatedList,
					relatedIds,
					data === undefined && dataById === undefined
						? undefined
						: (rid) => ({ ...data, ...dataById?.[rid] }),
				);
				return json({ ids: sb.linkedIds(module, id, relatedList) });
			}
			case 'POST /__sandbox/unlink': {
				const { module, id, relatedList, relatedIds } = body;
				/** @type {string[]} */
				const list = typeof relatedIds === 'string' ? [relatedIds] : relatedIds;
				if (!Array.isArray(list)) return json({ error: 'relatedIds: an id or a list of ids' }, 400);
				const removed = list.filter((rid) => sb.unlink(module, id, relatedList, String(rid)));
				return json({ ids: sb.linkedIds(module, id, relatedList), removed: removed.length });
			}
			case 'POST /__sandbox/issue-tokens':
				return json(sb.issueTokens(body));
			case 'POST /__sandbox/expire-tokens':
				sb.expireAccessTokens();
				return json({});
			case 'POST /__sandbox/expire-tokens-after':
				sb.expireAccessTokensAfter(body.n);
				return json({});
			case 'POST /__sandbox/revoke-refresh-tokens':
				sb.revokeRefreshTokens();
				return json({});
			case 'POST /__sandbox/reset-log':
				sb.clearRequests();
				return json({});
			case 'POST /__sandbox/reset-stats':
				sb.resetStats();
				return json({});
			default:
				return json({ error: `no sandbox endpoint ${route}` }, 404);
		}
	} catch (error) {
		return json({ error: error instanceof Error ? error.message : String(error) }, 400);
	}
}

module.exports = { handleControl };

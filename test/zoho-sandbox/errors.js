// @ts-check
'use strict';
/**
 * Zoho CRM's error catalogue, as documented on the "Delink Related Records" page (and the
 * generic codes every CRM API answers with, and the paging errors of Get Records). Each entry is the HTTP status plus the JSON body
 * fields, so a test can inject one as it is: `sb.failNext(1, ZOHO_ERRORS.NO_PERMISSION)`.
 */

/**
 * @typedef {{ status: number, code: string, message: string, details: Record<string, unknown> }} ZohoErrorEntry
 * @typedef {{ code: string, details: Record<string, unknown>, message: string, status: 'error' }} ZohoErrorBody
 */

/**
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @param {Record<string, unknown>} [details]
 * @returns {Readonly<ZohoErrorEntry>}
 */
function entry(status, code, message, details = {}) {
	return Object.freeze({ status, code, message, details: Object.freeze(details) });
}

const ZOHO_ERRORS = Object.freeze({
	INVALID_MODULE: entry(400, 'INVALID_MODULE', 'the module name given seems to be invalid'),
	INVALID_URL_PATTERN: entry(
		404,
		'INVALID_URL_PATTERN',
		'Please check if the URL trying to access is a correct one',
	),
	AUTHENTICATION_FAILURE: entry(401, 'AUTHENTICATION_FAILURE', 'Authentication failed'),
	OAUTH_SCOPE_MISMATCH: entry(401, 'OAUTH_SCOPE_MISMATCH', 'Unauthorized'),
	INVALID_TOKEN: entry(401, 'INVALID_TOKEN', 'invalid oauth token'),
	NO_PERMISSION: entry(403, 'NO_PERMISSION', 'permission denied to delete records', {
		permissions: Object.freeze(['Crm_Implied_Delete_Related_Records']),
	}),
	INTERNAL_ERROR: entry(500, 'INTERNAL_ERROR', 'Internal Server Error'),
	INVALID_REQUEST_METHOD: entry(
		400,
		'INVALID_REQUEST_METHOD',
		'The http request method type is not a valid one',
	),
	AUTHORIZATION_FAILED: entry(
		400,
		'AUTHORIZATION_FAILED',
		'User does not have sufficient privilege to delete related records data',
	),
	INVALID_DATA: entry(400, 'INVALID_DATA', 'the related id given seems to be invalid'),
	UNABLE_TO_PARSE_DATA_TYPE: entry(
		400,
		'UNABLE_TO_PARSE_DATA_TYPE',
		'either the request body or parameters is in wrong format',
		{ param_name: 'ids' },
	),
	LIMIT_EXCEEDED: entry(400, 'LIMIT_EXCEEDED', 'You cannot give more than 100 record ids', {
		limit: '100',
		param_name: 'ids',
	}),
	MANDATORY_NOT_FOUND: entry(400, 'MANDATORY_NOT_FOUND', 'required param missing', {
		param_name: 'ids',
	}),
	TOO_MANY_REQUESTS: entry(429, 'TOO_MANY_REQUESTS', 'Too many requests'),
	/** `page` reaching past the page window (the first 2,000 records of a listing). */
	DISCRETE_PAGINATION_LIMIT_EXCEEDED: entry(
		400,
		'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
		'You can only get the first 2000 records without using page_token param.',
		{ limit: 2000 },
	),
	/** `page` and `page_token` in one request. */
	AMBIGUITY_DURING_PROCESSING: entry(
		400,
		'AMBIGUITY_DURING_PROCESSING',
		'Ambiguity while processing the request',
		{ ambiguity_due_to: Object.freeze(['page_token', 'page']) },
	),
});

/**
 * A deep, mutable copy of JSON data (catalogue entries are frozen).
 * @template T
 * @param {T} value
 * @returns {T}
 */
function clone(value) {
	return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

/**
 * The top-level error body Zoho answers with, keys in Zoho's (alphabetical) order.
 * @param {ZohoErrorEntry} error
 * @param {{ message?: string, details?: Record<string, unknown> }} [override]
 * @returns {ZohoErrorBody}
 */
function errorBody(error, override = {}) {
	return {
		code: error.code,
		details: clone(override.details ?? error.details),
		message: override.message ?? error.message,
		status: 'error',
	};
}

/**
 * A reply (status + body) for a catalogue entry.
 * @param {ZohoErrorEntry} error
 * @param {{ message?: string, details?: Record<string, unknown> }} [override]
 * @returns {{ status: number, body: ZohoErrorBody }}
 */
function errorReply(error, override) {
	return { status: error.status, body: errorBody(error, override) };
}

module.exports = { ZOHO_ERRORS, errorBody, errorReply, clone };

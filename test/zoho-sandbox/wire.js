// @ts-check
'use strict';
/**
 * What crosses the sandbox's socket, apart from routing: a request's path decoded and body read,
 * the HTML pages a gateway answers with, and the Authorization header echoed into error bodies
 * (FaultOptions.echoAuthorization: proves clients never leak it).
 */
const http = require('node:http');

/** @param {string} s */
function safeDecode(s) {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

/** @param {http.IncomingMessage} req @returns {Promise<Buffer>} */
function readBody(req) {
	return new Promise((resolve) => {
		/** @type {Buffer[]} */
		const chunks = [];
		const done = () => resolve(Buffer.concat(chunks));
		req.on('data', (c) => chunks.push(c));
		req.on('end', done);
		req.on('error', done);
		req.on('close', done);
	});
}

/**
 * Adds `details.authorization` to every error in a JSON body (top-level or per entry).
 * @param {unknown} body @param {string} authorization
 */
function echoAuthorizationInto(body, authorization) {
	/** @param {unknown} e */
	const add = (e) => {
		if (e && typeof e === 'object' && /** @type {any} */ (e).status === 'error') {
			const err = /** @type {{ details?: unknown }} */ (e);
			err.details = { ...(typeof err.details === 'object' ? err.details : {}), authorization };
		}
	};
	add(body);
	const data = body && typeof body === 'object' ? /** @type {any} */ (body).data : undefined;
	if (Array.isArray(data)) data.forEach(add);
}

const HTML_PAGES = {
	502: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>ZGS</center></body></html>',
	503: '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>ZGS</center></body></html>',
};

module.exports = { safeDecode, readBody, echoAuthorizationInto, HTML_PAGES };

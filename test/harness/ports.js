// @ts-check
'use strict';
/**
 * Loopback helpers: a free TCP port on 127.0.0.1 for each n8n process (and its task-runner
 * broker), and a probe of an HTTP status (e.g. /healthz) that never throws.
 */
const http = require('node:http');
const net = require('node:net');

/**
 * A free TCP port on 127.0.0.1 (asks the OS; tiny race window until n8n binds it).
 * @returns {Promise<number>}
 */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = addr && typeof addr === 'object' ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

/** @param {string} url @returns {Promise<number>} status code, 0 when not reachable */
function httpStatus(url) {
	return new Promise((resolve) => {
		const req = http.get(url, { timeout: 2000 }, (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('timeout', () => req.destroy());
		req.on('error', () => resolve(0));
	});
}

module.exports = { freePort, httpStatus };

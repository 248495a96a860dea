// @ts-check
'use strict';
/**
 * An in-memory Zoho CRM (API + accounts server) behind a real HTTP server.
 *
 *   const { startZohoSandbox, ZOHO_ERRORS, seedDemo } = require('./test/zoho-sandbox');
 *   const sb = await startZohoSandbox({ latencyMs: 5, maxConcurrent: 10 });
 *   const { access_token } = sb.issueTokens();
 *   // ... point the client at sb.url ...
 *   await sb.close();
 *
 * Pipeline of one API request: arrival (expireAccessTokensAfter countdown) -> concurrency
 * check (429) -> body read (a PUT's goes on to routes.js) -> latency -> failNext queue -> HTML
 * gateway error -> credits (429) -> random 500 -> auth + routing + work -> drop-after-apply
 * (DELETE, PUT) -> malformed JSON -> onApiRequest hooks -> answer (or the socket destroyed).
 */
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { ZOHO_ERRORS, errorReply } = require('./errors');
const { Store } = require('./store');
const { OAuthServer } = require('./oauth');
const { DEFAULT_FAULTS, checkFaults, prng, cannedReply } = require('./faults');
const { PageTokens } = require('./paging');

/** failNext queue entry: answer this request normally. */
const PASS = Symbol('pass');
const { handleApi } = require('./routes');
const { handleControl } = require('./control');
const { seedDemo } = require('./seed');
const { safeDecode, readBody, echoAuthorizationInto, HTML_PAGES } = require('./wire');

/**
 * Public types live in index.d.ts (the one source for JS and TS callers).
 * @typedef {import('./index').FaultOptions} FaultOptions
 * @typedef {import('./index').CannedReply} CannedReply
 * @typedef {import('./index').SandboxOptions} SandboxOptions
 * @typedef {import('./index').RequestLogEntry} RequestLogEntry
 * @typedef {import('./index').ZohoSandbox} ZohoSandbox
 * @typedef {import('./index').ApiRequestHook} ApiRequestHook
 * @typedef {import('./index').RelationData} RelationData
 * @typedef {RelationData | ((relatedId: string, index: number) => RelationData | undefined)} RelationDataArg
 * @typedef {import('./routes').Reply} Reply
 */

/** Wall-clock milliseconds with sub-millisecond resolution. */
const now = () => performance.timeOrigin + performance.now();

/**
 * Starts a sandbox. Options not given take the defaults shown in index.d.ts.
 * @param {SandboxOptions} [options]
 * @returns {Promise<ZohoSandbox>}
 */
async function startZohoSandbox(options = {}) {
	const {
		host = '127.0.0.1',
		port = 0,
		clientId = 'sandbox-client-id',
		clientSecret = 'sandbox-client-secret',
		accessTokenTtlSeconds = 3600,
		oauthErrorStatus = 400,
		strictOfflineAccess = false,
		maxLogEntries = Infinity,
		controlRoutes = true,
		...faultOptions
	} = options;

	/** @type {FaultOptions} */
	let faults = { ...DEFAULT_FAULTS, ...checkFaults(faultOptions) };
	let random = prng(faults.seed);
	/** @type {Array<CannedReply | typeof PASS>} */
	const failQueue = [];
	/** @type {Array<'drop' | 'dropAfterApply'>} the next token-endpoint requests' fates */
	const tokenFailQueue = [];
	/** @type {Array<() => void>} API requests held until `holdUntilInFlight` are in flight */
	let held = [];
	/** @type {RequestLogEntry[]} */
	const requests = [];
	let seq = 0;
	let url = '';

	const store = new Store();
	const pageTokens = new PageTokens();
	/** @type {ApiRequestHook[]} */
	let hooks = [];
	/** @type {number | null} API requests still to authenticate as usual (expireAccessTokensAfter) */
	let expireCountdown = null;
	const oauth = new OAuthServer({
		clientId,
		clientSecret,
		apiDomain: () => url,
		accessTokenTtlSeconds,
		errorStatus: oauthErrorStatus,
		strictOfflineAccess,
	});

	const freshCounters = () => ({
		requests: 0,
		apiRequests: 0,
		oauthRequests: 0,
		deleteCalls: 0,
		getCalls: 0,
		putCalls: 0,
		relationsRemoved: 0,
		relationsLinked: 0,
		relationsUpdated: 0,
		relationsNotFound: 0,
		invalidRelatedIds: 0,
		recordsDeleted: 0,
		maxInFlight: 0,
		rejectedConcurrency: 0,
		rejectedCredits: 0,
		creditsUsed: 0,
		authFailures: 0,
		injectedFailures: 0,
		internalErrors: 0,
		htmlErrors: 0,
		malformedJson: 0,
		droppedAfterApply: 0,
	});
	let counters = freshCounters();
	let inFlight = 0;

	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();
	let closed = false;

	/** @param {number} ms */
	const delay = (ms) =>
		new Promise((resolve) => {
			const t = setTimeout(() => {
				timers.delete(t);
				resolve(undefined);
			}, ms);
			timers.add(t);
		});

	/** @param {number} rate */
	const chance = (rate) => rate > 0 && random() < rate;

	/** @returns {Record<string, string>} */
	function creditHeaders() {
		if (faults.dailyCredits === null) return {};
		const remaining = Math.max(0, faults.dailyCredits - counters.creditsUsed);
		return remaining < faults.dailyCredits / 2
			? { 'X-API-CREDITS-REMAINING': String(remaining) }
			: {};
	}

	/**
	 * @param {http.ServerResponse} res
	 * @param {RequestLogEntry | null} entry
	 * @param {Reply} reply
	 * @param {{ api?: boolean, malformed?: boolean, authorization?: string }} [how]
	 */
	function send(res, entry, reply, how = {}) {
		const gone = res.destroyed || res.writableEnded; // the client hung up (e.g. its timeout)
		if (entry) {
			entry.status = gone ? 0 : reply.status;
			entry.endedAt = now();
		}
		if (gone) return;
		/** @type {Record<string, string>} */
		const headers = { ...(how.api ? creditHeaders() : {}), ...(reply.headers ?? {}) };
		const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
		let payload = '';
		if (reply.raw !== undefined) {
			payload = reply.raw;
			if (!hasType) headers['Content-Type'] = 'text/plain;charset=UTF-8';
		} else if (reply.body !== undefined && reply.status !== 204) {
			if (how.api && faults.echoAuthorization && how.authorization !== undefined)
				echoAuthorizationInto(reply.body, how.authorization);
			payload = JSON.stringify(reply.body);
			if (how.api && faults.numericIds)
				payload = payload.replace(/"details":\{"id":"(\d+)"/g, '"details":{"id":$1');
			if (how.malformed) payload = payload.slice(0, Math.ceil(payload.length / 2));
			if (!hasType) headers['Content-Type'] = 'application/json;charset=UTF-8';
		}
		res.writeHead(reply.status, headers);
		res.end(payload);
	}

	/** @param {http.IncomingMessage} req @param {RequestLogEntry} entry */
	function drop(req, entry) {
		entry.status = 0;
		entry.dropped = true;
		entry.endedAt = now();
		req.socket.destroy();
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	async function handle(req, res) {
		const startedAt = now();
		const rawPath = req.url ?? '/';
		const q = rawPath.indexOf('?');
		const rawPathname = q >= 0 ? rawPath.slice(0, q) : rawPath;
		const query = new URLSearchParams(q >= 0 ? rawPath.slice(q + 1) : '');
		const path = safeDecode(rawPathname);
		const method = req.method ?? 'GET';
		const authorization = req.headers.authorization;

		if (controlRoutes && path.startsWith('/__sandbox/')) {
			const body = await readBody(req);
			send(res, null, handleControl(sandbox, method, path, query, body));
			return;
		}

		const kind = path.startsWith('/oauth/') ? 'oauth' : 'api';
		/** @type {RequestLogEntry} */
		const entry = {
			seq: ++seq,
			kind,
			method,
			path,
			rawPath,
			query: Object.fromEntries([...query.keys()].map((k) => [k, query.get(k) ?? ''])),
			authorization,
			headers: { ...req.headers },
			hasBody: false,
			status: null,
			dropped: false,
			startedAt,
			endedAt: null,
		};
		requests.push(entry);
		if (requests.length > maxLogEntries) requests.splice(0, requests.length - maxLogEntries);
		counters.requests += 1;

		if (kind === 'oauth') {
			counters.oauthRequests += 1;
			const body = await readBody(req);
			entry.hasBody = body.length > 0;
			const params = new URLSearchParams(query);
			const type = String(req.headers['content-type'] ?? '');
			if (body.length > 0 && (type === '' || type.includes('application/x-www-form-urlencoded')))
				for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
			const fate = path === '/oauth/v2/token' ? tokenFailQueue.shift() : undefined;
			if (fate === 'drop') {
				drop(req, entry);
				return;
			}
			const granted = oauth.handle({ method, path, params, authorization });
			if (fate === 'dropAfterApply') {
				drop(req, entry); // the token was granted; its answer is lost on the way
				return;
			}
			send(res, entry, granted);
			return;
		}

		counters.apiRequests += 1;
		if (method === 'DELETE') counters.deleteCalls += 1;
		if (method === 'GET') counters.getCalls += 1;
		if (method === 'PUT') counters.putCalls += 1;
		if (expireCountdown !== null) {
			if (expireCountdown === 0) {
				expireCountdown = null;
				oauth.expireAccessTokens(entry.seq);
			} else expireCountdown -= 1;
		}
		/** Set by a failNext `dropAfterApply` entry: whatever is answered is lost instead. */
		let dropAfter = false;
		/**
		 * Runs the onApiRequest hooks, then sends the answer or destroys the socket.
		 * @param {Reply | 'drop'} reply
		 * @param {boolean} [malformed]
		 */
		const answer = (reply, malformed = false) => {
			if (reply !== 'drop' && dropAfter) {
				counters.droppedAfterApply += 1;
				reply = 'drop';
			}
			entry.status = reply === 'drop' ? 0 : reply.status;
			entry.dropped = reply === 'drop';
			try {
				for (const hook of [...hooks]) hook(entry, sandbox);
			} catch (error) {
				entry.dropped = false;
				send(res, entry, {
					status: 500,
					raw: `zoho-sandbox: an onApiRequest hook threw: ${error instanceof Error ? error.stack : error}`,
				});
				return;
			}
			if (reply === 'drop') {
				drop(req, entry);
				return;
			}
			if (reply.status === 401) counters.authFailures += 1;
			send(res, entry, reply, { api: true, authorization, malformed });
		};

		if (faults.maxConcurrent !== null && inFlight >= faults.maxConcurrent) {
			counters.rejectedConcurrency += 1;
			readBody(req).then((b) => (entry.hasBody = b.length > 0));
			answer(errorReply(ZOHO_ERRORS.TOO_MANY_REQUESTS));
			return;
		}
		inFlight += 1;
		counters.maxInFlight = Math.max(counters.maxInFlight, inFlight);
		res.once('close', () => (inFlight -= 1));

		const body = await readBody(req);
		entry.hasBody = body.length > 0;
		if (faults.holdUntilInFlight !== null) {
			// Held until that many API requests are in flight at once; then all go on, and the
			// barrier is spent (a test that needs overlap makes it happen instead of hoping).
			if (inFlight >= faults.holdUntilInFlight) {
				faults = { ...faults, holdUntilInFlight: null };
				for (const release of held) release();
				held = [];
			} else await new Promise((resolve) => held.push(() => resolve(undefined)));
			if (closed) return;
		}
		if (faults.latencyMs > 0) await delay(faults.latencyMs);
		if (closed) return;

		const canned = failQueue.shift();
		if (canned && canned !== PASS) {
			counters.injectedFailures += 1;
			const reply = cannedReply(canned);
			if (reply.delayMs > 0) await delay(reply.delayMs);
			if (closed) return;
			if (reply.dropAfterApply) dropAfter = true;
			else {
				answer(reply.drop ? 'drop' : reply);
				return;
			}
		}
		if (chance(faults.htmlErrorRate)) {
			counters.htmlErrors += 1;
			const status = random() < 0.5 ? 502 : 503;
			answer({ status, raw: HTML_PAGES[status], headers: { 'Content-Type': 'text/html' } });
			return;
		}
		if (faults.dailyCredits !== null && counters.creditsUsed >= faults.dailyCredits) {
			counters.rejectedCredits += 1;
			answer(errorReply(ZOHO_ERRORS.TOO_MANY_REQUESTS));
			return;
		}
		counters.creditsUsed += 1;
		if (chance(faults.errorRate)) {
			counters.internalErrors += 1;
			answer(errorReply(ZOHO_ERRORS.INTERNAL_ERROR));
			return;
		}

		const segments = rawPathname.split('/').slice(1).map(safeDecode);
		const reply = handleApi(
			{
				method,
				segments,
				query,
				body,
				authorization,
				store,
				oauth,
				seq: entry.seq,
				options: faults,
				pageTokens,
			},
			counters,
		);
		const writes = method === 'DELETE' || method === 'PUT';
		if (!dropAfter && reply.applied && writes && chance(faults.dropAfterApplyRate)) {
			counters.droppedAfterApply += 1;
			answer('drop');
			return;
		}
		const malformed = !dropAfter && reply.body !== undefined && chance(faults.malformedJsonRate);
		if (malformed) counters.malformedJson += 1;
		answer(reply, malformed);
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			if (!res.headersSent && !res.destroyed) {
				res.writeHead(500, { 'Content-Type': 'text/plain' });
				res.end(`zoho-sandbox bug: ${error && error.stack}`);
			}
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const urlHost =
		host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
	url = `http://${urlHost}:${address.port}`;

	/** @type {Promise<void> | undefined} */
	let closing;

	/** @type {ZohoSandbox} */
	const sandbox = {
		url,
		host,
		port: address.port,
		clientId,
		clientSecret,
		requests,
		clearRequests() {
			requests.length = 0;
		},
		/** @param {string} module @param {Record<string, unknown>} [fields] */
		addRecord(module, fields) {
			return store.addRecord(module, fields);
		},
		/**
		 * @param {string} module @param {number} n
		 * @param {(index: number) => Record<string, unknown>} [fieldsFn]
		 */
		addRecords(module, n, fieldsFn) {
			return Array.from({ length: n }, (_, i) => store.addRecord(module, fieldsFn?.(i)));
		},
		/** @param {string} module @param {string} id */
		getRecord(module, id) {
			const record = store.getRecord(module, id);
			return record && { ...record };
		},
		/**
		 * @param {string} module @param {string} id @param {string} relatedList
		 * @param {string | readonly string[]} relatedId one id or several
		 * @param {RelationDataArg} [data] relation fields for every id, or per id
		 */
		link(module, id, relatedList, relatedId, data) {
			const ids = typeof relatedId === 'string' ? [relatedId] : relatedId;
			store.assertRelation(module, relatedList);
			if (data !== undefined && typeof data !== 'function')
				store.checkRelationData(module, relatedList, data);
			ids.forEach((rid, index) => {
				const fields = typeof data === 'function' ? data(rid, index) : data;
				if (typeof data === 'function') store.checkRelationData(module, relatedList, fields);
				store.link(module, id, relatedList, rid, fields);
			});
		},
		/** @param {string} module @param {string} id @param {string} relatedList @param {string} relatedId */
		relationData(module, id, relatedList, relatedId) {
			return store.relationData(module, id, relatedList, relatedId);
		},
		/** @param {string} module @param {string} id @param {string} relatedList @param {string} relatedId */
		unlink(module, id, relatedList, relatedId) {
			store.assertRelation(module, relatedList);
			return store.unlink(module, id, relatedList, relatedId);
		},
		/** @param {string} module @param {string} id @param {string} relatedList @param {string} relatedId */
		isLinked(module, id, relatedList, relatedId) {
			return store.isLinked(module, id, relatedList, relatedId);
		},
		/** @param {string} module @param {string} id @param {string} relatedList */
		linkedIds(module, id, relatedList) {
			return store.linkedIds(module, id, relatedList);
		},
		/** @param {{ scope?: string, expired?: boolean }} [opts] */
		issueTokens(opts) {
			return oauth.issueTokens(opts);
		},
		expireAccessTokens() {
			oauth.expireAccessTokens();
		},
		/** @param {number} n */
		expireAccessTokensAfter(n) {
			if (!Number.isInteger(n) || n < 0)
				throw new Error('zoho-sandbox: expireAccessTokensAfter(n) needs an integer >= 0');
			expireCountdown = n;
		},
		revokeRefreshTokens() {
			oauth.revokeRefreshTokens();
		},
		/** @param {ApiRequestHook} fn */
		onApiRequest(fn) {
			if (typeof fn !== 'function')
				throw new Error('zoho-sandbox: onApiRequest(fn) needs a function');
			const registered = (/** @type {Parameters<ApiRequestHook>} */ ...args) => fn(...args);
			hooks = [...hooks, registered];
			return () => {
				hooks = hooks.filter((h) => h !== registered);
			};
		},
		get stats() {
			return {
				...counters,
				inFlight,
				rejected429: counters.rejectedConcurrency + counters.rejectedCredits,
				creditsRemaining:
					faults.dailyCredits === null
						? null
						: Math.max(0, faults.dailyCredits - counters.creditsUsed),
				...oauth.stats,
			};
		},
		resetStats() {
			counters = { ...freshCounters(), maxInFlight: inFlight };
			oauth.resetStats();
		},
		get faults() {
			return { ...faults };
		},
		/** @param {Partial<FaultOptions>} partial */
		setFaults(partial) {
			faults = { ...faults, ...checkFaults(partial) };
			if (partial.seed !== undefined) random = prng(faults.seed);
			return { ...faults };
		},
		/**
		 * Answers the next `n` API requests (not OAuth) with `reply` instead of doing the work;
		 * with `{ after: k }`, the k requests before them are answered normally.
		 * @param {number} n @param {CannedReply} reply @param {{ after?: number }} [options]
		 */
		failNext(n, reply, options = {}) {
			const after = options.after ?? 0;
			if (!Number.isInteger(n) || n < 0 || !Number.isInteger(after) || after < 0)
				throw new Error('zoho-sandbox: failNext(n, reply, { after }) needs integers >= 0');
			for (let i = 0; i < after; i++) failQueue.push(PASS);
			for (let i = 0; i < n; i++) failQueue.push(reply);
			return failQueue.length;
		},
		clearFailNext() {
			failQueue.length = 0;
			tokenFailQueue.length = 0;
		},
		/**
		 * The next `n` token-endpoint requests: `drop` destroys the socket unanswered, nothing
		 * done; `dropAfterApply` grants the token, then destroys the socket (the new access token
		 * is valid, the client never got it).
		 * @param {number} n @param {'drop' | 'dropAfterApply'} fate
		 */
		failNextToken(n, fate) {
			if (!Number.isInteger(n) || n < 0 || !['drop', 'dropAfterApply'].includes(fate))
				throw new Error("zoho-sandbox: failNextToken(n, 'drop' | 'dropAfterApply')");
			for (let i = 0; i < n; i++) tokenFailQueue.push(fate);
			return tokenFailQueue.length;
		},
		close() {
			if (!closing) {
				closed = true;
				for (const t of timers) clearTimeout(t);
				timers.clear();
				closing = new Promise((resolve) => server.close(() => resolve()));
				server.closeAllConnections();
				for (const socket of sockets) socket.destroy();
			}
			return closing;
		},
	};
	return sandbox;
}

module.exports = { startZohoSandbox, ZOHO_ERRORS, seedDemo };

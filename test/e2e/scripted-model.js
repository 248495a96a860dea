// @ts-check
'use strict';
/**
 * A scripted OpenAI-compatible model on 127.0.0.1, for n8n's OpenAI Chat Model (its credential's
 * Base URL pointed here): `POST /v1/chat/completions` answers the next step of a script,
 * `GET /v1/models` lists one model. Every request is kept (`requests`) so a test can assert on
 * what n8n sent the model: the tools (names, descriptions, JSON schemas) and the tool results.
 *
 * Which step answers a request is decided by the conversation, never by time: the number of
 * assistant turns already in it (`messages` with role "assistant"). A step is
 *   { toolCalls: [{ name, args }] }  ask n8n to call tools (args as an object), or
 *   { content: 'text' }              the final answer,
 * or a function (request body) => step, to compute a step from an earlier tool result.
 * Past the script's end the model answers "done". `stream: true` gets the same answer as
 * server-sent events.
 */
const http = require('node:http');

/**
 * @typedef {{ name: string, args: Record<string, unknown> }} ToolCall
 * @typedef {{ toolCalls: ToolCall[] } | { content: string }} Step
 * @typedef {Step | ((body: any) => Step)} ScriptStep
 * @typedef {{ method: string, path: string, headers: http.IncomingHttpHeaders, raw: string, body: any }} ModelRequest
 */

/**
 * @param {ScriptStep[]} script
 * @returns {Promise<{ url: string, requests: ModelRequest[], chats: () => any[], close: () => Promise<void> }>}
 */
async function startScriptedModel(script) {
	/** @type {ModelRequest[]} */
	const requests = [];
	let callId = 0;
	const server = http.createServer((req, res) => {
		let raw = '';
		req.setEncoding('utf8');
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			/** @type {any} */
			let body = null;
			try {
				body = raw ? JSON.parse(raw) : null;
			} catch {
				body = null;
			}
			const path = (req.url ?? '').split('?')[0];
			requests.push({ method: req.method ?? '', path, headers: req.headers, raw, body });
			if (req.method === 'GET' && path.endsWith('/models')) {
				return send(res, 200, {
					object: 'list',
					data: [{ id: 'scripted-model', object: 'model', created: 0, owned_by: 'e2e' }],
				});
			}
			if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
				return send(res, 404, { error: { message: `no route ${req.method} ${path}` } });
			}
			const turns = (body?.messages ?? []).filter((/** @type {any} */ m) => m.role === 'assistant');
			const next = script[turns.length];
			/** @type {Step} */
			const step =
				next === undefined ? { content: 'done' } : typeof next === 'function' ? next(body) : next;
			const message =
				'toolCalls' in step
					? {
							role: 'assistant',
							content: null,
							tool_calls: step.toolCalls.map((c) => ({
								id: `call_${++callId}`,
								type: 'function',
								function: { name: c.name, arguments: JSON.stringify(c.args) },
							})),
						}
					: { role: 'assistant', content: step.content };
			const finish = 'toolCalls' in step ? 'tool_calls' : 'stop';
			if (body?.stream) return stream(res, message, finish);
			send(res, 200, {
				id: `chatcmpl-${requests.length}`,
				object: 'chat.completion',
				created: 0,
				model: body?.model ?? 'scripted-model',
				choices: [{ index: 0, message, finish_reason: finish }],
				usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
			});
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${address.port}/v1`,
		requests,
		chats: () => requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body),
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve(undefined));
			}),
	};
}

/** @param {http.ServerResponse} res @param {number} status @param {unknown} body */
function send(res, status, body) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(text),
	});
	res.end(text);
}

/** The same answer as chunks of server-sent events. @param {http.ServerResponse} res @param {any} message @param {string} finish */
function stream(res, message, finish) {
	res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
	const chunk = (/** @type {any} */ delta, /** @type {string | null} */ reason) =>
		res.write(
			`data: ${JSON.stringify({
				id: 'chatcmpl-stream',
				object: 'chat.completion.chunk',
				created: 0,
				model: 'scripted-model',
				choices: [{ index: 0, delta, finish_reason: reason }],
			})}\n\n`,
		);
	if (message.tool_calls) {
		chunk(
			{
				role: 'assistant',
				content: null,
				tool_calls: message.tool_calls.map((/** @type {any} */ c, /** @type {number} */ index) => ({
					index,
					...c,
				})),
			},
			null,
		);
	} else chunk({ role: 'assistant', content: message.content }, null);
	chunk({}, finish);
	res.end('data: [DONE]\n\n');
}

/** The tool results in a chat request, by the tool call's function name. @param {any} body */
function toolResults(body) {
	/** @type {Record<string, string>} */
	const names = {};
	for (const m of body?.messages ?? [])
		for (const c of m.tool_calls ?? []) names[c.id] = c.function?.name;
	return (body?.messages ?? [])
		.filter((/** @type {any} */ m) => m.role === 'tool')
		.map((/** @type {any} */ m) => ({
			name: names[m.tool_call_id],
			content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content),
		}));
}

module.exports = { startScriptedModel, toolResults };

// @ts-check
'use strict';
/**
 * The n8n CLI on a user folder: `n8n import:credentials`, `n8n import:workflow`,
 * `n8n execute --rawOutput`, and reading what a run did from its output (a node's runs,
 * items and error).
 */
const crypto = require('node:crypto');
const fsp = require('node:fs/promises');
const path = require('node:path');
const { CLI_TIMEOUT_MS } = require('./config');
const { run, cliError } = require('./process');
const { freePort } = require('./ports');

/**
 * @typedef {import('./process').CliResult & {
 *   ok: boolean, output: any, error: any, status: string | undefined
 * }} ExecuteResult
 */

/**
 * Runs `n8n <args>` for a context, with fresh ports so that calls may overlap.
 * @param {import('./user-folder').Ctx} ctx @param {string[]} args
 * @param {{ timeoutMs?: number, env?: Record<string, string> }} [opts]
 * @returns {Promise<import('./process').CliResult>}
 */
async function runN8nCli(ctx, args, opts = {}) {
	const env = {
		...ctx.env,
		N8N_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...opts.env,
	};
	return run(ctx.n8n.nodeBin, [ctx.n8n.n8nBin, ...args], {
		cwd: ctx.root,
		env,
		timeoutMs: opts.timeoutMs ?? CLI_TIMEOUT_MS,
	});
}

let fileCounter = 0;
/** @param {import('./user-folder').Ctx} ctx @param {string} prefix @param {unknown} data */
async function writeJsonFile(ctx, prefix, data) {
	const file = path.join(ctx.filesDir, `${prefix}-${++fileCounter}.json`);
	await fsp.writeFile(file, JSON.stringify(data, null, 2), 'utf8');
	return file;
}

/**
 * `n8n import:<what> --input=<file>` of `data`; throws unless n8n says it imported.
 * @param {import('./user-folder').Ctx} ctx @param {'credentials' | 'workflow'} what @param {unknown} data
 * @returns {Promise<import('./process').CliResult>}
 */
async function importJson(ctx, what, data) {
	const file = await writeJsonFile(ctx, what, data);
	const r = await runN8nCli(ctx, [`import:${what}`, `--input=${file}`]);
	if (r.exitCode !== 0 || !/Successfully imported/i.test(r.stdout + r.stderr))
		throw cliError(`n8n import:${what}`, r);
	return r;
}

/**
 * `n8n import:credentials`. Each credential needs an explicit `id`, `name`, `type` and a
 * plain-object `data` (the import encrypts it with the context's key).
 * @param {import('./user-folder').Ctx} ctx
 * @param {Array<{ id: string, name: string, type: string, data: Record<string, unknown> }>} creds
 * @returns {Promise<import('./process').CliResult>}
 */
async function importCredentials(ctx, creds) {
	for (const c of creds)
		if (!c.id || !c.name || !c.type || !c.data || typeof c.data !== 'object')
			throw new Error(
				`importCredentials: every credential needs id, name, type and data (object): ${JSON.stringify(c)}`,
			);
	return importJson(ctx, 'credentials', creds);
}

/**
 * Nodes as n8n stores them: an id, a position in a row, parameters and typeVersion 1 where
 * the node does not give its own.
 * @param {any[]} nodes
 */
function withNodeDefaults(nodes) {
	return nodes.map((n, i) => ({
		id: crypto.randomUUID(),
		position: [i * 220, 0],
		parameters: {},
		typeVersion: 1,
		...n,
	}));
}

/**
 * `n8n import:workflow`. A workflow needs an explicit `id` (at most 16 characters: n8n 1.x
 * executes by id only up to 16) and `nodes`; name, connections, settings, active, node
 * ids and positions are filled in when missing.
 * @param {import('./user-folder').Ctx} ctx @param {any | any[]} workflowJson one workflow or an array
 * @returns {Promise<import('./process').CliResult>}
 */
async function importWorkflow(ctx, workflowJson) {
	const list = (Array.isArray(workflowJson) ? workflowJson : [workflowJson]).map((wf) => {
		if (typeof wf?.id !== 'string' || !/^[A-Za-z0-9]{1,16}$/.test(wf.id))
			throw new Error(
				`importWorkflow: workflow id must be 1-16 letters/digits, got ${JSON.stringify(wf?.id)}`,
			);
		if (!Array.isArray(wf.nodes))
			throw new Error(`importWorkflow: workflow ${wf.id} has no nodes[]`);
		return {
			name: wf.id,
			active: false,
			settings: {},
			connections: {},
			...wf,
			nodes: withNodeDefaults(wf.nodes),
		};
	});
	return importJson(ctx, 'workflow', list);
}

/**
 * Pulls the run-data JSON out of `n8n execute --rawOutput` output. The JSON is printed
 * with 2-space indentation between log lines (on failure: after "Execution was NOT
 * successful" and before the error log lines), so start at the first line that is just
 * `{` (fallback: the first `{`) and scan to its matching `}`.
 * @param {string} text @returns {any}
 */
function parseRunOutput(text) {
	/** @type {number[]} */
	const starts = [];
	for (const m of text.matchAll(/^\{[ \t]*$/gm)) starts.push(/** @type {number} */ (m.index));
	const first = text.indexOf('{');
	if (first >= 0 && !starts.includes(first)) starts.push(first);
	/** @type {any} */
	let fallback;
	for (const start of starts) {
		const end = matchingBrace(text, start);
		if (end < 0) continue;
		try {
			const value = JSON.parse(text.slice(start, end + 1));
			if (value && typeof value === 'object' && 'data' in value) return value; // an IRun
			fallback ??= value;
		} catch {
			/* try the next candidate */
		}
	}
	return fallback;
}

/** @param {string} s @param {number} start index of `{` @returns {number} index of the matching `}` */
function matchingBrace(s, start) {
	let depth = 0;
	let inString = false;
	for (let i = start; i < s.length; i++) {
		const c = s[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '{' || c === '[') depth++;
		else if (c === '}' || c === ']') {
			depth--;
			if (depth === 0) return i;
		}
	}
	return -1;
}

/**
 * `n8n execute --id=<id> --rawOutput`. Never throws for a failed execution: `ok` is false
 * and `output` still holds the parsed run data (with `output.data.resultData.error`).
 * @param {import('./user-folder').Ctx} ctx @param {string} id
 * @param {{ timeoutMs?: number, env?: Record<string, string> }} [opts]
 * @returns {Promise<ExecuteResult>}
 */
async function executeWorkflow(ctx, id, opts = {}) {
	const r = await runN8nCli(ctx, ['execute', `--id=${id}`, '--rawOutput'], opts);
	const output = parseRunOutput(r.stdout) ?? parseRunOutput(r.stderr);
	const error = output?.data?.resultData?.error;
	const status = output?.status;
	// n8n 2.40 on Node 24 sometimes dies with SIGSEGV while exiting, after it has printed the
	// whole run: the run data then says how the execution went, not the exit.
	const crashedAtExit =
		(r.signal === 'SIGSEGV' || r.exitCode === 139) && !!output && status === 'success';
	if (crashedAtExit)
		process.stderr.write(`[harness] n8n execute ${id}: SIGSEGV at exit after a complete run\n`);
	return {
		...r,
		ok: (r.exitCode === 0 || crashedAtExit) && !!output && !error && status !== 'error',
		output,
		error,
		status,
	};
}

/**
 * The task data (one per run) of a node in a parsed execute output.
 * @param {any} output @param {string} nodeName @returns {any[]}
 */
function nodeRuns(output, nodeName) {
	return output?.data?.resultData?.runData?.[nodeName] ?? [];
}

/**
 * The items ({ json, pairedItem, … }) a node emitted on one output in one run.
 * @param {any} output @param {string} nodeName
 * @param {{ run?: number, outputIndex?: number }} [opts]
 * @returns {any[]}
 */
function nodeItems(output, nodeName, opts = {}) {
	const task = nodeRuns(output, nodeName)[opts.run ?? 0];
	return task?.data?.main?.[opts.outputIndex ?? 0] ?? [];
}

/**
 * The error a node's run ended with (task data `error`), else the execution's error.
 * @param {any} output @param {string} [nodeName] @returns {any}
 */
function executionError(output, nodeName) {
	if (nodeName) return nodeRuns(output, nodeName).find((t) => t?.error)?.error;
	return output?.data?.resultData?.error;
}

module.exports = {
	runN8nCli,
	importCredentials,
	importWorkflow,
	withNodeDefaults,
	executeWorkflow,
	parseRunOutput,
	nodeRuns,
	nodeItems,
	executionError,
};

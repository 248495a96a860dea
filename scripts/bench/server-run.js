// @ts-check
'use strict';
/**
 * One workflow run in a RUNNING n8n, the way production runs it: a fresh `n8n start`
 * (regular mode, SQLite) with the workflow active, triggered once through its production
 * webhook (Respond Immediately), and measured by the n8n process's own peak RSS during that
 * execution. Used by running-n8n.js for the 100,000-id memory figure.
 *
 * Why not only `n8n execute`: the CLI prints the whole run data when it is done
 * (`JSON.stringify(data, null, 2)` through n8n's logger, which copies it again while
 * formatting), a step no running n8n takes. For 100,000 output items that print is larger
 * than anything the node itself holds, so the CLI figure measures the CLI. A running n8n
 * still does everything else: resolves the input, runs the node, keeps the run data and
 * saves it (flatted) to its database.
 *
 * The peak: after the server is up, the owner exists and it has been idle for a moment, the
 * kernel's high-water mark is reset (`/proc/<pid>/clear_refs` ← 5 sets VmHWM to the current
 * RSS), the webhook is called, the execution is awaited through n8n's REST API until it has
 * finished and been saved, and VmHWM is read before anything else asks n8n for the data.
 * Linux only; 127.0.0.1 only; every process and folder is gone when it returns.
 */
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');

const POLL_MS = 250;
/** Quiet time after start-up and login, before the high-water mark is reset. */
const SETTLE_MS = 2_000;
const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A field of /proc/<pid>/status, in kB.
 * @param {number} pid @param {'VmRSS' | 'VmHWM'} field
 */
function procKb(pid, field) {
	const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
		fs.readFileSync(`/proc/${pid}/status`, 'utf8'),
	);
	if (!m) throw new Error(`/proc/${pid}/status has no ${field}`);
	return Number(m[1]);
}

/**
 * A GET of n8n's REST API, sent again (up to 5 tries) when the connection is reset: while the
 * execution keeps n8n's event loop busy for seconds, n8n may close an idle keep-alive
 * connection just as the poll reuses it (ECONNRESET). Any other failure is thrown at once.
 * @param {string} url @param {string} apiPath @param {any} session
 */
async function restGet(url, apiPath, session) {
	for (let attempt = 1; ; attempt++) {
		try {
			return await h.rest(url, 'GET', apiPath, { session });
		} catch (error) {
			const code = /** @type {any} */ (error)?.cause?.code;
			if (attempt >= 5 || code !== 'ECONNRESET') throw error;
			await sleep(POLL_MS);
		}
	}
}

/**
 * The workflow with its first node (a manual trigger) replaced by a production Webhook of
 * the same name that answers at once, active, every node with an id and a position.
 * @param {any} workflow @param {string} webhookPath
 */
function asWebhookWorkflow(workflow, webhookPath) {
	const [trigger, ...rest] = workflow.nodes;
	return {
		...workflow,
		active: true,
		nodes: h.withNodeDefaults([h.productionWebhook(trigger.name, webhookPath), ...rest]),
	};
}

/**
 * @typedef {{
 *   ok: boolean, error: string | undefined, status: string | undefined, output: any,
 *   idleRssKb: number, peakRssKb: number, executionMs: number | undefined
 * }} ServerRun `output` is `{ data: <run data> }`, the shape `n8n execute` prints;
 *   `executionMs` from n8n's startedAt/stoppedAt of the execution
 */

/**
 * Runs `workflow` once in a fresh running n8n and measures it.
 * @param {{
 *   line: 1 | 2, tarball: string, credentials: any[], workflow: any,
 *   beforeTrigger?: () => void, timeoutMs: number
 * }} o `beforeTrigger` runs right before the webhook call (reset the sandbox's counters there)
 * @returns {Promise<ServerRun>}
 */
async function serverRun(o) {
	const ctx = await h.createUserFolder({ line: o.line, tarball: o.tarball });
	try {
		const webhookPath = `bench-${String(o.workflow.id).toLowerCase()}`;
		await h.importCredentials(ctx, o.credentials);
		await h.importActiveWorkflows(ctx, [asWebhookWorkflow(o.workflow, webhookPath)]);
		const srv = await h.startN8n(ctx);
		try {
			const pid = /** @type {number} */ (srv.pid);
			await h.setupOwner(srv.url);
			const session = await h.login(srv.url);
			await sleep(SETTLE_MS);
			const idleRssKb = procKb(pid, 'VmRSS');
			fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
			o.beforeTrigger?.();
			const started = Date.now();
			const hook = await fetch(`${srv.url}/webhook/${webhookPath}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{}',
			});
			if (hook.status !== 200)
				throw new Error(`webhook ${webhookPath}: HTTP ${hook.status} ${await hook.text()}`);
			/** @type {any} */
			let execution;
			while (!execution) {
				if (Date.now() - started > o.timeoutMs)
					throw new Error(`execution of ${o.workflow.id} not finished after ${o.timeoutMs} ms`);
				await sleep(POLL_MS);
				const list = await restGet(srv.url, '/rest/executions', session);
				const rows = list.body?.data?.results ?? list.body?.data ?? [];
				execution = rows.find((/** @type {any} */ e) => FINISHED.has(e.status));
			}
			const peakRssKb = procKb(pid, 'VmHWM');
			const executionMs = Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt);
			const full = await restGet(srv.url, `/rest/executions/${execution.id}`, session);
			const flatted = require(path.join(ctx.n8n.dir, 'node_modules', 'flatted'));
			const data = flatted.parse(full.body.data.data);
			const error = data?.resultData?.error;
			return {
				ok: execution.status === 'success' && !error,
				error: error ? String(error.message ?? error) : undefined,
				status: execution.status,
				output: { data },
				idleRssKb,
				peakRssKb,
				executionMs: Number.isFinite(executionMs) ? executionMs : undefined,
			};
		} finally {
			await srv.stop();
		}
	} finally {
		await ctx.cleanup();
	}
}

module.exports = { serverRun };

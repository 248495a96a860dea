// @ts-check
'use strict';
/**
 * The harness's settings: where the repository and the n8n cache are, the knobs read from the
 * environment (E2E_KEEP, E2E_LINES, E2E_CLI_TIMEOUT_MS, E2E_START_TIMEOUT_MS, N8N_E2E_CACHE)
 * and the fixed values every n8n process of a test shares. See README.md in this folder.
 */
const os = require('node:os');
const path = require('node:path');

const REPO_DIR = path.resolve(__dirname, '..', '..');
const INSTALL_SCRIPT = path.join(REPO_DIR, 'scripts', 'install-n8n.sh');
const CACHE_DIR =
	process.env.N8N_E2E_CACHE ||
	path.join(os.homedir(), '.cache', 'n8n-nodes-zoho-crm-related-records');
const KEEP = /^(1|true|yes)$/i.test(process.env.E2E_KEEP || '');
/** Fixed so that credentials imported in one CLI call decrypt in the next. */
const ENCRYPTION_KEY = 'n8n-e2e-fixed-encryption-key-do-not-use-in-production';
const CLI_TIMEOUT_MS = Number(process.env.E2E_CLI_TIMEOUT_MS) || 180_000;
const START_TIMEOUT_MS = Number(process.env.E2E_START_TIMEOUT_MS) || 120_000;

/** Variables from the calling environment that must not leak into n8n. */
const STRIP_ENV =
	/^(N8N_|DB_|QUEUE_|EXECUTIONS_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_OPTIONS$|NODE_PATH$|NODE_ENV$|NODES_|CREDENTIALS_|EXTERNAL_|E2E_TESTS$|E2E_NET_GUARD_LOG$|VUE_APP_|CODE_ENABLE_|NODE_FUNCTION_|WORKFLOWS_|OTEL_|SENTRY_|JEST_|npm_)/;

/**
 * The calling environment minus what belongs to n8n (STRIP_ENV).
 * @returns {Record<string, string>}
 */
function strippedEnv() {
	/** @type {Record<string, string>} */
	const env = {};
	for (const [k, v] of Object.entries(process.env))
		if (v !== undefined && !STRIP_ENV.test(k)) env[k] = v;
	return env;
}

/**
 * The n8n lines to test: E2E_LINES="1,2" (default both).
 * @returns {import('./install').Line[]}
 */
function e2eLines() {
	const raw = process.env.E2E_LINES || '1,2';
	const lines = raw
		.split(',')
		.map((s) => Number(s.trim()))
		.filter((n) => n === 1 || n === 2);
	return /** @type {import('./install').Line[]} */ ([...new Set(lines)]);
}

module.exports = {
	REPO_DIR,
	INSTALL_SCRIPT,
	CACHE_DIR,
	KEEP,
	ENCRYPTION_KEY,
	CLI_TIMEOUT_MS,
	START_TIMEOUT_MS,
	STRIP_ENV,
	strippedEnv,
	e2eLines,
};

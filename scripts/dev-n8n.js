#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run dev:n8n`: a real n8n editor with this package installed, wired to a local Zoho CRM
 * sandbox, until Ctrl-C. No Zoho account needed.
 *
 *  - starts the Zoho sandbox on 127.0.0.1 seeded with `seedDemo` (it keeps running);
 *  - installs n8n 1.x into the cache if missing (DEV_N8N_LINE=2: n8n 2.x on Node 24), packs
 *    this (built) package and installs it into a temp n8n user folder like n8n does;
 *  - imports a ready credential "Zoho CRM sandbox" and the workflows of examples/ (adapted
 *    to the seeded ids), starts `n8n start` on 127.0.0.1, creates the owner account;
 *  - prints the editor URL, the login, the credential, the seeded ids; Ctrl-C stops n8n and
 *    the sandbox and removes the temp folder (E2E_KEEP=1 keeps it).
 * Knobs: DEV_N8N_LINE=1|2, DEV_ZOHO_PORT=<port> (sandbox port; default a free one),
 * E2E_ECHO_N8N=1 (echo n8n's log).
 */
const h = require('../test/harness');
const zw = require('../test/harness/zoho-workflows');
const { startZohoSandbox, seedDemo } = require('../test/zoho-sandbox');

const CREDENTIAL = { id: 'zohoSandboxCred', name: 'Zoho CRM sandbox' };
const OWNER = {
	email: 'dev@example.com',
	password: 'Zoho-Sandbox-1',
	firstName: 'Dev',
	lastName: 'User',
};

/** @param {string} text */
const say = (text) => process.stdout.write(`${text}\n`);

/** @returns {1 | 2} */
function devLine() {
	const raw = process.env.DEV_N8N_LINE || '1';
	if (raw !== '1' && raw !== '2') throw new Error(`DEV_N8N_LINE must be 1 or 2, got "${raw}"`);
	return raw === '1' ? 1 : 2;
}

async function main() {
	const line = devLine();
	/** @type {import('../test/zoho-sandbox').ZohoSandbox | undefined} */
	let sb;
	/** @type {h.N8nServer | undefined} */
	let server;
	let stopping = false;
	/** @param {number} code */
	const shutdown = async (code) => {
		if (stopping) return;
		stopping = true;
		say('\nStopping n8n and the Zoho sandbox…');
		await server?.stop().catch(() => undefined);
		await sb?.close().catch(() => undefined);
		await h.cleanupAll().catch(() => undefined);
		process.exit(code);
	};
	for (const signal of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP']))
		process.on(signal, () => void shutdown(0));

	try {
		const install = h.n8nInstalled(line);
		if (!install.installed)
			say(
				`First run: downloading n8n ${install.version}${line === 2 ? ' and Node 24' : ''} into ${h.CACHE_DIR} (a few minutes, once)…`,
			);
		const n8n = await h.ensureN8n(line);
		say(
			`n8n ${n8n.version} on Node ${n8n.nodeVersion}: installing this package from its npm tarball…`,
		);
		const tarball = await h.packPackage();
		const ctx = await h.createUserFolder({ line, tarball });

		sb = await startZohoSandbox({
			host: '127.0.0.1',
			port: Number(process.env.DEV_ZOHO_PORT) || 0,
		});
		const seed = seedDemo(sb);
		await h.importCredentials(ctx, [zw.sandboxCredential(sb, CREDENTIAL)]);
		const workflows = [
			zw.campaignExample({
				id: 'devCampaign',
				campaignId: seed.campaignId,
				contactIds: seed.contactIds,
				credential: CREDENTIAL,
				name: 'Delink contacts from a Zoho CRM campaign (sandbox)',
			}),
			zw.priceBookExample({
				id: 'devPriceBooks',
				productId: seed.productId,
				priceBookIds: [...seed.priceBookIds, seed.unlinkedPriceBookId],
				credential: CREDENTIAL,
				name: 'Remove a product from Zoho CRM price books (sandbox)',
			}),
		];
		await h.importWorkflow(ctx, workflows);

		say('Starting n8n…');
		server = await h.startN8n(ctx);
		await h.setupOwner(server.url, OWNER);

		const name = (/** @type {any} */ module, /** @type {string} */ id) => {
			/** @type {Record<string, unknown>} */
			const r = sb?.getRecord(module, id) ?? {};
			return String(r.Campaign_Name ?? r.Product_Name ?? r.Price_Book_Name ?? '');
		};
		const ids = (/** @type {readonly string[]} */ list) =>
			list.length > 4
				? `${list.slice(0, 3).join(', ')} … ${list[list.length - 1]}`
				: list.join(', ');
		say('');
		say(`n8n ${n8n.version} is running with n8n-nodes-zoho-crm-related-records installed.`);
		say(`  Editor:      ${server.url}`);
		say(`  Login:       ${OWNER.email} / ${OWNER.password}`);
		say(
			`  Credential:  "${CREDENTIAL.name}" (Zoho CRM OAuth2 API, data center Custom → the sandbox)`,
		);
		say(`  Workflows:   ${workflows.map((w) => `"${w.name}"`).join(', ')}`);
		say(
			`  Zoho sandbox ${sb.url} (in memory; GET ${sb.url}/__sandbox/stats shows what it received)`,
		);
		say(`    Campaign "${name('Campaigns', seed.campaignId)}": ${seed.campaignId}`);
		say(`      linked to ${seed.contactIds.length} contacts: ${ids(seed.contactIds)}`);
		say(`    Product "${name('Products', seed.productId)}": ${seed.productId}`);
		say(
			`      in price books ${seed.priceBookIds.map((id) => `${id} (${name('Price_Books', id)})`).join(', ')}`,
		);
		say(
			`      not in price book ${seed.unlinkedPriceBookId} (${name('Price_Books', seed.unlinkedPriceBookId)})`,
		);
		say('Press Ctrl-C to stop n8n and the sandbox.');

		// keep running; if n8n dies on its own, say so and stop
		const pid = server.pid;
		const watch = setInterval(() => {
			try {
				if (pid !== undefined) process.kill(pid, 0);
			} catch {
				clearInterval(watch);
				process.stderr.write(
					`\nn8n exited unexpectedly:\n${server?.logs().split('\n').slice(-30).join('\n')}\n`,
				);
				void shutdown(1);
			}
		}, 2000);
	} catch (error) {
		process.stderr.write(
			`\ndev:n8n failed: ${error instanceof Error ? error.message : String(error)}\n`,
		);
		await shutdown(1);
	}
}

void main();

#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run demo`: the package in REAL n8n against a local Zoho CRM sandbox, no Zoho account.
 *
 *  - installs n8n 1.x into the cache on first use (DEMO_N8N_LINE=2: n8n 2.x on Node 24);
 *  - packs this (built) package and installs it into a temp n8n user folder the way n8n
 *    installs community packages;
 *  - starts the sandbox seeded with `seedDemo` (a campaign linked to 250 contacts; a product
 *    in 3 price books, plus one price book it is not in);
 *  - imports a credential whose access token has EXPIRED (n8n must refresh it) and the two
 *    workflows of examples/, adapted to the seeded ids; runs them headless (`n8n execute`);
 *  - prints the resulting items and a summary per workflow, then stops everything.
 * Exit code 0 when every result is what the demo expects, 1 otherwise.
 */
const h = require('../test/harness');
const zw = require('../test/harness/zoho-workflows');
const { startZohoSandbox, seedDemo } = require('../test/zoho-sandbox');

const ROWS_SHOWN = 5;
const CREDENTIAL = { id: 'demoZohoCred', name: 'Zoho CRM sandbox' };

/** @param {string} text */
const say = (text) => process.stdout.write(`${text}\n`);

/** @returns {1 | 2} */
function demoLine() {
	const raw = process.env.DEMO_N8N_LINE || '1';
	if (raw !== '1' && raw !== '2') throw new DemoError(`DEMO_N8N_LINE must be 1 or 2, got "${raw}"`);
	return raw === '1' ? 1 : 2;
}

class DemoError extends Error {}

/**
 * @param {number} n @param {string} one @param {string} [many]
 */
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * A readable name for a sandbox record.
 * @param {import('../test/zoho-sandbox').ZohoSandbox} sb
 * @param {import('../test/zoho-sandbox').ZohoModule} module @param {string} id
 */
function recordName(sb, module, id) {
	const r = sb.getRecord(module, id);
	if (!r) return '';
	for (const key of ['Campaign_Name', 'Product_Name', 'Price_Book_Name', 'Full_Name'])
		if (typeof r[key] === 'string' && r[key]) return /** @type {string} */ (r[key]);
	return [r.First_Name, r.Last_Name].filter(Boolean).join(' ');
}

/**
 * A plain-text table: columns padded to their widest cell.
 * @param {string[]} header @param {string[][]} rows
 */
function table(header, rows) {
	const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
	/** @param {string[]} cells */
	const line = (cells) =>
		`  ${cells.map((cell, c) => cell.padEnd(widths[c])).join('  ')}`.trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * Runs one imported workflow and describes what happened.
 * @param {h.Ctx} ctx @param {import('../test/zoho-sandbox').ZohoSandbox} sb
 * @param {zw.Workflow} wf
 */
async function runWorkflow(ctx, sb, wf) {
	const from = sb.requests.length;
	const refreshesBefore = sb.stats.tokenRefreshes;
	const started = Date.now();
	const result = await h.executeWorkflow(ctx, wf.id);
	const seconds = (Date.now() - started) / 1000;
	if (!result.ok) {
		const why =
			result.error?.message ?? (result.timedOut ? 'timed out' : `exit code ${result.exitCode}`);
		throw new DemoError(
			`n8n could not run "${wf.name}": ${why}\n${result.stdout.split('\n').slice(-25).join('\n')}`,
		);
	}
	const items = h.nodeItems(result.output, zw.zohoNodeName(wf)).map((i) => i.json);
	const requests = sb.requests.slice(from);
	const api = requests.filter((r) => r.kind === 'api');
	const accepted = api.filter((r) => r.status !== 401);
	return {
		items,
		seconds,
		/** calls Zoho accepted (those refused with the expired token are not counted) */
		apiCalls: accepted.length,
		deleteCalls: accepted.filter((r) => r.method === 'DELETE').length,
		/** reads of the links' data before the delete (Keep Relation Data) */
		readCalls: accepted.filter((r) => r.method === 'GET').length,
		refusedCalls: api.filter((r) => r.status === 401).length,
		tokenRefreshes: sb.stats.tokenRefreshes - refreshesBefore,
	};
}

/**
 * Prints the first rows of a run's items, then its summary line; returns the summary counts.
 * @param {import('../test/zoho-sandbox').ZohoSandbox} sb
 * @param {{ title: string, relatedModule: import('../test/zoho-sandbox').ZohoModule, run: Awaited<ReturnType<typeof runWorkflow>> }} o
 */
function report(sb, { title, relatedModule, run }) {
	const shown = run.items.slice(0, ROWS_SHOWN);
	const rows = shown.map((item, i) => [
		String(i + 1),
		String(item.relatedRecordId),
		recordName(sb, relatedModule, String(item.relatedRecordId)),
		String(item.status),
		String(item.code),
		String(item.message),
	]);
	say(table(['#', 'related record id', 'name', 'status', 'code', 'message'], rows));
	if (run.items.length > shown.length) say(`  … ${run.items.length - shown.length} more`);
	const ok = run.items.filter((i) => i.status === 'success').length;
	const failed = run.items.filter((i) => i.status !== 'success');
	/** @type {Map<string, number>} */
	const reasons = new Map();
	for (const f of failed) reasons.set(String(f.message), (reasons.get(String(f.message)) ?? 0) + 1);
	const why = failed.length
		? ` (${[...reasons].map(([m, n]) => (reasons.size > 1 ? `${n} × ${m}` : m)).join(', ')})`
		: '';
	const calls = run.readCalls
		? `${plural(run.apiCalls, 'API call')} (${plural(run.readCalls, 'read')} of the links' data, kept on each item as \`relation\`; ${plural(run.deleteCalls, 'delete')})`
		: plural(run.apiCalls, 'API call');
	say(
		`${title}: ${plural(run.items.length, 'id')} → ${calls}, ` +
			`${ok} delinked, ${failed.length} failed${why}`,
	);
	return { ok, failed: failed.length };
}

async function main() {
	const line = demoLine();
	const started = Date.now();
	say(
		`Zoho CRM Related Records demo: real n8n ${line}.x + a local Zoho CRM sandbox (no Zoho account needed)`,
	);
	const install = h.n8nInstalled(line);
	if (!install.installed)
		say(
			`First run: downloading n8n ${install.version}${line === 2 ? ' and Node 24' : ''} into ${h.CACHE_DIR} (a few minutes, once; later runs take seconds)…`,
		);
	const n8n = await h.ensureN8n(line);
	say(
		`n8n ${n8n.version} on Node ${n8n.nodeVersion}: installing this package from its npm tarball…`,
	);
	const tarball = await h.packPackage();
	const ctx = await h.createUserFolder({ line, tarball });

	const sb = await startZohoSandbox({ host: '127.0.0.1' });
	try {
		const seed = seedDemo(sb);
		const campaignName = recordName(sb, 'Campaigns', seed.campaignId);
		const productName = recordName(sb, 'Products', seed.productId);
		await h.importCredentials(ctx, [zw.sandboxCredential(sb, { ...CREDENTIAL, expired: true })]);
		const campaignWf = zw.campaignExample({
			id: 'demoCampaign',
			campaignId: seed.campaignId,
			contactIds: seed.contactIds,
			credential: CREDENTIAL,
		});
		const priceBookWf = zw.priceBookExample({
			id: 'demoPriceBooks',
			productId: seed.productId,
			priceBookIds: [...seed.priceBookIds, seed.unlinkedPriceBookId],
			credential: CREDENTIAL,
		});
		await h.importWorkflow(ctx, [campaignWf, priceBookWf]);
		say(
			`Sandbox ${sb.url}: campaign "${campaignName}" linked to ${seed.contactIds.length} contacts; ` +
				`product "${productName}" in ${seed.priceBookIds.length} price books. The credential's access token has expired.`,
		);

		say('');
		say(
			`▶ examples/${zw.CAMPAIGN_EXAMPLE}: delink all ${seed.contactIds.length} contacts from the campaign`,
		);
		const campaignRun = await runWorkflow(ctx, sb, campaignWf);
		const campaign = report(sb, {
			title: `Campaign "${campaignName}"`,
			relatedModule: 'Contacts',
			run: campaignRun,
		});

		say('');
		say(
			`▶ examples/${zw.PRICE_BOOK_EXAMPLE}: delink ${seed.priceBookIds.length + 1} price books from the product (one of them is not linked)`,
		);
		const productRun = await runWorkflow(ctx, sb, priceBookWf);
		const product = report(sb, {
			title: `Product "${productName}"`,
			relatedModule: 'Price_Books',
			run: productRun,
		});

		say('');
		const refreshes = sb.stats.tokenRefreshes;
		say(
			`Token refreshes: ${refreshes} (the expired access token was refused ${plural(campaignRun.refusedCalls + productRun.refusedCalls, 'time')}; ` +
				`one call renewed it through the sandbox token endpoint, n8n saved the new token, and the refused calls were sent again with it)`,
		);
		const left = sb.linkedIds('Campaigns', seed.campaignId, 'Contacts').length;
		const leftBooks = sb.linkedIds('Products', seed.productId, 'Price_Books').length;
		say(
			`Sandbox afterwards: campaign linked to ${plural(left, 'contact')}, product in ${plural(leftBooks, 'price book')}; ` +
				`records deleted: ${sb.stats.recordsDeleted}. n8n runs took ${campaignRun.seconds.toFixed(1)} s and ${productRun.seconds.toFixed(1)} s; ` +
				`${((Date.now() - started) / 1000).toFixed(0)} s in all.`,
		);

		/** @type {string[]} */
		const wrong = [];
		if (campaign.ok !== seed.contactIds.length || campaign.failed !== 0 || left !== 0)
			wrong.push(
				`campaign: ${campaign.ok} delinked, ${campaign.failed} failed, ${left} still linked`,
			);
		if (product.ok !== seed.priceBookIds.length || product.failed !== 1 || leftBooks !== 0)
			wrong.push(
				`product: ${product.ok} delinked, ${product.failed} failed, ${leftBooks} still linked`,
			);
		if (refreshes !== 1) wrong.push(`${refreshes} token refreshes instead of 1`);
		if (sb.stats.recordsDeleted !== 0) wrong.push(`${sb.stats.recordsDeleted} records deleted`);
		if (wrong.length) throw new DemoError(`unexpected results: ${wrong.join('; ')}`);
	} finally {
		await sb.close();
		await h.cleanupAll();
	}
}

main().then(
	() => process.exit(0),
	async (error) => {
		await h.cleanupAll().catch(() => undefined);
		const message = error instanceof DemoError ? error.message : (error?.stack ?? String(error));
		process.stderr.write(`\ndemo failed: ${message}\n`);
		process.exit(1);
	},
);

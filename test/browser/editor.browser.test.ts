/**
 * The packed package in a real n8n, seen through the editor UI (Chromium, playwright-core):
 * the node creator finds the node and its Delink action, the Module / Related List
 * dropdowns offer exactly what relations.ts says, the credential form offers the data
 * centres and environments of dataCenters.ts and shows the OAuth redirect URL, Record ID ›
 * From List lists the records of an in-process Zoho sandbox (through a credential imported
 * before `n8n start`) and picking one sets its id, and the package's icon loads from n8n
 * itself.
 *
 * n8n line 2 by default; BROWSER_LINES=1,2 for both. Screenshots of line 2 go to docs/
 * (BROWSER_DOCS_SCREENSHOTS=0: to test-results/browser/ instead); failures leave a
 * screenshot and the DOM in test-results/browser/line-<n>/.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

import * as h from '../harness';
import type { Ctx, Line, N8nServer } from '../harness';
import * as zw from '../harness/zoho-workflows';
import { startZohoSandbox, type ZohoSandbox } from '../zoho-sandbox';
import {
	ZOHO_DATA_CENTERS,
	ZOHO_ENVIRONMENTS,
} from '../../nodes/ZohoCrmRelatedRecords/zoho/dataCenters';
import {
	moduleDisplayName,
	relatedListsOf,
	relationFieldsOf,
	supportedModules,
} from '../../nodes/ZohoCrmRelatedRecords/relations';
import {
	browserLines,
	Editor,
	ICON_PATH_PREFIX,
	launchChromium,
	openEditorContext,
	REPO_DIR,
	waitUntil,
	withTimeout,
	type NetRecord,
} from './editor';

const NODE_NAME = 'Zoho CRM Related Records';
const ACTION_NAME = 'Delink related records';
const CREDENTIAL_TYPE_NAME = 'Zoho CRM OAuth2 API';
/** Imported before `n8n start`, connected to the in-process Zoho sandbox. */
const SANDBOX_CREDENTIAL = { id: 'zohoBrowserCred', name: 'Zoho CRM sandbox' };
/** The sandbox's campaigns (its only ones): Record ID › From List must show them by name. */
const CAMPAIGN_NAMES = ['Spring Launch 2026', 'Autumn Sale', 'Winter Webinar'];
/** Line whose screenshots are the ones in docs/. */
const DOCS_LINE: Line = 2;
const DOCS_DIR = path.join(REPO_DIR, 'docs');
const RESULTS_DIR = path.join(REPO_DIR, 'test-results', 'browser');
const docsScreenshots = process.env.BROWSER_DOCS_SCREENSHOTS !== '0';

const lines = browserLines();
if (!lines.length)
	throw new Error(`BROWSER_LINES="${process.env.BROWSER_LINES}": expected 1, 2 or 1,2`);
const timings: string[] = [];
let browser: Browser | undefined;
let tarball: string;

beforeAll(async () => {
	const t0 = Date.now();
	const launching = launchChromium().then((b) => (browser = b)); // kept even if packing fails
	[, tarball] = await Promise.all([launching, h.packPackage()]);
	timings.push(`pack + Chromium: ${Date.now() - t0} ms`);
}, 180_000);

afterAll(async () => {
	if (browser) await withTimeout(browser.close(), 20_000, 'browser.close').catch(() => undefined);
	await h.cleanupAll();
	if (timings.length) process.stderr.write(`[browser] timings\n  ${timings.join('\n  ')}\n`);
}, 60_000);

const sameSet = (a: readonly string[]) => [...a].sort();

describe.each(lines)('n8n line %i: the node in the editor UI', (line) => {
	let ctx: Ctx | undefined;
	let srv: N8nServer | undefined;
	let context: BrowserContext | undefined;
	let page: Page;
	let net: NetRecord;
	let editor: Editor;
	let sb: ZohoSandbox | undefined;
	let campaignIds: string[] = [];
	const debugDir = path.join(RESULTS_DIR, `line-${line}`);
	const shotPath = (name: string) =>
		line === DOCS_LINE && docsScreenshots
			? path.join(DOCS_DIR, `${name}.png`)
			: path.join(debugDir, `${name}.png`);

	/** Runs a test body; on failure keeps a screenshot and the DOM for CI. */
	const step = async (name: string, fn: () => Promise<void>) => {
		try {
			await fn();
		} catch (e) {
			if (editor) await editor.saveDebug(debugDir, `FAILED-${name}`).catch(() => undefined);
			throw e;
		}
	};

	beforeAll(async () => {
		if (!browser) throw new Error('Chromium did not start');
		fs.rmSync(debugDir, { recursive: true, force: true }); // no stale failure artifacts
		let t = Date.now();
		ctx = await h.createUserFolder({ line, tarball });
		timings.push(`line ${line}: user folder + install: ${Date.now() - t} ms`);
		// a Zoho sandbox for the pickers, and a credential connected to it (valid tokens,
		// data centre Custom, accounts server and api_domain = the sandbox)
		sb = await startZohoSandbox({ host: '127.0.0.1' });
		campaignIds = CAMPAIGN_NAMES.map((name) => sb!.addRecord('Campaigns', { Campaign_Name: name }));
		await h.importCredentials(ctx, [zw.sandboxCredential(sb, SANDBOX_CREDENTIAL)]);
		t = Date.now();
		srv = await h.startN8n(ctx);
		const session = await h.setupOwner(srv.url);
		timings.push(`line ${line}: n8n start + owner: ${Date.now() - t} ms`);
		({ context, page, net } = await openEditorContext(browser, srv.url, session.cookie));
		editor = new Editor(page, srv.url);
	}, 420_000);

	afterAll(async () => {
		if (context) await withTimeout(context.close(), 15_000, 'context.close').catch(() => undefined);
		if (srv) await srv.stop().catch(() => undefined);
		if (sb) await sb.close().catch(() => undefined);
		if (ctx) await ctx.cleanup().catch(() => undefined);
		if (net?.blocked.length)
			process.stderr.write(
				`[browser] line ${line}: blocked ${net.blocked.length} request(s) outside 127.0.0.1:\n  ${[
					...new Set(net.blocked.map((b) => `${b.resourceType} ${b.url}`)),
				].join('\n  ')}\n`,
			);
	}, 60_000);

	it('finds the node in the node creator and adds its Delink action', () =>
		step('add-node', async () => {
			const t = Date.now();
			await editor.openNewWorkflow();
			await page.getByTestId('canvas-add-button').click();
			await page.getByTestId('node-creator-search-bar').fill(NODE_NAME);
			const item = editor.creatorItem(NODE_NAME);
			await item.waitFor({ state: 'visible' });
			// the node's icon, served by n8n from the installed package, renders in the creator
			const creator = page.getByTestId('node-creator');
			await editor.expectPackageIconsLoaded(creator, 'the node creator');
			await item.click();
			await editor.creatorItem(ACTION_NAME).click();
			await editor.ndv.waitFor({ state: 'visible' });

			// the NDV is our node, on the Delink operation, with the icon in its header
			await expect(editor.selectedOption(editor.param('operation'))).resolves.toBe('Delink');
			await editor.expectPackageIconsLoaded(editor.ndv, 'the node details view');
			timings.push(`line ${line}: editor open + node added: ${Date.now() - t} ms`);
		}));

	it('offers exactly the modules of relations.ts, in order, in the Module dropdown', () =>
		step('modules', async () => {
			const expected = supportedModules().map(moduleDisplayName);
			expect(expected.length).toBeGreaterThan(0);
			const offered = await editor.readOptions(editor.param('module'));
			expect(offered).toEqual(expected);
		}));

	it('Module = Products: Related List offers exactly Products’ related lists', () =>
		step('products', async () => {
			const module = editor.param('module');
			const relatedList = editor.param('relatedList');
			await editor.choose(module, moduleDisplayName('Products'));

			const expected = relatedListsOf('Products').map(moduleDisplayName);
			expect(sameSet(expected)).toEqual(
				sameSet(['Leads', 'Accounts', 'Contacts', 'Deals', 'Price Books']),
			);
			// switching the module resets Related List to the new module's first list
			expect(await editor.selectedOption(relatedList)).toBe(expected[0]);
			const items = await editor.openSelect(relatedList);
			expect(await editor.optionNames(items)).toEqual(expected);
			await page.screenshot({
				path: shotPath('node-panel'),
				animations: 'disabled',
				caret: 'hide',
			});
			await editor.closeSelect(relatedList, items);
		}));

	it('Module = Campaigns: Related List offers exactly Leads and Contacts', () =>
		step('campaigns', async () => {
			const relatedList = editor.param('relatedList');
			await editor.choose(editor.param('module'), moduleDisplayName('Campaigns'));
			const expected = relatedListsOf('Campaigns').map(moduleDisplayName);
			expect(sameSet(expected)).toEqual(sameSet(['Leads', 'Contacts']));
			expect(await editor.selectedOption(relatedList)).toBe(expected[0]);
			expect(await editor.readOptions(relatedList)).toEqual(expected);
		}));

	it('Record ID › From List: the sandbox credential lists the campaigns by name; picking one sets its id', () =>
		step('record-list', async () => {
			// the imported credential is the node's credential (n8n picks the only one)
			await editor.ensureCredential(SANDBOX_CREDENTIAL.name);
			const module = editor.param('module');
			if ((await editor.selectedOption(module)) !== 'Campaigns')
				await editor.choose(module, moduleDisplayName('Campaigns'));

			const rl = editor.ndv.getByTestId('resource-locator-recordId');
			await rl.scrollIntoViewIfNeeded();
			// n8n shows its own label for the list mode ("From list" in 2.40)
			expect((await editor.rlMode(rl)).toLowerCase()).toBe('from list');
			const before = sb!.requests.length;
			const items = await editor.openRecordList(rl);
			const expected = CAMPAIGN_NAMES.map((name, i) => `${name} (${campaignIds[i]})`);
			await waitUntil('the campaigns in Record ID › From List', async () => {
				const names = (await items.allInnerTexts()).map((t) => t.trim());
				return sameSet(names).join('|') === sameSet(expected).join('|');
			});
			// n8n asked the sandbox (GET /crm/v2/Campaigns, by the credential's token)
			const listCalls = sb!.requests
				.slice(before)
				.filter((r) => r.kind === 'api' && r.path === '/crm/v2/Campaigns');
			expect(listCalls.length).toBeGreaterThanOrEqual(1);
			expect(
				listCalls.every((r) => r.status === 200 && /^Bearer \S+$/.test(r.authorization ?? '')),
			).toBe(true);

			// pick "Autumn Sale": the locator shows its name, and By ID shows its id
			const picked = 1;
			await items.filter({ hasText: CAMPAIGN_NAMES[picked] }).first().click();
			// the text box of the locator (data-test-id on the <input> itself, or on its wrapper)
			const input = rl
				.locator('input[data-test-id="rlc-input"], [data-test-id="rlc-input"] input')
				.first();
			await waitUntil('Record ID to show the picked campaign', async () =>
				(await input.inputValue()).includes(CAMPAIGN_NAMES[picked]),
			);
			await editor.chooseRlMode(rl, 'By ID');
			await waitUntil(
				`Record ID › By ID to hold ${campaignIds[picked]}`,
				async () => (await input.inputValue()).trim() === campaignIds[picked],
			);
		}));

	it('Link shows the fields that live on the link for the pairs that have them, and no others', () =>
		step('link-fields', async () => {
			const module = editor.param('module');
			const relatedList = editor.param('relatedList');
			await editor.choose(editor.param('operation'), 'Link');
			const visible = async (name: string) => (await editor.param(name).count()) > 0;
			// every pair of relations.ts, both directions: Member Status and List Price exactly where they live
			for (const m of supportedModules()) {
				await editor.choose(module, moduleDisplayName(m));
				for (const list of relatedListsOf(m)) {
					await editor.choose(relatedList, moduleDisplayName(list));
					const fields = relationFieldsOf(m, list).map((f) => f.param);
					await waitUntil(`the relation fields of ${m} → ${list}`, async () => {
						const shown = [];
						for (const name of ['memberStatus', 'listPrice'])
							if (await visible(name)) shown.push(name);
						return shown.join(',') === fields.join(',');
					});
				}
			}
			await editor.choose(module, moduleDisplayName('Campaigns'));
			await editor.choose(relatedList, moduleDisplayName('Contacts'));
			const memberStatus = editor.param('memberStatus');
			const offered = await editor.readOptions(memberStatus);
			expect(offered).toContain('Active');
			expect(offered).toContain('Don’t Set');
			await page.screenshot({
				path: shotPath('node-panel-link'),
				animations: 'disabled',
				caret: 'hide',
			});
			// Undo a Delink: Module, Related List and Record ID come from each input item
			await editor.choose(editor.param('linkFrom'), 'Undo a Delink (Its Output Items)');
			await waitUntil('Module to hide', async () => (await module.count()) === 0);
			expect(await editor.param('memberStatus').count()).toBe(0);
			await editor.choose(editor.param('linkFrom'), 'Enter IDs');
			await editor.choose(editor.param('operation'), 'Delink');
		}));

	it('credential form: Data Center and Environment choices, OAuth Redirect URL', () =>
		step('credential', async () => {
			const modal: Locator = await editor.openNewCredentialFromNdv();
			await expect(modal.getByText(CREDENTIAL_TYPE_NAME).first().isVisible()).resolves.toBe(true);

			// the OAuth Redirect URL n8n wants registered at Zoho
			const redirect = modal.getByTestId('copy-input');
			await redirect.scrollIntoViewIfNeeded();
			await expect(redirect.isVisible()).resolves.toBe(true);
			expect((await redirect.innerText()).trim()).toBe(
				`${editor.baseUrl}/rest/oauth2-credential/callback`,
			);
			await expect(modal.getByText('OAuth Redirect URL').first().isVisible()).resolves.toBe(true);

			const dataCenter = editor.param('dataCenter', modal);
			const dataCenters = [...ZOHO_DATA_CENTERS.map((dc) => dc.name), 'Custom (Enter URLs)'];
			expect(await editor.selectedOption(dataCenter)).toBe(ZOHO_DATA_CENTERS[0].name);
			expect(await editor.readOptions(dataCenter)).toEqual(dataCenters);

			const environment = editor.param('environment', modal);
			const environments = ['Production', 'Sandbox', 'Developer'];
			expect(ZOHO_ENVIRONMENTS.map((e) => e.name)).toEqual(environments);
			expect(await editor.selectedOption(environment)).toBe('Production');
			expect(await editor.readOptions(environment)).toEqual(environments);

			// the credential's icon (icons/zohoCrm.svg through the credential) in the modal header
			await editor.expectPackageIconsLoaded(modal, 'the credential form');

			// screenshots of the whole form (the dialog lifted to its full height)
			const restore = await editor.unclipModal(modal);
			try {
				await editor.calm();
				await modal.screenshot({
					path: shotPath('credential-form'),
					animations: 'disabled',
					caret: 'hide',
				});
				const items = await editor.openSelect(dataCenter);
				const restoreList = await editor.unclip(
					items.first().locator('xpath=ancestor::div[contains(@class,"el-select-dropdown")][1]'),
				);
				try {
					await page.mouse.move(0, 0);
					await editor.screenshotAround([modal, items.last()], shotPath('credential-data-centers'));
				} finally {
					await restoreList();
				}
				await editor.closeSelect(dataCenter, items);
			} finally {
				await restore();
			}
		}));

	it('loaded every icon of the package from n8n (no 404) and nothing from outside 127.0.0.1', () =>
		step('network', async () => {
			expect(net.icons.length).toBeGreaterThan(0);
			expect(net.icons.filter((i) => i.status !== 200 && i.status !== 304)).toEqual([]);
			expect(net.icons.every((i) => new URL(i.url).pathname.startsWith(ICON_PATH_PREFIX))).toBe(
				true,
			);
			// page assets (scripts, styles, fonts, images) all come from n8n itself; what the
			// editor tries to fetch elsewhere (e.g. npm download counts for community nodes) is
			// blocked and listed after the run
			const blockedAssets = net.blocked.filter((b) =>
				['document', 'script', 'stylesheet', 'font', 'image'].includes(b.resourceType),
			);
			expect(blockedAssets).toEqual([]);
			expect(net.httpErrors.filter((e) => e.url.includes(ICON_PATH_PREFIX))).toEqual([]);
		}));
});

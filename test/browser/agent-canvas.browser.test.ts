/**
 * examples/manage-campaign-membership-with-an-ai-agent.json in the real n8n editor (Chromium):
 * imported with `n8n import:workflow` as a user imports it (its credentials resolved by name),
 * the canvas shows the AI Agent with its OpenAI Chat Model and the three Zoho tools; opening a
 * tool shows its own default description (Check Removal: the Dry Run one). On the docs line the
 * canvas is saved as docs/agent-canvas.png (README › Use it from an AI agent or an MCP client).
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import * as h from '../harness';
import type { Ctx, N8nServer } from '../harness';
import * as zw from '../harness/zoho-workflows';
import { TOOL_DESCRIPTIONS } from '../../nodes/ZohoCrmRelatedRecords/fields/toolOptions';
import { startZohoSandbox, type ZohoSandbox } from '../zoho-sandbox';
import {
	browserLines,
	Editor,
	launchChromium,
	openEditorContext,
	REPO_DIR,
	withTimeout,
} from './editor';

const EXAMPLE = 'manage-campaign-membership-with-an-ai-agent.json';
const WORKFLOW_ID = 'agentCanvas';
const TOOLS = ['Get Campaign Members', 'Check Removal', 'Remove From Campaign'];
const docsShots = process.env.BROWSER_DOCS_SCREENSHOTS !== '0';

/** Waits until the canvas stops moving (zoom to fit animates): its transform is the same twice. */
async function stillCanvas(page: Page) {
	const transform = () =>
		page.evaluate(() => {
			const el = (globalThis as any).document.querySelector('.vue-flow__viewport');
			return el ? String(el.style.transform) : '';
		});
	let last = await transform();
	for (let i = 0; i < 100; i++) {
		await page.evaluate(
			() => new Promise((resolve) => (globalThis as any).requestAnimationFrame(resolve)),
		);
		const now = await transform();
		if (now === last && now !== '') return;
		last = now;
	}
}

describe.each(browserLines())('n8n line %i: the AI agent example on the canvas', (line) => {
	let browser: Browser | undefined;
	let ctx: Ctx | undefined;
	let srv: N8nServer | undefined;
	let sb: ZohoSandbox | undefined;
	let context: BrowserContext | undefined;
	let page: Page;
	let editor: Editor;
	const shot =
		line === 2 && docsShots
			? path.join(REPO_DIR, 'docs', 'agent-canvas.png')
			: path.join(REPO_DIR, 'test-results', 'browser', `line-${line}`, 'agent-canvas.png');

	beforeAll(async () => {
		browser = await launchChromium();
		ctx = await h.createUserFolder({ line, tarball: await h.packPackage() });
		sb = await startZohoSandbox({ host: '127.0.0.1' });
		await h.importCredentials(ctx, [
			zw.sandboxCredential(sb, { id: 'zohoCanvasCred', name: zw.EXAMPLE_CREDENTIAL_NAME }),
			{
				id: 'openAiCanvasCred',
				name: 'OpenAi account',
				type: 'openAiApi',
				// never called: the canvas only shows the workflow
				data: { apiKey: 'sk-browser-unused', url: 'http://127.0.0.1:9/v1' },
			},
		]);
		const wf = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'examples', EXAMPLE), 'utf8'));
		await h.importWorkflow(ctx, { ...wf, id: WORKFLOW_ID });
		srv = await h.startN8n(ctx);
		const session = await h.setupOwner(srv.url);
		({ context, page } = await openEditorContext(browser, srv.url, session.cookie));
		editor = new Editor(page, srv.url);
	}, 420_000);

	afterAll(async () => {
		if (context) await withTimeout(context.close(), 15_000, 'context.close').catch(() => undefined);
		if (browser) await withTimeout(browser.close(), 20_000, 'browser.close').catch(() => undefined);
		await srv?.stop().catch(() => undefined);
		await sb?.close().catch(() => undefined);
		await ctx?.cleanup().catch(() => undefined);
	}, 60_000);

	it('shows the agent, its model and the three Zoho tools; saves the canvas', async () => {
		await page.goto(`${srv!.url}/workflow/${WORKFLOW_ID}`, { waitUntil: 'domcontentloaded' });
		const nodes = page.getByTestId('canvas-node');
		await nodes
			.filter({ hasText: 'Remove From Campaign' })
			.waitFor({ state: 'visible', timeout: 60_000 });
		await editor.dismissOverlays();
		const names = await nodes.allInnerTexts();
		for (const name of [...TOOLS, 'Campaign membership agent', 'OpenAI Chat Model'])
			expect(names.some((text) => text.includes(name))).toBe(true);
		// room below the tools for n8n's floating Execute button, zoom to fit, then a still canvas
		await page.setViewportSize({ width: 1440, height: 1080 });
		await page.getByTestId('zoom-to-fit').click();
		await editor.calm();
		await stillCanvas(page);
		fs.mkdirSync(path.dirname(shot), { recursive: true });
		await page.screenshot({ path: shot, animations: 'disabled', caret: 'hide' });
	}, 120_000);

	it('opening Check Removal shows the Dry Run tool description by default', async () => {
		await page.getByTestId('canvas-node').filter({ hasText: 'Check Removal' }).dblclick();
		await editor.ndv.waitFor({ state: 'visible' });
		const description = editor.param('toolDescription').locator('textarea');
		await expect(description.inputValue()).resolves.toBe(TOOL_DESCRIPTIONS.dryRun);
		await page.keyboard.press('Escape');
	}, 120_000);
});

/**
 * Chromium + n8n editor helpers for the browser tests (playwright-core, no test runner of
 * its own). Wraps the real-n8n harness (test/harness/) and knows the
 * `data-test-id`s of the n8n editor, 1.123 and 2.40 alike:
 *
 *   canvas-add-button, node-creator-search-bar, node-creator-item-name, ndv,
 *   parameter-input-<name> (an Element Plus select: its <input aria-controls> names the
 *   listbox whose <li data-test-id="parameter-input-item"> are the options),
 *   node-credentials-empty-state (2.x) / node-credentials-select +
 *   node-credentials-select-item-new (1.x), editCredential-modal, copy-input.
 *
 * Everything the page requests that is not on 127.0.0.1 is aborted (and recorded).
 */
import fs from 'node:fs';
import path from 'node:path';

import {
	chromium,
	selectors,
	type Browser,
	type BrowserContext,
	type Locator,
	type Page,
} from 'playwright-core';

import type { Line } from '../harness';

export const REPO_DIR = path.resolve(__dirname, '..', '..');
export const PACKAGE_NAME: string = JSON.parse(
	fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8'),
).name;
/** Where n8n serves a community package's icon files: /icons/<package>/dist/icons/… */
export const ICON_PATH_PREFIX = `/icons/${PACKAGE_NAME}/`;

export const CHROMIUM_PATH = process.env.BROWSER_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
export const VIEWPORT = { width: 1440, height: 900 };

/** n8n lines to drive: BROWSER_LINES="1,2" (default "2"). */
export function browserLines(): Line[] {
	const raw = process.env.BROWSER_LINES || '2';
	const lines = raw
		.split(',')
		.map((s) => Number(s.trim()))
		.filter((n): n is Line => n === 1 || n === 2);
	return [...new Set(lines)];
}

export async function launchChromium(): Promise<Browser> {
	if (!fs.existsSync(CHROMIUM_PATH))
		throw new Error(
			`Chromium not found at ${CHROMIUM_PATH}. Install Debian's: apt-get update && apt-get install -y chromium (or set BROWSER_CHROMIUM)`,
		);
	selectors.setTestIdAttribute('data-test-id');
	return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface NetRecord {
	/** Requests aborted because they were not for 127.0.0.1. */
	blocked: Array<{ url: string; resourceType: string }>;
	/** Responses of this package's icon files. */
	icons: Array<{ url: string; status: number }>;
	/** Responses >= 400 from n8n itself. */
	httpErrors: Array<{ url: string; status: number }>;
	/** console.error messages of the page. */
	consoleErrors: string[];
}

/**
 * A browser context logged in with the n8n auth cookie (`n8n-auth=…`), allowed to reach
 * 127.0.0.1 only.
 */
export async function openEditorContext(
	browser: Browser,
	baseUrl: string,
	cookie: string,
): Promise<{ context: BrowserContext; page: Page; net: NetRecord }> {
	const net: NetRecord = { blocked: [], icons: [], httpErrors: [], consoleErrors: [] };
	const context = await browser.newContext({
		viewport: VIEWPORT,
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	context.setDefaultTimeout(30_000);
	await context.route('**/*', async (route) => {
		const request = route.request();
		let host = '';
		try {
			host = new URL(request.url()).hostname;
		} catch {
			/* not a URL we know: block */
		}
		if (host === '127.0.0.1') return route.continue();
		net.blocked.push({ url: request.url(), resourceType: request.resourceType() });
		return route.abort('blockedbyclient');
	});
	context.on('response', (response) => {
		const url = response.url();
		if (url.includes(ICON_PATH_PREFIX)) net.icons.push({ url, status: response.status() });
		if (response.status() >= 400) net.httpErrors.push({ url, status: response.status() });
	});
	const eq = cookie.indexOf('=');
	await context.addCookies([
		{ name: cookie.slice(0, eq), value: cookie.slice(eq + 1), url: baseUrl },
	]);
	const page = await context.newPage();
	page.on('console', (msg) => {
		if (msg.type() === 'error') net.consoleErrors.push(msg.text());
	});
	return { context, page, net };
}

/** Polls `fn` until it returns a truthy value (returned) or the time is up (throws). */
export async function waitUntil<T>(
	what: string,
	fn: () => Promise<T>,
	timeoutMs = 15_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const value = await fn();
			if (value) return value;
			last = value;
		} catch (e) {
			last = e;
		}
		if (Date.now() > deadline)
			throw new Error(
				`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`,
			);
		await new Promise((r) => setTimeout(r, 200));
	}
}

export class Editor {
	constructor(
		readonly page: Page,
		readonly baseUrl: string,
	) {}

	get ndv(): Locator {
		return this.page.getByTestId('ndv');
	}

	/** Opens a new, empty workflow and waits for the canvas. */
	async openNewWorkflow(): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/new`, { waitUntil: 'domcontentloaded' });
		if (/\/signin/.test(this.page.url()))
			throw new Error(`not logged in: the editor redirected to ${this.page.url()}`);
		await this.page.getByTestId('canvas-add-button').waitFor({ state: 'visible', timeout: 60_000 });
		await this.dismissOverlays();
	}

	/**
	 * Closes first-run dialogs (what's new, surveys, onboarding) if any is showing. The
	 * harness turns most of them off; this is the safety net.
	 */
	async dismissOverlays(): Promise<void> {
		for (let i = 0; i < 5; i++) {
			const dialog = this.page.locator('.el-overlay:visible .el-dialog:visible').first();
			if (!(await dialog.count())) return;
			const close = dialog.locator('.el-dialog__headerbtn, [data-test-id$="close-button"]').first();
			if (await close.count()) await close.click();
			else await this.page.keyboard.press('Escape');
			await dialog.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
		}
	}

	/**
	 * Node creator: "+" on the empty canvas, search, pick the node, pick the action. Returns
	 * once the node details view (NDV) is open.
	 */
	async addNodeAction(nodeName: string, actionName: string): Promise<void> {
		await this.page.getByTestId('canvas-add-button').click();
		const search = this.page.getByTestId('node-creator-search-bar');
		await search.fill(nodeName);
		await this.creatorItem(nodeName).click();
		await this.creatorItem(actionName).click();
		await this.ndv.waitFor({ state: 'visible' });
	}

	creatorItem(name: string): Locator {
		return this.page
			.getByTestId('node-creator')
			.getByTestId('node-creator-item-name')
			.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(name)}\\s*$`) });
	}

	/** The select of parameter `name` (e.g. "module"), inside `scope` (NDV by default). */
	param(name: string, scope: Locator = this.ndv): Locator {
		return scope.getByTestId(`parameter-input-${name}`);
	}

	/** The text shown in a select (its current option's name). */
	async selectedOption(select: Locator): Promise<string> {
		return (await select.locator('input').first().inputValue()).trim();
	}

	/** Opens a select; returns its option <li>s (the listbox its input aria-controls). */
	async openSelect(select: Locator): Promise<Locator> {
		const input = select.locator('input[aria-controls]').first();
		await select.scrollIntoViewIfNeeded();
		await select.click();
		const listId = await input.getAttribute('aria-controls');
		if (!listId) throw new Error('select has no aria-controls: not an Element Plus select?');
		const items = this.page.locator(`[id="${listId}"]`).getByTestId('parameter-input-item');
		await items.first().waitFor({ state: 'visible' });
		return items;
	}

	async closeSelect(select: Locator, items: Locator): Promise<void> {
		if (!(await items.first().isVisible())) return;
		await select.locator('input').first().click(); // toggles the dropdown shut
		await items.first().waitFor({ state: 'hidden', timeout: 5_000 });
	}

	/** The names (first line of each option; the description is below it) in an open select. */
	async optionNames(items: Locator): Promise<string[]> {
		const texts = await items.allInnerTexts();
		return texts.map((t) => t.split('\n')[0].trim());
	}

	/** Opens a select, reads its option names, closes it. */
	async readOptions(select: Locator): Promise<string[]> {
		const items = await this.openSelect(select);
		const names = await this.optionNames(items);
		await this.closeSelect(select, items);
		return names;
	}

	/** Picks option `name` of a select and waits until the select shows it. */
	async choose(select: Locator, name: string): Promise<void> {
		const items = await this.openSelect(select);
		const names = await this.optionNames(items);
		const index = names.indexOf(name);
		if (index < 0) throw new Error(`option "${name}" not offered; options: ${names.join(', ')}`);
		await items.nth(index).click();
		await items.first().waitFor({ state: 'hidden', timeout: 5_000 });
		await waitUntil(`the select to show "${name}"`, async () =>
			(await this.selectedOption(select)) === name ? true : false,
		);
	}

	/**
	 * Opens the "create new credential" form from the NDV's credential slot: 2.x shows a
	 * "Connect to …" button when none exists, 1.x a select with "Create new credential".
	 */
	async openNewCredentialFromNdv(): Promise<Locator> {
		const empty = this.ndv.getByTestId('node-credentials-empty-state');
		const select = this.ndv.getByTestId('node-credentials-select');
		await empty.or(select).first().waitFor({ state: 'visible' });
		if (await empty.isVisible()) {
			await empty.getByRole('button').first().click();
		} else {
			await select.click();
			await this.page.getByTestId('node-credentials-select-item-new').click();
		}
		const modal = this.page.getByTestId('editCredential-modal');
		await modal.waitFor({ state: 'visible' });
		return modal;
	}

	/** Makes the NDV's credential select show `name` (selects it if another is chosen). */
	async ensureCredential(name: string): Promise<void> {
		const select = this.ndv.getByTestId('node-credentials-select');
		await select.waitFor({ state: 'visible' });
		const input = select.locator('input').first();
		if ((await input.inputValue()).trim() === name) return;
		await select.click();
		await this.page
			.locator('.el-select-dropdown__item:visible')
			.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(name)}\\s*$`) })
			.first()
			.click();
		await waitUntil(
			`the credential select to show "${name}"`,
			async () => (await input.inputValue()).trim() === name,
		);
	}

	/** The mode a resource locator shows (n8n's labels: "From list", "By ID", "By URL"). */
	async rlMode(rl: Locator): Promise<string> {
		return (await rl.getByTestId('rlc-mode-selector').locator('input').first().inputValue()).trim();
	}

	async chooseRlMode(rl: Locator, mode: string): Promise<void> {
		await rl.getByTestId('rlc-mode-selector').click();
		await this.page
			.locator('.el-select-dropdown__item:visible')
			.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(mode)}\\s*$`, 'i') })
			.first()
			.click();
		await waitUntil(
			`the resource locator mode "${mode}"`,
			async () => (await this.rlMode(rl)).toLowerCase() === mode.toLowerCase(),
		);
	}

	/** Opens a resource locator's list ("From List"); returns its result items. */
	async openRecordList(rl: Locator): Promise<Locator> {
		await rl.getByTestId('rlc-input').click();
		// the list is teleported to <body> (no test id on its container): its items
		const items = this.page.getByTestId('rlc-item').filter({ visible: true });
		await items.first().waitFor({ state: 'visible' });
		return items;
	}

	/**
	 * Every <img> of this package inside `scope` (src …/icons/<package>/…), with whether it
	 * has finished loading and its natural size.
	 */
	async packageIcons(
		scope: Locator,
	): Promise<Array<{ src: string; complete: boolean; naturalWidth: number }>> {
		return scope.locator(`img[src*="${ICON_PATH_PREFIX}"]`).evaluateAll((imgs: any[]) =>
			imgs.map((img) => ({
				src: String(img.getAttribute('src')),
				complete: Boolean(img.complete),
				naturalWidth: Number(img.naturalWidth),
			})),
		);
	}

	/** Waits until `scope` shows at least one of this package's icons and all have loaded. */
	async expectPackageIconsLoaded(scope: Locator, where: string): Promise<string[]> {
		const icons = await waitUntil(`the package icon to load in ${where}`, async () => {
			const list = await this.packageIcons(scope);
			return list.length > 0 && list.every((i) => i.complete && i.naturalWidth > 0)
				? list
				: undefined;
		});
		return (icons ?? []).map((i) => i.src);
	}

	/**
	 * For screenshots only: lets `root` and everything in it grow to its content (fixed
	 * heights, max-heights and scroll boxes lifted; the content itself is unchanged).
	 * Returns a function that puts the styles back.
	 */
	async unclip(root: Locator): Promise<() => Promise<void>> {
		const key = `__unclipped_${++this.unclipCount}`;
		await root.evaluate((el0: any, k: string) => {
			const g: any = globalThis;
			const touched: any[] = [];
			for (const el of [el0, ...el0.querySelectorAll('*')]) {
				const cs = g.getComputedStyle(el);
				const scrolls = ['auto', 'scroll', 'hidden'].includes(cs.overflowY);
				if (el === el0 || scrolls || cs.maxHeight !== 'none') {
					touched.push([el, el.getAttribute('style')]);
					el.style.setProperty('max-height', 'none', 'important');
					if (scrolls) el.style.setProperty('overflow', 'visible', 'important');
					if (el === el0 || scrolls) el.style.setProperty('height', 'auto', 'important');
				}
			}
			g[k] = touched;
		}, key);
		return async () => {
			await this.page.evaluate((k: string) => {
				const g: any = globalThis;
				for (const [el, style] of g[k] ?? []) {
					if (style === null) el.removeAttribute('style');
					else el.setAttribute('style', style);
				}
				delete g[k];
			}, key);
		};
	}

	private unclipCount = 0;

	/**
	 * For a screenshot of the whole credential form: the dialog grows to its full height,
	 * in a viewport tall enough to hold it. Returns a function that undoes both.
	 */
	async unclipModal(modal: Locator): Promise<() => Promise<void>> {
		const before = this.page.viewportSize() ?? VIEWPORT;
		const restoreStyles = await this.unclip(modal);
		const box = await modal.boundingBox();
		const height = Math.ceil(box?.height ?? before.height);
		await this.page.setViewportSize({
			width: before.width,
			height: Math.max(before.height, height + 400),
		});
		return async () => {
			await restoreStyles();
			await this.page.setViewportSize(before);
		};
	}

	/** No hover effects, no focus ring, no caret: for screenshots. */
	async calm(): Promise<void> {
		await this.page.mouse.move(0, 0);
		await this.page.evaluate(() => (globalThis as any).document.activeElement?.blur?.());
	}

	/** A page screenshot clipped to the box around `locators` (e.g. a modal and its open dropdown). */
	async screenshotAround(locators: Locator[], file: string, margin = 8): Promise<void> {
		const boxes = [];
		for (const l of locators) {
			const b = await l.boundingBox();
			if (b) boxes.push(b);
		}
		if (!boxes.length) throw new Error(`screenshotAround(${file}): nothing visible`);
		const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
		const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
		const right = Math.max(...boxes.map((b) => b.x + b.width)) + margin;
		const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + margin;
		await this.page.screenshot({
			path: file,
			clip: { x, y, width: right - x, height: bottom - y },
			animations: 'disabled',
			caret: 'hide',
		});
	}

	/** Saves a screenshot and the DOM (for failures). */
	async saveDebug(dir: string, name: string): Promise<void> {
		fs.mkdirSync(dir, { recursive: true });
		await this.page
			.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true })
			.catch(() => undefined);
		const html = await this.page.content().catch(() => '');
		fs.writeFileSync(path.join(dir, `${name}.html`), html);
	}
}

export function escapeRegExp(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Resolves `p` or rejects after `ms` (so a hung close cannot hang afterAll). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const t = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
		p.then(
			(v) => {
				clearTimeout(t);
				resolve(v);
			},
			(e) => {
				clearTimeout(t);
				reject(e);
			},
		);
	});
}

/**
 * Paging past the first records: Zoho's page window (2,000 records by default, the exact 400
 * beyond it, clipped pages) and page tokens (cursors that go past the window, survive removals
 * and remember their listing).
 */
import { ZOHO_ERRORS } from '../index';
import { type Answer, sb, start, del, get, expectError, campaignWith, idsOf } from './helpers';

describe("Zoho's page window (pageWindow, default 2000)", () => {
	const WINDOW_ERROR =
		'{"code":"DISCRETE_PAGINATION_LIMIT_EXCEEDED","details":{"limit":2000},"message":"You can only get the first 2000 records without using page_token param.","status":"error"}';

	test('related records: pages up to record 2,000 are served; page 11 at 200 and page 21 at 100 answer 400 with the exact body', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(2001);
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		const page10 = await get(`${base}?page=10&per_page=200`);
		expect(page10.status).toBe(200);
		expect(idsOf(page10)).toEqual(contactIds.slice(1800, 2000));
		expect(page10.body.info).toEqual({ page: 10, per_page: 200, count: 200, more_records: true });
		expect(page10.body.info).not.toHaveProperty('next_page_token');
		for (const q of ['page=11&per_page=200', 'page=21&per_page=100', 'page=2001&per_page=1']) {
			const answer = await get(`${base}?${q}`);
			expect([q, answer.status]).toEqual([q, 400]);
			expect(answer.text).toBe(WINDOW_ERROR);
			expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
		}
		expectError(await get(`${base}?page=11`), ZOHO_ERRORS.DISCRETE_PAGINATION_LIMIT_EXCEEDED);
		expect(JSON.parse(WINDOW_ERROR)).toEqual({
			...ZOHO_ERRORS.DISCRETE_PAGINATION_LIMIT_EXCEEDED,
			status: 'error',
		});
	});

	test('a page starting before record 2,000 but running past it is clipped there, more_records true', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(2001);
		const answer = await get(`/crm/v2/Campaigns/${campaignId}/Contacts?page=14&per_page=150`);
		expect(idsOf(answer)).toEqual(contactIds.slice(1950, 2000));
		expect(answer.body.info).toEqual({ page: 14, per_page: 150, count: 50, more_records: true });
	});

	test('a small pageWindow models the same on module records and search: clipped, then 400 naming the window', async () => {
		await start({ pageWindow: 10 });
		const deals = sb.addRecords('Deals', 12, (i) => ({ Deal_Name: `Deal ${i}` }));
		const clipped = await get('/crm/v2/Deals?page=4&per_page=3');
		expect(idsOf(clipped)).toEqual([deals[9]]);
		expect(clipped.body.info).toEqual({ page: 4, per_page: 3, count: 1, more_records: true });
		const over = await get('/crm/v2/Deals?page=5&per_page=3');
		expect(over.status).toBe(400);
		expect(over.body).toEqual({
			code: 'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
			details: { limit: 10 },
			message: 'You can only get the first 10 records without using page_token param.',
			status: 'error',
		});
		const found = await get('/crm/v2/Deals/search?word=deal&page=2&per_page=6');
		expect(idsOf(found)).toEqual(deals.slice(6, 10));
		expect(found.body.info.more_records).toBe(true);
		expect((await get('/crm/v2/Deals/search?word=deal&page=3&per_page=5')).body.code).toBe(
			'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
		);
	});

	test('a listing of exactly the window ends with more_records false; past the window is 400 even for a short listing', async () => {
		await start({ pageWindow: 10 });
		sb.addRecords('Deals', 10);
		const last = await get('/crm/v2/Deals?page=4&per_page=3');
		expect(last.body.info).toEqual({ page: 4, per_page: 3, count: 1, more_records: false });
		sb.addRecords('Leads', 2);
		expect((await get('/crm/v2/Leads?page=11&per_page=1')).status).toBe(400);
		expect((await get('/crm/v2/Leads?page=3&per_page=1')).status).toBe(204);
	});

	test('a window 400 costs a credit and counts as a GET like any answered request', async () => {
		await start({ pageWindow: 10, dailyCredits: 5 });
		sb.addRecords('Deals', 3);
		expect((await get('/crm/v2/Deals?page=11&per_page=1')).status).toBe(400);
		expect(sb.stats).toMatchObject({
			getCalls: 1,
			deleteCalls: 0,
			creditsUsed: 1,
			creditsRemaining: 4,
		});
	});

	test('pageWindow must be an integer >= 1', async () => {
		await start();
		expect(() => sb.setFaults({ pageWindow: 0 })).toThrow(/pageWindow/);
		expect(() => sb.setFaults({ pageWindow: 2.5 })).toThrow(/pageWindow/);
		expect(sb.faults.pageWindow).toBe(2000);
	});
});

describe('page tokens (pageTokens)', () => {
	/** Follows next_page_token from the first page; returns every page's answer. */
	async function followTokens(first: string, perPage: number): Promise<Answer[]> {
		const pages = [await get(first)];
		while (pages[pages.length - 1].body?.info?.next_page_token) {
			const t = pages[pages.length - 1].body.info.next_page_token;
			const p = first.split('?')[0];
			pages.push(await get(`${p}?page_token=${encodeURIComponent(t)}&per_page=${perPage}`));
		}
		return pages;
	}

	test('off by default: no token, even when more records follow', async () => {
		await start();
		const { campaignId } = campaignWith(3);
		const answer = await get(`/crm/v2/Campaigns/${campaignId}/Contacts?per_page=2`);
		expect(answer.body.info).toEqual({ page: 1, per_page: 2, count: 2, more_records: true });
	});

	test('on: each answer with more records carries next_page_token and an ISO page_token_expiry; tokens go past the window', async () => {
		await start({ pageTokens: true, pageWindow: 10 });
		const { campaignId, contactIds } = campaignWith(25);
		const pages = await followTokens(`/crm/v2/Campaigns/${campaignId}/Contacts?per_page=4`, 4);
		expect(pages.map((p) => p.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
		expect(pages.flatMap(idsOf)).toEqual(contactIds);
		expect(pages.map((p) => p.body.info.page)).toEqual([1, 2, 3, 4, 5, 6, 7]);
		const [first] = pages;
		expect(first.body.info).toEqual({
			page: 1,
			per_page: 4,
			count: 4,
			more_records: true,
			next_page_token: expect.any(String),
			page_token_expiry: expect.any(String),
		});
		const expiry = Date.parse(first.body.info.page_token_expiry);
		expect(new Date(expiry).toISOString()).toBe(first.body.info.page_token_expiry);
		expect(expiry).toBeGreaterThan(Date.now());
		const last = pages[pages.length - 1].body.info;
		expect(last).toEqual({ page: 7, per_page: 4, count: 1, more_records: false });
		expect(sb.stats.getCalls).toBe(7);
	});

	test('a page clipped by the window gives the token that continues past it', async () => {
		await start({ pageTokens: true, pageWindow: 10 });
		const { campaignId, contactIds } = campaignWith(14);
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		const clipped = await get(`${base}?page=3&per_page=4`);
		expect(idsOf(clipped)).toEqual(contactIds.slice(8, 10));
		expect((await get(`${base}?page=4&per_page=4`)).status).toBe(400);
		const next = await get(`${base}?page_token=${clipped.body.info.next_page_token}`);
		expect(idsOf(next)).toEqual(contactIds.slice(10));
		expect(next.body.info).toEqual({ page: 4, per_page: 200, count: 4, more_records: false });
	});

	test('a token is a cursor: records removed before it do not shift the next page (page numbers do)', async () => {
		await start({ pageTokens: true });
		const { campaignId, contactIds } = campaignWith(30);
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		const page1 = await get(`${base}?page=1&per_page=10`);
		const removed = await del(`${base}?ids=${contactIds.slice(0, 5).join(',')}`);
		expect(removed.status).toBe(200);
		const byToken = await get(`${base}?page_token=${page1.body.info.next_page_token}&per_page=10`);
		expect(idsOf(byToken)).toEqual(contactIds.slice(10, 20));
		const byPage = await get(`${base}?page=2&per_page=10`);
		expect(idsOf(byPage)).toEqual(contactIds.slice(15, 25)); // 10..14 skipped
		// the same token again: still continues after its last record
		expect(
			idsOf(await get(`${base}?page_token=${page1.body.info.next_page_token}&per_page=3`)),
		).toEqual(contactIds.slice(10, 13));
	});

	test('a token whose last record left the listing continues from the index that record had', async () => {
		await start({ pageTokens: true });
		const { campaignId, contactIds } = campaignWith(30);
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		const page1 = await get(`${base}?per_page=10`);
		sb.unlink('Campaigns', campaignId, 'Contacts', contactIds[9]); // page 1's last record
		const next = await get(`${base}?page_token=${page1.body.info.next_page_token}&per_page=10`);
		expect(idsOf(next)).toEqual(contactIds.slice(10, 20));
	});

	test('a token remembers its listing (sort, search word) and works only on it', async () => {
		await start({ pageTokens: true });
		const deals = sb.addRecords('Deals', 5, (i) => ({ Deal_Name: `Deal ${'edcba'[i]}` }));
		const sorted = await get('/crm/v3/Deals?sort_by=Deal_Name&sort_order=asc&per_page=2');
		expect(idsOf(sorted)).toEqual([deals[4], deals[3]]);
		const more = await get(`/crm/v3/Deals?page_token=${sorted.body.info.next_page_token}`);
		expect(idsOf(more)).toEqual([deals[2], deals[1], deals[0]]);
		const found = await get('/crm/v3/Deals/search?word=deal&per_page=4');
		const rest = await get(`/crm/v3/Deals/search?page_token=${found.body.info.next_page_token}`);
		expect(idsOf(rest)).toEqual([deals[4]]);
		const elsewhere = await get(`/crm/v3/Leads?page_token=${found.body.info.next_page_token}`);
		expect(elsewhere.status).toBe(400);
		expect(elsewhere.body).toMatchObject({
			code: 'INVALID_DATA',
			details: { param_name: 'page_token' },
		});
	});

	test('page with page_token: 400 AMBIGUITY_DURING_PROCESSING; an unknown token: 400 INVALID_DATA naming page_token', async () => {
		await start({ pageTokens: true });
		const { campaignId } = campaignWith(3);
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		const first = await get(`${base}?per_page=1`);
		const both = await get(`${base}?page=2&page_token=${first.body.info.next_page_token}`);
		expect(both.status).toBe(400);
		expect(both.text).toBe(
			'{"code":"AMBIGUITY_DURING_PROCESSING","details":{"ambiguity_due_to":["page_token","page"]},"message":"Ambiguity while processing the request","status":"error"}',
		);
		expectError(both, ZOHO_ERRORS.AMBIGUITY_DURING_PROCESSING);
		const unknown = await get(`${base}?page_token=nope`);
		expect(unknown.status).toBe(400);
		expect(unknown.body).toEqual({
			code: 'INVALID_DATA',
			details: { param_name: 'page_token' },
			message: 'invalid data',
			status: 'error',
		});
	});

	test('a token page whose records are all gone answers 204', async () => {
		await start({ pageTokens: true });
		const { campaignId, contactIds } = campaignWith(3);
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		const first = await get(`${base}?per_page=1`);
		for (const id of contactIds.slice(1)) sb.unlink('Campaigns', campaignId, 'Contacts', id);
		expect((await get(`${base}?page_token=${first.body.info.next_page_token}`)).status).toBe(204);
	});
});

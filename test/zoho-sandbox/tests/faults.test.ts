/**
 * Injected faults and limits: latency, the concurrency cap, daily credits, seeded random 500s,
 * drops before and after the work, malformed JSON, HTML gateway pages, echoAuthorization,
 * failNext and the ZOHO_ERRORS catalogue, and the same faults on a link (PUT).
 */
import { startZohoSandbox, ZOHO_ERRORS } from '../index';
import {
	type Answer,
	sb,
	token,
	start,
	del,
	get,
	put,
	expectError,
	campaignWith,
	MISSING_ID,
} from './helpers';

describe('faults and limits', () => {
	test('latencyMs delays every API answer', async () => {
		await start({ latencyMs: 60 });
		const c = sb.addRecord('Campaigns');
		const t0 = Date.now();
		await get(`/crm/v2/Campaigns/${c}`);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
	});

	test('maxConcurrent: a request arriving while N are in flight gets 429 without Retry-After', async () => {
		await start({ maxConcurrent: 2, latencyMs: 300 });
		const c = sb.addRecord('Campaigns');
		const answers = await Promise.all(
			Array.from({ length: 5 }, () => get(`/crm/v2/Campaigns/${c}`)),
		);
		const statuses = answers.map((a) => a.status).sort();
		expect(statuses).toEqual([200, 200, 429, 429, 429]);
		const rejected = answers.find((a) => a.status === 429) as Answer;
		expectError(rejected, ZOHO_ERRORS.TOO_MANY_REQUESTS);
		expect(rejected.headers.get('retry-after')).toBeNull();
		expect(sb.stats).toMatchObject({
			maxInFlight: 2,
			rejected429: 3,
			rejectedConcurrency: 3,
			inFlight: 0,
		});
	});

	test('dailyCredits: 1 credit per call, X-API-CREDITS-REMAINING once under half, then 429', async () => {
		await start({ dailyCredits: 4 });
		const c = sb.addRecord('Campaigns');
		const remaining: Array<string | null> = [];
		for (let i = 0; i < 5; i++) {
			const answer = await get(`/crm/v2/Campaigns/${c}`);
			remaining.push(answer.headers.get('x-api-credits-remaining'));
			if (i === 4) expectError(answer, ZOHO_ERRORS.TOO_MANY_REQUESTS);
			else expect(answer.status).toBe(200);
		}
		expect(remaining).toEqual([null, null, '1', '0', '0']);
		expect(sb.stats).toMatchObject({ creditsUsed: 4, creditsRemaining: 0, rejectedCredits: 1 });
	});

	test('errorRate 1: 500 INTERNAL_ERROR before the work (nothing removed)', async () => {
		await start({ errorRate: 1 });
		const { campaignId, contactIds } = campaignWith(1);
		expectError(
			await del(`/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`),
			ZOHO_ERRORS.INTERNAL_ERROR,
		);
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(true);
	});

	test('the same seed gives the same sequence of random faults', async () => {
		const run = async () => {
			await start({ errorRate: 0.5, seed: 42 });
			const c = sb.addRecord('Campaigns');
			const statuses: number[] = [];
			for (let i = 0; i < 12; i++) statuses.push((await get(`/crm/v2/Campaigns/${c}`)).status);
			await sb.close();
			return statuses;
		};
		const first = await run();
		expect(first).toContain(500);
		expect(first).toContain(200);
		expect(await run()).toEqual(first);
	});

	test('dropAfterApplyRate 1: the relation is removed, then the socket dies unanswered', async () => {
		await start({ dropAfterApplyRate: 1 });
		const { campaignId, contactIds } = campaignWith(1);
		await expect(
			del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`),
		).rejects.toThrow();
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(false);
		expect(sb.requests[0]).toMatchObject({ status: 0, dropped: true });
		expect(sb.stats.droppedAfterApply).toBe(1);
	});

	test('malformedJsonRate 1: the work is done and the JSON answer is cut short', async () => {
		await start({ malformedJsonRate: 1 });
		const { campaignId, contactIds } = campaignWith(1);
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`);
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toMatch(/json/);
		expect(() => JSON.parse(answer.text)).toThrow();
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(false);
	});

	test('htmlErrorRate 1: a 502/503 text/html gateway page and nothing done', async () => {
		await start({ htmlErrorRate: 1 });
		const { campaignId, contactIds } = campaignWith(1);
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`);
		expect([502, 503]).toContain(answer.status);
		expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
		expect(answer.text).toMatch(/^<html>.*(Bad Gateway|Unavailable).*<\/html>$/);
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(true);
	});

	test('echoAuthorization: top-level and per-entry error bodies carry the header received', async () => {
		await start({ echoAuthorization: true });
		const { campaignId } = campaignWith(0);
		const stranger = sb.addRecord('Contacts');
		const perEntry = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${stranger}`, {
			auth: `Bearer ${token}`,
		});
		expect(perEntry.body.data[0].details).toEqual({
			id: stranger,
			authorization: `Bearer ${token}`,
		});
		const topLevel = await del(`/crm/v2/Campaigns/${campaignId}/Deals?ids=1`, {
			auth: `Bearer ${token}`,
		});
		expect(topLevel.body.details).toEqual({ authorization: `Bearer ${token}` });
	});

	test('failNext takes a catalogue entry: the next n API requests get it, then normal service', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(1);
		sb.failNext(2, ZOHO_ERRORS.NO_PERMISSION);
		const p = `/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`;
		for (let i = 0; i < 2; i++) {
			const answer = await del(p);
			expectError(answer, ZOHO_ERRORS.NO_PERMISSION);
			expect(answer.body.details).toEqual({ permissions: ['Crm_Implied_Delete_Related_Records'] });
		}
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(true);
		expect((await del(p)).status).toBe(200);
		expect(sb.stats.injectedFailures).toBe(2);
	});

	test('failNext takes a full reply (status, body or raw, headers) and can drop the socket', async () => {
		await start();
		const c = sb.addRecord('Campaigns');
		sb.failNext(1, { status: 418, body: { hello: 'x' }, headers: { 'X-Test': 'yes' } });
		sb.failNext(1, { status: 200, raw: 'not json' });
		sb.failNext(1, { drop: true });
		const first = await get(`/crm/v2/Campaigns/${c}`);
		expect([first.status, first.body, first.headers.get('x-test')]).toEqual([
			418,
			{ hello: 'x' },
			'yes',
		]);
		const second = await get(`/crm/v2/Campaigns/${c}`);
		expect([second.status, second.text]).toEqual([200, 'not json']);
		await expect(get(`/crm/v2/Campaigns/${c}`)).rejects.toThrow();
		expect((await get(`/crm/v2/Campaigns/${c}`)).status).toBe(200);
	});

	test.each(Object.entries(ZOHO_ERRORS))(
		'catalogue entry %s injects with its documented status and body',
		async (_name, entry) => {
			await start();
			sb.failNext(1, entry);
			expectError(await get('/crm/v2/Leads'), entry);
		},
	);

	test('the catalogue holds the documented statuses and messages', () => {
		const summary = Object.fromEntries(Object.entries(ZOHO_ERRORS).map(([k, e]) => [k, e.status]));
		expect(summary).toEqual({
			INVALID_MODULE: 400,
			INVALID_URL_PATTERN: 404,
			AUTHENTICATION_FAILURE: 401,
			OAUTH_SCOPE_MISMATCH: 401,
			INVALID_TOKEN: 401,
			NO_PERMISSION: 403,
			INTERNAL_ERROR: 500,
			INVALID_REQUEST_METHOD: 400,
			AUTHORIZATION_FAILED: 400,
			INVALID_DATA: 400,
			UNABLE_TO_PARSE_DATA_TYPE: 400,
			LIMIT_EXCEEDED: 400,
			MANDATORY_NOT_FOUND: 400,
			TOO_MANY_REQUESTS: 429,
			DISCRETE_PAGINATION_LIMIT_EXCEEDED: 400,
			AMBIGUITY_DURING_PROCESSING: 400,
		});
		expect(ZOHO_ERRORS.AUTHORIZATION_FAILED.message).toBe(
			'User does not have sufficient privilege to delete related records data',
		);
		expect(ZOHO_ERRORS.NO_PERMISSION.message).toBe('permission denied to delete records');
	});

	test('setFaults merges, restarts the PRNG on a new seed, and rejects unknown options', async () => {
		await start({ latencyMs: 5 });
		expect(sb.setFaults({ errorRate: 0.25 })).toMatchObject({ latencyMs: 5, errorRate: 0.25 });
		expect(() => sb.setFaults({ errorRatio: 1 } as never)).toThrow(/unknown fault option/);
		expect(() => sb.setFaults({ errorRate: 2 })).toThrow();
		await expect(startZohoSandbox({ latencyMS: 1 } as never)).rejects.toThrow(
			/unknown fault option/,
		);
	});
});

describe('failNext dropAfterApply: the work is done, the answer is lost', () => {
	test('a delink is applied, the credit used, and the socket destroyed unanswered; the next call is normal', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(2);
		sb.failNext(1, { dropAfterApply: true });
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		await expect(del(`${base}?ids=${contactIds[0]}`)).rejects.toThrow();
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(false);
		expect(sb.requests[0]).toMatchObject({ status: 0, dropped: true });
		expect((await del(`${base}?ids=${contactIds[1]}`)).status).toBe(200);
		expect(sb.stats).toMatchObject({
			droppedAfterApply: 1,
			injectedFailures: 1,
			creditsUsed: 2,
			deleteCalls: 2,
			relationsRemoved: 2,
		});
	});

	test('drop: true still drops BEFORE the work', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(1);
		sb.failNext(1, { drop: true });
		await expect(
			del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`),
		).rejects.toThrow();
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(true);
		expect(sb.stats).toMatchObject({ droppedAfterApply: 0, relationsRemoved: 0, deleteCalls: 1 });
	});

	test('via POST /__sandbox/fail-next { n, after, dropAfterApply }', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(3);
		const queued = await fetch(`${sb.url}/__sandbox/fail-next`, {
			method: 'POST',
			body: JSON.stringify({ n: 1, after: 1, dropAfterApply: true }),
		});
		expect(await queued.json()).toEqual({ queued: 2 });
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		expect((await del(`${base}/${contactIds[0]}`)).status).toBe(200);
		await expect(del(`${base}/${contactIds[1]}`)).rejects.toThrow();
		expect((await del(`${base}/${contactIds[2]}`)).status).toBe(200);
		expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
		expect(sb.requests.map((r) => r.status)).toEqual([200, 0, 200]);
	});
});

describe('Update Related Records (link) under faults', () => {
	const linkBody = (id: string) => ({ data: [{ id, Member_Status: 'Active' }] });

	test('failNext: the canned answer and nothing linked; then normal service', async () => {
		await start();
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		sb.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
		const p = `/crm/v2/Campaigns/${campaign}/Leads`;
		expectError(await put(p, linkBody(lead)), ZOHO_ERRORS.NO_PERMISSION);
		expect(sb.isLinked('Campaigns', campaign, 'Leads', lead)).toBe(false);
		expect((await put(p, linkBody(lead))).status).toBe(200);
		expect(sb.stats).toMatchObject({ injectedFailures: 1, putCalls: 2, relationsLinked: 1 });
	});

	test('failNext dropAfterApply: linked (data set), credit used, the socket destroyed unanswered', async () => {
		await start();
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		sb.failNext(1, { dropAfterApply: true });
		await expect(put(`/crm/v2/Campaigns/${campaign}/Leads`, linkBody(lead))).rejects.toThrow();
		expect(sb.relationData('Campaigns', campaign, 'Leads', lead)).toEqual({
			Member_Status: 'Active',
		});
		expect(sb.requests[0]).toMatchObject({ method: 'PUT', status: 0, dropped: true });
		expect(sb.stats).toMatchObject({ droppedAfterApply: 1, creditsUsed: 1, relationsLinked: 1 });
	});

	test('dropAfterApplyRate 1 applies to PUT as to DELETE', async () => {
		await start({ dropAfterApplyRate: 1 });
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		await expect(
			put(`/crm/v2/Campaigns/${campaign}/Leads/${lead}`, { data: [{ Member_Status: 'Sent' }] }),
		).rejects.toThrow();
		expect(sb.relationData('Leads', lead, 'Campaigns', campaign)).toEqual({
			Member_Status: 'Sent',
		});
		expect(sb.stats.droppedAfterApply).toBe(1);
		expect((await get(`/crm/v2/Leads/${lead}`)).status).toBe(200); // reads are never dropped
	});

	test('malformedJsonRate 1: linked, the answer cut short', async () => {
		await start({ malformedJsonRate: 1 });
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		const answer = await put(`/crm/v2/Campaigns/${campaign}/Leads`, linkBody(lead));
		expect(answer.status).toBe(200);
		expect(() => JSON.parse(answer.text)).toThrow();
		expect(sb.isLinked('Campaigns', campaign, 'Leads', lead)).toBe(true);
	});

	test('errorRate and htmlErrorRate 1: nothing linked', async () => {
		for (const faults of [{ errorRate: 1 }, { htmlErrorRate: 1 }]) {
			await start(faults);
			const campaign = sb.addRecord('Campaigns');
			const lead = sb.addRecord('Leads');
			const answer = await put(`/crm/v2/Campaigns/${campaign}/Leads`, linkBody(lead));
			expect([500, 502, 503]).toContain(answer.status);
			expect(sb.isLinked('Campaigns', campaign, 'Leads', lead)).toBe(false);
			await sb.close();
		}
	});

	test('latency and the concurrency cap: a PUT arriving while one is in flight gets 429, not linked', async () => {
		await start({ latencyMs: 200, maxConcurrent: 1 });
		const campaign = sb.addRecord('Campaigns');
		const [a, b] = sb.addRecords('Leads', 2);
		const p = `/crm/v2/Campaigns/${campaign}/Leads`;
		const t0 = Date.now();
		const first = put(p, linkBody(a));
		await new Promise((r) => setTimeout(r, 50));
		const second = await put(p, linkBody(b));
		expectError(second, ZOHO_ERRORS.TOO_MANY_REQUESTS);
		expect((await first).status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
		expect(sb.linkedIds('Campaigns', campaign, 'Leads')).toEqual([a]);
		expect(sb.stats).toMatchObject({ putCalls: 2, rejectedConcurrency: 1 });
	});

	test('echoAuthorization reaches per-entry errors of a PUT; onApiRequest sees the PUT after the work', async () => {
		await start({ echoAuthorization: true });
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		const seen: Array<[string, number | null, boolean]> = [];
		sb.onApiRequest((entry, sandbox) => {
			seen.push([
				entry.method,
				entry.status,
				sandbox.isLinked('Leads', lead, 'Campaigns', campaign),
			]);
		});
		const answer = await put(`/crm/v2/Campaigns/${campaign}/Leads`, {
			data: [{ id: lead }, { id: MISSING_ID }],
		});
		expect(answer.body.data[1].details).toEqual({
			id: MISSING_ID,
			authorization: `Zoho-oauthtoken ${token}`,
		});
		expect(answer.body.data[0].details).toEqual({ id: lead });
		expect(seen).toEqual([['PUT', 207, true]]);
	});
});

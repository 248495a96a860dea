/**
 * Watching and steering the sandbox: the request log and stats, the /__sandbox/* endpoints
 * (faults, fail-next, unlink, link with data, relation), close(), and onApiRequest hooks that
 * change lists during a run.
 */
import { seedDemo, ZOHO_ERRORS } from '../index';
import {
	type Answer,
	sb,
	token,
	start,
	del,
	get,
	expectError,
	campaignWith,
	idsOf,
} from './helpers';

describe('request log and lifecycle', () => {
	test('every request is logged in order with decoded path, raw path, query, auth and status', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(2);
		await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds.join('%2C')}&x=1&x=2`);
		await del(`/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`, { auth: null });
		const [first, second] = sb.requests;
		expect(first).toMatchObject({
			seq: 1,
			kind: 'api',
			method: 'DELETE',
			path: `/crm/v2/Campaigns/${campaignId}/Contacts`,
			rawPath: `/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds.join('%2C')}&x=1&x=2`,
			query: { ids: contactIds.join(','), x: '1' },
			authorization: `Zoho-oauthtoken ${token}`,
			status: 200,
			hasBody: false,
		});
		expect(first.endedAt).toBeGreaterThanOrEqual(first.startedAt);
		expect(second).toMatchObject({ seq: 2, authorization: undefined, status: 401 });
		expect(sb.stats).toMatchObject({
			requests: 2,
			apiRequests: 2,
			deleteCalls: 2,
			relationsRemoved: 2,
		});
		sb.clearRequests();
		expect(sb.requests).toEqual([]);
	});

	test('/__sandbox endpoints steer and inspect the sandbox without being logged', async () => {
		await start();
		const seed = seedDemo(sb);
		const linked = await (
			await fetch(
				`${sb.url}/__sandbox/linked?module=Products&id=${seed.productId}&relatedList=Price_Books`,
			)
		).json();
		expect(linked).toEqual({ ids: seed.priceBookIds });
		const faults = await fetch(`${sb.url}/__sandbox/faults`, {
			method: 'POST',
			body: JSON.stringify({ latencyMs: 3 }),
		});
		expect(((await faults.json()) as any).faults.latencyMs).toBe(3);
		await fetch(`${sb.url}/__sandbox/fail-next`, {
			method: 'POST',
			body: JSON.stringify({ n: 1, error: 'NO_PERMISSION' }),
		});
		expectError(await get('/crm/v2/Leads'), ZOHO_ERRORS.NO_PERMISSION);
		const log = (await (await fetch(`${sb.url}/__sandbox/requests`)).json()) as unknown[];
		expect(log).toHaveLength(1);
		await fetch(`${sb.url}/__sandbox/reset-log`, { method: 'POST' });
		expect(sb.requests).toEqual([]);
		expect((await fetch(`${sb.url}/__sandbox/nope`)).status).toBe(404);
	});

	test('close() ends keep-alive and in-flight sockets at once', async () => {
		await start({ latencyMs: 10_000 });
		const c = sb.addRecord('Campaigns');
		await fetch(`${sb.url}/__sandbox/stats`); // leaves a keep-alive socket open
		const pending = get(`/crm/v2/Campaigns/${c}`);
		await new Promise((r) => setTimeout(r, 30));
		const t0 = Date.now();
		await sb.close();
		expect(Date.now() - t0).toBeLessThan(1000);
		await expect(pending).rejects.toThrow();
	});
});

describe('onApiRequest: lists that change during a run', () => {
	test('after the 2nd GET, 5 new contacts are linked: later pages see them', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(10);
		const extra = sb.addRecords('Contacts', 5);
		let gets = 0;
		const off = sb.onApiRequest((entry, sandbox) => {
			if (entry.method !== 'GET') return;
			gets += 1;
			if (gets === 2) sandbox.link('Campaigns', campaignId, 'Contacts', extra);
		});
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		const pages: Answer[] = [];
		for (let page = 1; page === 1 || pages[pages.length - 1].body.info.more_records; page++)
			pages.push(await get(`${base}?page=${page}&per_page=4`));
		expect(pages.flatMap(idsOf)).toEqual([...contactIds, ...extra]);
		expect(pages[1].body.info.more_records).toBe(true); // the 2nd answer already counts them
		expect(gets).toBe(4);
		off();
		await get(base);
		expect(gets).toBe(4);
	});

	test('the hook sees the log entry (method, path, query, status about to be sent) after the work', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(2);
		const seen: Array<[string, string, Record<string, string>, number | null, boolean]> = [];
		sb.onApiRequest((entry, sandbox) => {
			seen.push([entry.method, entry.path, { ...entry.query }, entry.status, entry.dropped]);
			// the work is already applied when the hook runs
			if (entry.method === 'DELETE')
				expect(sandbox.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(false);
		});
		const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
		sb.failNext(1, { dropAfterApply: true }, { after: 1 });
		await del(`${base}?ids=${contactIds[0]}`);
		await expect(get(`${base}?per_page=1`)).rejects.toThrow();
		expect(seen).toEqual([
			['DELETE', base, { ids: contactIds[0] }, 200, false],
			['GET', base, { per_page: '1' }, 0, true],
		]);
	});

	test('a hook that throws turns the answer into a text 500', async () => {
		await start();
		sb.onApiRequest(() => {
			throw new Error('boom');
		});
		const answer = await get('/crm/v2/Leads');
		expect(answer.status).toBe(500);
		expect(answer.text).toMatch(/onApiRequest hook threw: Error: boom/);
	});
});

describe('POST /__sandbox/unlink', () => {
	test('unlinks the given ids and answers the ids still linked and how many were removed', async () => {
		await start();
		const { campaignId, contactIds } = campaignWith(3);
		const stranger = sb.addRecord('Contacts');
		const res = await fetch(`${sb.url}/__sandbox/unlink`, {
			method: 'POST',
			body: JSON.stringify({
				module: 'Campaigns',
				id: campaignId,
				relatedList: 'Contacts',
				relatedIds: [contactIds[0], contactIds[2], stranger],
			}),
		});
		expect(await res.json()).toEqual({ ids: [contactIds[1]], removed: 2 });
		expect(sb.isLinked('Contacts', contactIds[0], 'Campaigns', campaignId)).toBe(false);
		const bad = await fetch(`${sb.url}/__sandbox/unlink`, {
			method: 'POST',
			body: JSON.stringify({
				module: 'Campaigns',
				id: campaignId,
				relatedList: 'Deals',
				relatedIds: '1',
			}),
		});
		expect(bad.status).toBe(400);
		expect(sb.stats.apiRequests).toBe(0);
	});
});

describe('/__sandbox/link with data, /__sandbox/relation', () => {
	test('data for every id, dataById merged over it; relation answers {linked, data}', async () => {
		await start();
		const campaign = sb.addRecord('Campaigns');
		const [a, b] = sb.addRecords('Contacts', 2);
		const res = await fetch(`${sb.url}/__sandbox/link`, {
			method: 'POST',
			body: JSON.stringify({
				module: 'Campaigns',
				id: campaign,
				relatedList: 'Contacts',
				relatedIds: [a, b],
				data: { Member_Status: 'Planning' },
				dataById: { [b]: { Member_Status: 'Active' } },
			}),
		});
		expect(await res.json()).toEqual({ ids: [a, b] });
		const relation = async (q: Record<string, string>) => {
			const r = await fetch(`${sb.url}/__sandbox/relation?${new URLSearchParams(q)}`);
			return [r.status, await r.json()];
		};
		const q = { module: 'Contacts', relatedList: 'Campaigns', relatedId: campaign };
		expect(await relation({ ...q, id: a })).toEqual([
			200,
			{ linked: true, data: { Member_Status: 'Planning' } },
		]);
		expect(await relation({ ...q, id: b })).toEqual([
			200,
			{ linked: true, data: { Member_Status: 'Active' } },
		]);
		const stranger = sb.addRecord('Contacts');
		expect(await relation({ ...q, id: stranger })).toEqual([200, { linked: false, data: null }]);
		const [status] = await relation({ ...q, relatedList: 'Deals', id: a });
		expect(status).toBe(400);

		const bad = async (extra: Record<string, unknown>) =>
			(
				await fetch(`${sb.url}/__sandbox/link`, {
					method: 'POST',
					body: JSON.stringify({
						module: 'Campaigns',
						id: campaign,
						relatedList: 'Contacts',
						relatedIds: stranger,
						...extra,
					}),
				})
			).status;
		expect(await bad({ data: 'Active' })).toBe(400);
		expect(await bad({ dataById: [] })).toBe(400);
		expect(await bad({ data: { list_price: 1 } })).toBe(400);
		expect(sb.isLinked('Campaigns', campaign, 'Contacts', stranger)).toBe(false);
		expect(await bad({})).toBe(200);
		expect(sb.relationData('Campaigns', campaign, 'Contacts', stranger)).toEqual({});
		expect(sb.stats.apiRequests).toBe(0);
	});
});

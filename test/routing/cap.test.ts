/**
 * Max Concurrent Calls is the most Zoho calls in flight at any instant for one org, across all
 * items and all calls (batches, pages, retries, token retries), through the real routing engine
 * (n8n-core 1.x and 2.x). The sandbox's own limit equals the cap, so any leak shows as a 429.
 */

import { groupsInUse } from '../../nodes/ZohoCrmRelatedRecords/zoho/cap';
import { delinkParameters, runNode } from '../helpers/routing';
import { ZOHO_ERRORS } from '../zoho-sandbox';
import { apiCalls, campaignWithContacts, json, sandboxesClosedAfterEach } from './fixtures';

const setup = sandboxesClosedAfterEach(() => expect(groupsInUse()).toBe(0));

// Overlap is made, not hoped for: the sandbox holds answers until k calls are in flight (a node
// that sent one call at a time would never get an answer, and the test would time out).

test('10 items × 1,000 ids with the cap at 5: never more than 5 in flight, no 429, 100 DELETEs', async () => {
	const { sandbox, credential } = await setup({ maxConcurrent: 5, holdUntilInFlight: 5 });
	const campaigns = Array.from({ length: 10 }, () => campaignWithContacts(sandbox, 1000));
	const { items, error } = await runNode({
		parameters: delinkParameters(
			'Campaigns',
			'Contacts',
			'={{ $json.campaign }}',
			'={{ $json.contacts }}',
			{ maxConcurrentCalls: 5 },
		),
		items: campaigns.map((c) => ({ json: { campaign: c.campaignId, contacts: c.contactIds } })),
		credentials: credential(),
	});
	expect(error).toBeUndefined();
	expect(sandbox.stats.maxInFlight).toBe(5);
	expect(sandbox.stats.rejected429).toBe(0);
	expect(apiCalls(sandbox)).toHaveLength(100);
	expect(items).toHaveLength(10_000);
	expect(json(items).every((i) => i.status === 'success' && i.attempts === 1)).toBe(true);
});

test('200 items × 1 id with the cap at 5: never more than 5 in flight, no 429', async () => {
	const { sandbox, credential } = await setup({ maxConcurrent: 5, holdUntilInFlight: 2 });
	const { campaignId, contactIds } = campaignWithContacts(sandbox, 200);
	const { items, error } = await runNode({
		parameters: delinkParameters('Campaigns', 'Contacts', campaignId, '={{ $json.id }}', {
			maxConcurrentCalls: 5,
		}),
		items: contactIds.map((id) => ({ json: { id } })),
		credentials: credential(),
	});
	expect(error).toBeUndefined();
	// 200 ids shared by the items: 2 DELETEs of 100, in flight together
	expect(sandbox.stats.maxInFlight).toBe(2);
	expect(sandbox.stats.rejected429).toBe(0);
	expect(apiCalls(sandbox)).toHaveLength(2);
	expect(items).toHaveLength(200);
});

describe('items with different Max Concurrent Calls: the lowest among calls in flight or waiting applies', () => {
	const run = async (caps: number[], sandboxLimit: number) => {
		const { sandbox, credential } = await setup({ maxConcurrent: sandboxLimit, latencyMs: 3 });
		const campaigns = caps.map(() => campaignWithContacts(sandbox, 800));
		const { items, error } = await runNode({
			parameters: delinkParameters(
				'Campaigns',
				'Contacts',
				'={{ $json.campaign }}',
				'={{ $json.contacts }}',
				{ maxConcurrentCalls: '={{ $json.cap }}', retryBaseDelayMs: 1, maxRetries: 10 },
			),
			items: campaigns.map((c, i) => ({
				json: { campaign: c.campaignId, contacts: c.contactIds, cap: caps[i] },
			})),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(items.every((i) => i.json.status === 'success')).toBe(true);
		return sandbox.stats;
	};

	test('3, 8, 8: the first item’s 3 holds for all (no 429 from an org that allows 3)', async () => {
		const stats = await run([3, 8, 8], 3);
		expect(stats.maxInFlight).toBeLessThanOrEqual(3);
		expect(stats.rejected429).toBe(0);
	});

	test('8, 3, 8: calls the first item started before the 3 arrived finish; never more than 8 in flight, nothing lost', async () => {
		const stats = await run([8, 3, 8], 8);
		expect(stats.maxInFlight).toBeLessThanOrEqual(8);
		expect(stats.rejected429).toBe(0);
	});
});

test('retries and reads count against the cap too (All Linked Records under 500s)', async () => {
	const { sandbox, credential } = await setup({ maxConcurrent: 4, errorRate: 0.3, seed: 9 });
	const campaigns = Array.from({ length: 4 }, () => campaignWithContacts(sandbox, 450));
	const { items, error } = await runNode({
		parameters: {
			...delinkParameters('Campaigns', 'Contacts', '={{ $json.campaign }}', '', {
				maxConcurrentCalls: 4,
				maxRetries: 10,
				retryBaseDelayMs: 1,
			}),
			relatedRecordsSource: 'all',
		},
		items: campaigns.map((c) => ({ json: { campaign: c.campaignId } })),
		credentials: credential(),
	});
	expect(error).toBeUndefined();
	expect(sandbox.stats.internalErrors).toBeGreaterThan(0);
	expect(sandbox.stats.maxInFlight).toBeLessThanOrEqual(4);
	expect(sandbox.stats.rejectedConcurrency).toBe(0);
	expect(items).toHaveLength(1800);
});

test('no slot record is left behind when calls fail and throw', async () => {
	const { sandbox, credential } = await setup({});
	const { campaignId, contactIds } = campaignWithContacts(sandbox, 300);
	sandbox.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
	sandbox.failNext(3, { drop: true });
	const { error } = await runNode({
		parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
			maxRetries: 0,
		}),
		credentials: credential(),
	});
	expect(error?.message).toMatch(/NO_PERMISSION/);
	expect(groupsInUse()).toBe(0);
});

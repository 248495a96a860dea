/**
 * Zoho's limits and faults: every requested relation ends removed or reported as failed,
 * none lost, none reported twice, no crash. Through the real routing engine (1.x and 2.x).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { delinkParameters, runNode } from '../helpers/routing';
import { ZOHO_ERRORS, type ZohoSandbox } from '../zoho-sandbox';
import { apiCalls, campaignWithContacts, sandboxesClosedAfterEach } from './fixtures';

const fast = { retryBaseDelayMs: 1 };
const setup = sandboxesClosedAfterEach();

/** Every id has exactly one item; an id reported delinked is really unlinked in Zoho. */
function expectAccounted(
	sandbox: ZohoSandbox,
	campaignId: string,
	ids: string[],
	items: INodeExecutionData[],
) {
	const json = items.map((i) => i.json as IDataObject);
	expect(json.map((j) => j.relatedRecordId).sort()).toEqual([...ids].sort());
	const stillLinked = new Set(sandbox.linkedIds('Campaigns', campaignId, 'Contacts'));
	for (const j of json) {
		if (j.status === 'success') expect(stillLinked.has(j.relatedRecordId as string)).toBe(false);
		else expect(typeof j.code).toBe('string');
	}
	return json;
}

test('1,000 input items of one id each: 10 shared calls, never more than Max Concurrent Calls at once', async () => {
	const { sandbox, credential } = await setup({ maxConcurrent: 5, latencyMs: 5 });
	const { campaignId, contactIds } = campaignWithContacts(sandbox, 1000);
	const { items, error } = await runNode({
		parameters: delinkParameters('Campaigns', 'Contacts', campaignId, '={{ $json.id }}', fast),
		items: contactIds.map((id) => ({ json: { id } })),
		credentials: credential(),
	});
	expect(error).toBeUndefined();
	expect(sandbox.stats.maxInFlight).toBeLessThanOrEqual(5);
	expect(sandbox.stats.rejected429).toBe(0);
	expect(apiCalls(sandbox)).toHaveLength(10);
	const json = expectAccounted(sandbox, campaignId, contactIds, items);
	expect(json.every((j) => j.status === 'success')).toBe(true);
	expect(items.map((i) => (i.pairedItem as { item: number }).item)).toEqual(
		contactIds.map((_, i) => i),
	);
});

test('429 beyond Zoho’s concurrency limit is retried with backoff until every id is delinked', async () => {
	const { sandbox, credential } = await setup({ maxConcurrent: 2, latencyMs: 10 });
	// 40 campaigns of one contact each: 40 calls that cannot be shared
	const campaigns = Array.from({ length: 40 }, () => campaignWithContacts(sandbox, 1));
	const { items, error } = await runNode({
		parameters: delinkParameters(
			'Campaigns',
			'Contacts',
			'={{ $json.campaign }}',
			'={{ $json.id }}',
			{
				...fast,
				maxConcurrentCalls: 8,
				maxRetries: 10,
			},
		),
		items: campaigns.map((c) => ({ json: { campaign: c.campaignId, id: c.contactIds[0] } })),
		credentials: credential(),
	});
	expect(error).toBeUndefined();
	expect(sandbox.stats.rejectedConcurrency).toBeGreaterThan(0);
	expect(items.every((i) => i.json.status === 'success')).toBe(true);
	expect(items.some((i) => (i.json.attempts as number) > 1)).toBe(true);
	for (const c of campaigns)
		expect(sandbox.linkedIds('Campaigns', c.campaignId, 'Contacts')).toEqual([]);
});

test('after the last retry, the error names Zoho’s limit, the attempts and what to do', async () => {
	const { sandbox, credential } = await setup({});
	const { campaignId, contactIds } = campaignWithContacts(sandbox, 3);
	sandbox.failNext(10, ZOHO_ERRORS.TOO_MANY_REQUESTS);
	const { error } = await runNode({
		parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
			...fast,
			maxRetries: 2,
		}),
		credentials: credential(),
	});
	expect(apiCalls(sandbox)).toHaveLength(3);
	expect(error?.message).toBe(
		'Zoho CRM error TOO_MANY_REQUESTS: Too many requests (after 3 attempts)',
	);
	expect(error?.description).toMatch(/API limit was reached .*concurrency.*credits/);
	expect(error?.description).toContain('Gave up after 3 attempts.');
	expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual(contactIds);
});

test.each([
	['random 500 INTERNAL_ERROR (30%)', { errorRate: 0.3, seed: 7 }],
	['HTML 502/503 gateway pages (30%)', { htmlErrorRate: 0.3, seed: 11 }],
	['malformed JSON after the work (30%)', { malformedJsonRate: 0.3, seed: 5 }],
	['responses lost after the relation was removed (30%)', { dropAfterApplyRate: 0.3, seed: 3 }],
])('%s: every id ends delinked, none lost, none reported twice', async (_label, faults) => {
	const { sandbox, credential } = await setup(faults);
	const { campaignId, contactIds } = campaignWithContacts(sandbox, 1000);
	const { items, error } = await runNode({
		parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
			...fast,
			maxRetries: 10,
			batchSize: 50,
		}),
		credentials: credential(),
	});
	expect(error).toBeUndefined();
	const json = expectAccounted(sandbox, campaignId, contactIds, items);
	// Success where Zoho said so; where an answer was lost after the work, the retry finds the
	// id not linked and says exactly that (answers.test.ts).
	expect(json.filter((j) => j.status !== 'success' && j.code !== 'NOT_LINKED_AFTER_RETRY')).toEqual(
		[],
	);
	expect(json.filter((j) => j.code === 'NOT_LINKED_AFTER_RETRY').length).toBeLessThanOrEqual(
		sandbox.stats.droppedAfterApply * 50 + sandbox.stats.malformedJson * 50,
	);
	expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
	expect(apiCalls(sandbox).length).toBeGreaterThan(20);
});

test('X-API-CREDITS-REMAINING goes on the items, with a warning under 10% of the day', async () => {
	const { sandbox, credential } = await setup({ dailyCredits: 20 });
	const { campaignId, contactIds } = campaignWithContacts(sandbox, 1900);
	const { items, error } = await runNode({
		parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
			dailyCredits: 20,
		}),
		credentials: credential(),
	});
	expect(error).toBeUndefined();
	const last = items[items.length - 1].json;
	expect(last.creditsRemaining).toBe(1);
	expect(last.warning).toMatch(/Only 1 Zoho API credits left today \(under 10% of 20\)/);
	expect(items[0].json.creditsRemaining).toBeUndefined();
});

describe('secrets never leave the node', () => {
	test('Zoho echoing the Authorization header in an error body: not in the message, description or items', async () => {
		const { sandbox, credential } = await setup({ echoAuthorization: true });
		const creds = credential();
		const token = (creds.data.oauthTokenData as IDataObject).access_token as string;
		const refresh = (creds.data.oauthTokenData as IDataObject).refresh_token as string;
		const campaignId = sandbox.addRecord('Campaigns');
		const strangers = sandbox.addRecords('Contacts', 2);
		const partial = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, strangers),
			credentials: creds,
		});
		sandbox.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
		const failed = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, strangers, {
				maxRetries: 0,
			}),
			credentials: creds,
		});
		sandbox.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
		const continued = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, strangers, {
				maxRetries: 0,
			}),
			credentials: creds,
			continueOnFail: true,
		});
		expect(sandbox.requests.some((r) => r.authorization?.includes(token))).toBe(true);
		const emitted = JSON.stringify([
			partial.items,
			failed.error?.message,
			failed.error?.description,
			(failed.error as unknown as IDataObject)?.context,
			continued.items,
		]);
		expect(failed.error?.message).toContain('NO_PERMISSION');
		for (const secret of [token, refresh, sandbox.clientSecret])
			expect(emitted).not.toContain(secret);
		expect(emitted).toContain('[redacted]');
	});
});

test('the batches of one item go out in parallel, never more than Max Concurrent Calls', async () => {
	const { sandbox, credential } = await setup({ latencyMs: 20 });
	const { campaignId, contactIds } = campaignWithContacts(sandbox, 2000);
	const { items, error } = await runNode({
		parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
			maxConcurrentCalls: 4,
		}),
		credentials: credential(),
	});
	expect(error).toBeUndefined();
	expect(apiCalls(sandbox)).toHaveLength(20);
	expect(sandbox.stats.maxInFlight).toBeGreaterThan(1);
	expect(sandbox.stats.maxInFlight).toBeLessThanOrEqual(4);
	expect(items.map((i) => i.json.relatedRecordId)).toEqual(contactIds);
});

describe('an expired access token under parallel calls', () => {
	test('250 ids (3 parallel batches): the token is refreshed exactly once', async () => {
		const { sandbox, credential } = await setup({ latencyMs: 5 });
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 250);
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds),
			credentials: credential({}, true),
		});
		expect(error).toBeUndefined();
		expect(sandbox.stats.tokenRefreshes).toBe(1);
		// Each batch meets the expired token once; the renewing call once more.
		expect(apiCalls(sandbox).filter((c) => c.status === 401)).toHaveLength(4);
		expect(apiCalls(sandbox).filter((c) => c.status === 200)).toHaveLength(3);
		expect(items.every((i) => i.json.status === 'success')).toBe(true);
	});

	test('20 input items: the token is refreshed exactly once', async () => {
		const { sandbox, credential } = await setup({ latencyMs: 5 });
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 20);
		const { error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, '={{ $json.id }}'),
			items: contactIds.map((id) => ({ json: { id } })),
			credentials: credential({}, true),
		});
		expect(error).toBeUndefined();
		expect(sandbox.stats.tokenRefreshes).toBe(1);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
	});
});

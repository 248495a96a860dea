/**
 * Items of one execution that target the same relation share Zoho calls of up to Batch Size
 * ids, through the real routing engine (n8n-core 1.x and 2.x): the credit cost no longer
 * depends on how the workflow hands the ids over. Each item keeps its own output items, in
 * its own order, paired to it.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { groupsForming } from '../../nodes/ZohoCrmRelatedRecords/zoho/sharing';
import { delinkParameters, runNode } from '../helpers/routing';
import { ZOHO_ERRORS } from '../zoho-sandbox';
import { apiCalls, campaignWithContacts, json, sandboxesClosedAfterEach } from './fixtures';

const setup = sandboxesClosedAfterEach(() => expect(groupsForming()).toBe(0));

const paired = (items: INodeExecutionData[]) =>
	items.map((i) => (i.pairedItem as { item: number }).item);
// Options per item, from the item (absent: the defaults)
const byItem = delinkParameters(
	'Campaigns',
	'Contacts',
	'={{ $json.campaign }}',
	'={{ $json.ids }}',
	{
		batchSize: '={{ $json.options?.batchSize ?? 100 }}',
		treatNotLinkedAsSuccess: '={{ $json.options?.treatNotLinkedAsSuccess ?? false }}',
		apiVersion: '={{ $json.options?.apiVersion ?? "v2" }}',
		dryRun: '={{ $json.options?.dryRun ?? false }}',
	},
);
const perItem = (campaign: string, ids: unknown, options?: IDataObject) => ({
	json: { campaign, ids, ...(options ? { options } : {}) } as IDataObject,
});

test.each([
	[1, 1],
	[100, 1],
	[101, 2],
	[250, 3],
])('%i items × 1 id of one campaign cost %i calls', async (n, calls) => {
	const { sandbox, credential } = await setup();
	const { campaignId, contactIds } = campaignWithContacts(sandbox, n);
	const { items, error } = await runNode({
		parameters: byItem,
		items: contactIds.map((id) => perItem(campaignId, id)),
		credentials: credential(),
	});
	expect(error).toBeUndefined();
	expect(apiCalls(sandbox)).toHaveLength(calls);
	// a shared call of one id still uses the single-record URL
	if (n === 1) expect(apiCalls(sandbox)[0].path).toMatch(new RegExp(`/Contacts/${contactIds[0]}$`));
	expect(json(items).map((i) => [i.relatedRecordId, i.status])).toEqual(
		contactIds.map((id) => [id, 'success']),
	);
	expect(paired(items)).toEqual(contactIds.map((_, i) => i));
	expect(json(items).some((i) => 'sharedWith' in i)).toBe(false);
	expect(sandbox.stats.relationsRemoved).toBe(n);
});

test('every output item is paired to its own input item, in that item’s own id order', async () => {
	const { sandbox, credential } = await setup();
	const { campaignId, contactIds } = campaignWithContacts(sandbox, 9);
	const asked = [
		[contactIds[2], contactIds[0]],
		[contactIds[8], contactIds[5], contactIds[1], contactIds[3]],
		[contactIds[7]],
		[contactIds[4], contactIds[6]],
	];
	const { items, error } = await runNode({
		parameters: byItem,
		items: asked.map((ids) => perItem(campaignId, ids)),
		credentials: credential(),
	});
	expect(error).toBeUndefined();
	expect(apiCalls(sandbox)).toHaveLength(1);
	expect(json(items).map((i, k) => [paired(items)[k], i.relatedRecordId])).toEqual(
		asked.flatMap((ids, item) => ids.map((id) => [item, id])),
	);
});

test('the same id in two items is sent once and reported to both, each saying it was shared', async () => {
	const { sandbox, credential } = await setup();
	const { campaignId, contactIds } = campaignWithContacts(sandbox, 3);
	const { items, error } = await runNode({
		parameters: byItem,
		items: [
			perItem(campaignId, [contactIds[0], contactIds[1]]),
			perItem(campaignId, [contactIds[1], contactIds[2]]),
		],
		credentials: credential(),
	});
	expect(error).toBeUndefined();
	expect(apiCalls(sandbox)).toHaveLength(1);
	expect(apiCalls(sandbox)[0].query.ids.split(',')).toEqual(contactIds);
	expect(sandbox.stats.relationsRemoved).toBe(3);
	expect(sandbox.stats.relationsNotFound).toBe(0);
	expect(
		json(items).map((i, k) => [paired(items)[k], i.relatedRecordId, i.status, i.sharedWith]),
	).toEqual([
		[0, contactIds[0], 'success', undefined],
		[0, contactIds[1], 'success', [1]],
		[1, contactIds[1], 'success', [0]],
		[1, contactIds[2], 'success', undefined],
	]);
});

test('mixed relations in one execution: one set of calls per relation, each item its own answers', async () => {
	const { sandbox, credential } = await setup();
	const a = campaignWithContacts(sandbox, 150);
	const b = campaignWithContacts(sandbox, 30);
	const productId = sandbox.addRecord('Products');
	const priceBooks = sandbox.addRecords('Price_Books', 2);
	sandbox.link('Products', productId, 'Price_Books', priceBooks);
	const { items, error } = await runNode({
		parameters: delinkParameters(
			'={{ $json.module }}',
			'={{ $json.list }}',
			'={{ $json.record }}',
			'={{ $json.id }}',
		),
		items: [
			...a.contactIds.map((id) => ({
				json: { module: 'Campaigns', list: 'Contacts', record: a.campaignId, id },
			})),
			...priceBooks.map((id) => ({
				json: { module: 'Products', list: 'Price_Books', record: productId, id },
			})),
			...b.contactIds.map((id) => ({
				json: { module: 'Campaigns', list: 'Contacts', record: b.campaignId, id },
			})),
		],
		credentials: credential(),
	});
	expect(error).toBeUndefined();
	const paths = apiCalls(sandbox).map((c) => c.path.replace(/\/\d+$/, '/…'));
	expect(paths.filter((p) => p.includes(a.campaignId))).toHaveLength(2);
	expect(paths.filter((p) => p.includes(b.campaignId))).toHaveLength(1);
	expect(paths.filter((p) => p.includes(productId))).toHaveLength(1);
	expect(json(items).map((i) => i.relatedRecordId)).toEqual([
		...a.contactIds,
		...priceBooks,
		...b.contactIds,
	]);
	expect(json(items).every((i) => i.status === 'success')).toBe(true);
	expect(paired(items)).toEqual(items.map((_, i) => i));
});

test('one item with bad input among 200 good ones: it fails alone, before any request; the others share their calls', async () => {
	const { sandbox, credential } = await setup();
	const { campaignId, contactIds } = campaignWithContacts(sandbox, 200);
	const inputs = contactIds.map((id) => perItem(campaignId, id));
	inputs.splice(77, 0, perItem(campaignId, '12/34'));
	const { items, error } = await runNode({
		parameters: byItem,
		items: inputs,
		credentials: credential(),
		continueOnFail: true,
	});
	expect(error).toBeUndefined();
	expect(apiCalls(sandbox)).toHaveLength(2);
	expect(items).toHaveLength(201);
	expect(items[77].json).toMatchObject({ status: 'error', code: 'INVALID_INPUT' });
	expect(items[77].json.message).toMatch(/Related Record IDs/);
	expect(json(items).filter((i) => i.status === 'success')).toHaveLength(200);
	expect(paired(items)).toEqual(items.map((_, i) => i));
	expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
});

test('without Continue On Fail, bad input in one item stops the node before any request', async () => {
	const { sandbox, credential } = await setup();
	const { campaignId, contactIds } = campaignWithContacts(sandbox, 20);
	const inputs = contactIds.map((id) => perItem(campaignId, id));
	inputs.splice(5, 0, perItem(campaignId, 'abc'));
	const { error } = await runNode({ parameters: byItem, items: inputs, credentials: credential() });
	expect(error?.message).toMatch(/Related Record IDs/);
	expect(apiCalls(sandbox)).toHaveLength(0);
});

describe('a whole-call failure inside a shared call', () => {
	// 250 items × 1 id: calls of 100 (items 0-99), 100 (100-199), 50 (200-249); the second fails
	const run = async (continueOnFail: boolean) => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 250);
		sandbox.failNext(1, ZOHO_ERRORS.NO_PERMISSION, { after: 1 });
		const result = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, '={{ $json.id }}', {
				maxConcurrentCalls: 1,
			}),
			items: contactIds.map((id) => ({ json: { id } })),
			credentials: credential(),
			continueOnFail,
		});
		return { ...result, sandbox, campaignId, contactIds };
	};

	test('fails the items whose ids were in it; the other calls go on', async () => {
		const { error, sandbox, campaignId, contactIds } = await run(false);
		expect(error?.message).toBe(
			'Zoho CRM error NO_PERMISSION: permission denied to delete records',
		);
		expect((error as unknown as { context: IDataObject }).context.itemIndex).toBe(100);
		expect(apiCalls(sandbox)).toHaveLength(3);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual(
			contactIds.slice(100, 200),
		);
	});

	test('with Continue On Fail: those items get their own error items, the others their successes', async () => {
		const { items, error, sandbox, contactIds } = await run(true);
		expect(error).toBeUndefined();
		expect(apiCalls(sandbox)).toHaveLength(3);
		expect(json(items).map((i) => i.relatedRecordId)).toEqual(contactIds);
		expect(paired(items)).toEqual(contactIds.map((_, i) => i));
		expect(json(items).map((i) => i.code)).toEqual(
			contactIds.map((_, i) => (i >= 100 && i < 200 ? 'NO_PERMISSION' : 'SUCCESS')),
		);
	});
});

describe('options that change a call’s meaning are respected per item', () => {
	test('Batch Size: items share only with items of the same Batch Size', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 40);
		const { items, error } = await runNode({
			parameters: byItem,
			items: contactIds.map((id, i) => perItem(campaignId, id, { batchSize: i < 20 ? 100 : 10 })),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(
			apiCalls(sandbox)
				.map((c) => c.query.ids.split(',').length)
				.sort((x, y) => x - y),
		).toEqual([10, 10, 20]);
		expect(json(items).every((i) => i.status === 'success')).toBe(true);
	});

	test('Treat Not-Linked as Success and API Version: each item gets what its own options say', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 4);
		for (const id of contactIds) sandbox.unlink('Campaigns', campaignId, 'Contacts', id);
		const { items, error } = await runNode({
			parameters: byItem,
			items: [
				perItem(campaignId, contactIds[0]),
				perItem(campaignId, contactIds[1], { treatNotLinkedAsSuccess: true }),
				perItem(campaignId, contactIds[2], { apiVersion: 'v8' }),
				perItem(campaignId, contactIds[3], { treatNotLinkedAsSuccess: true }),
			],
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(json(items).map((i) => [i.status, i.alreadyUnlinked ?? false])).toEqual([
			['error', false],
			['success', true],
			['error', false],
			['success', true],
		]);
		// Treat Not-Linked as Success changes what an item says, not the call: the v2 items share
		// one DELETE; the v8 item's id goes in a call of its own version.
		const deletes = apiCalls(sandbox).filter((c) => c.method === 'DELETE');
		expect(deletes.map((c) => c.path.split('/')[2]).sort()).toEqual(['v2', 'v8']);
	});

	test('Dry Run items share one read and send no DELETE; a delinking item of the same relation has its own call', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 3);
		const { items, error } = await runNode({
			parameters: byItem,
			items: [
				perItem(campaignId, contactIds[0], { dryRun: true }),
				perItem(campaignId, contactIds[1], { dryRun: true }),
			],
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(apiCalls(sandbox).map((c) => c.method)).toEqual(['GET']);
		expect(json(items).map((i) => [i.relatedRecordId, i.wouldDelink])).toEqual([
			[contactIds[0], true],
			[contactIds[1], true],
		]);
	});

	test('All Linked Records asked for the same relation by three items reads and delinks once', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 150);
		const { items, error } = await runNode({
			parameters: {
				...delinkParameters('Campaigns', 'Contacts', '={{ $json.campaign }}', ''),
				relatedRecordsSource: 'all',
			},
			items: [0, 1, 2].map(() => ({ json: { campaign: campaignId } })),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(apiCalls(sandbox).filter((c) => c.method === 'DELETE')).toHaveLength(2);
		expect(apiCalls(sandbox).filter((c) => c.method === 'GET')).toHaveLength(2);
		expect(items).toHaveLength(450);
		for (const item of [0, 1, 2]) {
			const own = json(items.filter((i) => (i.pairedItem as { item: number }).item === item));
			expect(own.map((i) => i.relatedRecordId)).toEqual(contactIds);
			expect(own[0].sharedWith).toEqual([0, 1, 2].filter((i) => i !== item));
		}
		expect(sandbox.stats.relationsRemoved).toBe(150);
	});
});

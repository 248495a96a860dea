/**
 * Link (Zoho's Update Related Records) and Delink's Keep Relation Data, through the real
 * routing engine on n8n-core 1.x and 2.x, against the sandbox's model of the data that lives
 * on a link (Member_Status on campaign members, list_price on a product's price books).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { delinkParameters, runNode } from '../helpers/routing';
import { ZOHO_ERRORS } from '../zoho-sandbox';
import {
	apiCalls,
	campaignWithMembers,
	json,
	linkParameters,
	sandboxesClosedAfterEach,
	STATUSES,
} from './fixtures';

const setup = sandboxesClosedAfterEach();

describe('Link', () => {
	test.each([
		[1, 1],
		[100, 1],
		[101, 2],
	])(
		'%i ids cost %i PUT calls; every link made, with the Member Status given',
		async (n, calls) => {
			const { sandbox, credential } = await setup();
			const campaignId = sandbox.addRecord('Campaigns');
			const contactIds = sandbox.addRecords('Contacts', n);
			const { items, error } = await runNode({
				parameters: linkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
					memberStatus: 'Invited',
				}),
				credentials: credential(),
			});
			expect(error).toBeUndefined();
			const puts = apiCalls(sandbox);
			expect(puts.map((c) => c.method)).toEqual(Array.from({ length: calls }, () => 'PUT'));
			if (n === 1)
				expect(puts[0].path).toBe(`/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`);
			else expect(puts[0].path).toBe(`/crm/v2/Campaigns/${campaignId}/Contacts`);
			expect(json(items).map((i) => [i.relatedRecordId, i.status, i.code, i.message])).toEqual(
				contactIds.map((id) => [id, 'success', 'SUCCESS', 'relation updated']),
			);
			expect(items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
			expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual(contactIds);
			for (const id of contactIds)
				expect(sandbox.relationData('Campaigns', campaignId, 'Contacts', id)).toMatchObject({
					Member_Status: 'Invited',
				});
		},
	);

	test('list_price per item from an expression; Products → Price Books', async () => {
		const { sandbox, credential } = await setup();
		const productId = sandbox.addRecord('Products');
		const priceBooks = sandbox.addRecords('Price_Books', 3);
		const prices = [9.5, 12, 100.25];
		const { items, error } = await runNode({
			parameters: linkParameters('Products', 'Price_Books', productId, '={{ $json.id }}', {
				listPrice: '={{ $json.price }}',
			}),
			items: priceBooks.map((id, i) => ({ json: { id, price: prices[i] } })),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(apiCalls(sandbox)).toHaveLength(1);
		expect(json(items).map((i) => i.relation)).toEqual(prices.map((p) => ({ list_price: p })));
		priceBooks.forEach((id, i) =>
			expect(sandbox.relationData('Products', productId, 'Price_Books', id)).toMatchObject({
				list_price: prices[i],
			}),
		);
	});

	test('a partial failure: the unknown id is an error item with Zoho’s code, the others are linked', async () => {
		const { sandbox, credential } = await setup();
		const campaignId = sandbox.addRecord('Campaigns');
		const contactIds = sandbox.addRecords('Contacts', 2);
		const stranger = '3652397999999999999';
		const { items, error } = await runNode({
			parameters: linkParameters('Campaigns', 'Contacts', campaignId, [...contactIds, stranger]),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(json(items).map((i) => [i.status, i.code])).toEqual([
			['success', 'SUCCESS'],
			['success', 'SUCCESS'],
			['error', 'INVALID_DATA'],
		]);
	});

	test('a whole-call failure fails the node with Zoho’s code and the request', async () => {
		const { sandbox, credential } = await setup();
		const campaignId = sandbox.addRecord('Campaigns');
		const contactIds = sandbox.addRecords('Contacts', 2);
		sandbox.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
		const { error } = await runNode({
			parameters: linkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
				options: { maxRetries: 0 },
			}),
			credentials: credential(),
		});
		expect(error?.message).toMatch(/^Zoho CRM error NO_PERMISSION/);
		expect(error?.description).toContain(`PUT Campaigns ${campaignId} → Contacts`);
	});

	test.each<[string, IDataObject, RegExp]>([
		['an id that is not digits', { relatedRecordIds: '12/34' }, /Related Record IDs/],
		[
			'a List Price that is not a number',
			{ listPrice: 'cheap' },
			/List Price "cheap" is not a number/,
		],
		[
			'Appointments → Services on API v2',
			{ module: 'Appointments__s', relatedList: 'Services__s' },
			/Appointments → Services needs Zoho CRM API v3 or later, but API Version is v2/,
		],
	])('bad input (%s): a clear error and zero requests', async (_l, change, message) => {
		const { sandbox, credential } = await setup();
		const productId = sandbox.addRecord('Products');
		const { error } = await runNode({
			parameters: {
				...linkParameters(
					'Products',
					'Price_Books',
					productId,
					sandbox.addRecords('Price_Books', 1),
				),
				...change,
			} as INodeParameters,
			credentials: credential(),
		});
		expect(error?.message).toMatch(message);
		expect(apiCalls(sandbox)).toHaveLength(0);
	});

	test('Appointments → Services on v3 links (Zoho’s third pair)', async () => {
		const { sandbox, credential } = await setup();
		const appointment = sandbox.addRecord('Appointments__s');
		const services = sandbox.addRecords('Services__s', 2);
		const { items, error } = await runNode({
			parameters: linkParameters('Appointments__s', 'Services__s', appointment, services, {
				options: { apiVersion: 'v3' },
			}),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(json(items).every((i) => i.status === 'success')).toBe(true);
		expect(sandbox.linkedIds('Appointments__s', appointment, 'Services__s')).toEqual(services);
	});
});

describe('Keep Relation Data, and undo from Delink’s output', () => {
	test('Delink keeps each member’s Member_Status on its item; Link from those items restores them exactly', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithMembers(sandbox, 250);
		const before = contactIds.map((id) =>
			sandbox.relationData('Campaigns', campaignId, 'Contacts', id),
		);
		const delinked = await runNode({
			parameters: {
				...delinkParameters('Campaigns', 'Contacts', campaignId, '', { keepRelationData: true }),
				relatedRecordsSource: 'all',
			},
			credentials: credential(),
		});
		expect(delinked.error).toBeUndefined();
		// the reads All Linked Records makes anyway carry the relation data: no extra call
		expect(apiCalls(sandbox).filter((c) => c.method === 'GET')).toHaveLength(3);
		expect(json(delinked.items).map((i) => i.relation)).toEqual(
			contactIds.map((_, i) => ({ Member_Status: STATUSES[i % STATUSES.length] })),
		);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);

		sandbox.clearRequests();
		const undone = await runNode({
			parameters: { operation: 'link', linkFrom: 'delinkOutput' } as INodeParameters,
			items: delinked.items.map((i) => ({ json: i.json })),
			credentials: credential(),
		});
		expect(undone.error).toBeUndefined();
		expect(apiCalls(sandbox).map((c) => c.method)).toEqual(['PUT', 'PUT', 'PUT']);
		expect(json(undone.items).every((i) => i.status === 'success')).toBe(true);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual(contactIds);
		expect(
			contactIds.map((id) => sandbox.relationData('Campaigns', campaignId, 'Contacts', id)),
		).toEqual(before);
	});

	test('Enter IDs: one read of the links before the DELETE, the data on each item', async () => {
		const { sandbox, credential } = await setup();
		const productId = sandbox.addRecord('Products');
		const priceBooks = sandbox.addRecords('Price_Books', 3);
		sandbox.link('Products', productId, 'Price_Books', priceBooks, (_id: string, i: number) => ({
			list_price: 10 + i,
		}));
		const { items, error } = await runNode({
			parameters: delinkParameters('Products', 'Price_Books', productId, priceBooks, {
				keepRelationData: true,
			}),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(apiCalls(sandbox).map((c) => c.method)).toEqual(['GET', 'DELETE']);
		expect(json(items).map((i) => i.relation)).toEqual([
			{ list_price: 10 },
			{ list_price: 11 },
			{ list_price: 12 },
		]);
	});

	test('Keep Relation Data off: no read, no relation on the items', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithMembers(sandbox, 3);
		const { items } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds),
			credentials: credential(),
		});
		expect(apiCalls(sandbox).map((c) => c.method)).toEqual(['DELETE']);
		expect(json(items).some((i) => 'relation' in i)).toBe(false);
	});

	test('undoing skips what Delink did not remove (errors, dry runs), saying why', async () => {
		const { sandbox, credential } = await setup();
		const campaignId = sandbox.addRecord('Campaigns');
		const contact = sandbox.addRecord('Contacts');
		const base = { module: 'Campaigns', recordId: campaignId, relatedList: 'Contacts' };
		const { items, error } = await runNode({
			parameters: { operation: 'link', linkFrom: 'delinkOutput' } as INodeParameters,
			items: [
				{ json: { ...base, relatedRecordId: contact, status: 'error', code: 'INVALID_DATA' } },
				{
					json: {
						...base,
						relatedRecordId: contact,
						status: 'success',
						code: 'DRY_RUN',
						dryRun: true,
					},
				},
			],
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(apiCalls(sandbox)).toHaveLength(0);
		expect(json(items).map((i) => [i.status, i.code])).toEqual([
			['skipped', 'NOTHING_TO_RESTORE'],
			['skipped', 'NOTHING_TO_RESTORE'],
		]);
		expect(items[0].json.message).toMatch(/nothing to restore/);
	});
});

/**
 * An output item says `success` only where Zoho said so, through the real routing engine
 * (n8n-core 1.x and 2.x). Faults are injected by count (the sandbox's failNext queue), never
 * by timers. Zoho does not document what it answers for an id that is not linked: every case
 * that depends on it runs under the three answers it might give.
 */
import type { IDataObject } from 'n8n-workflow';

import { delinkParameters, runNode } from '../helpers/routing';
import { ZOHO_ERRORS } from '../zoho-sandbox';
import { apiCalls, campaignWithContacts, json, sandboxesClosedAfterEach } from './fixtures';

const fast = { retryBaseDelayMs: 1 };
const setup = sandboxesClosedAfterEach();

const triple = (items: { json: IDataObject }[]) =>
	json(items).map((i) => [i.status, i.code, i.alreadyUnlinked ?? false]);

describe('an answer lost after Zoho did the work', () => {
	test('the retry finds the ids not linked: NOT_LINKED_AFTER_RETRY, never "success"', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 3);
		sandbox.failNext(1, { dropAfterApply: true });
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, fast),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(sandbox.stats.relationsRemoved).toBe(3);
		expect(json(items).map((i) => [i.status, i.code, i.retried, i.attempts])).toEqual(
			contactIds.map(() => ['error', 'NOT_LINKED_AFTER_RETRY', true, 2]),
		);
		expect(items[0].json.message).toMatch(/^Not linked now\. .*answer was lost/);
		expect(items[0].json.details).toMatchObject({ zohoCode: 'INVALID_DATA' });
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
	});

	test('with the read before (Keep Relation Data), a link listed just before and gone after the retry was removed: success, linkedBefore true', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 3);
		sandbox.failNext(1, { dropAfterApply: true }, { after: 1 }); // the DELETE, after the read
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
				...fast,
				keepRelationData: true,
			}),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(json(items).map((i) => [i.status, i.code, i.linkedBefore])).toEqual(
			contactIds.map(() => ['success', 'NOT_LINKED_AFTER_RETRY', true]),
		);
		expect(items[0].json.message).toMatch(/^Removed: it was linked when this run read the list/);
	});

	test('with Treat Not-Linked as Success the same ids are done (alreadyUnlinked)', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 3);
		sandbox.failNext(1, { dropAfterApply: true });
		const { items } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
				...fast,
				treatNotLinkedAsSuccess: true,
			}),
			credentials: credential(),
		});
		expect(triple(items)).toEqual(
			contactIds.map(() => ['success', 'NOT_LINKED_AFTER_RETRY', true]),
		);
	});

	test('a batch of 100 with 30 mistyped ids: the 30 keep Zoho’s error, never reported removed', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 70);
		const mistyped = Array.from({ length: 30 }, (_, i) => `99999${String(i).padStart(14, '0')}`);
		sandbox.failNext(1, { dropAfterApply: true });
		const { items } = await runNode({
			parameters: delinkParameters(
				'Campaigns',
				'Contacts',
				campaignId,
				[...contactIds, ...mistyped],
				{
					...fast,
					treatNotLinkedAsSuccess: true,
				},
			),
			credentials: credential(),
		});
		const byId = new Map(json(items).map((i) => [i.relatedRecordId, i]));
		for (const id of mistyped)
			expect(byId.get(id)).toMatchObject({ status: 'error', code: 'INVALID_DATA' });
		for (const id of contactIds) expect(byId.get(id)?.status).toBe('success');
		expect(json(items).filter((i) => i.message === 'relation removed')).toHaveLength(0);
	});

	test.each([
		['429 TOO_MANY_REQUESTS', ZOHO_ERRORS.TOO_MANY_REQUESTS],
		['500 INTERNAL_ERROR (Zoho’s JSON body)', ZOHO_ERRORS.INTERNAL_ERROR],
	])(
		'an attempt refused with %s did no work: genuine not-linked ids stay errors',
		async (_l, reply) => {
			const { sandbox, credential } = await setup();
			const campaignId = sandbox.addRecord('Campaigns');
			const strangers = sandbox.addRecords('Contacts', 2);
			sandbox.failNext(1, reply);
			const { items } = await runNode({
				parameters: delinkParameters('Campaigns', 'Contacts', campaignId, strangers, fast),
				credentials: credential(),
			});
			expect(json(items).map((i) => [i.status, i.code, i.attempts, i.retried])).toEqual([
				['error', 'INVALID_DATA', 2, undefined],
				['error', 'INVALID_DATA', 2, undefined],
			]);
		},
	);
});

describe.each([
	['INVALID_DATA "relation not found"', 'relation-not-found', ['error', 'INVALID_DATA', false]],
	['SUCCESS "relation removed"', 'success', ['success', 'SUCCESS', false]],
	['INVALID_DATA with another message', 'invalid-data', ['error', 'INVALID_DATA', false]],
] as const)('Zoho answers %s for an id that is not linked', (_label, notLinkedAnswer, plain) => {
	const cases = async (treatNotLinkedAsSuccess: boolean) => {
		const { sandbox, credential } = await setup({ notLinkedAnswer });
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 1);
		const notLinked = sandbox.addRecord('Contacts');
		const mistyped = '3652397999999999999';
		const { items, error } = await runNode({
			parameters: delinkParameters(
				'Campaigns',
				'Contacts',
				campaignId,
				[contactIds[0], notLinked, mistyped],
				{ treatNotLinkedAsSuccess },
			),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		return { items, sandbox };
	};

	test('off: each id as Zoho answered it', async () => {
		const { items } = await cases(false);
		expect(triple(items)).toEqual([
			['success', 'SUCCESS', false],
			plain,
			['error', 'INVALID_DATA', false],
		]);
	});

	test('Treat Not-Linked as Success: the not-linked id is done, the mistyped one stays an error', async () => {
		const { items } = await cases(true);
		const notLinked = plain[0] === 'success' ? plain : ['success', 'INVALID_DATA', true];
		expect(triple(items)).toEqual([
			['success', 'SUCCESS', false],
			notLinked,
			['error', 'INVALID_DATA', false],
		]);
	});
});

test('Treat Not-Linked as Success reads Zoho’s records once per call that has refused ids, not per id', async () => {
	const { sandbox, credential } = await setup();
	const { campaignId, contactIds } = campaignWithContacts(sandbox, 250);
	for (const id of contactIds.slice(0, 120))
		sandbox.unlink('Campaigns', campaignId, 'Contacts', id);
	const { items } = await runNode({
		parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
			treatNotLinkedAsSuccess: true,
		}),
		credentials: credential(),
	});
	expect(json(items).every((i) => i.status === 'success')).toBe(true);
	expect(json(items).filter((i) => i.alreadyUnlinked)).toHaveLength(120);
	const reads = apiCalls(sandbox).filter((c) => c.method === 'GET');
	expect(reads.map((c) => c.path)).toEqual(['/crm/v2/Contacts', '/crm/v2/Contacts']);
});

describe('what is retried', () => {
	test.each([
		[
			'a proxy’s HTML 403',
			{ status: 403, raw: '<html><body><h1>403 Forbidden</h1></body></html>' },
		],
		['a 404 page from a wrong custom domain', { status: 404, raw: '<html>Not Found</html>' }],
	])('%s is final: one attempt, its status and text in the error', async (_l, reply) => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 2);
		sandbox.failNext(1, { ...reply, headers: { 'Content-Type': 'text/html' } });
		const { error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, fast),
			credentials: credential(),
		});
		expect(apiCalls(sandbox)).toHaveLength(1);
		expect(error?.message).toMatch(new RegExp(`^Zoho CRM error HTTP_${reply.status}: `));
	});

	test('a gateway’s HTML 502 is still retried', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 2);
		sandbox.failNext(1, {
			status: 502,
			raw: '<html>502 Bad Gateway</html>',
			headers: { 'Content-Type': 'text/html' },
		});
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, fast),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(apiCalls(sandbox)).toHaveLength(2);
		expect(json(items).every((i) => i.status === 'success')).toBe(true);
	});
});

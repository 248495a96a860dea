/**
 * Delink through n8n's real routing engine, over real HTTP, against the Zoho sandbox.
 * Runs twice: on n8n-core 2.x (routing-v2) and on n8n 1.123's n8n-core 1.x (routing-v1).
 */
import type { IDataObject } from 'n8n-workflow';

import { delinkParameters, runNode } from '../helpers/routing';
import { ZOHO_ERRORS, type ZohoSandbox } from '../zoho-sandbox';
import { apiCalls, campaignWithContacts, sandboxWithCredential } from './fixtures';

let sandbox: ZohoSandbox;
let credential: Awaited<ReturnType<typeof sandboxWithCredential>>['credential'];

beforeAll(async () => {
	({ sandbox, credential } = await sandboxWithCredential());
});
afterAll(async () => sandbox.close());
beforeEach(() => sandbox.clearRequests());

const json = (items: { json: IDataObject }[]) => items.map((i) => i.json);

describe('request shapes (as the seed document samples)', () => {
	test('one id uses the single-record URL, no query, no body, the OAuth token as Bearer', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 1);
		const creds = credential();
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds[0]),
			credentials: creds,
		});
		expect(error).toBeUndefined();
		const [call, ...rest] = apiCalls(sandbox);
		expect(rest).toHaveLength(0);
		expect(call.method).toBe('DELETE');
		expect(call.rawPath).toBe(`/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`);
		expect(call.query).toEqual({});
		expect(call.hasBody).toBe(false);
		expect(call.authorization).toBe(
			`Bearer ${(creds.data.oauthTokenData as IDataObject).access_token}`,
		);
		expect(json(items)).toEqual([
			{
				module: 'Campaigns',
				recordId: campaignId,
				relatedList: 'Contacts',
				relatedRecordId: contactIds[0],
				status: 'success',
				code: 'SUCCESS',
				message: 'relation removed',
				details: { id: contactIds[0] },
				attempts: 1,
				// Keep Relation Data is off here: no read before, so nothing proves the link existed
				linkedBefore: null,
			},
		]);
		expect(sandbox.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(false);
	});

	test('several ids use ?ids=a,b on the related-list URL, no body', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 2);
		await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds.join(',')),
			credentials: credential(),
		});
		const [call] = apiCalls(sandbox);
		expect(call.method).toBe('DELETE');
		expect(call.path).toBe(`/crm/v2/Campaigns/${campaignId}/Contacts`);
		expect(call.query).toEqual({ ids: contactIds.join(',') });
		expect(call.hasBody).toBe(false);
	});

	test('the seed Java sample direction works: Leads → Products', async () => {
		const leadId = sandbox.addRecord('Leads');
		const productIds = sandbox.addRecords('Products', 2);
		sandbox.link('Leads', leadId, 'Products', productIds);
		const { items } = await runNode({
			parameters: delinkParameters('Leads', 'Products', leadId, productIds.join(' ')),
			credentials: credential(),
		});
		expect(json(items).map((i) => i.status)).toEqual(['success', 'success']);
		expect(sandbox.linkedIds('Products', productIds[0], 'Leads')).toEqual([]);
	});

	test('API Version option changes only the version segment', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 1);
		await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
				apiVersion: 'v8',
			}),
			credentials: credential(),
		});
		expect(apiCalls(sandbox)[0].rawPath).toBe(
			`/crm/v8/Campaigns/${campaignId}/Contacts/${contactIds[0]}`,
		);
	});
});

describe('batching: at most 100 ids per call', () => {
	test.each([
		[1, 1],
		[100, 1],
		[101, 2],
		[250, 3],
		[1000, 10],
	])('%i ids cost %i call(s), every relation is removed, one item per id', async (n, calls) => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, n);
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		const made = apiCalls(sandbox);
		expect(made).toHaveLength(calls);
		expect(made.every((c) => (c.query.ids ?? '').split(',').length <= 100)).toBe(true);
		expect(json(items).map((i) => i.relatedRecordId)).toEqual(contactIds);
		expect(json(items).every((i) => i.status === 'success')).toBe(true);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
	});

	test('Batch Size 10 splits 25 ids into 10 + 10 + 5', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 25);
		await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
				batchSize: 10,
			}),
			credentials: credential(),
		});
		expect(apiCalls(sandbox).map((c) => c.query.ids.split(',').length)).toEqual([10, 10, 5]);
	});

	test('duplicates and blanks in the input are sent once, in order', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 3);
		const [a, b, c] = contactIds;
		const { items } = await runNode({
			parameters: delinkParameters(
				'Campaigns',
				'Contacts',
				campaignId,
				` ${a}, ${b},,${a}\n${c} ${b} `,
			),
			credentials: credential(),
		});
		expect(apiCalls(sandbox)[0].query.ids).toBe([a, b, c].join(','));
		expect(json(items).map((i) => i.relatedRecordId)).toEqual([a, b, c]);
	});
});

describe('partial failures', () => {
	test('HTTP 207: linked ids succeed, the unlinked one is an error item, nothing throws', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 2);
		const stranger = sandbox.addRecord('Contacts');
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, [...contactIds, stranger]),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(apiCalls(sandbox)[0].status).toBe(207);
		expect(json(items).map((i) => [i.relatedRecordId, i.status, i.code, i.message])).toEqual([
			[contactIds[0], 'success', 'SUCCESS', 'relation removed'],
			[contactIds[1], 'success', 'SUCCESS', 'relation removed'],
			[stranger, 'error', 'INVALID_DATA', 'relation not found'],
		]);
	});

	test('HTTP 400 whose body is still a per-id data[] gives error items, not a node failure', async () => {
		const campaignId = sandbox.addRecord('Campaigns');
		const strangers = sandbox.addRecords('Contacts', 2);
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, strangers),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(apiCalls(sandbox)[0].status).toBe(400);
		expect(json(items).map((i) => [i.relatedRecordId, i.status, i.code])).toEqual(
			strangers.map((id) => [id, 'error', 'INVALID_DATA']),
		);
	});

	test('a single id that is not linked is an error item (400 with data[])', async () => {
		const campaignId = sandbox.addRecord('Campaigns');
		const stranger = sandbox.addRecord('Contacts');
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, stranger),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(json(items)).toMatchObject([
			{ relatedRecordId: stranger, status: 'error', message: 'relation not found' },
		]);
	});
});

describe('whole-call failures', () => {
	const topLevel = Object.values(ZOHO_ERRORS).filter((e) => e.code !== 'INVALID_TOKEN');

	test.each(topLevel.map((e) => [e.code, e] as const))(
		'%s fails the node with Zoho code, message, resolution and the offending input',
		async (code, zohoError) => {
			const { campaignId, contactIds } = campaignWithContacts(sandbox, 2);
			// A 401 comes back to the node, which renews the token once: it sends again without
			// n8n's ignoreHttpStatusErrors, n8n refreshes and repeats the call (n8n 1.x once
			// more). Answer every attempt with the error.
			sandbox.failNext(zohoError.status === 401 ? 4 : 1, zohoError);
			const { items, error } = await runNode({
				parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
					maxRetries: 0,
				}),
				credentials: credential(),
			});
			expect(items).toEqual([]);
			expect(error?.constructor.name).toBe('NodeApiError');
			expect(error?.message).toBe(`Zoho CRM error ${code}: ${zohoError.message}`);
			expect(error?.httpCode).toBe(String(zohoError.status));
			expect(error?.description).toContain(
				`Campaigns ${campaignId} → Contacts: ${contactIds.join(', ')}`,
			);
			expect(error?.description?.split('\n')[0].length).toBeGreaterThan(20);
			expect(apiCalls(sandbox).length).toBeLessThanOrEqual(zohoError.status === 401 ? 4 : 1);
			sandbox.clearFailNext();
		},
	);

	test('an unknown error code still fails clearly with Zoho code and message', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 1);
		sandbox.failNext(1, {
			status: 400,
			body: { code: 'SOMETHING_NEW', message: 'new failure', status: 'error', details: {} },
		});
		const { error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds),
			credentials: credential(),
		});
		expect(error?.message).toBe('Zoho CRM error SOMETHING_NEW: new failure');
	});

	test('Continue On Fail: a refused call becomes one error item per id with Zoho code and message', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 2);
		sandbox.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds),
			credentials: credential(),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(json(items).map((i) => [i.relatedRecordId, i.status, i.code])).toEqual(
			contactIds.map((id) => [id, 'error', 'NO_PERMISSION']),
		);
		expect(json(items).every((i) => i.message === 'permission denied to delete records')).toBe(
			true,
		);
		expect(items.every((i) => i.error === undefined)).toBe(true);
		expect(items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('Continue On Fail mid-run: done ids succeed, the refused batch fails, later ids are reported NOT_SENT', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 250);
		sandbox.failNext(1, ZOHO_ERRORS.INTERNAL_ERROR, { after: 1 });
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
				maxRetries: 0,
				maxConcurrentCalls: 1,
			}),
			credentials: credential(),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(apiCalls(sandbox)).toHaveLength(2);
		const codes = json(items).map((i) => i.code);
		expect(json(items).map((i) => i.relatedRecordId)).toEqual(contactIds);
		expect(codes.slice(0, 100).every((c) => c === 'SUCCESS')).toBe(true);
		expect(codes.slice(100, 200).every((c) => c === 'INTERNAL_ERROR')).toBe(true);
		expect(codes.slice(200).every((c) => c === 'NOT_SENT')).toBe(true);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual(contactIds.slice(100));
	});

	test('without Continue On Fail, a failure after earlier batches says how many were already delinked', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 250);
		sandbox.failNext(1, ZOHO_ERRORS.INTERNAL_ERROR, { after: 1 });
		const { error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
				maxRetries: 0,
				maxConcurrentCalls: 1,
			}),
			credentials: credential(),
		});
		expect(error?.description).toContain(
			'100 of 250 ids were delinked by other calls; 50 were not sent.',
		);
	});
});

describe('OAuth2 token refresh', () => {
	test('an expired access token is refreshed once through the token URL and the call retried', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 3);
		const creds = credential({}, true);
		const before = sandbox.stats.tokenRefreshes;
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds),
			credentials: creds,
		});
		expect(error).toBeUndefined();
		expect(sandbox.stats.tokenRefreshes - before).toBe(1);
		// The first 401 comes back to the node (no refresh inside the call); the one call that
		// renews the token sends again without that, so n8n refreshes once and repeats it.
		expect(sandbox.requests.map((r) => [r.kind, r.method, r.status])).toEqual([
			['api', 'DELETE', 401],
			['api', 'DELETE', 401],
			['oauth', 'POST', 200],
			['api', 'DELETE', 200],
		]);
		expect(creds.tokenUpdates).toHaveLength(1);
		expect(creds.tokenUpdates[0].api_domain).toBe(sandbox.url);
		expect(json(items).every((i) => i.status === 'success')).toBe(true);
	});

	test('a token that cannot be refreshed fails with a reconnect hint and no secret', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 1);
		const creds = credential(
			{ refresh_token: '1000.deadbeefdeadbeefdeadbeef.deadbeefdeadbeefdeadbeef' },
			true,
		);
		const { error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds),
			credentials: creds,
		});
		expect(error).toBeDefined();
		const token = (creds.data.oauthTokenData as IDataObject).access_token as string;
		expect(JSON.stringify({ m: error?.message, d: error?.description })).not.toContain(token);
		expect(sandbox.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(true);
	});
});

describe('several input items', () => {
	test('each input item is delinked on its own and its results are paired to it', async () => {
		const a = campaignWithContacts(sandbox, 2);
		const b = campaignWithContacts(sandbox, 1);
		const { items } = await runNode({
			parameters: {
				...delinkParameters(
					'Campaigns',
					'Contacts',
					'={{ $json.campaign }}',
					'={{ $json.contacts }}',
				),
			},
			items: [
				{ json: { campaign: a.campaignId, contacts: a.contactIds } },
				{ json: { campaign: b.campaignId, contacts: b.contactIds.join(',') } },
			],
			credentials: credential(),
		});
		expect(
			items.map((i) => [
				(i.pairedItem as { item: number }).item,
				i.json.recordId,
				i.json.relatedRecordId,
			]),
		).toEqual([
			[0, a.campaignId, a.contactIds[0]],
			[0, a.campaignId, a.contactIds[1]],
			[1, b.campaignId, b.contactIds[0]],
		]);
	});
});

describe('Treat Not-Linked as Success', () => {
	test('an id Zoho reports as not linked is a success with alreadyUnlinked: a rerun finishes cleanly', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 2);
		sandbox.unlink('Campaigns', campaignId, 'Contacts', contactIds[0]);
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
				treatNotLinkedAsSuccess: true,
			}),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(json(items).map((i) => [i.status, i.code, i.alreadyUnlinked])).toEqual([
			['success', 'INVALID_DATA', true],
			['success', 'SUCCESS', undefined],
		]);
	});

	test('off by default: the same id is an error item', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 1);
		sandbox.unlink('Campaigns', campaignId, 'Contacts', contactIds[0]);
		const { items } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds),
			credentials: credential(),
		});
		expect(json(items)[0]).toMatchObject({ status: 'error', message: 'relation not found' });
	});
});

describe('Related Records: Choose From Linked Records, All Linked Records; Dry Run', () => {
	const deletes = () => apiCalls(sandbox).filter((c) => c.method === 'DELETE');
	const gets = () => apiCalls(sandbox).filter((c) => c.method === 'GET');

	test('All Linked Records reads every linked id (200 per page) and delinks them in calls of 100', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 250);
		const { items, error } = await runNode({
			parameters: {
				...delinkParameters('Campaigns', 'Contacts', campaignId, ''),
				relatedRecordsSource: 'all',
			},
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		// Two pages, then one more read of page 1 finds nothing left (nothing linked meanwhile).
		expect(gets().map((c) => [c.query.page, c.query.per_page, c.status])).toEqual([
			['1', '200', 200],
			['2', '200', 200],
			['1', '200', 204],
		]);
		expect(deletes()).toHaveLength(3);
		expect(
			json(items)
				.map((i) => i.relatedRecordId)
				.sort(),
		).toEqual([...contactIds].sort());
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
	});

	test('All Linked Records on a record with nothing linked: no DELETE, no item, no error', async () => {
		const campaignId = sandbox.addRecord('Campaigns');
		const { items, error } = await runNode({
			parameters: {
				...delinkParameters('Campaigns', 'Contacts', campaignId, ''),
				relatedRecordsSource: 'all',
			},
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(gets()).toHaveLength(1);
		expect(deletes()).toHaveLength(0);
	});

	test('Choose From Linked Records delinks the ticked ids', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 3);
		const { items } = await runNode({
			parameters: {
				...delinkParameters('Campaigns', 'Contacts', campaignId, ''),
				relatedRecordsSource: 'linked',
				linkedRecordIds: [contactIds[0], contactIds[2]],
			},
			credentials: credential(),
		});
		expect(json(items).map((i) => [i.relatedRecordId, i.status])).toEqual([
			[contactIds[0], 'success'],
			[contactIds[2], 'success'],
		]);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([contactIds[1]]);
	});

	test('Dry Run reports per id whether it would be delinked and sends no DELETE', async () => {
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 2);
		const stranger = sandbox.addRecord('Contacts');
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, [...contactIds, stranger], {
				dryRun: true,
			}),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(deletes()).toHaveLength(0);
		expect(json(items).map((i) => [i.relatedRecordId, i.code, i.wouldDelink, i.dryRun])).toEqual([
			[contactIds[0], 'DRY_RUN', true, true],
			[contactIds[1], 'DRY_RUN', true, true],
			[stranger, 'DRY_RUN', false, true],
		]);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual(contactIds);
	});
});

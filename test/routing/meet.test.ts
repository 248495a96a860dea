/**
 * Where features meet, through the real routing engine on n8n-core 1.x and 2.x: items that
 * share calls but differ in options, Undo after an answer Zoho could give for an id that is not
 * linked or an answer lost on the way, ids Zoho writes as JSON numbers, and a credential that
 * would send tokens in clear text. Each test is one symptom reported in issue 15.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { TestCredentialsHelper } from '../helpers/credentials';

import { delinkParameters, runNode } from '../helpers/routing';
import { ZOHO_ERRORS } from '../zoho-sandbox';
import {
	apiCalls,
	campaignWithMembers,
	json,
	linkParameters,
	membership,
	sandboxesClosedAfterEach,
	UNDO,
} from './fixtures';

const setup = sandboxesClosedAfterEach();

/** Undo a Delink: Link from Delink's output items, as they are. */
const undo = (items: INodeExecutionData[], credentials: TestCredentialsHelper) =>
	runNode({ parameters: UNDO, items: items.map((i) => ({ json: i.json })), credentials });
const perItem = {
	...delinkParameters('Campaigns', 'Contacts', '={{ $json.c }}', '={{ $json.id }}'),
};

describe('items that share a relation but differ in options', () => {
	test('Keep Relation Data is respected per item: the item that asked gets relation, the other does not', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId: c, contactIds } = campaignWithMembers(sandbox, 2);
		const { items, error } = await runNode({
			parameters: { ...perItem, options: { keepRelationData: '={{ $json.keep }}' } },
			items: [
				{ json: { c, id: contactIds[0], keep: false } },
				{ json: { c, id: contactIds[1], keep: true } },
			],
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		const [off, on] = json(items);
		expect('relation' in off).toBe(false);
		expect(on.relation).toEqual({ Member_Status: 'Planning' });
		expect(apiCalls(sandbox).map((r) => r.method)).toEqual(['GET', 'DELETE']);
	});

	test('a read that fails fails only the item that needed it; the other item’s id is still delinked', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId: c, contactIds } = campaignWithMembers(sandbox, 2);
		sandbox.failNext(1, ZOHO_ERRORS.NO_PERMISSION); // the read
		const { items, error } = await runNode({
			parameters: { ...perItem, options: { keepRelationData: '={{ $json.keep }}' } },
			items: [
				{ json: { c, id: contactIds[0], keep: false } },
				{ json: { c, id: contactIds[1], keep: true } },
			],
			credentials: credential(),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(json(items).map((i) => [i.status, i.code])).toEqual([
			['success', 'SUCCESS'],
			['error', 'NO_PERMISSION'],
		]);
		expect(sandbox.linkedIds('Campaigns', c, 'Contacts')).toEqual([contactIds[1]]);
	});

	test('the same id in two items with different Batch Size is sent once and reported removed to both', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId: c, contactIds } = campaignWithMembers(sandbox, 2);
		const { items, error } = await runNode({
			parameters: {
				...perItem,
				options: { batchSize: '={{ $json.size }}', keepRelationData: false },
			},
			items: [
				{ json: { c, id: `${contactIds[0]},${contactIds[1]}`, size: 100 } },
				{ json: { c, id: contactIds[1], size: 1 } },
			],
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(json(items).map((i) => [i.relatedRecordId, i.status, i.sharedWith])).toEqual([
			[contactIds[0], 'success', undefined],
			[contactIds[1], 'success', [1]],
			[contactIds[1], 'success', [0]],
		]);
		expect(apiCalls(sandbox).filter((r) => r.method === 'DELETE')).toHaveLength(1);
	});

	test('Link: two items giving the same id another Member_Status (and other options) — one is linked, the other is told so', async () => {
		const { sandbox, credential } = await setup();
		const c = sandbox.addRecord('Campaigns');
		const contact = sandbox.addRecord('Contacts');
		const { items, error } = await runNode({
			parameters: linkParameters('Campaigns', 'Contacts', '={{ $json.c }}', '={{ $json.id }}', {
				memberStatus: '={{ $json.status }}',
				options: { batchSize: '={{ $json.size }}' },
			}),
			items: [
				{ json: { c, id: contact, status: 'Active', size: 100 } },
				{ json: { c, id: contact, status: 'Sent', size: 10 } },
			],
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(json(items).map((i) => [i.status, i.code])).toEqual([
			['success', 'SUCCESS'],
			['error', 'CONFLICTING_RELATION_DATA'],
		]);
		expect(sandbox.relationData('Campaigns', c, 'Contacts', contact)).toEqual({
			Member_Status: 'Active',
		});
	});
});

describe('Undo never creates a link that was not there', () => {
	test('Zoho answers SUCCESS for an id that is not linked: Delink says NOT_LINKED, Undo restores only the real member', async () => {
		const { sandbox, credential } = await setup({ notLinkedAnswer: 'success' });
		const { campaignId, contactIds } = campaignWithMembers(sandbox, 1);
		const stranger = sandbox.addRecord('Contacts');
		const ids = [contactIds[0], stranger];
		const before = membership(sandbox, campaignId, ids);
		const delinked = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, ids, {
				keepRelationData: true,
			}),
			credentials: credential(),
		});
		expect(json(delinked.items).map((i) => [i.status, i.code, i.linkedBefore])).toEqual([
			['success', 'SUCCESS', true],
			['error', 'NOT_LINKED', false],
		]);
		const undone = await undo(delinked.items, credential());
		expect(json(undone.items).map((i) => i.status)).toEqual(['success', 'skipped']);
		expect(membership(sandbox, campaignId, ids)).toEqual(before);
	});

	test('Keep Relation Data off: Zoho’s SUCCESS is reported (linkedBefore null) but Undo does not restore it', async () => {
		const { sandbox, credential } = await setup({ notLinkedAnswer: 'success' });
		const campaignId = sandbox.addRecord('Campaigns');
		const stranger = sandbox.addRecord('Contacts');
		const delinked = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, stranger),
			credentials: credential(),
		});
		expect(json(delinked.items)[0]).toMatchObject({ status: 'success', linkedBefore: null });
		const undone = await undo(delinked.items, credential());
		expect(json(undone.items)[0]).toMatchObject({ status: 'skipped', code: 'NOTHING_TO_RESTORE' });
		expect(String(json(undone.items)[0].message)).toMatch(/Keep Relation Data off/);
		expect(sandbox.isLinked('Campaigns', campaignId, 'Contacts', stranger)).toBe(false);
	});

	test.each(['relation-not-found', 'success', 'invalid-data'] as const)(
		'an answer lost after Zoho applied it (not-linked answer %s): Undo restores the member, never the stranger',
		async (notLinkedAnswer) => {
			const { sandbox, credential } = await setup({ notLinkedAnswer });
			const { campaignId, contactIds } = campaignWithMembers(sandbox, 1);
			const stranger = sandbox.addRecord('Contacts');
			const ids = [contactIds[0], stranger];
			const before = membership(sandbox, campaignId, ids);
			sandbox.failNext(1, { dropAfterApply: true }, { after: 1 }); // the DELETE, after the read
			const delinked = await runNode({
				parameters: delinkParameters('Campaigns', 'Contacts', campaignId, ids, {
					keepRelationData: true,
					retryBaseDelayMs: 0,
				}),
				credentials: credential(),
			});
			expect(delinked.error).toBeUndefined();
			const [member, other] = json(delinked.items);
			expect(member).toMatchObject({ linkedBefore: true });
			expect(other).toMatchObject({ status: 'error', linkedBefore: false });
			const undone = await undo(delinked.items, credential());
			expect(json(undone.items).map((i) => i.status)).toEqual(['success', 'skipped']);
			expect(membership(sandbox, campaignId, ids)).toEqual(before);
		},
	);

	test('an item of an older version (no linkedBefore) is restored only when it carries the relation data read before', async () => {
		const { sandbox, credential } = await setup();
		const c = sandbox.addRecord('Campaigns');
		const [a, b] = sandbox.addRecords('Contacts', 2);
		const base = { module: 'Campaigns', recordId: c, relatedList: 'Contacts', status: 'success' };
		const { items } = await runNode({
			parameters: UNDO,
			items: [
				{
					json: {
						...base,
						relatedRecordId: a,
						code: 'SUCCESS',
						relation: { Member_Status: 'Sent' },
					},
				},
				{ json: { ...base, relatedRecordId: b, code: 'SUCCESS' } },
			],
			credentials: credential(),
		});
		expect(json(items).map((i) => i.status)).toEqual(['success', 'skipped']);
		expect(sandbox.linkedIds('Campaigns', c, 'Contacts')).toEqual([a]);
	});
});

test('Zoho answering ids as JSON numbers (digits lost in JavaScript): each id still gets its own answer', async () => {
	const { sandbox, credential } = await setup({ numericIds: true });
	const { campaignId, contactIds } = campaignWithMembers(sandbox, 3);
	const { items, error } = await runNode({
		parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds),
		credentials: credential(),
	});
	expect(error).toBeUndefined();
	expect(json(items).map((i) => [i.relatedRecordId, i.status, i.code])).toEqual(
		contactIds.map((id) => [id, 'success', 'SUCCESS']),
	);
});

test.each([
	['api_domain', { api_domain: 'http://crm.example.com' }],
	['Custom Accounts Server', { customAccountsServer: 'http://accounts.example.com' }],
])(
	'a %s with plain http on a host that is not loopback is refused before any request',
	async (_what, override) => {
		const { sandbox, credential } = await setup();
		const creds = credential('api_domain' in override ? (override as IDataObject) : {});
		if ('customAccountsServer' in override) {
			creds.data.customAccountsServer = override.customAccountsServer;
			(creds.data.oauthTokenData as IDataObject).api_domain = '';
			creds.data.customApiDomain = sandbox.url;
		}
		const { error } = await runNode({
			parameters: delinkParameters(
				'Campaigns',
				'Contacts',
				'3652397000000000001',
				'3652397000000000002',
			),
			credentials: creds,
		});
		expect(error?.message).toMatch(/plain http/);
		expect(error?.description).toMatch(/https:\/\//);
		expect(sandbox.requests).toHaveLength(0);
	},
);

/**
 * n8n's node settings, through the real routing engine and n8n-core's own error-output split
 * (WorkflowExecute.handleNodeErrorOutput), on n8n-core 1.x and 2.x:
 * - On Error › Stop Workflow, Continue (regular output), Continue (using error output), with a
 *   partial failure (Zoho refuses one id) and a whole-call failure;
 * - Retry On Fail: n8n runs the node again in the same execution; what an earlier try removed
 *   is reported as removed (with the relation data read before it), never as a failure, and
 *   Undo restores it.
 */
import type { IDataObject } from 'n8n-workflow';

import { delinkParameters, runNode } from '../helpers/routing';
import { ZOHO_ERRORS } from '../zoho-sandbox';
import {
	apiCalls,
	campaignWithMembers,
	json,
	membership,
	sandboxesClosedAfterEach,
	UNDO,
} from './fixtures';

const setup = sandboxesClosedAfterEach();
const paired = (items: Array<{ pairedItem?: unknown }>) =>
	items.map((i) => (i.pairedItem as { item: number }).item);

describe('On Error with Zoho refusing one id of three (a partial failure)', () => {
	const run = async (onError: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput') => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithMembers(sandbox, 2);
		const stranger = sandbox.addRecord('Contacts'); // a record, not linked: Zoho refuses it
		const ids = [contactIds[0], stranger, contactIds[1]];
		const result = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, '={{ $json.id }}'),
			items: ids.map((id) => ({ json: { id } })),
			credentials: credential(),
			onError,
		});
		return { ...result, ids, stranger };
	};

	test('Continue (using error output): the refused id is on the error output, the two others on the success output, each paired to its item', async () => {
		const { items, errorItems, error, ids, stranger } = await run('continueErrorOutput');
		expect(error).toBeUndefined();
		expect(json(items).map((i) => [i.relatedRecordId, i.status])).toEqual([
			[ids[0], 'success'],
			[ids[2], 'success'],
		]);
		expect(paired(items)).toEqual([0, 2]);
		expect(errorItems).toHaveLength(1);
		expect(paired(errorItems!)).toEqual([1]);
		const failed = errorItems![0].json;
		expect(Object.keys(failed).sort()).toEqual(['error', 'message']);
		expect(failed.message).toMatch(
			new RegExp(`^INVALID_DATA \\(related record ${stranger}\\): relation not found`),
		);
		expect(failed.error).toMatchObject({ relatedRecordId: stranger, status: 'error' });
	});

	test('Continue (regular output) and Stop Workflow: every id on the one output, with its status', async () => {
		for (const onError of ['continueRegularOutput', 'stopWorkflow'] as const) {
			const { items, errorItems, error, ids } = await run(onError);
			expect(error).toBeUndefined();
			expect(errorItems).toBeUndefined();
			expect(json(items).map((i) => [i.relatedRecordId, i.status])).toEqual([
				[ids[0], 'success'],
				[ids[1], 'error'],
				[ids[2], 'success'],
			]);
		}
	});
});

describe('On Error with a whole-call failure (NO_PERMISSION)', () => {
	const run = async (onError: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput') => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithMembers(sandbox, 3);
		sandbox.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
		return await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds),
			credentials: credential(),
			onError,
		});
	};

	test('Stop Workflow: the node fails with Zoho’s code and what to do', async () => {
		const { error, items } = await run('stopWorkflow');
		expect(items).toEqual([]);
		expect(error?.message).toMatch(/^Zoho CRM error NO_PERMISSION/);
	});

	test('Continue (using error output): every id of the call on the error output, none on success', async () => {
		const { error, items, errorItems } = await run('continueErrorOutput');
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(errorItems).toHaveLength(3);
		expect(errorItems!.every((i) => String(i.json.message).startsWith('NO_PERMISSION'))).toBe(true);
		expect(errorItems!.map((i) => (i.json.error as IDataObject).code)).toEqual([
			'NO_PERMISSION',
			'NO_PERMISSION',
			'NO_PERMISSION',
		]);
		expect(errorItems![0].json.message).toMatch(/administrator/);
	});

	test('Continue (regular output): every id as an error item on the one output', async () => {
		const { error, items } = await run('continueRegularOutput');
		expect(error).toBeUndefined();
		expect(json(items).map((i) => i.code)).toEqual([
			'NO_PERMISSION',
			'NO_PERMISSION',
			'NO_PERMISSION',
		]);
	});
});

test('Continue (using error output): bad input of one item goes to the error output, nothing sent for it', async () => {
	const { sandbox, credential } = await setup();
	const { campaignId, contactIds } = campaignWithMembers(sandbox, 1);
	const { items, errorItems, error } = await runNode({
		parameters: delinkParameters('Campaigns', 'Contacts', campaignId, '={{ $json.id }}'),
		items: [{ json: { id: 'oops' } }, { json: { id: contactIds[0] } }],
		credentials: credential(),
		onError: 'continueErrorOutput',
	});
	expect(error).toBeUndefined();
	expect(paired(items)).toEqual([1]);
	expect(paired(errorItems!)).toEqual([0]);
	expect(errorItems![0].json.message).toMatch(/^INVALID_INPUT: .*"oops" is not a Zoho record id/);
	expect(errorItems![0].json.message).toMatch(/numeric id/);
	expect((errorItems![0].json.error as IDataObject).code).toBe('INVALID_INPUT');
});

describe('Retry On Fail: n8n runs the node again in the same execution', () => {
	test('250 ids, the second of three calls refused once: every link removed is reported removed, with its relation data, and Undo restores all', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithMembers(sandbox, 250);
		const before = membership(sandbox, campaignId, contactIds);
		// the read before (2 pages of 200), the first DELETE, then the second DELETE is refused
		// (one call in flight at a time, so the order is fixed)
		sandbox.failNext(1, ZOHO_ERRORS.NO_PERMISSION, { after: 3 });
		const delinked = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
				keepRelationData: true,
				maxConcurrentCalls: 1,
			}),
			credentials: credential(),
			retryOnFail: { maxTries: 3 },
			executionId: 'retry-250',
		});
		expect(delinked.error).toBeUndefined();
		expect(delinked.tries).toBe(2);
		const out = json(delinked.items);
		expect(out.map((i) => i.relatedRecordId)).toEqual(contactIds);
		expect(out.every((i) => i.status === 'success' && i.linkedBefore === true)).toBe(true);
		expect(out.filter((i) => i.removedByEarlierTry === true)).toHaveLength(100);
		expect(out.map((i) => i.relation)).toEqual(before);
		// the second try sent only what the first did not remove
		const deletes = apiCalls(sandbox).filter((c) => c.method === 'DELETE');
		const sent = deletes.flatMap((c) => (c.query.ids ?? c.path.split('/').pop()!).split(','));
		expect(new Set(sent).size).toBe(250);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);

		const undone = await runNode({
			parameters: UNDO,
			items: delinked.items.map((i) => ({ json: i.json })),
			credentials: credential(),
		});
		expect(json(undone.items).every((i) => i.status === 'success')).toBe(true);
		expect(membership(sandbox, campaignId, contactIds)).toEqual(before);
	});

	test('another execution, or the same node in a loop (a new run), does not inherit an earlier run’s removals', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithMembers(sandbox, 1);
		const params = delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
			keepRelationData: true,
		});
		const first = await runNode({
			parameters: params,
			credentials: credential(),
			retryOnFail: { maxTries: 2 },
			executionId: 'exec-a',
		});
		expect(json(first.items)[0].status).toBe('success');
		const again = await runNode({
			parameters: params,
			credentials: credential(),
			retryOnFail: { maxTries: 2 },
			executionId: 'exec-b',
		});
		const item = json(again.items)[0] as IDataObject;
		expect([item.status, item.code, item.linkedBefore]).toEqual(['error', 'INVALID_DATA', false]);
	});
});

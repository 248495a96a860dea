/**
 * n8n's node settings in REAL n8n 1.x and 2.x (see delink-fixture.ts for the set-up):
 * - On Error › Continue (using error output): of three input items, the one whose id Zoho
 *   refuses comes out on the error output (merged by n8n over its input item), the two others
 *   on the success output, each paired to its item; a whole-call failure puts every id on the
 *   error output. Continue (regular output) and Stop Workflow keep every id on one output; Stop
 *   Workflow fails the run on a whole-call failure.
 * - Retry On Fail: 250 members, the second DELETE refused once; n8n runs the node again in the
 *   same execution, every member comes out removed with the Member_Status read before it, and
 *   an Undo node after it puts the campaign back exactly as it was.
 */
import * as h from '../harness';
import * as zw from '../harness/zoho-workflows';
import { ZOHO_ERRORS, type ZohoSandbox } from '../zoho-sandbox';
import {
	SETUP_TIMEOUT,
	ZOHO,
	delinkWorkflow,
	describeEachLine,
	expectOk,
	jsonOf,
	type Run,
} from './delink-fixture';

const STATUSES = ['Active', 'Planning', 'Sent', 'Invited'];
const paired = (items: any[]) => items.map((i) => i.pairedItem?.item);

/** Set (raw) → Split Out: one input item per { campaignId, contactId }. */
function threeItems(rows: Array<{ campaignId: string; contactId: string }>): zw.WorkflowNode[] {
	return [
		{
			name: 'Rows',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ rows }), options: {} },
		},
		{
			name: 'One item per row',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			parameters: { fieldToSplitOut: 'rows', options: {} },
		},
	];
}

const perRow = {
	module: 'Campaigns',
	relatedList: 'Contacts',
	recordId: zw.byId('={{ $json.campaignId }}'),
	relatedRecordIds: '={{ $json.contactId }}',
	options: { keepRelationData: false },
};

describeEachLine({ expiredToken: false }, (f) => {
	let sb: ZohoSandbox;
	let partial: { campaignId: string; rows: Array<{ campaignId: string; contactId: string }> };
	let whole: typeof partial;
	let members: { campaignId: string; contactIds: string[] };

	beforeAll(async () => {
		sb = f.sb;
		const setOf = (name: string) => {
			const { campaignId, contactIds } = f.campaignWith(2, name);
			const stranger = sb.addRecord('Contacts'); // a record, not linked: Zoho refuses it
			const ids = [contactIds[0], stranger, contactIds[1]];
			return { campaignId, rows: ids.map((contactId) => ({ campaignId, contactId })) };
		};
		partial = setOf('E2E partial, error output');
		whole = setOf('E2E whole-call failure, error output');
		members = f.campaignWith(250, 'E2E retry on fail');
		sb.link('Campaigns', members.campaignId, 'Contacts', members.contactIds, (_id, i) => ({
			Member_Status: STATUSES[i % STATUSES.length],
		}));
		const withRows = (id: string, rows: typeof partial.rows, onError: string) =>
			delinkWorkflow(id, perRow, { before: threeItems(rows), nodeSettings: { onError } });
		const retry = delinkWorkflow(
			'wfRetry',
			{
				module: 'Campaigns',
				relatedList: 'Contacts',
				recordId: zw.byId(members.campaignId),
				relatedRecordIds: members.contactIds.join(','),
				options: { keepRelationData: true, maxConcurrentCalls: 1 },
			},
			{ nodeSettings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } },
		);
		// Undo right after: Link from the Delink node's output items
		const delinkNode = retry.nodes[retry.nodes.length - 1];
		retry.nodes.push({
			name: 'Undo',
			type: delinkNode.type,
			typeVersion: 1,
			parameters: { operation: 'link', linkFrom: 'delinkOutput', options: {} },
			credentials: delinkNode.credentials,
		});
		retry.connections[ZOHO] = { main: [[{ node: 'Undo', type: 'main', index: 0 }]] };
		await f.importAll([
			withRows('wfErrOut', partial.rows, 'continueErrorOutput'),
			withRows('wfRegular', partial.rows, 'continueRegularOutput'),
			withRows('wfStop', partial.rows, 'stopWorkflow'),
			withRows('wfWholeErrOut', whole.rows, 'continueErrorOutput'),
			withRows('wfWholeStop', whole.rows, 'stopWorkflow'),
			retry,
		]);
	}, SETUP_TIMEOUT);

	const relink = (set: typeof partial) => {
		sb.link('Campaigns', set.campaignId, 'Contacts', [
			set.rows[0].contactId,
			set.rows[2].contactId,
		]);
	};

	describe('On Error with Zoho refusing one id of three', () => {
		let run: Run;
		beforeAll(async () => {
			relink(partial);
			run = await f.execute('wfErrOut');
			expectOk(run);
		});

		test('Continue (using error output): the refused id on the error output, merged over its input item; the others on the success output', () => {
			const ok = h.nodeItems(run.result.output, ZOHO, { outputIndex: 0 });
			const failed = h.nodeItems(run.result.output, ZOHO, { outputIndex: 1 });
			expect(paired(ok)).toEqual([0, 2]);
			expect(jsonOf(ok).map((j) => [j.relatedRecordId, j.status])).toEqual([
				[partial.rows[0].contactId, 'success'],
				[partial.rows[2].contactId, 'success'],
			]);
			expect(paired(failed)).toEqual([1]);
			const [refused] = jsonOf(failed);
			// n8n merged the input item (campaignId, contactId) under the node's error item
			expect(refused).toMatchObject({
				...partial.rows[1],
				error: { status: 'error', code: 'INVALID_DATA' },
			});
			expect(refused.message).toMatch(/^INVALID_DATA \(related record \d+\): relation not found/);
		});

		test.each([
			['Continue (regular output)', 'wfRegular'],
			['Stop Workflow', 'wfStop'],
		])('%s: every id on the one output, with its status', async (_label, id) => {
			relink(partial);
			const other = await f.execute(id);
			expectOk(other);
			const items = h.nodeItems(other.result.output, ZOHO);
			expect(paired(items)).toEqual([0, 1, 2]);
			expect(jsonOf(items).map((j) => j.status)).toEqual(['success', 'error', 'success']);
			expect(h.nodeItems(other.result.output, ZOHO, { outputIndex: 1 })).toEqual([]);
		});
	});

	describe('On Error with a whole-call failure (NO_PERMISSION on every call)', () => {
		test('Continue (using error output): every id on the error output, none on success', async () => {
			sb.failNext(1, ZOHO_ERRORS.NO_PERMISSION); // the three items share one call
			const run = await f.execute('wfWholeErrOut');
			expectOk(run);
			expect(h.nodeItems(run.result.output, ZOHO, { outputIndex: 0 })).toEqual([]);
			const failed = h.nodeItems(run.result.output, ZOHO, { outputIndex: 1 });
			expect(paired(failed).sort()).toEqual([0, 1, 2]);
			expect(jsonOf(failed).every((j) => j.error.code === 'NO_PERMISSION')).toBe(true);
		});

		test('Stop Workflow: the run fails with Zoho’s code', async () => {
			sb.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
			const run = await f.execute('wfWholeStop');
			expect(run.result.ok).toBe(false);
			expect(h.executionError(run.result.output, ZOHO)?.message).toContain('NO_PERMISSION');
		});
	});

	describe('Retry On Fail: 250 members, the second DELETE refused once', () => {
		let run: Run;
		const before = () =>
			members.contactIds.map((id) =>
				sb.relationData('Campaigns', members.campaignId, 'Contacts', id),
			);
		let start: unknown[];
		beforeAll(async () => {
			start = before();
			// the read before (2 pages), the first DELETE, then the second is refused
			sb.failNext(1, ZOHO_ERRORS.NO_PERMISSION, { after: 3 });
			run = await f.execute('wfRetry');
			expectOk(run);
		});

		test('every member comes out removed (100 by the first try), with the Member_Status read before', () => {
			const items = jsonOf(h.nodeItems(run.result.output, ZOHO));
			expect(items.map((j) => j.relatedRecordId)).toEqual(members.contactIds);
			expect(items.every((j) => j.status === 'success' && j.linkedBefore === true)).toBe(true);
			expect(items.filter((j) => j.removedByEarlierTry === true)).toHaveLength(100);
			expect(items.map((j) => j.relation)).toEqual(start);
		});

		test('Undo after it puts the campaign back exactly as it was', () => {
			const undone = jsonOf(h.nodeItems(run.result.output, 'Undo'));
			expect(undone.every((j) => j.status === 'success')).toBe(true);
			expect(before()).toEqual(start);
		});
	});
});

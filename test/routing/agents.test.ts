/**
 * The node as an AI agent's tool (its `…Tool` type, as n8n runs it for the AI Agent and the MCP
 * Server Trigger) and in a workflow, through the real routing engine on n8n-core 1.x and 2.x:
 * the Output shape (a summary of at most 8 KB by default as a tool, one item per id by default in
 * a workflow, either on request), Max Links Per Run (1,000 by default as a tool, none in a
 * workflow unless set; past it nothing is sent), and failures that reach the model as results.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SUMMARY_BUDGET } from '../../nodes/ZohoCrmRelatedRecords/actions/toolOutput';
import { ledgersForming } from '../../nodes/ZohoCrmRelatedRecords/actions/runLimit';
import { delinkParameters, runNode, type RunOptions } from '../helpers/routing';
import { ZOHO_ERRORS, type ZohoSandbox } from '../zoho-sandbox';
import { apiCalls, json, sandboxesClosedAfterEach } from './fixtures';

const setup = sandboxesClosedAfterEach(() => expect(ledgersForming()).toBe(0));
const STATUSES = ['Active', 'Sent'];

/** What n8n hands the model for a tool's items: their json, as one JSON array. */
const modelBytes = (items: Array<{ json: IDataObject }>) =>
	Buffer.byteLength(JSON.stringify(items.map((i) => i.json)));

function campaign(sandbox: ZohoSandbox, linked: number, mixed = false) {
	const campaignId = sandbox.addRecord('Campaigns');
	const contactIds = sandbox.addRecords('Contacts', linked);
	sandbox.link('Campaigns', campaignId, 'Contacts', contactIds, (_id: string, i: number) =>
		mixed ? { Member_Status: STATUSES[i % 2] } : { Member_Status: 'Active' },
	);
	return { campaignId, contactIds };
}

const delink = (campaignId: string, ids: unknown, options: IDataObject = {}) =>
	delinkParameters('Campaigns', 'Contacts', campaignId, ids, {
		keepRelationData: true,
		...options,
	});

function link(campaignId: string, ids: unknown, options: IDataObject = {}): INodeParameters {
	return {
		operation: 'link',
		module: 'Campaigns',
		relatedList: 'Contacts',
		recordId: { __rl: true, mode: 'id', value: campaignId },
		relatedRecordIds: ids,
		memberStatus: 'Active',
		options,
	} as INodeParameters;
}

async function run(options: RunOptions) {
	const result = await runNode(options);
	return { ...result, out: json(result.items) };
}

describe('Output: a summary as a tool, one item per id in a workflow', () => {
	test('as a tool, Delink of 1,000 ids (10 not linked) is one summary of at most 8 KB: counts, the failed ids with code, message and fix, the links’ data to undo', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaign(sandbox, 990, true);
		const strangers = sandbox.addRecords('Contacts', 10);
		const ids = [...contactIds, ...strangers];
		const { out, error, items } = await run({
			parameters: delink(campaignId, ids),
			credentials: credential(),
			asTool: true,
		});
		expect(error).toBeUndefined();
		expect(out).toHaveLength(1);
		expect(modelBytes(items)).toBeLessThanOrEqual(SUMMARY_BUDGET);
		const [summary] = out;
		expect(summary).toMatchObject({
			operation: 'delink',
			module: 'Campaigns',
			recordId: campaignId,
			relatedList: 'Contacts',
			ids: 1000,
			status: 'partial',
			delinked: 990,
			failed: 10,
			byStatus: { success: 990, error: 10 },
			byCode: { SUCCESS: 990, INVALID_DATA: 10 },
		});
		const failures = summary.failures as IDataObject[];
		expect(failures).toHaveLength(1);
		expect(failures[0]).toMatchObject({ code: 'INVALID_DATA', message: 'relation not found' });
		expect(failures[0].fix).toMatch(/not linked/);
		expect(failures[0].ids).toEqual(strangers);
		// the links' data, grouped: each group's count; the summary says how to undo
		const done = summary.done as IDataObject[];
		expect(done.map((g) => [g.relation, g.count])).toEqual([
			[{ Member_Status: 'Active' }, 495],
			[{ Member_Status: 'Sent' }, 495],
		]);
		expect(summary.undo).toMatch(/link .* again/);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
		// the same calls as in a workflow: reads of the links' data, then 10 DELETEs
		expect(apiCalls(sandbox).filter((c) => c.method === 'DELETE')).toHaveLength(10);
	});

	test('as a tool, 10 ids: every id fits, grouped by the data on its link', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaign(sandbox, 10, true);
		const { out } = await run({
			parameters: delink(campaignId, contactIds),
			credentials: credential(),
			asTool: true,
		});
		const done = out[0].done as IDataObject[];
		expect(done.flatMap((g) => g.ids as string[]).sort()).toEqual([...contactIds].sort());
		expect(done.find((g) => (g.relation as IDataObject).Member_Status === 'Sent')?.ids).toEqual(
			contactIds.filter((_id, i) => i % 2 === 1),
		);
	});

	test('in a workflow, the same Delink gives one item per id (unchanged); Output › Summary gives the summary', async () => {
		const { sandbox, credential } = await setup();
		const a = campaign(sandbox, 150);
		const perId = await run({
			parameters: delink(a.campaignId, a.contactIds),
			credentials: credential(),
		});
		expect(perId.out.map((o) => [o.relatedRecordId, o.status])).toEqual(
			a.contactIds.map((id) => [id, 'success']),
		);
		const b = campaign(sandbox, 150);
		const summary = await run({
			parameters: delink(b.campaignId, b.contactIds, { output: 'summary' }),
			credentials: credential(),
		});
		expect(summary.out).toEqual([expect.objectContaining({ delinked: 150, status: 'success' })]);
		expect(summary.items[0].pairedItem).toEqual({ item: 0 });
	});

	test('as a tool, Output › One Item Per ID gives one item per id', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaign(sandbox, 5);
		const { out } = await run({
			parameters: delink(campaignId, contactIds, { output: 'items' }),
			credentials: credential(),
			asTool: true,
		});
		expect(out.map((o) => o.relatedRecordId)).toEqual(contactIds);
	});

	test('as a tool, Link of 1,000 ids is one summary of at most 8 KB', async () => {
		const { sandbox, credential } = await setup();
		const campaignId = sandbox.addRecord('Campaigns');
		const contactIds = sandbox.addRecords('Contacts', 1000);
		const { out, items } = await run({
			parameters: link(campaignId, contactIds),
			credentials: credential(),
			asTool: true,
		});
		expect(modelBytes(items)).toBeLessThanOrEqual(SUMMARY_BUDGET);
		expect(out[0]).toMatchObject({ operation: 'link', linked: 1000, failed: 0, status: 'success' });
		expect(out[0].undo).toMatch(/delink/);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toHaveLength(1000);
	});

	test('as a tool, Dry Run and Get Linked Records answer in one item', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaign(sandbox, 300);
		const stranger = sandbox.addRecord('Contacts');
		const dry = await run({
			parameters: delink(campaignId, [...contactIds.slice(0, 3), stranger], { dryRun: true }),
			credentials: credential(),
			asTool: true,
		});
		expect(dry.out).toEqual([
			expect.objectContaining({
				operation: 'dryRun',
				changed: 0,
				wouldDelink: { linked: 3, notLinked: 1 },
			}),
		]);
		const listed = await run({
			parameters: {
				operation: 'getLinked',
				module: 'Campaigns',
				relatedList: 'Contacts',
				recordId: { __rl: true, mode: 'id', value: campaignId },
				returnAll: true,
			},
			credentials: credential(),
			asTool: true,
		});
		expect(listed.out).toHaveLength(1);
		expect(modelBytes(listed.items)).toBeLessThanOrEqual(SUMMARY_BUDGET);
		expect(listed.out[0]).toMatchObject({ operation: 'getLinked', count: 300 });
		const shown = listed.out[0].records as IDataObject[];
		expect(shown.length + Number(listed.out[0].recordsNotShown ?? 0)).toBe(300);
		expect(shown[0].id).toBe(contactIds[0]);
		expect(apiCalls(sandbox).every((c) => c.method === 'GET')).toBe(true);
	});
});

describe('Max Links Per Run', () => {
	test('as a tool, 1,001 ids are refused by the default limit of 1,000: nothing is sent, the result names the limit and how to raise it', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaign(sandbox, 1001);
		const { out, error } = await run({
			parameters: delink(campaignId, contactIds),
			credentials: credential(),
			asTool: true,
		});
		expect(error).toBeUndefined();
		expect(out).toEqual([
			expect.objectContaining({
				status: 'refused',
				code: 'MAX_LINKS_PER_RUN',
				limit: 1000,
				requested: 1001,
			}),
		]);
		expect(out[0].message).toMatch(/1001 links, more than Max Links Per Run allows \(1000\)/);
		expect(out[0].fix).toMatch(
			/Max Links Per Run on the node "Zoho CRM Related Records" \(0 = no limit\)/,
		);
		expect(apiCalls(sandbox)).toEqual([]);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toHaveLength(1001);
	});

	test('in a workflow there is no limit unless set: 1,001 ids are delinked', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaign(sandbox, 1001);
		const { out, error } = await run({
			parameters: delink(campaignId, contactIds),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(out).toHaveLength(1001);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
	});

	test('in a workflow, the limit counts the run’s items together: 3 items × 2 ids over a limit of 5 fail the node, nothing sent', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaign(sandbox, 6);
		const items = [0, 1, 2].map((i) => ({ json: { ids: contactIds.slice(i * 2, i * 2 + 2) } }));
		const { error } = await run({
			parameters: delink(campaignId, '={{ $json.ids }}', { maxLinksPerRun: 5 }),
			items,
			credentials: credential(),
		});
		expect(error?.message).toMatch(/6 links, more than Max Links Per Run allows \(5\)/);
		expect(error?.description).toMatch(/raise Options › Max Links Per Run/);
		expect(apiCalls(sandbox)).toEqual([]);
		const ok = await run({
			parameters: delink(campaignId, '={{ $json.ids }}', { maxLinksPerRun: 6 }),
			items,
			credentials: credential(),
		});
		expect(ok.error).toBeUndefined();
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
	});

	test('in a workflow with Continue On Fail, each item of a refused run is an error item', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaign(sandbox, 4);
		const { out } = await run({
			parameters: delink(campaignId, contactIds, { maxLinksPerRun: 3 }),
			credentials: credential(),
			continueOnFail: true,
		});
		expect(out).toEqual([expect.objectContaining({ status: 'error', code: 'MAX_LINKS_PER_RUN' })]);
		expect(apiCalls(sandbox)).toEqual([]);
	});

	test('Link is limited too; Dry Run is not', async () => {
		const { sandbox, credential } = await setup();
		const campaignId = sandbox.addRecord('Campaigns');
		const contactIds = sandbox.addRecords('Contacts', 3);
		const refused = await run({
			parameters: link(campaignId, contactIds, { maxLinksPerRun: 2 }),
			credentials: credential(),
			asTool: true,
		});
		expect(refused.out[0]).toMatchObject({ status: 'refused', limit: 2, requested: 3 });
		expect(refused.out[0].message).toMatch(/would add 3 links/);
		expect(apiCalls(sandbox)).toEqual([]);
		const dry = await run({
			parameters: delink(campaignId, contactIds, { dryRun: true, maxLinksPerRun: 1 }),
			credentials: credential(),
			asTool: true,
		});
		expect(dry.out[0]).toMatchObject({ operation: 'dryRun', status: 'success' });
	});

	test('All Linked Records: its first read is counted; over the limit no DELETE is sent', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId } = campaign(sandbox, 12);
		const parameters = {
			...delink(campaignId, '', { maxLinksPerRun: 10 }),
			relatedRecordsSource: 'all',
		} as INodeParameters;
		const { out } = await run({ parameters, credentials: credential(), asTool: true });
		expect(out[0]).toMatchObject({ status: 'refused', delinked: 0 });
		expect((out[0].problems as IDataObject[])[0]).toMatchObject({ code: 'MAX_LINKS_PER_RUN' });
		expect(apiCalls(sandbox).map((c) => c.method)).toEqual(['GET']);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toHaveLength(12);
	});
});

describe('failures reach the model as results, never as thrown errors', () => {
	test('a mistyped id: code INVALID_INPUT, the message naming the field and value, and the fix', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId } = campaign(sandbox, 1);
		const { out, error } = await run({
			parameters: delink(campaignId, '36523970000009251x8'),
			credentials: credential(),
			asTool: true,
		});
		expect(error).toBeUndefined();
		expect(out[0]).toMatchObject({ status: 'error', ids: 0 });
		const [problem] = out[0].problems as IDataObject[];
		expect(problem.code).toBe('INVALID_INPUT');
		expect(problem.message).toMatch(/Related Record IDs/);
		expect(String(problem.fix).length).toBeGreaterThan(10);
		expect(apiCalls(sandbox)).toEqual([]);
	});

	test('a Zoho error for the whole call (NO_PERMISSION): Zoho’s code and message, the documented fix, the ids', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaign(sandbox, 3);
		sandbox.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
		const { out, error } = await run({
			parameters: delink(campaignId, contactIds, { keepRelationData: false }),
			credentials: credential(),
			asTool: true,
		});
		expect(error).toBeUndefined();
		expect(out[0]).toMatchObject({ status: 'error', delinked: 0, failed: 3 });
		const [failure] = out[0].failures as IDataObject[];
		expect(failure).toMatchObject({ code: 'NO_PERMISSION', ids: contactIds });
		expect(failure.fix).toMatch(/administrator/);
	});

	test('in a workflow the same Zoho error still fails the node (On Error unchanged)', async () => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaign(sandbox, 3);
		sandbox.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
		const { error } = await run({
			parameters: delink(campaignId, contactIds, { keepRelationData: false }),
			credentials: credential(),
		});
		expect(error?.message).toMatch(/NO_PERMISSION/);
	});
});

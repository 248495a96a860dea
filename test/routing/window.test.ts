/**
 * Zoho's 2,000-record page window, through the real routing engine (n8n-core 1.x and 2.x):
 * All Linked Records empties lists of any size, Dry Run and Get Linked Records never truncate
 * silently, and a list that changes during the run yields no id twice and none left unsaid.
 * Every case runs against both of Zoho's possibilities: with and without `next_page_token`.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { delinkParameters, runNode } from '../helpers/routing';
import type { ZohoSandbox } from '../zoho-sandbox';
import { apiCalls, campaignWithContacts, json, sandboxesClosedAfterEach } from './fixtures';

const sandboxFor = sandboxesClosedAfterEach();
const setup = (pageTokens: boolean) => sandboxFor({ pageTokens });

const deletes = (sb: ZohoSandbox) => apiCalls(sb).filter((c) => c.method === 'DELETE');
const gets = (sb: ZohoSandbox) => apiCalls(sb).filter((c) => c.method === 'GET');

function allLinked(campaignId: string, options: IDataObject = {}): INodeParameters {
	return {
		...delinkParameters('Campaigns', 'Contacts', campaignId, '', options),
		relatedRecordsSource: 'all',
	} as INodeParameters;
}

function getLinked(campaignId: string): INodeParameters {
	return {
		operation: 'getLinked',
		module: 'Campaigns',
		relatedList: 'Contacts',
		recordId: { __rl: true, mode: 'id', value: campaignId },
		returnAll: true,
	} as INodeParameters;
}

const variants = [
	['without next_page_token (Zoho documents none for related lists)', false],
	['with next_page_token', true],
] as const;

describe.each(variants)('Zoho %s', (_label, pageTokens) => {
	test.each([
		[4500, 24],
		[10000, 51],
	])(
		'All Linked Records on %i linked: each delinked and reported once, ceil(n/100) DELETEs, %i reads',
		async (n, reads) => {
			const { sandbox, credential } = await setup(pageTokens);
			const { campaignId, contactIds } = campaignWithContacts(sandbox, n);
			const { items, error } = await runNode({
				parameters: allLinked(campaignId, { maxConcurrentCalls: 10 }),
				credentials: credential(),
			});
			expect(error).toBeUndefined();
			const ids = json(items).map((i) => i.relatedRecordId as string);
			expect(new Set(ids).size).toBe(ids.length);
			expect([...ids].sort()).toEqual([...contactIds].sort());
			expect(json(items).every((i) => i.status === 'success' && i.code === 'SUCCESS')).toBe(true);
			expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
			expect(sandbox.stats.relationsRemoved).toBe(n);
			expect(deletes(sandbox)).toHaveLength(Math.ceil(n / 100));
			expect(gets(sandbox)).toHaveLength(reads);
			expect(apiCalls(sandbox).every((c) => c.status !== 400)).toBe(true);
			if (pageTokens) expect(gets(sandbox).some((c) => c.query.page_token)).toBe(true);
			else expect(gets(sandbox).some((c) => Number(c.query.page) > 10)).toBe(false);
		},
	);

	test('a list that changes between pages: no id twice, the newcomers delinked too, nothing left linked', async () => {
		const { sandbox, credential } = await setup(pageTokens);
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 3000);
		const newcomers = sandbox.addRecords('Contacts', 5);
		const goneByOthers = contactIds.slice(2500, 2503);
		let seenGets = 0;
		sandbox.onApiRequest((entry) => {
			if (entry.method !== 'GET' || ++seenGets !== 2) return;
			sandbox.link('Campaigns', campaignId, 'Contacts', newcomers);
			for (const id of goneByOthers) sandbox.unlink('Campaigns', campaignId, 'Contacts', id);
		});
		const { items, error } = await runNode({
			parameters: allLinked(campaignId),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		const ids = json(items).map((i) => i.relatedRecordId as string);
		expect(new Set(ids).size).toBe(ids.length);
		const expected = [...contactIds.filter((id) => !goneByOthers.includes(id)), ...newcomers];
		expect([...ids].sort()).toEqual(expected.sort());
		expect(json(items).every((i) => i.status === 'success')).toBe(true);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
	});

	test('a record linked again by someone else during the run: its item says it is still linked', async () => {
		const { sandbox, credential } = await setup(pageTokens);
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 250);
		let deleted = 0;
		sandbox.onApiRequest((entry) => {
			if (entry.method === 'DELETE' && ++deleted === 3)
				sandbox.link('Campaigns', campaignId, 'Contacts', contactIds[0]);
		});
		const { items, error } = await runNode({
			parameters: allLinked(campaignId),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(250);
		const first = json(items).find((i) => i.relatedRecordId === contactIds[0]);
		expect(first).toMatchObject({ status: 'success', stillLinked: true });
		expect(first?.warning).toMatch(/Linked again/);
		expect(json(items).filter((i) => i.stillLinked)).toHaveLength(1);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([contactIds[0]]);
	});

	test('Get Linked Records › Return All on 2,500 linked: all of them, or what Zoho shows and says so', async () => {
		const { sandbox, credential } = await setup(pageTokens);
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 2500);
		const { items, error } = await runNode({
			parameters: getLinked(campaignId),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		const ids = json(items).map((i) => i.id);
		if (pageTokens) {
			expect(ids).toEqual(contactIds);
			expect(json(items).some((i) => 'listTruncated' in i)).toBe(false);
		} else {
			expect(ids).toEqual(contactIds.slice(0, 2000));
			expect(json(items).every((i) => i.listTruncated === true)).toBe(true);
			expect(items[0].json.listNote).toMatch(/only the first 2,000 linked records/);
			expect(gets(sandbox)).toHaveLength(10);
		}
	});

	test('Dry Run past the window: linked past 2,000 is found with a token, else said to be unknown', async () => {
		const { sandbox, credential } = await setup(pageTokens);
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 2300);
		const stranger = sandbox.addRecord('Contacts');
		const ids = [contactIds[0], contactIds[2200], stranger];
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, ids, { dryRun: true }),
			credentials: credential(),
		});
		expect(error).toBeUndefined();
		expect(deletes(sandbox)).toHaveLength(0);
		const answers = json(items).map((i) => [i.wouldDelink, i.listTruncated]);
		if (pageTokens)
			expect(answers).toEqual([
				[true, undefined],
				[true, undefined],
				[false, undefined],
			]);
		else {
			expect(answers).toEqual([
				[true, true],
				[null, true],
				[null, true],
			]);
			expect(items[1].json.message).toMatch(/^unknown: .*first 2,000/);
		}
	});
});

test('a read refused past the window (a smaller window than 2,000) ends the read as truncated, not as a failure', async () => {
	const { sandbox, credential } = await sandboxFor({ pageWindow: 300 });
	const { campaignId } = campaignWithContacts(sandbox, 450);
	const { items, error } = await runNode({
		parameters: allLinked(campaignId),
		credentials: credential(),
	});
	expect(error).toBeUndefined();
	expect(items).toHaveLength(450);
	expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
	expect(gets(sandbox).filter((c) => c.status === 400).length).toBeGreaterThan(0);
});

test.each([
	['All Linked Records', (campaignId: string) => allLinked(campaignId, { maxRetries: 0 })],
	[
		'Dry Run',
		(campaignId: string) =>
			delinkParameters('Campaigns', 'Contacts', campaignId, '3652397000000000001', {
				dryRun: true,
			}),
	],
])(
	'Continue On Fail: a failed read under %s is a shaped, paired error item',
	async (_l, parameters) => {
		const { sandbox, credential } = await sandboxFor();
		const { campaignId } = campaignWithContacts(sandbox, 5);
		sandbox.failNext(1, { status: 403, code: 'NO_PERMISSION', message: 'permission denied' });
		const { items, error } = await runNode({
			parameters: parameters(campaignId),
			credentials: credential(),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			module: 'Campaigns',
			recordId: campaignId,
			relatedList: 'Contacts',
			status: 'error',
			code: 'NO_PERMISSION',
			message: 'permission denied',
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
	},
);

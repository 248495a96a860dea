/**
 * Delink at scale in REAL n8n (see delink-fixture.ts for the set-up): 1,000 input items of one
 * id each sharing 10 calls, "All Linked Records" on campaigns of 4,500 members past Zoho's
 * 2,000-record page window (without and with page tokens), and 1,000 ids against a Zoho that
 * throttles, fails, truncates and loses answers: every id ends delinked and is reported once.
 */
import * as h from '../harness';
import * as zw from '../harness/zoho-workflows';
import type { ZohoSandbox } from '../zoho-sandbox';
import {
	SETUP_TIMEOUT,
	ZOHO,
	api,
	delinkWorkflow,
	describeEachLine,
	expectOk,
	idsOf,
	jsonOf,
	success,
	type Run,
} from './delink-fixture';

describeEachLine({ expiredToken: false }, (f) => {
	const { line } = f;
	let sb: ZohoSandbox;
	const execute = (id: string) => f.execute(id);

	// records, seeded once per line
	let faulty: { campaignId: string; contactIds: string[] };
	/** 4,500 members each: past Zoho's 2,000-record page window, without and with page tokens. */
	let windowed: { campaignId: string; contactIds: string[] };
	let windowedTokens: { campaignId: string; contactIds: string[] };
	/** 1,000 input items of one contact each (Set → Split Out), sharing calls. */
	let perContact: { campaignId: string; contactIds: string[] };

	beforeAll(async () => {
		sb = f.sb;
		faulty = f.campaignWith(1000, 'E2E faults');
		windowed = f.campaignWith(4500, 'E2E 4,500 members');
		windowedTokens = f.campaignWith(4500, 'E2E 4,500 members, page tokens');
		perContact = f.campaignWith(1000, 'E2E 1,000 items');

		await f.importAll([
			delinkWorkflow('wfFaults', {
				module: 'Campaigns',
				relatedList: 'Contacts',
				recordId: zw.byId(faulty.campaignId),
				relatedRecordIds: faulty.contactIds.join(','),
				options: { batchSize: 50, maxRetries: 10, retryBaseDelayMs: 20 },
			}),
			...[
				['wfWindow', windowed],
				['wfWindowTokens', windowedTokens],
			].map(([id, c]) => ({
				...delinkWorkflow(id as string, {
					module: 'Campaigns',
					relatedList: 'Contacts',
					recordId: zw.byId((c as typeof windowed).campaignId),
					relatedRecordsSource: 'all',
					options: { maxConcurrentCalls: 10 },
				}),
			})),
			delinkWorkflow(
				'wfThousandItems',
				{
					module: 'Campaigns',
					relatedList: 'Contacts',
					recordId: zw.byId(perContact.campaignId),
					relatedRecordIds: '={{ $json.contactId }}',
				},
				{
					before: [
						{
							name: 'Contacts',
							type: 'n8n-nodes-base.set',
							typeVersion: 3.4,
							parameters: {
								mode: 'raw',
								jsonOutput: JSON.stringify({ contactId: perContact.contactIds }),
								options: {},
							},
						},
						{
							name: 'One item per contact',
							type: 'n8n-nodes-base.splitOut',
							typeVersion: 1,
							parameters: { fieldToSplitOut: 'contactId', options: {} },
						},
					],
				},
			),
		]);
	}, SETUP_TIMEOUT);

	describe('1,000 input items of one contact each (Set → Split Out → Delink), one campaign', () => {
		let run: Run;
		beforeAll(async () => {
			run = await execute('wfThousandItems');
		});

		test('the items share calls: 10 DELETEs of 100 ids; each item gets its own success, paired to it', () => {
			expectOk(run);
			const items = h.nodeItems(run.result.output, ZOHO);
			expect(jsonOf(items)).toEqual(
				perContact.contactIds.map((id) =>
					success('Campaigns', perContact.campaignId, 'Contacts', id),
				),
			);
			expect(items.map((i) => i.pairedItem)).toEqual(
				perContact.contactIds.map((_, item) => ({ item })),
			);
			const calls = api(run.requests);
			expect(calls.map((r) => `${r.method} ${r.status} ${idsOf(r).length}`)).toEqual(
				Array.from({ length: 10 }, () => 'DELETE 200 100'),
			);
			expect(calls.flatMap(idsOf).sort()).toEqual([...perContact.contactIds].sort());
			expect(sb.linkedIds('Campaigns', perContact.campaignId, 'Contacts')).toEqual([]);
		});
	});

	describe.each([
		['without next_page_token (Zoho documents none for related lists)', 'wfWindow', false],
		['with next_page_token', 'wfWindowTokens', true],
	] as const)(
		'All Linked Records on a campaign of 4,500 members, Zoho %s',
		(_label, id, pageTokens) => {
			let run: Run;
			let members: { campaignId: string; contactIds: string[] };
			beforeAll(async () => {
				members = pageTokens ? windowedTokens : windowed;
				sb.setFaults({ pageTokens });
				try {
					run = await execute(id);
				} finally {
					sb.setFaults({ pageTokens: false });
				}
			});

			test('every member delinked and reported once: 45 DELETEs and 24 reads, no page past the window', () => {
				expectOk(run);
				const items = jsonOf(h.nodeItems(run.result.output, ZOHO));
				expect(items).toHaveLength(4500);
				expect(new Set(items.map((i) => i.relatedRecordId)).size).toBe(4500);
				expect(items.map((i) => i.relatedRecordId).sort()).toEqual([...members.contactIds].sort());
				expect(items.every((i) => i.status === 'success' && i.code === 'SUCCESS')).toBe(true);
				expect(sb.linkedIds('Campaigns', members.campaignId, 'Contacts')).toEqual([]);
				const calls = api(run.requests);
				expect(calls.filter((r) => r.method === 'DELETE')).toHaveLength(45);
				const reads = calls.filter((r) => r.method === 'GET');
				expect(reads).toHaveLength(24);
				expect(calls.filter((r) => r.status === 400 || r.status === 429)).toEqual([]);
				if (pageTokens) expect(reads.filter((r) => r.query.page_token).length).toBe(22);
				else expect(reads.every((r) => Number(r.query.page) <= 10)).toBe(true);
			});
		},
	);

	describe('Zoho under faults: 429 beyond 3 calls in flight, 15% 500s, 10% HTML 502/503, 10% truncated JSON, 15% answers lost after the work', () => {
		let run: Run;
		beforeAll(async () => {
			sb.setFaults({
				maxConcurrent: 3,
				errorRate: 0.15,
				htmlErrorRate: 0.1,
				malformedJsonRate: 0.1,
				dropAfterApplyRate: 0.15,
				seed: 42 + line,
			});
			try {
				run = await execute('wfFaults');
			} finally {
				sb.setFaults({
					maxConcurrent: null,
					errorRate: 0,
					htmlErrorRate: 0,
					malformedJsonRate: 0,
					dropAfterApplyRate: 0,
				});
			}
		});

		test('every one of the 1,000 ids ends delinked and reported once; none lost, none twice', () => {
			expectOk(run);
			const items = jsonOf(h.nodeItems(run.result.output, ZOHO));
			expect(items.map((i) => i.relatedRecordId)).toEqual(faulty.contactIds);
			// success where Zoho said so; where an answer was lost after the work, the retry
			// finds the id not linked and the item says exactly that
			expect(
				items.filter((i) => i.status !== 'success' && i.code !== 'NOT_LINKED_AFTER_RETRY'),
			).toEqual([]);
			expect(items.filter((i) => i.code === 'NOT_LINKED_AFTER_RETRY').every((i) => i.retried)).toBe(
				true,
			);
			expect(sb.linkedIds('Campaigns', faulty.campaignId, 'Contacts')).toEqual([]);
			const statuses = api(run.requests).map((r) => r.status);
			expect(statuses.filter((st) => st !== 200).length).toBeGreaterThan(0);
			expect(items.some((i) => (i.attempts as number) > 1)).toBe(true);
		});
	});
});

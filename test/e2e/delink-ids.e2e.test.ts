/**
 * Delink of the ids given in the node, in REAL n8n (see delink-fixture.ts for the set-up): the
 * credential is imported with an EXPIRED access token, so the first run (250 ids in 3 calls)
 * proves n8n's OAuth2 refresh through the sandbox token endpoint and the next one that n8n
 * saved the new token; then two input items with a 207 partial answer, and a top-level Zoho
 * error (403 NO_PERMISSION) failing the run or, with Continue, giving error items. Workflows
 * run in the order of the tests; the last test checks every call of them on the wire.
 */
import * as h from '../harness';
import * as zw from '../harness/zoho-workflows';
import { ZOHO_ERRORS, type ZohoSandbox } from '../zoho-sandbox';
import {
	SETUP_TIMEOUT,
	ZOHO,
	api,
	delinkWorkflow,
	describeEachLine,
	expectCleanCalls,
	expectOk,
	idsOf,
	jsonOf,
	success,
	type Run,
} from './delink-fixture';

describeEachLine({ expiredToken: true }, (f) => {
	let sb: ZohoSandbox;
	const execute = (id: string) => f.execute(id);
	/** Token refreshes of the first run (the only ones). */
	let firstRunRefreshes = 0;

	// records, seeded once per line
	let big: { campaignId: string; contactIds: string[] };
	let single: { campaignId: string; contactIds: string[] };
	let multi: {
		campaignB: string;
		b: string[];
		unlinkedB: string;
		campaignC: string;
		c: string[];
	};
	let denied: { campaignId: string; contactIds: string[] };

	beforeAll(async () => {
		sb = f.sb;
		big = f.campaignWith(250, 'E2E 250 contacts');
		single = f.campaignWith(2, 'E2E single');
		const b = f.campaignWith(3, 'E2E partial');
		const unlinkedB = sb.addRecord('Contacts');
		const c = f.campaignWith(2, 'E2E second item');
		multi = {
			campaignB: b.campaignId,
			b: b.contactIds,
			unlinkedB,
			campaignC: c.campaignId,
			c: c.contactIds,
		};
		denied = f.campaignWith(2, 'E2E denied');

		await f.importAll([
			delinkWorkflow('wfBatch', {
				module: 'Campaigns',
				relatedList: 'Contacts',
				recordId: zw.byId(big.campaignId),
				relatedRecordIds: big.contactIds.join(','),
			}),
			delinkWorkflow('wfSingle', {
				module: 'Campaigns',
				relatedList: 'Contacts',
				recordId: zw.byId(single.campaignId),
				relatedRecordIds: single.contactIds[0],
			}),
			delinkWorkflow(
				'wfTwoItems',
				{
					module: 'Campaigns',
					relatedList: 'Contacts',
					recordId: zw.byId('={{ $json.campaignId }}'),
					relatedRecordIds: '={{ $json.contactIds }}',
				},
				{
					before: [
						{
							name: 'Relations',
							type: 'n8n-nodes-base.set',
							typeVersion: 3.4,
							parameters: {
								mode: 'raw',
								jsonOutput: JSON.stringify({
									relations: [
										{ campaignId: multi.campaignB, contactIds: [...multi.b, multi.unlinkedB] },
										{ campaignId: multi.campaignC, contactIds: multi.c },
									],
								}),
								options: {},
							},
						},
						{
							name: 'One item per campaign',
							type: 'n8n-nodes-base.splitOut',
							typeVersion: 1,
							parameters: { fieldToSplitOut: 'relations', options: {} },
						},
					],
				},
			),
			delinkWorkflow('wfDenied', {
				module: 'Campaigns',
				relatedList: 'Contacts',
				recordId: zw.byId(denied.campaignId),
				relatedRecordIds: denied.contactIds.join(','),
			}),
			delinkWorkflow(
				'wfDeniedCof',
				{
					module: 'Campaigns',
					relatedList: 'Contacts',
					recordId: zw.byId(denied.campaignId),
					relatedRecordIds: denied.contactIds.join(','),
				},
				{ nodeSettings: { onError: 'continueRegularOutput' } },
			),
		]);
	}, SETUP_TIMEOUT);

	describe('250 related ids, credential imported with an EXPIRED access token (first run)', () => {
		let run: Run;
		beforeAll(async () => {
			run = await execute('wfBatch');
			firstRunRefreshes = run.tokenRefreshes;
			expectOk(run);
		});

		test('outputs one success item per related id, in input order, each paired to input item 0', () => {
			const items = h.nodeItems(run.result.output, ZOHO);
			expect(items).toHaveLength(250);
			expect(jsonOf(items)).toEqual(
				big.contactIds.map((id) => success('Campaigns', big.campaignId, 'Contacts', id)),
			);
			expect(items.every((i) => JSON.stringify(i.pairedItem) === '{"item":0}')).toBe(true);
		});

		// the batches go out in parallel (Max Concurrent Calls, default 5): any arrival order
		test('sends exactly 3 DELETE calls (100 + 100 + 50 ids, none over 100) on the related-list URL with ?ids=', () => {
			const accepted = api(run.requests).filter((r) => r.status !== 401);
			expect(accepted.map((r) => r.method)).toEqual(['DELETE', 'DELETE', 'DELETE']);
			expect(accepted.map((r) => idsOf(r).length).sort((a, b) => b - a)).toEqual([100, 100, 50]);
			const sent = accepted.map(idsOf);
			expect(
				[0, 100, 200]
					.map((from) => sent.findIndex((ids) => ids[0] === big.contactIds[from]))
					.every((i) => i >= 0),
			).toBe(true);
			expect(sent.flat().sort()).toEqual([...big.contactIds].sort());
			for (const ids of sent) {
				const from = big.contactIds.indexOf(ids[0]);
				expect(ids).toEqual(big.contactIds.slice(from, from + ids.length));
			}
			for (const r of accepted) {
				expect(r.path).toBe(`/crm/v2/Campaigns/${big.campaignId}/Contacts`);
				expect(r.status).toBe(200);
			}
		});

		test('the relations are gone from the sandbox and no record was deleted', () => {
			expect(sb.linkedIds('Campaigns', big.campaignId, 'Contacts')).toEqual([]);
			expect(sb.stats.recordsDeleted).toBe(0);
		});

		// The 3 batches go out at once and each meets the expired token (a 401 the node gets
		// back, no refresh inside the call); ONE of them renews it (sent once more, n8n
		// refreshes and repeats it), the others wait and send again with the new token.
		test('refreshes the expired token exactly once, however many calls met it (n8n 1.x would refresh once per call)', () => {
			expect(run.tokenRefreshes).toBe(1);
			const oauth = run.requests.filter((r) => r.kind === 'oauth');
			expect(oauth.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
				'POST /oauth/v2/token 200',
			]);
			const rejected = api(run.requests).filter((r) => r.status === 401);
			expect(rejected).toHaveLength(4);
			expect(rejected.every((r) => r.authorization === `Bearer ${f.expiredAccessToken}`)).toBe(
				true,
			);
			const after = run.requests.slice(run.requests.indexOf(oauth[0]) + 1);
			expect(after.map((r) => `${r.kind} ${r.method} ${r.status}`)).toEqual([
				'api DELETE 200',
				'api DELETE 200',
				'api DELETE 200',
			]);
			expect(new Set(after.map((r) => r.authorization)).size).toBe(1);
			expect(after[0].authorization).not.toBe(`Bearer ${f.expiredAccessToken}`);
		});
	});

	describe('a single related id (second run, same credential)', () => {
		let run: Run;
		let firstRunTokens: Array<string | undefined> = [];
		beforeAll(async () => {
			firstRunTokens = sb.requests
				.filter((r) => r.kind === 'api' && r.status === 200)
				.map((r) => r.authorization);
			run = await execute('wfSingle');
			expectOk(run);
		});

		test('uses the single-record URL /crm/v2/Campaigns/{id}/Contacts/{relatedId} with no ids query', () => {
			const calls = api(run.requests);
			expect(calls).toHaveLength(1);
			expect(calls[0].method).toBe('DELETE');
			expect(calls[0].rawPath).toBe(
				`/crm/v2/Campaigns/${single.campaignId}/Contacts/${single.contactIds[0]}`,
			);
			expect(calls[0].query).toEqual({});
			expect(jsonOf(h.nodeItems(run.result.output, ZOHO))).toEqual([
				success('Campaigns', single.campaignId, 'Contacts', single.contactIds[0]),
			]);
			expect(sb.linkedIds('Campaigns', single.campaignId, 'Contacts')).toEqual([
				single.contactIds[1],
			]);
		});

		test('n8n saved the refreshed token: this run sends it straight away and does not refresh again', () => {
			expect(run.tokenRefreshes).toBe(0);
			expect(run.requests.filter((r) => r.kind === 'oauth')).toEqual([]);
			expect(firstRunTokens.length).toBeGreaterThan(0);
			expect(firstRunTokens).toContain(api(run.requests)[0].authorization);
			expect(api(run.requests)[0].status).toBe(200);
		});
	});

	describe('two input items (Set → Split Out), ids from an expression array; the first has one id not linked (207)', () => {
		let run: Run;
		beforeAll(async () => {
			run = await execute('wfTwoItems');
			expectOk(run);
		});

		test('one item per related id, each paired to the input item it came from', () => {
			const items = h.nodeItems(run.result.output, ZOHO);
			expect(items.map((i) => [i.json.relatedRecordId, i.pairedItem])).toEqual([
				...[...multi.b, multi.unlinkedB].map((id) => [id, { item: 0 }]),
				...multi.c.map((id) => [id, { item: 1 }]),
			]);
		});

		test('the 207 partial answer gives success items for the linked ids and an error item INVALID_DATA for the unlinked one; the run succeeds', () => {
			const items = jsonOf(h.nodeItems(run.result.output, ZOHO));
			expect(items.slice(0, 4)).toEqual([
				...multi.b.map((id) => success('Campaigns', multi.campaignB, 'Contacts', id)),
				{
					module: 'Campaigns',
					recordId: multi.campaignB,
					relatedList: 'Contacts',
					relatedRecordId: multi.unlinkedB,
					status: 'error',
					code: 'INVALID_DATA',
					message: 'relation not found',
					details: { id: multi.unlinkedB },
					attempts: 1,
					linkedBefore: null, // Keep Relation Data off: no read before
				},
			]);
			expect(items.slice(4)).toEqual(
				multi.c.map((id) => success('Campaigns', multi.campaignC, 'Contacts', id)),
			);
			const statuses = api(run.requests)
				.map((r) => `${r.path} ${r.status}`)
				.sort();
			expect(statuses).toEqual(
				[
					`/crm/v2/Campaigns/${multi.campaignB}/Contacts 207`,
					`/crm/v2/Campaigns/${multi.campaignC}/Contacts 200`,
				].sort(),
			);
			expect(sb.linkedIds('Campaigns', multi.campaignB, 'Contacts')).toEqual([]);
			expect(sb.linkedIds('Campaigns', multi.campaignC, 'Contacts')).toEqual([]);
		});
	});

	describe('a top-level Zoho error (403 NO_PERMISSION injected with failNext)', () => {
		test('fails the execution with NO_PERMISSION in the error message; nothing is delinked', async () => {
			sb.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
			const run = await execute('wfDenied');
			expect(run.result.ok).toBe(false);
			expect(run.result.exitCode).not.toBe(0);
			expect(run.result.error?.message).toContain('NO_PERMISSION');
			expect(h.executionError(run.result.output, ZOHO)?.message).toContain('NO_PERMISSION');
			expect(h.nodeItems(run.result.output, ZOHO)).toEqual([]);
			expect(api(run.requests).map((r) => r.status)).toEqual([403]);
			expect(sb.linkedIds('Campaigns', denied.campaignId, 'Contacts')).toEqual(denied.contactIds);
		});

		describe('with the node set to Continue (onError: continueRegularOutput)', () => {
			let run: Run;
			beforeAll(async () => {
				sb.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
				run = await execute('wfDeniedCof');
			});

			test('the run succeeds with one error item per related id, paired to item 0, naming NO_PERMISSION', () => {
				expectOk(run);
				const items = h.nodeItems(run.result.output, ZOHO);
				expect(items).toHaveLength(denied.contactIds.length);
				for (const item of items) {
					expect(item.pairedItem).toEqual({ item: 0 });
					expect(JSON.stringify(item.json)).toContain('NO_PERMISSION');
				}
				expect(api(run.requests).map((r) => r.status)).toEqual([403]);
				expect(sb.linkedIds('Campaigns', denied.campaignId, 'Contacts')).toEqual(denied.contactIds);
			});

			// n8n replaces the json of any item that carries `error` with { error: message }; the
			// node's failure items carry none, so the per-id fields reach the next node.
			test('the per-id fields (relatedRecordId, status, code NO_PERMISSION) survive n8n', () => {
				expect(jsonOf(h.nodeItems(run.result.output, ZOHO))).toEqual(
					denied.contactIds.map((id) =>
						expect.objectContaining({
							relatedRecordId: id,
							status: 'error',
							code: 'NO_PERMISSION',
						}),
					),
				);
			});
		});
	});

	describe('after every run above', () => {
		test('across every run: only Authorization: Bearer <token>, no request body, no token in a URL, token refreshes only in the first run, no other host contacted', () => {
			const calls = api(sb.requests);
			expect(calls.length).toBeGreaterThanOrEqual(10);
			expectCleanCalls(calls);
			const oauth = sb.requests.filter((r) => r.kind === 'oauth');
			// all in the first run (see there)
			expect(firstRunRefreshes).toBe(1);
			expect(oauth.map((r) => `${r.method} ${r.path}`)).toEqual(
				Array.from({ length: firstRunRefreshes }, () => 'POST /oauth/v2/token'),
			);
			expect(sb.stats.tokenRefreshes).toBe(firstRunRefreshes);
			expect(sb.stats.recordsDeleted).toBe(0);
			expect(h.netAttempts(f.ctx)).toEqual([]);
		});
	});
});

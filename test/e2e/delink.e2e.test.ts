/**
 * Delink in REAL n8n, on each line of E2E_LINES (default 1,2: n8n 1.123 on Node 20, n8n 2.40
 * on Node 24): the built package is packed once, installed into a temp user folder the way
 * n8n installs community packages, and driven headless with `n8n import:*` / `n8n execute`
 * against the in-process Zoho sandbox. The credential is imported with an EXPIRED access
 * token, so the first call proves n8n's OAuth2 refresh through the sandbox token endpoint.
 *
 * Workflows run in the order of the tests (the token refresh happens once, in the first run;
 * later runs prove n8n saved the new token). Every workflow is imported in one CLI call.
 */
import * as h from './n8n-harness';
import * as zw from './zoho-workflows';
import {
	startZohoSandbox,
	ZOHO_ERRORS,
	type RequestLogEntry,
	type ZohoSandbox,
} from '../zoho-sandbox';

const CRED = { id: 'zohoE2eCred', name: zw.EXAMPLE_CREDENTIAL_NAME };
const ZOHO = 'Zoho CRM';
/** Installing n8n on a cold cache takes minutes; a warm line set-up takes seconds. */
const SETUP_TIMEOUT = 50 * 60_000;

const lines = h.e2eLines();
let tarball: string;

beforeAll(async () => {
	tarball = await h.packPackage();
}, 120_000);

afterAll(async () => h.cleanupAll(), 60_000);

if (lines.length === 0)
	test('E2E_LINES names at least one n8n line (1, 2 or 1,2)', () => {
		throw new Error(`E2E_LINES="${process.env.E2E_LINES}" selects no n8n line`);
	});

interface Run {
	result: h.ExecuteResult;
	/** What the sandbox received during this run, in order. */
	requests: RequestLogEntry[];
	tokenRefreshes: number;
}

const api = (reqs: RequestLogEntry[]) => reqs.filter((r) => r.kind === 'api');
const idsOf = (r: RequestLogEntry) => (r.query.ids ?? '').split(',').filter(Boolean);
const jsonOf = (items: any[]) => items.map((i) => i.json);

/** Fails with n8n's own output when a run that should succeed did not. */
function expectOk(run: Run) {
	if (!run.result.ok)
		throw new Error(
			`n8n execute failed (exit ${run.result.exitCode}): ${run.result.error?.message ?? ''}\n` +
				`--- stdout (tail) ---\n${run.result.stdout.split('\n').slice(-40).join('\n')}\n` +
				`--- stderr (tail) ---\n${run.result.stderr.split('\n').slice(-20).join('\n')}`,
		);
}

function success(module: string, recordId: string, relatedList: string, id: string) {
	return {
		module,
		recordId,
		relatedList,
		relatedRecordId: id,
		status: 'success',
		code: 'SUCCESS',
		message: 'relation removed',
		details: { id },
		// every outcome says how many attempts its call took (README: retries)
		attempts: 1,
	};
}

for (const line of lines)
	describe(`n8n ${line}.x with the packed package installed as a community package`, () => {
		let ctx: h.Ctx;
		let sb: ZohoSandbox;
		let expiredAccessToken: string;
		/** Token refreshes of the first run (the only ones). */
		let firstRunRefreshes = 0;
		let startedAt = 0;
		const runsMs: number[] = [];

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
		let exCampaign: { campaignId: string; contactIds: string[] };
		let exProduct: { productId: string; priceBookIds: string[]; unlinked: string };
		let campaignWf: zw.Workflow;
		let priceBookWf: zw.Workflow;
		// the "All Linked Records" examples
		let exContact: { contactId: string; campaignIds: string[]; otherContactId: string };
		let exEmpty: { campaignId: string; contactIds: string[] };
		let exDiscontinued: { productId: string; priceBookIds: string[]; otherProductId: string };
		let faulty: { campaignId: string; contactIds: string[] };
		/** 4,500 members each: past Zoho's 2,000-record page window, without and with page tokens. */
		let windowed: { campaignId: string; contactIds: string[] };
		let windowedTokens: { campaignId: string; contactIds: string[] };
		/** For examples/undo-a-delink.json: members with mixed Member_Status, a product's prices. */
		let undoCampaign: { campaignId: string; contactIds: string[] };
		let undoProduct: { productId: string; priceBookIds: string[] };
		/** 1,000 input items of one contact each (Set → Split Out), sharing calls. */
		let perContact: { campaignId: string; contactIds: string[] };
		let contactCampaignsWf: zw.Workflow;
		let emptyCampaignWf: zw.Workflow;
		let discontinuedWf: zw.Workflow;

		const campaignWith = (n: number, name: string) => {
			const campaignId = sb.addRecord('Campaigns', { Campaign_Name: name });
			const contactIds = sb.addRecords('Contacts', n);
			sb.link('Campaigns', campaignId, 'Contacts', contactIds);
			return { campaignId, contactIds };
		};

		async function execute(id: string): Promise<Run> {
			const from = sb.requests.length;
			const refreshesBefore = sb.stats.tokenRefreshes;
			const t = Date.now();
			const result = await h.executeWorkflow(ctx, id);
			runsMs.push(Date.now() - t);
			return {
				result,
				requests: sb.requests.slice(from),
				tokenRefreshes: sb.stats.tokenRefreshes - refreshesBefore,
			};
		}

		beforeAll(async () => {
			startedAt = Date.now();
			ctx = await h.createUserFolder({ line, tarball });
			sb = await startZohoSandbox({ host: '127.0.0.1' });

			big = campaignWith(250, 'E2E 250 contacts');
			single = campaignWith(2, 'E2E single');
			const b = campaignWith(3, 'E2E partial');
			const unlinkedB = sb.addRecord('Contacts');
			const c = campaignWith(2, 'E2E second item');
			multi = {
				campaignB: b.campaignId,
				b: b.contactIds,
				unlinkedB,
				campaignC: c.campaignId,
				c: c.contactIds,
			};
			denied = campaignWith(2, 'E2E denied');
			exCampaign = campaignWith(5, 'E2E example campaign');
			const productId = sb.addRecord('Products', { Product_Name: 'E2E product' });
			const priceBookIds = sb.addRecords('Price_Books', 3);
			sb.link('Products', productId, 'Price_Books', priceBookIds);
			exProduct = { productId, priceBookIds, unlinked: sb.addRecord('Price_Books') };

			// a contact in 3 campaigns (each with another contact that stays), a campaign with
			// 250 contacts (2 pages to read, 3 delete calls), a product in 4 price books (one of
			// them shared with another product, which keeps it)
			const contactId = sb.addRecord('Contacts', { First_Name: 'Una', Last_Name: 'Subscribe' });
			const otherContactId = sb.addRecord('Contacts');
			const campaignIds = sb.addRecords('Campaigns', 3, (i) => ({
				Campaign_Name: `E2E newsletter ${i + 1}`,
			}));
			for (const id of campaignIds)
				sb.link('Campaigns', id, 'Contacts', [contactId, otherContactId]);
			exContact = { contactId, campaignIds, otherContactId };
			exEmpty = campaignWith(250, 'E2E campaign to empty');
			const discontinuedId = sb.addRecord('Products', { Product_Name: 'E2E discontinued' });
			const dPriceBooks = sb.addRecords('Price_Books', 4, (i) => ({
				Price_Book_Name: `E2E price book ${i + 1}`,
			}));
			sb.link('Products', discontinuedId, 'Price_Books', dPriceBooks);
			const otherProductId = sb.addRecord('Products', { Product_Name: 'E2E still sold' });
			sb.link('Products', otherProductId, 'Price_Books', dPriceBooks[0]);
			exDiscontinued = { productId: discontinuedId, priceBookIds: dPriceBooks, otherProductId };
			faulty = campaignWith(1000, 'E2E faults');
			windowed = campaignWith(4500, 'E2E 4,500 members');
			windowedTokens = campaignWith(4500, 'E2E 4,500 members, page tokens');
			perContact = campaignWith(1000, 'E2E 1,000 items');
			const statuses = ['Active', 'Planning', 'Sent', 'Invited'];
			undoCampaign = {
				campaignId: sb.addRecord('Campaigns', { Campaign_Name: 'E2E undo' }),
				contactIds: sb.addRecords('Contacts', 250),
			};
			sb.link(
				'Campaigns',
				undoCampaign.campaignId,
				'Contacts',
				undoCampaign.contactIds,
				(_id, i) => ({
					Member_Status: statuses[i % statuses.length],
				}),
			);
			undoProduct = {
				productId: sb.addRecord('Products', { Product_Name: 'E2E undo product' }),
				priceBookIds: sb.addRecords('Price_Books', 3),
			};
			sb.link(
				'Products',
				undoProduct.productId,
				'Price_Books',
				undoProduct.priceBookIds,
				(_id, i) => ({
					list_price: [19.99, 24.5, 100][i],
				}),
			);

			const credential = zw.sandboxCredential(sb, { ...CRED, expired: true });
			expiredAccessToken = (credential.data.oauthTokenData as { access_token: string })
				.access_token;
			await h.importCredentials(ctx, [credential]);

			const wf = (id: string, parameters: Record<string, unknown>, extra = {}) =>
				zw.delinkWorkflow({ id, credential: CRED, name: ZOHO, parameters, ...extra });
			// the examples keep their own credential reference (by name): n8n resolves it on import
			campaignWf = zw.campaignExample({ id: 'exCampaign', ...exCampaign });
			priceBookWf = zw.priceBookExample({
				id: 'exPriceBooks',
				productId,
				priceBookIds: [...priceBookIds, exProduct.unlinked],
			});
			contactCampaignsWf = zw.contactCampaignsExample({ id: 'exContactCampaig', contactId });
			emptyCampaignWf = zw.emptyCampaignExample({
				id: 'exEmptyCampaign',
				campaignId: exEmpty.campaignId,
				campaignName: 'E2E campaign to empty',
			});
			discontinuedWf = zw.discontinuedProductExample({
				id: 'exDiscontinued',
				productId: discontinuedId,
			});
			await h.importWorkflow(ctx, [
				wf('wfFaults', {
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
					...wf(id as string, {
						module: 'Campaigns',
						relatedList: 'Contacts',
						recordId: zw.byId((c as typeof windowed).campaignId),
						relatedRecordsSource: 'all',
						options: { maxConcurrentCalls: 10 },
					}),
				})),
				wf(
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
				wf('wfBatch', {
					module: 'Campaigns',
					relatedList: 'Contacts',
					recordId: zw.byId(big.campaignId),
					relatedRecordIds: big.contactIds.join(','),
				}),
				wf('wfSingle', {
					module: 'Campaigns',
					relatedList: 'Contacts',
					recordId: zw.byId(single.campaignId),
					relatedRecordIds: single.contactIds[0],
				}),
				wf(
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
				wf('wfDenied', {
					module: 'Campaigns',
					relatedList: 'Contacts',
					recordId: zw.byId(denied.campaignId),
					relatedRecordIds: denied.contactIds.join(','),
				}),
				wf(
					'wfDeniedCof',
					{
						module: 'Campaigns',
						relatedList: 'Contacts',
						recordId: zw.byId(denied.campaignId),
						relatedRecordIds: denied.contactIds.join(','),
					},
					{ nodeSettings: { onError: 'continueRegularOutput' } },
				),
				zw.undoExample({
					id: 'exUndoCampaign',
					module: 'Campaigns',
					relatedList: 'Contacts',
					recordId: undoCampaign.campaignId,
				}),
				zw.undoExample({
					id: 'exUndoProduct',
					module: 'Products',
					relatedList: 'Price_Books',
					recordId: undoProduct.productId,
				}),
				campaignWf,
				priceBookWf,
				contactCampaignsWf,
				emptyCampaignWf,
				discontinuedWf,
			]);
			process.stderr.write(
				`[e2e] n8n ${ctx.n8n.version} (Node ${ctx.n8n.nodeVersion}): set up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`,
			);
		}, SETUP_TIMEOUT);

		afterAll(async () => {
			const total = ((Date.now() - startedAt) / 1000).toFixed(1);
			const runs = runsMs.map((ms) => (ms / 1000).toFixed(1)).join(', ');
			process.stderr.write(
				`[e2e] n8n ${ctx?.n8n.version ?? line}: ${total} s in all; n8n execute runs: ${runs} s\n`,
			);
			await sb?.close();
			await ctx?.cleanup();
		}, 60_000);

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
				expect(rejected.every((r) => r.authorization === `Bearer ${expiredAccessToken}`)).toBe(
					true,
				);
				const after = run.requests.slice(run.requests.indexOf(oauth[0]) + 1);
				expect(after.map((r) => `${r.kind} ${r.method} ${r.status}`)).toEqual([
					'api DELETE 200',
					'api DELETE 200',
					'api DELETE 200',
				]);
				expect(new Set(after.map((r) => r.authorization)).size).toBe(1);
				expect(after[0].authorization).not.toBe(`Bearer ${expiredAccessToken}`);
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
					expect(sb.linkedIds('Campaigns', denied.campaignId, 'Contacts')).toEqual(
						denied.contactIds,
					);
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

		describe('the example workflows of examples/, imported with only their ids adapted', () => {
			test(`${zw.CAMPAIGN_EXAMPLE}: n8n resolves its credential by name; the Set node's contact ids are delinked from the campaign`, async () => {
				const run = await execute('exCampaign');
				expectOk(run);
				const items = h.nodeItems(run.result.output, zw.zohoNodeName(campaignWf));
				expect(jsonOf(items)).toEqual(
					exCampaign.contactIds.map((id) =>
						// Keep Relation Data is on in the examples: each item carries the link's data
						({
							...success('Campaigns', exCampaign.campaignId, 'Contacts', id),
							relation: { Member_Status: null },
						}),
					),
				);
				expect(items.map((i) => i.pairedItem)).toEqual(
					exCampaign.contactIds.map(() => ({ item: 0 })),
				);
				// one read of the links' data (all 5 on page 1), then the DELETE
				expect(api(run.requests).map((r) => `${r.method} ${r.path} ${idsOf(r).length}`)).toEqual([
					`GET /crm/v2/Campaigns/${exCampaign.campaignId}/Contacts 0`,
					`DELETE /crm/v2/Campaigns/${exCampaign.campaignId}/Contacts 5`,
				]);
				expect(sb.linkedIds('Campaigns', exCampaign.campaignId, 'Contacts')).toEqual([]);
			});

			test(`${zw.PRICE_BOOK_EXAMPLE}: Record ID by URL, API v8; 3 price books delinked, the one not linked is an error item`, async () => {
				const run = await execute('exPriceBooks');
				expectOk(run);
				const items = jsonOf(h.nodeItems(run.result.output, zw.zohoNodeName(priceBookWf)));
				expect(items.map((i) => [i.relatedRecordId, i.status, i.code, i.message])).toEqual([
					...exProduct.priceBookIds.map((id) => [id, 'success', 'SUCCESS', 'relation removed']),
					[exProduct.unlinked, 'error', 'INVALID_DATA', 'relation not found'],
				]);
				expect(items.every((i) => i.recordId === exProduct.productId)).toBe(true);
				expect(items.map((i) => i.relation)).toEqual([
					...exProduct.priceBookIds.map(() => ({ list_price: null })),
					null,
				]);
				const calls = api(run.requests);
				expect(calls.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
					`GET /crm/v8/Products/${exProduct.productId}/Price_Books 200`,
					`DELETE /crm/v8/Products/${exProduct.productId}/Price_Books 207`,
				]);
				expect(calls[0].query.fields).toBe('id,list_price');
				expect(idsOf(calls[1])).toEqual([...exProduct.priceBookIds, exProduct.unlinked]);
				expect(sb.linkedIds('Products', exProduct.productId, 'Price_Books')).toEqual([]);
			});
		});

		describe('the "All Linked Records" examples of examples/, imported with only their ids adapted', () => {
			const calls = (run: Run) =>
				api(run.requests).map(
					(r) => `${r.method} ${r.path}${r.method === 'DELETE' ? ` ${idsOf(r).length}` : ''}`,
				);

			test(`${zw.CONTACT_CAMPAIGNS_EXAMPLE}: the contact's 3 campaigns are read (1 GET) and unlinked (1 DELETE); the other contact stays in them`, async () => {
				const run = await execute('exContactCampaig');
				expectOk(run);
				const items = h.nodeItems(run.result.output, zw.zohoNodeName(contactCampaignsWf));
				expect(jsonOf(items)).toEqual(
					exContact.campaignIds.map((id) => ({
						...success('Contacts', exContact.contactId, 'Campaigns', id),
						relation: { Member_Status: null },
					})),
				);
				expect(items.map((i) => i.pairedItem)).toEqual(
					exContact.campaignIds.map(() => ({ item: 0 })),
				);
				expect(calls(run)).toEqual([
					`GET /crm/v2/Contacts/${exContact.contactId}/Campaigns`,
					`DELETE /crm/v2/Contacts/${exContact.contactId}/Campaigns 3`,
					`GET /crm/v2/Contacts/${exContact.contactId}/Campaigns`,
				]);
				expect(idsOf(api(run.requests)[1])).toEqual(exContact.campaignIds);
				expect(sb.linkedIds('Contacts', exContact.contactId, 'Campaigns')).toEqual([]);
				for (const id of exContact.campaignIds)
					expect(sb.linkedIds('Campaigns', id, 'Contacts')).toEqual([exContact.otherContactId]);
			});

			describe(`${zw.EMPTY_CAMPAIGN_EXAMPLE}: Record ID "From List", Treat Not-Linked as Success`, () => {
				test('250 contacts: 2 GETs (200 + 50), 3 DELETEs (100 + 100 + 50), 1 GET that finds none left, one success item per contact', async () => {
					const run = await execute('exEmptyCampaign');
					expectOk(run);
					const items = h.nodeItems(run.result.output, zw.zohoNodeName(emptyCampaignWf));
					expect(items).toHaveLength(250);
					expect(jsonOf(items)).toEqual(
						exEmpty.contactIds.map((id) => ({
							...success('Campaigns', exEmpty.campaignId, 'Contacts', id),
							relation: { Member_Status: null },
						})),
					);
					const path = `/crm/v2/Campaigns/${exEmpty.campaignId}/Contacts`;
					// the 3 DELETEs go out in parallel: any arrival order between the reads
					const seen = calls(run);
					expect([seen.slice(0, 2), seen.slice(2, 5).sort(), seen.slice(5)]).toEqual([
						[`GET ${path}`, `GET ${path}`],
						[`DELETE ${path} 100`, `DELETE ${path} 100`, `DELETE ${path} 50`],
						[`GET ${path}`],
					]);
					const gets = api(run.requests).filter((r) => r.method === 'GET');
					expect(gets.map((r) => [r.query.page, r.query.per_page, r.status])).toEqual([
						['1', '200', 200],
						['2', '200', 200],
						['1', '200', 204],
					]);
					expect(
						api(run.requests)
							.filter((r) => r.method === 'DELETE')
							.flatMap(idsOf)
							.sort(),
					).toEqual([...exEmpty.contactIds].sort());
					expect(sb.linkedIds('Campaigns', exEmpty.campaignId, 'Contacts')).toEqual([]);
				});

				test('run again on the emptied campaign: one GET (204), zero items, no DELETE; the run succeeds', async () => {
					const run = await execute('exEmptyCampaign');
					expectOk(run);
					expect(h.nodeItems(run.result.output, zw.zohoNodeName(emptyCampaignWf))).toEqual([]);
					expect(api(run.requests).map((r) => `${r.method} ${r.status}`)).toEqual(['GET 204']);
				});
			});

			test(`${zw.DISCONTINUED_PRODUCT_EXAMPLE}: Get Linked Records lists the 4 price books by name, then Delink (Execute Once) unlinks them all`, async () => {
				const run = await execute('exDiscontinued');
				expectOk(run);
				const listed = jsonOf(
					h.nodeItems(run.result.output, zw.zohoNodeFor(discontinuedWf, 'getLinked').name),
				);
				expect(listed.map((r) => [r.id, r.Price_Book_Name])).toEqual(
					exDiscontinued.priceBookIds.map((id, i) => [id, `E2E price book ${i + 1}`]),
				);
				const items = h.nodeItems(run.result.output, zw.zohoNodeFor(discontinuedWf, 'delink').name);
				expect(jsonOf(items)).toEqual(
					exDiscontinued.priceBookIds.map((id) => ({
						...success('Products', exDiscontinued.productId, 'Price_Books', id),
						relation: { list_price: null },
					})),
				);
				// Execute Once: one delink run for the 4 listed items, all paired to the first
				expect(items.map((i) => i.pairedItem)).toEqual(
					exDiscontinued.priceBookIds.map(() => ({ item: 0 })),
				);
				const path = `/crm/v2/Products/${exDiscontinued.productId}/Price_Books`;
				// Get Linked Records' read, Delink's read, its DELETE, its read that finds none left
				expect(calls(run)).toEqual([
					`GET ${path}`,
					`GET ${path}`,
					`DELETE ${path} 4`,
					`GET ${path}`,
				]);
				expect(sb.linkedIds('Products', exDiscontinued.productId, 'Price_Books')).toEqual([]);
				expect(sb.linkedIds('Products', exDiscontinued.otherProductId, 'Price_Books')).toEqual([
					exDiscontinued.priceBookIds[0],
				]);
			});
		});

		describe(`${zw.UNDO_EXAMPLE}: Delink All Linked Records keeping relation data, then Link from its output`, () => {
			// by id: the link order after the undo follows which of Link's parallel calls lands first
			const snapshot = (module: string, id: string, list: string) =>
				sb
					.linkedIds(module as never, id, list as never)
					.sort()
					.map((rid) => [rid, sb.relationData(module as never, id, list as never, rid)]);
			test.each([
				[
					'a campaign of 250 members with mixed Member_Status',
					'exUndoCampaign',
					'Campaigns',
					'Contacts',
				],
				[
					'a product in 3 price books with different list prices',
					'exUndoProduct',
					'Products',
					'Price_Books',
				],
			])(
				'%s: the sandbox ends exactly as it began, relation data included',
				async (_l, id, module, list) => {
					const recordId = module === 'Campaigns' ? undoCampaign.campaignId : undoProduct.productId;
					const before = snapshot(module, recordId, list);
					expect(before.length).toBeGreaterThan(0);
					const run = await execute(id);
					expectOk(run);
					const wf = zw.undoExample({ id, module, relatedList: list, recordId });
					const delinked = jsonOf(
						h.nodeItems(run.result.output, zw.zohoNodeFor(wf, 'delink').name),
					);
					const byId = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
					expect(delinked.map((i) => [i.relatedRecordId, i.relation]).sort(byId)).toEqual(before);
					const linked = jsonOf(h.nodeItems(run.result.output, zw.zohoNodeFor(wf, 'link').name));
					expect(linked.map((i) => [i.relatedRecordId, i.status, i.code]).sort(byId)).toEqual(
						before.map(([rid]) => [rid, 'success', 'SUCCESS']),
					);
					expect(linked.map((i) => [i.relatedRecordId, i.relation]).sort(byId)).toEqual(before);
					expect(snapshot(module, recordId, list)).toEqual(before);
					const puts = api(run.requests).filter((r) => r.method === 'PUT');
					expect(puts).toHaveLength(Math.ceil(before.length / 100));
				},
			);
		});

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
					expect(items.map((i) => i.relatedRecordId).sort()).toEqual(
						[...members.contactIds].sort(),
					);
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
				expect(
					items.filter((i) => i.code === 'NOT_LINKED_AFTER_RETRY').every((i) => i.retried),
				).toBe(true);
				expect(sb.linkedIds('Campaigns', faulty.campaignId, 'Contacts')).toEqual([]);
				const statuses = api(run.requests).map((r) => r.status);
				expect(statuses.filter((st) => st !== 200).length).toBeGreaterThan(0);
				expect(items.some((i) => (i.attempts as number) > 1)).toBe(true);
			});
		});

		describe('after every run above', () => {
			test('across every run: only Authorization: Bearer <token>, no request body, no token in a URL, token refreshes only in the first run, no other host contacted', () => {
				const calls = api(sb.requests);
				expect(calls.length).toBeGreaterThanOrEqual(10);
				for (const r of calls) {
					expect(r.authorization).toMatch(/^Bearer [^\s,]+$/);
					// only Link's PUT carries a body (JSON); reads and delinks never do
					expect(r.hasBody).toBe(r.method === 'PUT');
					// (Zoho's own page_token is no secret)
					expect(r.rawPath).not.toMatch(/access_token|refresh_token|Zoho-oauthtoken/i);
					const token = r.authorization!.slice('Bearer '.length);
					expect(r.rawPath).not.toContain(token);
					for (const [name, value] of Object.entries(r.headers))
						if (name !== 'authorization') expect(String(value)).not.toContain(token);
				}
				const oauth = sb.requests.filter((r) => r.kind === 'oauth');
				// all in the first run (see there)
				expect(firstRunRefreshes).toBe(1);
				expect(oauth.map((r) => `${r.method} ${r.path}`)).toEqual(
					Array.from({ length: firstRunRefreshes }, () => 'POST /oauth/v2/token'),
				);
				expect(sb.stats.tokenRefreshes).toBe(firstRunRefreshes);
				expect(sb.stats.recordsDeleted).toBe(0);
				expect(h.netAttempts(ctx)).toEqual([]);
			});
		});
	});

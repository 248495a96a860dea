/**
 * The workflows of examples/ in REAL n8n (see delink-fixture.ts for the set-up), imported with
 * only their record ids adapted to the sandbox (their credential reference by name, as a user
 * imports them): delinking given ids (a campaign's contacts, a product's price books by URL),
 * "All Linked Records" (a contact's campaigns, emptying a campaign twice, a discontinued
 * product after Get Linked Records), and undo-a-delink (Delink keeping relation data, then
 * Link from its output: the sandbox ends as it began). Each checked from n8n's output (items,
 * pairing) and from the sandbox (relations left, every call in order).
 */
import * as h from '../harness';
import * as zw from '../harness/zoho-workflows';
import type { ZohoSandbox } from '../zoho-sandbox';
import {
	SETUP_TIMEOUT,
	api,
	describeEachLine,
	expectOk,
	idsOf,
	jsonOf,
	success,
	type Run,
} from './delink-fixture';

describeEachLine({ expiredToken: false }, (f) => {
	let sb: ZohoSandbox;
	const execute = (id: string) => f.execute(id);

	// records, seeded once per line
	let exCampaign: { campaignId: string; contactIds: string[] };
	let exProduct: { productId: string; priceBookIds: string[]; unlinked: string };
	let campaignWf: zw.Workflow;
	let priceBookWf: zw.Workflow;
	// the "All Linked Records" examples
	let exContact: { contactId: string; campaignIds: string[]; otherContactId: string };
	let exEmpty: { campaignId: string; contactIds: string[] };
	let exDiscontinued: { productId: string; priceBookIds: string[]; otherProductId: string };
	/** For examples/undo-a-delink.json: members with mixed Member_Status, a product's prices. */
	let undoCampaign: { campaignId: string; contactIds: string[] };
	let undoProduct: { productId: string; priceBookIds: string[] };
	let contactCampaignsWf: zw.Workflow;
	let emptyCampaignWf: zw.Workflow;
	let discontinuedWf: zw.Workflow;

	beforeAll(async () => {
		sb = f.sb;
		exCampaign = f.campaignWith(5, 'E2E example campaign');
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
		for (const id of campaignIds) sb.link('Campaigns', id, 'Contacts', [contactId, otherContactId]);
		exContact = { contactId, campaignIds, otherContactId };
		exEmpty = f.campaignWith(250, 'E2E campaign to empty');
		const discontinuedId = sb.addRecord('Products', { Product_Name: 'E2E discontinued' });
		const dPriceBooks = sb.addRecords('Price_Books', 4, (i) => ({
			Price_Book_Name: `E2E price book ${i + 1}`,
		}));
		sb.link('Products', discontinuedId, 'Price_Books', dPriceBooks);
		const otherProductId = sb.addRecord('Products', { Product_Name: 'E2E still sold' });
		sb.link('Products', otherProductId, 'Price_Books', dPriceBooks[0]);
		exDiscontinued = { productId: discontinuedId, priceBookIds: dPriceBooks, otherProductId };
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
		await f.importAll([
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
	}, SETUP_TIMEOUT);

	describe('the example workflows of examples/, imported with only their ids adapted', () => {
		test(`${zw.CAMPAIGN_EXAMPLE}: n8n resolves its credential by name; the Set node's contact ids are delinked from the campaign`, async () => {
			const run = await execute('exCampaign');
			expectOk(run);
			const items = h.nodeItems(run.result.output, zw.zohoNodeName(campaignWf));
			expect(jsonOf(items)).toEqual(
				exCampaign.contactIds.map((id) =>
					// Keep Relation Data is on in the examples: each item carries the link's data
					({
						...success('Campaigns', exCampaign.campaignId, 'Contacts', id, true),
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
					...success('Contacts', exContact.contactId, 'Campaigns', id, true),
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
						...success('Campaigns', exEmpty.campaignId, 'Contacts', id, true),
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
					...success('Products', exDiscontinued.productId, 'Price_Books', id, true),
					relation: { list_price: null },
				})),
			);
			// Execute Once: one delink run for the 4 listed items, all paired to the first
			expect(items.map((i) => i.pairedItem)).toEqual(
				exDiscontinued.priceBookIds.map(() => ({ item: 0 })),
			);
			const path = `/crm/v2/Products/${exDiscontinued.productId}/Price_Books`;
			// Get Linked Records' read, Delink's read, its DELETE, its read that finds none left
			expect(calls(run)).toEqual([`GET ${path}`, `GET ${path}`, `DELETE ${path} 4`, `GET ${path}`]);
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
				const delinked = jsonOf(h.nodeItems(run.result.output, zw.zohoNodeFor(wf, 'delink').name));
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
});

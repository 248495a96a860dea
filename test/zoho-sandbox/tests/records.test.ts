/**
 * The in-process store API: record ids (19-digit strings beyond Number precision) and default
 * names per module, what link() refuses, seedDemo, and the data a link carries
 * (sb.link(..., data), sb.relationData).
 */
import { seedDemo, type SeedDemoResult } from '../index';
import { sb, start, del } from './helpers';

describe('records and ids', () => {
	beforeEach(() => start());

	test('ids are unique 19-digit strings beyond Number precision, with default names per module', () => {
		const [a, b] = sb.addRecords('Contacts', 2);
		expect(a).toMatch(/^\d{19}$/);
		expect(b).not.toBe(a);
		expect(Number(a)).toBe(Number(b)); // adjacent ids collide as numbers: a client must keep strings
		expect(sb.getRecord('Contacts', a)).toMatchObject({
			id: a,
			First_Name: 'Contact',
			Full_Name: expect.stringContaining('Contact'),
		});
		expect(sb.getRecord('Leads', sb.addRecord('Leads'))).toHaveProperty('Last_Name');
		expect(sb.getRecord('Campaigns', sb.addRecord('Campaigns'))).toHaveProperty('Campaign_Name');
		expect(sb.getRecord('Products', sb.addRecord('Products'))).toHaveProperty('Product_Name');
		expect(sb.getRecord('Accounts', sb.addRecord('Accounts'))).toHaveProperty('Account_Name');
		expect(sb.getRecord('Deals', sb.addRecord('Deals'))).toHaveProperty('Deal_Name');
		expect(sb.getRecord('Price_Books', sb.addRecord('Price_Books'))).toHaveProperty(
			'Price_Book_Name',
		);
	});

	test('link() rejects an unsupported relation and an unknown record', () => {
		const c = sb.addRecord('Campaigns');
		const d = sb.addRecord('Deals');
		expect(() => sb.link('Campaigns', c, 'Deals', d)).toThrow(/no related list/);
		expect(() => sb.link('Campaigns', c, 'Contacts', '1')).toThrow(/no Contacts record/);
	});

	test('seedDemo builds a 250-contact campaign and a product in 3 of 4 price books', () => {
		const seed: SeedDemoResult = seedDemo(sb);
		expect(sb.getRecord('Campaigns', seed.campaignId)?.Campaign_Name).toBe('Spring Launch 2026');
		expect(sb.linkedIds('Campaigns', seed.campaignId, 'Contacts')).toEqual(seed.contactIds);
		expect(seed.contactIds).toHaveLength(250);
		expect(sb.getRecord('Products', seed.productId)?.Product_Name).toBe('Legacy Router X100');
		expect(sb.linkedIds('Products', seed.productId, 'Price_Books')).toEqual(seed.priceBookIds);
		expect(seed.priceBookIds).toHaveLength(3);
		expect(sb.isLinked('Products', seed.productId, 'Price_Books', seed.unlinkedPriceBookId)).toBe(
			false,
		);
	});
});

describe('relation data on links: sb.link(..., data), sb.relationData', () => {
	beforeEach(() => start());

	test('one object for every id, or a function of (relatedId, index); the same from either end', () => {
		const campaign = sb.addRecord('Campaigns');
		const leads = sb.addRecords('Leads', 2);
		sb.link('Campaigns', campaign, 'Leads', leads, { Member_Status: 'Planning' });
		expect(leads.map((l) => sb.relationData('Leads', l, 'Campaigns', campaign))).toEqual([
			{ Member_Status: 'Planning' },
			{ Member_Status: 'Planning' },
		]);
		const product = sb.addRecord('Products');
		const books = sb.addRecords('Price_Books', 3);
		const seen: Array<[string, number]> = [];
		sb.link('Products', product, 'Price_Books', books, (rid, i) => {
			seen.push([rid, i]);
			return i === 2 ? undefined : { list_price: 10.5 * (i + 1) };
		});
		expect(seen).toEqual(books.map((b, i) => [b, i]));
		expect(books.map((b) => sb.relationData('Price_Books', b, 'Products', product))).toEqual([
			{ list_price: 10.5 },
			{ list_price: 21 },
			{},
		]);
		const copy = sb.relationData('Products', product, 'Price_Books', books[0]) ?? {};
		copy.list_price = 1; // a copy: the link keeps its data
		expect(sb.relationData('Products', product, 'Price_Books', books[0])).toEqual({
			list_price: 10.5,
		});
	});

	test('linking again keeps the place and merges the data (null clears a field)', () => {
		const campaign = sb.addRecord('Campaigns');
		const [a, b] = sb.addRecords('Contacts', 2);
		sb.link('Campaigns', campaign, 'Contacts', [a, b], { Member_Status: 'Sent' });
		sb.link('Contacts', a, 'Campaigns', campaign, { Member_Status: 'Active' });
		expect(sb.linkedIds('Campaigns', campaign, 'Contacts')).toEqual([a, b]);
		expect(sb.relationData('Campaigns', campaign, 'Contacts', a)).toEqual({
			Member_Status: 'Active',
		});
		sb.link('Campaigns', campaign, 'Contacts', b);
		expect(sb.relationData('Campaigns', campaign, 'Contacts', b)).toEqual({
			Member_Status: 'Sent',
		});
		sb.link('Campaigns', campaign, 'Contacts', b, { Member_Status: null });
		expect(sb.relationData('Campaigns', campaign, 'Contacts', b)).toEqual({});
	});

	test('undefined when not linked; unlink, a delink and a record deletion drop the data', async () => {
		const campaign = sb.addRecord('Campaigns');
		const [a, b, c] = sb.addRecords('Leads', 3);
		expect(sb.relationData('Campaigns', campaign, 'Leads', a)).toBeUndefined();
		sb.link('Campaigns', campaign, 'Leads', [a, b, c], { Member_Status: 'Invited' });
		sb.unlink('Leads', a, 'Campaigns', campaign);
		expect(sb.relationData('Campaigns', campaign, 'Leads', a)).toBeUndefined();
		expect((await del(`/crm/v3/Campaigns/${campaign}/Leads/${b}`)).status).toBe(200);
		expect(sb.relationData('Leads', b, 'Campaigns', campaign)).toBeUndefined();
		expect((await del(`/crm/v2/Leads?ids=${c}`)).status).toBe(200); // the record itself
		// relinking starts without data: Zoho makes the caller send it again
		sb.link('Campaigns', campaign, 'Leads', [a, b]);
		expect(sb.relationData('Campaigns', campaign, 'Leads', a)).toEqual({});
		expect(sb.relationData('Campaigns', campaign, 'Leads', b)).toEqual({});
	});

	test('a field that is no relation field of the pair, or a value of the wrong type, throws', () => {
		const campaign = sb.addRecord('Campaigns');
		const lead = sb.addRecord('Leads');
		const product = sb.addRecord('Products');
		const book = sb.addRecord('Price_Books');
		const deal = sb.addRecord('Deals');
		expect(() => sb.link('Campaigns', campaign, 'Leads', lead, { list_price: 3 } as never)).toThrow(
			/"list_price" is no relation field of Campaigns <-> Leads \(Member_Status\)/,
		);
		expect(() => sb.link('Products', product, 'Deals', deal, { list_price: 3 })).toThrow(
			/\(none\)/,
		);
		expect(() =>
			sb.link('Products', product, 'Price_Books', book, { list_price: '3' } as never),
		).toThrow(/list_price takes a number/);
		expect(() =>
			sb.link('Campaigns', campaign, 'Leads', lead, { Member_Status: 1 } as never),
		).toThrow(/Member_Status takes a string/);
		expect(() => sb.link('Campaigns', campaign, 'Leads', lead, 'x' as never)).toThrow(/object/);
		expect(sb.isLinked('Campaigns', campaign, 'Leads', lead)).toBe(false);
		expect(() => sb.relationData('Campaigns', campaign, 'Deals', deal)).toThrow(/no related list/);
	});
});

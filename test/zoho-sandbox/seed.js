// @ts-check
'use strict';
/**
 * Data sets a sandbox can be filled with. `seedDemo` is the README / demo scenario:
 * a campaign with 250 contacts (three delink calls of 100, 100 and 50) and a product in
 * three price books plus one price book it is not in.
 */

/** @typedef {import('./index').ZohoSandbox} ZohoSandbox */

const FIRST_NAMES = [
	'Ada',
	'Grace',
	'Alan',
	'Edsger',
	'Barbara',
	'Donald',
	'Margaret',
	'Ken',
	'Radia',
	'Tim',
];

/**
 * @param {Pick<ZohoSandbox, 'addRecord' | 'addRecords' | 'link'>} sb
 * @returns {{ campaignId: string, contactIds: string[], productId: string, priceBookIds: string[], unlinkedPriceBookId: string }}
 */
function seedDemo(sb) {
	const campaignId = sb.addRecord('Campaigns', { Campaign_Name: 'Spring Launch 2026' });
	const contactIds = sb.addRecords('Contacts', 250, (i) => ({
		First_Name: FIRST_NAMES[i % FIRST_NAMES.length],
		Last_Name: `Contact ${String(i + 1).padStart(3, '0')}`,
		Email: `contact${i + 1}@example.com`,
	}));
	sb.link('Campaigns', campaignId, 'Contacts', contactIds);

	const productId = sb.addRecord('Products', { Product_Name: 'Legacy Router X100' });
	const priceBookIds = ['Retail 2026', 'Partner 2026', 'Enterprise 2026'].map((name) =>
		sb.addRecord('Price_Books', { Price_Book_Name: name }),
	);
	sb.link('Products', productId, 'Price_Books', priceBookIds);
	const unlinkedPriceBookId = sb.addRecord('Price_Books', { Price_Book_Name: 'Clearance 2026' });

	return { campaignId, contactIds, productId, priceBookIds, unlinkedPriceBookId };
}

/** Seeds the CLI knows by name (`--seed demo`). */
const SEEDS = { demo: seedDemo };

module.exports = { seedDemo, SEEDS };

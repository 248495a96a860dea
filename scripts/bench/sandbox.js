// @ts-check
'use strict';
/**
 * The bench's Zoho CRM sandbox: started on 127.0.0.1 with Zoho-like latency and Zoho's
 * Standard-edition concurrency limit, seeded with the 100,000 contacts every scenario takes
 * its ids from, and a fresh campaign linked to given contacts for every run.
 */
const { startZohoSandbox } = require('../../test/zoho-sandbox');
const { LATENCY_MS, ZOHO_CONCURRENCY, N_BIG, N_HUGE, N_ITEMS } = require('./settings');
const { progress } = require('./print');

/**
 * @typedef {import('../../test/zoho-sandbox').ZohoSandbox} ZohoSandbox
 * @typedef {import('../../test/zoho-sandbox').RequestLogEntry} RequestLogEntry
 * @typedef {{ campaignId: string, id: string }} Pair a relation to remove: campaign → contact
 * @typedef {{
 *   sb: ZohoSandbox, contacts: string[], big: string[], few: string[], token: string
 * }} SeededSandbox the sandbox, its 100,000 contacts, the first 10,000 and the first 1,000,
 *   and an access token for the HTTP Request runs
 */

/** @returns {Promise<SeededSandbox>} */
async function startBenchSandbox() {
	const sb = await startZohoSandbox({
		host: '127.0.0.1',
		latencyMs: LATENCY_MS,
		maxConcurrent: ZOHO_CONCURRENCY,
	});
	try {
		progress(`sandbox ${sb.url}: seeding ${N_HUGE} contacts and fresh campaigns…`);
		const contacts = sb.addRecords('Contacts', N_HUGE);
		return {
			sb,
			contacts,
			big: contacts.slice(0, N_BIG),
			few: contacts.slice(0, N_ITEMS),
			token: sb.issueTokens().access_token,
		};
	} catch (error) {
		await sb.close();
		throw error;
	}
}

/**
 * Fresh campaign linked to `contacts`.
 * @param {ZohoSandbox} sb @param {string} name @param {readonly string[]} contacts
 */
function seedCampaign(sb, name, contacts) {
	const campaignId = sb.addRecord('Campaigns', { Campaign_Name: name });
	sb.link('Campaigns', campaignId, 'Contacts', contacts);
	return campaignId;
}

/** @param {string} campaignId @param {readonly string[]} ids @returns {Pair[]} */
const pairsOf = (campaignId, ids) => ids.map((id) => ({ campaignId, id }));

module.exports = { startBenchSandbox, seedCampaign, pairsOf };

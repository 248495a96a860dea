// @ts-check
'use strict';
/**
 * The bench's workflows: the Zoho node fed one item of many ids or one item per id or per
 * (campaign, id) row, HTTP Request 4.2 with one DELETE per id, and the plain n8n workflows of
 * the memory baselines.
 */
const h = require('./harness');
const { CREDENTIAL, ZOHO, HTTP, NODE_OPTIONS } = require('./settings');
const { seedCampaign, pairsOf } = require('./sandbox');

/** @typedef {import('./sandbox').Pair} Pair */

/**
 * A Set node with one array field.
 * @param {string} name @param {string} field @param {readonly unknown[]} values
 */
function setArray(name, field, values) {
	return {
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: {
			assignments: {
				assignments: [{ id: 'a1', name: field, value: JSON.stringify(values), type: 'array' }],
			},
			options: {},
		},
	};
}

/** A Set node with one array field `ids`. @param {readonly string[]} ids */
const setIds = (ids) => setArray('Ids', 'ids', ids);

/** A Set node with one array field `rows` of `{ campaignId, id }`. @param {readonly Pair[]} rows */
const setRows = (rows) => setArray('Rows', 'rows', rows);

const SPLIT_OUT = {
	name: 'One item per id',
	type: 'n8n-nodes-base.splitOut',
	typeVersion: 1,
	parameters: {
		fieldToSplitOut: 'ids',
		include: 'noOtherFields',
		options: { destinationFieldName: 'id' },
	},
};

/** One item `{ campaignId, id }` per row. */
const SPLIT_ROWS = {
	name: 'One item per row',
	type: 'n8n-nodes-base.splitOut',
	typeVersion: 1,
	parameters: { fieldToSplitOut: 'rows', include: 'noOtherFields', options: {} },
};

const START = {
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	parameters: {},
};

/** The nodes connected one after the other. @param {string} id @param {any[]} chain */
function chainWorkflow(id, chain) {
	/** @type {Record<string, any>} */
	const connections = {};
	for (let i = 0; i + 1 < chain.length; i++)
		connections[chain[i].name] = { main: [[{ node: chain[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name: id, nodes: chain, connections, settings: { executionOrder: 'v1' } };
}

/**
 * Start → Ids → [Split Out] → Zoho node.
 * @param {{ id: string, campaignId: string, ids: readonly string[], perItem: boolean, options: Record<string, unknown> }} o
 */
function zohoWorkflow(o) {
	return h.delinkWorkflow({
		id: o.id,
		name: ZOHO,
		credential: CREDENTIAL,
		before: o.perItem ? [setIds(o.ids), SPLIT_OUT] : [setIds(o.ids)],
		parameters: {
			module: 'Campaigns',
			relatedList: 'Contacts',
			recordId: h.byId(o.campaignId),
			relatedRecordIds: o.perItem ? '={{ $json.id }}' : '={{ $json.ids }}',
			options: o.options,
		},
	});
}

/**
 * A fresh campaign linked to `ids`, and the workflow that delinks them all from it in one
 * item: the pairs to check and the workflow.
 * @param {import('./sandbox').ZohoSandbox} sb @param {string} campaignName
 * @param {string[]} ids @param {string} wfId
 */
function oneItemRun(sb, campaignName, ids, wfId) {
	const campaignId = seedCampaign(sb, campaignName, ids);
	const workflow = zohoWorkflow({
		id: wfId,
		campaignId,
		ids,
		perItem: false,
		options: NODE_OPTIONS,
	});
	return { pairs: pairsOf(campaignId, ids), workflow };
}

/**
 * Start → Rows → Split Out → Zoho node with Record ID `{{ $json.campaignId }}` and Related
 * Record IDs `{{ $json.id }}`: one item per row, each naming its own campaign.
 * @param {{ id: string, rows: readonly Pair[], options: Record<string, unknown> }} o
 */
function zohoRowsWorkflow(o) {
	return h.delinkWorkflow({
		id: o.id,
		name: ZOHO,
		credential: CREDENTIAL,
		before: [setRows(o.rows), SPLIT_ROWS],
		parameters: {
			module: 'Campaigns',
			relatedList: 'Contacts',
			recordId: h.byId('={{ $json.campaignId }}'),
			relatedRecordIds: '={{ $json.id }}',
			options: o.options,
		},
	});
}

/**
 * Start → Ids → Split Out → HTTP Request 4.2 (one DELETE per item, a plain Authorization
 * header, Batching, Retry On Fail).
 * @param {{ id: string, url: string, token: string, campaignId: string, ids: readonly string[], batchInterval: number }} o
 */
function httpWorkflow(o) {
	return chainWorkflow(o.id, [
		START,
		setIds(o.ids),
		SPLIT_OUT,
		{
			name: HTTP,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				method: 'DELETE',
				url: `=${o.url}/crm/v2/Campaigns/${o.campaignId}/Contacts/{{ $json.id }}`,
				sendHeaders: true,
				specifyHeaders: 'keypair',
				headerParameters: {
					parameters: [{ name: 'Authorization', value: `Zoho-oauthtoken ${o.token}` }],
				},
				options: { batching: { batch: { batchSize: 10, batchInterval: o.batchInterval } } },
			},
			retryOnFail: true,
			maxTries: 5,
			waitBetweenTries: 100,
		},
	]);
}

/** Start → Set `hello: world`: n8n's own footprint. @param {string} id */
function trivialWorkflow(id) {
	return chainWorkflow(id, [
		START,
		{
			name: 'Set',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: {
				assignments: {
					assignments: [{ id: 'a1', name: 'hello', value: 'world', type: 'string' }],
				},
				options: {},
			},
		},
	]);
}

/** Start → Ids: the ids as one item, no Zoho node. @param {string} id @param {readonly string[]} ids */
const inputWorkflow = (id, ids) => chainWorkflow(id, [START, setIds(ids)]);

/** Start → Ids → Split Out: one plain item per id, no Zoho node. @param {string} id @param {readonly string[]} ids */
const splitWorkflow = (id, ids) => chainWorkflow(id, [START, setIds(ids), SPLIT_OUT]);

module.exports = {
	zohoWorkflow,
	oneItemRun,
	zohoRowsWorkflow,
	httpWorkflow,
	trivialWorkflow,
	inputWorkflow,
	splitWorkflow,
};

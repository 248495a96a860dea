// @ts-check
'use strict';
/**
 * What the e2e tests, `npm run demo` and `npm run dev:n8n` share: a `zohoCrmOAuth2Api`
 * credential pointing at a Zoho sandbox, workflow builders, and the example workflows of
 * `examples/` adapted to a sandbox's record ids (so the examples are exactly what runs).
 *
 *   const zw = require('../harness/zoho-workflows');
 *   const cred = zw.sandboxCredential(sb, { id: 'cred1', name: 'Zoho CRM account', expired: true });
 *   const wf = zw.campaignExample({ id: 'exCampaign', campaignId, contactIds });
 *   zw.zohoNodeName(wf); // the name to read its items with h.nodeItems(run.output, name)
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const REPO_DIR = path.resolve(__dirname, '..', '..');
const EXAMPLES_DIR = path.join(REPO_DIR, 'examples');
/** The node type as n8n knows it once the package is installed. */
const NODE_TYPE = 'n8n-nodes-zoho-crm-related-records.zohoCrmRelatedRecords';
const CREDENTIAL_TYPE = 'zohoCrmOAuth2Api';
/** The credential name the example workflows reference (n8n resolves it by name on import). */
const EXAMPLE_CREDENTIAL_NAME = 'Zoho CRM account';
const CAMPAIGN_EXAMPLE = 'delink-contacts-from-campaign.json';
const PRICE_BOOK_EXAMPLE = 'delink-price-books-from-product.json';
const CONTACT_CAMPAIGNS_EXAMPLE = 'remove-contact-from-every-campaign.json';
const EMPTY_CAMPAIGN_EXAMPLE = 'empty-a-campaign.json';
const DISCONTINUED_PRODUCT_EXAMPLE = 'unlink-price-books-from-discontinued-product.json';
const UNDO_EXAMPLE = 'undo-a-delink.json';

/**
 * @typedef {{ id: string, name: string }} CredentialRef
 * @typedef {{ id: string, name: string, type: string, data: Record<string, unknown> }} CredentialImport
 * @typedef {{ name: string, type: string, typeVersion?: number, parameters?: any, credentials?: any, [key: string]: any }} WorkflowNode
 * @typedef {{ id: string, name?: string, nodes: WorkflowNode[], connections: any, [key: string]: any }} Workflow
 */

/**
 * A production Webhook trigger: POST at `path`, Respond Immediately (the execution goes on
 * after the answer), with the webhookId n8n registers it under.
 * @param {string} name @param {string} path
 * @returns {WorkflowNode}
 */
function productionWebhook(name, path) {
	return {
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: crypto.randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	};
}

/**
 * A `zohoCrmOAuth2Api` credential (data centre "Custom") whose accounts server and
 * api_domain are the sandbox. `expired: true` imports an access token the sandbox already
 * considers expired: n8n has to refresh it (through the sandbox token endpoint) on first use.
 * @param {import('../zoho-sandbox').ZohoSandbox} sb
 * @param {{ id: string, name: string, expired?: boolean }} opts
 * @returns {CredentialImport}
 */
function sandboxCredential(sb, opts) {
	const tokens = sb.issueTokens({ expired: !!opts.expired });
	return {
		id: opts.id,
		name: opts.name,
		type: CREDENTIAL_TYPE,
		data: {
			dataCenter: 'custom',
			customAccountsServer: sb.url,
			environment: 'production',
			clientId: sb.clientId,
			clientSecret: sb.clientSecret,
			oauthTokenData: {
				access_token: tokens.access_token,
				refresh_token: tokens.refresh_token,
				api_domain: sb.url,
				token_type: 'Bearer',
			},
		},
	};
}

/** @param {unknown} value @returns {any} */
function clone(value) {
	return JSON.parse(JSON.stringify(value));
}

/**
 * A workflow of examples/ as shipped (parsed JSON, a fresh copy each call).
 * @param {string} file e.g. 'delink-contacts-from-campaign.json'
 * @returns {Workflow}
 */
function loadExample(file) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
}

/**
 * The one Zoho CRM Related Records node of a workflow.
 * @param {Workflow} wf @returns {WorkflowNode}
 */
function zohoNode(wf) {
	const nodes = wf.nodes.filter((n) => n.type === NODE_TYPE);
	if (nodes.length !== 1)
		throw new Error(`workflow "${wf.name}" has ${nodes.length} ${NODE_TYPE} nodes, expected 1`);
	return nodes[0];
}

/**
 * The Zoho CRM Related Records nodes of a workflow, in the order of `wf.nodes`.
 * @param {Workflow} wf @returns {WorkflowNode[]}
 */
function zohoNodes(wf) {
	return wf.nodes.filter((n) => n.type === NODE_TYPE);
}

/**
 * The one Zoho node of the workflow with this operation ('delink' or 'getLinked').
 * @param {Workflow} wf @param {string} operation @returns {WorkflowNode}
 */
function zohoNodeFor(wf, operation) {
	const nodes = zohoNodes(wf).filter((n) => (n.parameters?.operation ?? 'delink') === operation);
	if (nodes.length !== 1)
		throw new Error(
			`workflow "${wf.name}" has ${nodes.length} ${NODE_TYPE} nodes with operation ${operation}, expected 1`,
		);
	return nodes[0];
}

/**
 * The Set node of an example workflow and its assignment `field` (throws naming the file).
 * @param {Workflow} wf @param {string} file @param {string} field @returns {{ value: unknown }}
 */
function setAssignment(wf, file, field) {
	const set = wf.nodes.find((n) => n.type === 'n8n-nodes-base.set');
	/** @type {any[]} */
	const assignments = set?.parameters?.assignments?.assignments ?? [];
	const assignment = assignments.find((a) => a.name === field);
	if (!assignment) throw new Error(`examples/${file}: expected a Set node with the field ${field}`);
	return assignment;
}

/** @param {Workflow} wf @returns {string} */
function zohoNodeName(wf) {
	return zohoNode(wf).name;
}

/**
 * Points every Zoho node of the workflow at this credential (by id and name).
 * @param {Workflow} wf @param {CredentialRef} credential @returns {Workflow}
 */
function useCredential(wf, credential) {
	for (const node of wf.nodes)
		if (node.type === NODE_TYPE)
			node.credentials = { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
	return wf;
}

/**
 * examples/delink-contacts-from-campaign.json with the Set node's campaign id and contact
 * ids replaced. Without `credential` the example's own reference (by name,
 * EXAMPLE_CREDENTIAL_NAME, with an id no instance has) is kept, as a user would import it.
 * @param {{ id: string, campaignId: string, contactIds: readonly string[], credential?: CredentialRef, name?: string }} opts
 * @returns {Workflow}
 */
function campaignExample(opts) {
	const wf = loadExample(CAMPAIGN_EXAMPLE);
	wf.id = opts.id;
	if (opts.name) wf.name = opts.name;
	const set = wf.nodes.find((n) => n.type === 'n8n-nodes-base.set');
	/** @type {any[]} */
	const assignments = set?.parameters?.assignments?.assignments ?? [];
	const campaign = assignments.find((a) => a.name === 'campaignId');
	const contacts = assignments.find((a) => a.name === 'contactIds');
	if (!campaign || !contacts)
		throw new Error(
			`examples/${CAMPAIGN_EXAMPLE}: expected a Set node with the fields campaignId and contactIds`,
		);
	campaign.value = opts.campaignId;
	contacts.value = JSON.stringify(opts.contactIds);
	zohoNode(wf); // exactly one
	if (opts.credential) useCredential(wf, opts.credential);
	return wf;
}

/**
 * examples/delink-price-books-from-product.json with the product (the id at the end of the
 * Record ID URL) and the price book ids replaced.
 * @param {{ id: string, productId: string, priceBookIds: readonly string[], credential?: CredentialRef, name?: string }} opts
 * @returns {Workflow}
 */
function priceBookExample(opts) {
	const wf = loadExample(PRICE_BOOK_EXAMPLE);
	wf.id = opts.id;
	if (opts.name) wf.name = opts.name;
	const node = zohoNode(wf);
	const rl = node.parameters?.recordId;
	if (!rl || typeof rl.value !== 'string' || !/\d+$/.test(rl.value))
		throw new Error(`examples/${PRICE_BOOK_EXAMPLE}: expected Record ID to end with a record id`);
	rl.value = rl.value.replace(/\d+$/, opts.productId);
	node.parameters.relatedRecordIds = opts.priceBookIds.join(', ');
	if (opts.credential) useCredential(wf, opts.credential);
	return wf;
}

/**
 * examples/remove-contact-from-every-campaign.json with the Set node's contact id replaced
 * (Contacts › Campaigns, All Linked Records).
 * @param {{ id: string, contactId: string, credential?: CredentialRef, name?: string }} opts
 * @returns {Workflow}
 */
function contactCampaignsExample(opts) {
	const wf = loadExample(CONTACT_CAMPAIGNS_EXAMPLE);
	wf.id = opts.id;
	if (opts.name) wf.name = opts.name;
	setAssignment(wf, CONTACT_CAMPAIGNS_EXAMPLE, 'contactId').value = opts.contactId;
	const node = zohoNode(wf);
	if (node.parameters?.relatedRecordsSource !== 'all')
		throw new Error(`examples/${CONTACT_CAMPAIGNS_EXAMPLE}: expected All Linked Records`);
	if (opts.credential) useCredential(wf, opts.credential);
	return wf;
}

/**
 * examples/empty-a-campaign.json with the campaign picked "From List" replaced (its id, and
 * the name n8n caches for the list mode).
 * @param {{ id: string, campaignId: string, campaignName?: string, credential?: CredentialRef, name?: string }} opts
 * @returns {Workflow}
 */
function emptyCampaignExample(opts) {
	const wf = loadExample(EMPTY_CAMPAIGN_EXAMPLE);
	wf.id = opts.id;
	if (opts.name) wf.name = opts.name;
	const rl = zohoNode(wf).parameters?.recordId;
	if (!rl || rl.mode !== 'list')
		throw new Error(`examples/${EMPTY_CAMPAIGN_EXAMPLE}: expected Record ID "From List"`);
	rl.value = opts.campaignId;
	rl.cachedResultName = `${opts.campaignName ?? 'Campaign'} (${opts.campaignId})`;
	if (opts.credential) useCredential(wf, opts.credential);
	return wf;
}

/**
 * examples/unlink-price-books-from-discontinued-product.json with the Set node's product id
 * replaced (Get Linked Records, then Delink All Linked Records, both Products › Price_Books).
 * @param {{ id: string, productId: string, credential?: CredentialRef, name?: string }} opts
 * @returns {Workflow}
 */
function discontinuedProductExample(opts) {
	const wf = loadExample(DISCONTINUED_PRODUCT_EXAMPLE);
	wf.id = opts.id;
	if (opts.name) wf.name = opts.name;
	setAssignment(wf, DISCONTINUED_PRODUCT_EXAMPLE, 'productId').value = opts.productId;
	zohoNodeFor(wf, 'getLinked');
	zohoNodeFor(wf, 'delink');
	if (opts.credential) useCredential(wf, opts.credential);
	return wf;
}

/**
 * examples/undo-a-delink.json (Delink All Linked Records, Keep Relation Data → Review → Link
 * from Delink's output) with the Delink node's relation and record replaced.
 * @param {{ id: string, module: string, relatedList: string, recordId: string, credential?: CredentialRef, name?: string }} opts
 * @returns {Workflow}
 */
function undoExample(opts) {
	const wf = loadExample(UNDO_EXAMPLE);
	wf.id = opts.id;
	if (opts.name) wf.name = opts.name;
	const delink = zohoNodeFor(wf, 'delink');
	if (
		delink.parameters?.relatedRecordsSource !== 'all' ||
		delink.parameters?.recordId?.mode !== 'id'
	)
		throw new Error(`examples/${UNDO_EXAMPLE}: expected All Linked Records and Record ID "By ID"`);
	delink.parameters.module = opts.module;
	delink.parameters.relatedList = opts.relatedList;
	delink.parameters.recordId.value = opts.recordId;
	if (zohoNodeFor(wf, 'link').parameters?.linkFrom !== 'delinkOutput')
		throw new Error(`examples/${UNDO_EXAMPLE}: expected Link from Delink's output items`);
	if (opts.credential) useCredential(wf, opts.credential);
	return wf;
}

/**
 * Manual Trigger → [extra nodes…] → one Zoho CRM Related Records node named `name`
 * (default "Zoho CRM"), all in a chain.
 * @param {{
 *   id: string, credential: CredentialRef, parameters: Record<string, unknown>,
 *   name?: string, before?: WorkflowNode[], nodeSettings?: Record<string, unknown>
 * }} opts
 * @returns {Workflow}
 */
function delinkWorkflow(opts) {
	const name = opts.name ?? 'Zoho CRM';
	/** @type {WorkflowNode[]} */
	const chain = [
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
		...(opts.before ?? []).map(clone),
		{
			name,
			type: NODE_TYPE,
			typeVersion: 1,
			// Keep Relation Data (on by default for pairs whose links carry data) is off unless
			// asked: these workflows count and shape the DELETE calls; the examples keep it on.
			parameters: {
				operation: 'delink',
				...opts.parameters,
				options: { keepRelationData: false, ...(opts.parameters.options ?? {}) },
			},
			credentials: {
				[CREDENTIAL_TYPE]: { id: opts.credential.id, name: opts.credential.name },
			},
			...(opts.nodeSettings ?? {}),
		},
	];
	/** @type {Record<string, any>} */
	const connections = {};
	for (let i = 0; i + 1 < chain.length; i++)
		connections[chain[i].name] = { main: [[{ node: chain[i + 1].name, type: 'main', index: 0 }]] };
	return {
		id: opts.id,
		name: opts.id,
		nodes: chain,
		connections,
		settings: { executionOrder: 'v1' },
	};
}

/** A resource locator "By ID". @param {string} id */
function byId(id) {
	return { __rl: true, mode: 'id', value: id };
}

module.exports = {
	REPO_DIR,
	EXAMPLES_DIR,
	NODE_TYPE,
	CREDENTIAL_TYPE,
	EXAMPLE_CREDENTIAL_NAME,
	CAMPAIGN_EXAMPLE,
	PRICE_BOOK_EXAMPLE,
	CONTACT_CAMPAIGNS_EXAMPLE,
	EMPTY_CAMPAIGN_EXAMPLE,
	DISCONTINUED_PRODUCT_EXAMPLE,
	sandboxCredential,
	loadExample,
	zohoNode,
	zohoNodes,
	zohoNodeFor,
	zohoNodeName,
	useCredential,
	campaignExample,
	priceBookExample,
	contactCampaignsExample,
	emptyCampaignExample,
	discontinuedProductExample,
	undoExample,
	UNDO_EXAMPLE,
	delinkWorkflow,
	productionWebhook,
	byId,
};

import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { delinkFields } from './actions/delink/delink.description';
import { delinkRelatedRecords } from './actions/delink/delink.execute';
import { getLinkedFields } from './actions/getLinked/getLinked.description';
import { getLinkedRecords } from './actions/getLinked/getLinked.execute';
import { linkFields } from './actions/link/link.description';
import { linkRelatedRecords } from './actions/link/link.execute';
import { forAgents } from './actions/toolRun';
import { methods } from './methods';
import { relationFields } from './fields/descriptions';
import { toolDescriptionFields } from './fields/toolOptions';
import { keepFullResponse } from './zoho/transport';

/** Module, Related List and Record ID: one set of fields for every operation. */
const RELATION_OPERATIONS = ['delink', 'getLinked', 'link'];

export class ZohoCrmRelatedRecords implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zoho CRM Related Records',
		name: 'zohoCrmRelatedRecords',
		icon: { light: 'file:../../icons/zohoCrm.svg', dark: 'file:../../icons/zohoCrm.dark.svg' },
		group: ['transform'],
		// 1.1: Dry Run is a field of its own (Delink), not an option: see delink.description.ts
		version: [1, 1.1],
		// e.g. "Delink: Price Books → Products", "Get Linked: Campaigns → Contacts"
		subtitle:
			'={{ ({ delink: "Delink", getLinked: "Get Linked", link: "Link" }[$parameter["operation"]] || $parameter["operation"]) + ": " + String($parameter["module"]).replace("_", " ") + " → " + String($parameter["relatedList"]).replace("_", " ") }}',
		description:
			'List, remove and restore links between Zoho CRM records, e.g. contacts of a campaign or price books of a product',
		defaults: { name: 'Zoho CRM Related Records' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'zohoCrmOAuth2Api', required: true }],
		requestDefaults: {
			headers: { Accept: 'application/json' },
		},
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'delink',
				options: [
					{
						name: 'Delink',
						value: 'delink',
						action: 'Delink related records',
						description: 'Remove the link between a record and some of its related records',
						routing: {
							request: { method: 'DELETE' },
							send: { paginate: true },
							operations: { pagination: forAgents('delink', delinkRelatedRecords) },
							output: { postReceive: [keepFullResponse] },
						},
					},
					{
						name: 'Get Linked Records',
						value: 'getLinked',
						action: 'Get linked records',
						description: 'List the records linked to a record through one of its related lists',
						routing: {
							request: { method: 'GET' },
							send: { paginate: true },
							operations: { pagination: forAgents('getLinked', getLinkedRecords) },
							output: { postReceive: [keepFullResponse] },
						},
					},
					{
						name: 'Link',
						value: 'link',
						action: 'Link related records',
						description:
							'Link related records to a record, with the data that lives on the link (e.g. Member_Status); undoes a Delink from its output items',
						routing: {
							request: { method: 'PUT' },
							send: { paginate: true },
							operations: { pagination: forAgents('link', linkRelatedRecords) },
							output: { postReceive: [keepFullResponse] },
						},
					},
				],
			},
			...relationFields(RELATION_OPERATIONS),
			...delinkFields,
			...getLinkedFields,
			...linkFields,
			...toolDescriptionFields,
		],
	};

	methods = methods;
}

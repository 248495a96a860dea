import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { delinkFields } from './actions/delink/delink.description';
import { delinkRelatedRecords } from './actions/delink/delink.execute';
import { keepFullResponse } from './shared/transport';

export class ZohoCrmRelatedRecords implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zoho CRM Related Records',
		name: 'zohoCrmRelatedRecords',
		icon: { light: 'file:../../icons/zohoCrm.svg', dark: 'file:../../icons/zohoCrm.dark.svg' },
		group: ['transform'],
		version: 1,
		// e.g. "Delink: Price Books → Products"
		subtitle:
			'={{ ($parameter["operation"] === "delink" ? "Delink" : $parameter["operation"]) + ": " + String($parameter["module"]).replace("_", " ") + " → " + String($parameter["relatedList"]).replace("_", " ") }}',
		description:
			'Remove links between Zoho CRM records, e.g. contacts from a campaign or price books from a product',
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
							operations: { pagination: delinkRelatedRecords },
							output: { postReceive: [keepFullResponse] },
						},
					},
				],
			},
			...delinkFields,
		],
	};
}

/**
 * The Get Linked Records operation's own fields (Module, Related List and Record ID are
 * the shared ones, see fields/descriptions.ts): how many records, and which fields.
 */
import type { INodeProperties } from 'n8n-workflow';

import { outputOptionField } from '../../fields/toolOptions';
import { API_VERSIONS, DEFAULT_API_VERSION } from '../../zoho/transport';

const show = { operation: ['getLinked'] };

// Limit's default is DEFAULT_LIMIT (getLinked.execute.ts); n8n's lint wants the literal 50.

export const getLinkedFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'API Version',
				name: 'apiVersion',
				type: 'options',
				default: DEFAULT_API_VERSION,
				description:
					'Zoho CRM API version used for the calls. From v3 on, Zoho returns only the fields asked for (by default the ID and the name).',
				options: API_VERSIONS.map((version) => ({ name: version, value: version })),
			},
			{
				displayName: 'Fields',
				name: 'fields',
				type: 'string',
				default: '',
				placeholder: 'e.g. Full_Name, Email',
				description:
					'API names of the fields to return, separated by commas. Empty: every field in v2 and v2.1; the ID and the name in v3 and later, where Zoho requires a list.',
			},
			outputOptionField('record'),
		],
	},
];

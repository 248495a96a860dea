/**
 * The Link operation's own fields (Module, Related List and Record ID are the shared ones,
 * fields/descriptions.ts): which related records, the fields that live on the link (only for
 * the pairs that have them, from relations.ts), and the call options.
 */
import type { INodeProperties } from 'n8n-workflow';

import { callOptionFields, sortedByName } from '../../fields/callOptions';
import { relatedRecordIdsField } from '../../fields/descriptions';
import { maxLinksOptionField, outputOptionField } from '../../fields/toolOptions';
import { allRelationFields, pairsWithField, type RelationField } from '../../relations';

export const LINK_FROM = 'linkFrom';
const show = { operation: ['link'] };
const fromIds = { ...show, [LINK_FROM]: ['ids'] };

/** One parameter per module for a relation field, shown only for its pairs. */
function relationFieldParameters(field: RelationField): INodeProperties[] {
	const listsByModule = new Map<string, string[]>();
	for (const [module, list] of pairsWithField(field))
		listsByModule.set(module, [...(listsByModule.get(module) ?? []), list]);
	return [...listsByModule].map(([module, lists]) => {
		const displayOptions = { show: { ...fromIds, module: [module], relatedList: lists } };
		if (field.kind === 'number') {
			return {
				displayName: field.label,
				name: field.param,
				type: 'string',
				default: '',
				placeholder: 'e.g. 12.5',
				description: `${field.description} (Zoho field ${field.name}), for every ID of the item; map it from the item for one value per ID. Empty: not sent.`,
				displayOptions,
			} as INodeProperties;
		}
		return {
			displayName: field.label,
			name: field.param,
			type: 'options',
			default: '',
			description: `${field.description} (Zoho field ${field.name}), for every ID of the item; any other value by expression`,
			options: [
				{ name: 'Don’t Set', value: '' },
				...(field.options ?? []).map((value) => ({ name: value, value })),
			].sort((a, b) => a.name.localeCompare(b.name)),
			displayOptions,
		} as INodeProperties;
	});
}

export const linkFields: INodeProperties[] = [
	{
		displayName: 'Related Records',
		name: LINK_FROM,
		type: 'options',
		noDataExpression: true,
		default: 'ids',
		description: 'How to give the related records to link',
		options: [
			{
				name: 'Enter IDs',
				value: 'ids',
				description: 'Type IDs or map them with an expression, e.g. from a previous node',
			},
			{
				name: 'Undo a Delink (Its Output Items)',
				value: 'delinkOutput',
				description:
					'Each input item is an output item of Delink: its module, record, related list, related record ID and relation data are restored as they are',
			},
		],
		displayOptions: { show },
	},
	relatedRecordIdsField(
		'IDs of the related records to link to the record: one ID, several separated by commas, or an expression returning an array of IDs. Sent in calls of up to 100.',
		fromIds,
	),
	...allRelationFields().flatMap(relationFieldParameters),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: sortedByName([
			...callOptionFields('link'),
			maxLinksOptionField('add'),
			outputOptionField('ID'),
		]),
	},
];

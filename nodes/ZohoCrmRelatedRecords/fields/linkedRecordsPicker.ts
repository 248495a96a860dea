/**
 * Delink's choice of how to give the related records: type or map IDs (Related Record IDs,
 * a string that takes expressions, as before), tick them in a list of the records linked
 * now (Linked Records, loaded from Zoho), or take all of them. Existing workflows keep
 * "Enter IDs", the default.
 */
import type { INodeProperties } from 'n8n-workflow';

export const RELATED_RECORDS_SOURCE = 'relatedRecordsSource';
export const LINKED_RECORD_IDS = 'linkedRecordIds';

export function linkedRecordsPickerFields(operations: string[]): INodeProperties[] {
	return [
		{
			displayName: 'Related Records',
			name: RELATED_RECORDS_SOURCE,
			type: 'options',
			noDataExpression: true,
			default: 'ids',
			description: 'How to give the related records to unlink',
			options: [
				{
					name: 'Enter IDs',
					value: 'ids',
					description: 'Type IDs or map them with an expression, e.g. from a previous node',
				},
				{
					name: 'Choose From Linked Records',
					value: 'linked',
					description: 'Tick them in the list of records linked to the record now',
				},
				{
					name: 'All Linked Records',
					value: 'all',
					description:
						'Every record linked now: read from Zoho page by page, then delinked in calls of up to 100',
				},
			],
			displayOptions: { show: { operation: operations } },
		},
		{
			displayName: 'Linked Records Names or IDs',
			name: LINKED_RECORD_IDS,
			type: 'multiOptions',
			required: true,
			default: [],
			typeOptions: {
				loadOptionsMethod: 'getLinkedRecords',
				loadOptionsDependsOn: ['module', 'relatedList', 'recordId.value'],
			},
			description:
				'Records linked to the record now, by name: tick those to unlink. Fill in Module, Related List and Record ID first. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			displayOptions: { show: { operation: operations, [RELATED_RECORDS_SOURCE]: ['linked'] } },
		},
	];
}

/**
 * Fields every operation shares: Module, Related List (only the lists valid for the chosen
 * module) and Record ID (from a searchable list, by ID or by URL). Generated from
 * relations.ts. Each builder takes the operations that show the field, so one set of fields
 * serves every operation (and keeps its values when the operation changes).
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { moduleDisplayName, relatedListsOf, supportedModules } from '../relations';
import { RECORD_URL_REGEX } from './ids';

export function moduleField(operations: string[]): INodeProperties {
	return {
		displayName: 'Module',
		name: 'module',
		type: 'options',
		noDataExpression: false,
		required: true,
		default: 'Campaigns',
		description:
			'Zoho CRM module of the record whose links you list, remove or restore, e.g. Campaigns or Products. Only modules with related lists Zoho can delink and link are offered.',
		options: supportedModules().map((apiName) => ({
			name: moduleDisplayName(apiName),
			value: apiName,
			description: `Related lists: ${relatedListsOf(apiName).map(moduleDisplayName).join(', ')}`,
		})),
		displayOptions: { show: { operation: operations } },
	};
}

/** One "Related List" field per module, each offering only that module's lists. */
export function relatedListFields(operations: string[]): INodeProperties[] {
	return supportedModules().map((module) => {
		const lists = relatedListsOf(module);
		const firstList = lists[0];
		return {
			displayName: 'Related List',
			name: 'relatedList',
			type: 'options',
			required: true,
			default: firstList,
			description: `Which related records of the ${moduleDisplayName(module)} record to list, unlink or link: ${lists.map(moduleDisplayName).join(' or ')}`,
			options: lists.map((list) => ({ name: moduleDisplayName(list), value: list })),
			displayOptions: { show: { operation: operations, module: [module] } },
		};
	});
}

export function recordIdField(operations: string[]): INodeProperties {
	return {
		displayName: 'Record ID',
		name: 'recordId',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description:
			'The record whose related records are listed, unlinked or linked, e.g. the campaign or the product: pick it by name, or give its numeric Zoho record ID (18-19 digits) or its Zoho CRM URL',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a record...',
				typeOptions: { searchListMethod: 'searchRecords', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 3652397000000327001',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^[0-9]{1,25}$',
							errorMessage: 'A Zoho record id has digits only',
						},
					},
				],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'e.g. https://crm.zoho.com/crm/org123/tab/Campaigns/3652397000000327001',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: RECORD_URL_REGEX,
							errorMessage: 'Not a Zoho CRM record URL (…/crm/…/tab/{Module}/{id})',
						},
					},
				],
				extractValue: {
					type: 'regex',
					regex: RECORD_URL_REGEX.replace('([A-Za-z0-9_]+)', '[A-Za-z0-9_]+'),
				},
			},
		],
		displayOptions: { show: { operation: operations } },
	};
}

/**
 * Module, Related List and Record ID, shown for all of `operations`, except when Link undoes a
 * Delink (then they come from each input item).
 */
export function relationFields(operations: string[]): INodeProperties[] {
	const hide = { linkFrom: ['delinkOutput'] };
	return [moduleField(operations), ...relatedListFields(operations), recordIdField(operations)].map(
		(field) => ({ ...field, displayOptions: { ...field.displayOptions, hide } }),
	);
}

/** Related Record IDs (Delink, Link): ids as text, a list, or an expression giving an array. */
export function relatedRecordIdsField(
	description: string,
	show: NonNullable<IDisplayOptions['show']>,
): INodeProperties {
	return {
		displayName: 'Related Record IDs',
		name: 'relatedRecordIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 3652397000000925128, 3652397000000649013',
		description,
		displayOptions: { show },
	};
}

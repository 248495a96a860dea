/**
 * Fields every operation shares: Module, Related List (only the lists valid for the chosen
 * module) and Record ID. Generated from relations.ts.
 */
import type { INodeProperties } from 'n8n-workflow';

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
			'Zoho CRM module of the record whose links you change, e.g. Campaigns or Products. Only modules with related lists Zoho can delink are offered.',
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
			description: `Which related records of the ${moduleDisplayName(module)} record to unlink: ${lists.map(moduleDisplayName).join(' or ')}`,
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
		default: { mode: 'id', value: '' },
		description:
			'The record whose related records are unlinked, e.g. the campaign or the product: its numeric Zoho record ID (18-19 digits) or its Zoho CRM URL',
		modes: [
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

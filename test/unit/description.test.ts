/**
 * The dropdowns come from relations.ts and nothing else: each module offers exactly its
 * related lists, in both directions, with human names and Zoho API names as values.
 */
import type {
	IExecutePaginationFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { ZohoCrmRelatedRecords } from '../../nodes/ZohoCrmRelatedRecords/ZohoCrmRelatedRecords.node';
import { readDelinkInput } from '../../nodes/ZohoCrmRelatedRecords/actions/delink/delink.input';
import {
	DOCUMENTED_RELATIONS,
	isSupportedPair,
	moduleDisplayName,
	relatedListsOf,
	SUPPORTED_RELATIONS,
	supportedModules,
} from '../../nodes/ZohoCrmRelatedRecords/relations';

const { description } = new ZohoCrmRelatedRecords();
const props = description.properties;
const options = (p: INodeProperties) =>
	(p.options as INodePropertyOptions[]).map((o) => [o.name, o.value]);

test('relations.ts holds the seed table, Zoho’s v3+ Appointments → Services, and each pair from its other end', () => {
	expect(DOCUMENTED_RELATIONS).toEqual({
		Campaigns: ['Leads', 'Contacts'],
		Products: ['Leads', 'Accounts', 'Contacts', 'Deals', 'Price_Books'],
		Appointments__s: ['Services__s'],
	});
	expect(SUPPORTED_RELATIONS).toEqual({
		Accounts: ['Products'],
		Appointments__s: ['Services__s'],
		Campaigns: ['Contacts', 'Leads'],
		Contacts: ['Campaigns', 'Products'],
		Deals: ['Products'],
		Leads: ['Campaigns', 'Products'],
		Price_Books: ['Products'],
		Products: ['Accounts', 'Contacts', 'Deals', 'Leads', 'Price_Books'],
		Services__s: ['Appointments__s'],
	});
});

test('Module dropdown offers exactly the modules of relations.ts, with human names', () => {
	const module = props.find((p) => p.name === 'module')!;
	expect(options(module)).toEqual(supportedModules().map((m) => [moduleDisplayName(m), m]));
	expect(options(module)).toContainEqual(['Price Books', 'Price_Books']);
});

test.each(supportedModules())(
	'Related List for %s offers exactly its lists and only shows for it',
	(module) => {
		const fields = props.filter(
			(p) => p.name === 'relatedList' && p.displayOptions?.show?.module?.includes(module),
		);
		expect(fields).toHaveLength(1);
		expect(fields[0].displayOptions?.show?.module).toEqual([module]);
		expect(options(fields[0])).toEqual(
			relatedListsOf(module).map((l) => [moduleDisplayName(l), l]),
		);
		expect(relatedListsOf(module)).toContain(fields[0].default);
	},
);

test('Products offers Leads, Accounts, Contacts, Deals, Price Books; Campaigns offers Leads, Contacts', () => {
	const names = (module: string) =>
		options(
			props.find(
				(p) => p.name === 'relatedList' && p.displayOptions?.show?.module?.[0] === module,
			)!,
		)
			.map(([name]) => name)
			.sort();
	expect(names('Products')).toEqual(['Accounts', 'Contacts', 'Deals', 'Leads', 'Price Books']);
	expect(names('Campaigns')).toEqual(['Contacts', 'Leads']);
});

test('unsupported pairs and prototype names are rejected', () => {
	expect(isSupportedPair('Campaigns', 'Deals')).toBe(false);
	expect(isSupportedPair('Deals', 'Campaigns')).toBe(false);
	expect(isSupportedPair('constructor', 'Products')).toBe(false);
	expect(relatedListsOf('__proto__')).toEqual([]);
});

test('the node is declarative, usable as a tool, with subtitle, icon and one credential', () => {
	const node = new ZohoCrmRelatedRecords() as unknown as Record<string, unknown>;
	expect(node.execute).toBeUndefined();
	expect(description.requestDefaults).toBeDefined();
	expect(description.usableAsTool).toBe(true);
	expect(description.subtitle).toBeTruthy();
	expect(description.icon).toEqual({
		light: 'file:../../icons/zohoCrm.svg',
		dark: 'file:../../icons/zohoCrm.dark.svg',
	});
	expect(description.credentials).toEqual([{ name: 'zohoCrmOAuth2Api', required: true }]);
});

const operations = (
	props.find((p) => p.name === 'operation')!.options as INodePropertyOptions[]
).map((o) => String(o.value));

/** The fields shown for an operation, with the fields inside collections. */
function fieldsOf(operation: string): INodeProperties[] {
	const shown = props.filter((p) => p.displayOptions?.show?.operation?.includes(operation));
	const nested = shown.flatMap((p) =>
		p.type === 'collection' || p.type === 'fixedCollection'
			? ((p.options ?? []) as INodeProperties[])
			: [],
	);
	return [...shown, ...nested];
}

test('the operations are Delink, Get Linked Records and Link, each with an action and description', () => {
	const operation = props.find((p) => p.name === 'operation')!;
	expect(operations).toEqual(['delink', 'getLinked', 'link']);
	for (const option of operation.options as INodePropertyOptions[]) {
		expect(option.action).toBeTruthy();
		expect((option.description ?? '').length).toBeGreaterThan(20);
	}
});

test.each(operations)('every parameter of %s has a description', (operation) => {
	const fields = fieldsOf(operation);
	expect(fields.length).toBeGreaterThan(3);
	const missing = fields
		// a collection is a container: the fields inside it are checked instead
		.filter((p) => !['notice', 'collection', 'fixedCollection'].includes(p.type))
		.filter((p) => (p.description ?? '').trim().length < 10)
		.map((p) => p.name);
	expect(missing).toEqual([]);
	for (const p of fields.filter((p) =>
		['module', 'relatedList', 'recordId', 'relatedRecordIds', 'linkedRecordIds'].includes(p.name),
	)) {
		expect((p.description ?? '').length).toBeGreaterThan(30);
	}
});

test('every parameter an agent or user fills has a description', () => {
	const missing = props
		.filter((p) => p.type !== 'notice' && p.name !== 'operation')
		.filter((p) => !p.description && !(p.options ?? []).length)
		.map((p) => p.name);
	expect(missing).toEqual([]);
});

test('Module, Related List and Record ID are one set of fields for every operation (from the item when Link undoes a Delink)', () => {
	for (const name of ['module', 'relatedList', 'recordId']) {
		const fields = props.filter((p) => p.name === name);
		expect(fields.length).toBeGreaterThan(0);
		for (const field of fields) {
			expect(field.displayOptions?.show?.operation).toEqual(['delink', 'getLinked', 'link']);
			expect(field.displayOptions?.hide).toEqual({ linkFrom: ['delinkOutput'] });
		}
	}
});

test('Link shows the fields that live on the link only for the pairs that have them', () => {
	const shown = (name: string) =>
		props
			.filter((p) => p.name === name)
			.flatMap((p) =>
				(p.displayOptions?.show?.relatedList as string[]).map(
					(list) => `${(p.displayOptions?.show?.module as string[])[0]}→${list}`,
				),
			)
			.sort();
	expect(shown('memberStatus')).toEqual([
		'Campaigns→Contacts',
		'Campaigns→Leads',
		'Contacts→Campaigns',
		'Leads→Campaigns',
	]);
	expect(shown('listPrice')).toEqual(['Price_Books→Products', 'Products→Price_Books']);
	const memberStatus = props.find((p) => p.name === 'memberStatus')!;
	expect((memberStatus.options as INodePropertyOptions[]).map((o) => o.value)).toContain('Active');
	expect(memberStatus.displayOptions?.show?.operation).toEqual(['link']);
});

test('Record ID offers From List (searchable), By ID and By URL; From List is the default', () => {
	const recordId = props.find((p) => p.name === 'recordId')!;
	expect(recordId.modes?.map((m) => [m.name, m.type])).toEqual([
		['list', 'list'],
		['id', 'string'],
		['url', 'string'],
	]);
	expect(recordId.modes?.[0].typeOptions).toEqual({
		searchListMethod: 'searchRecords',
		searchable: true,
	});
	expect(recordId.default).toEqual({ mode: 'list', value: '' });
	const { methods } = new ZohoCrmRelatedRecords();
	expect(typeof methods.listSearch.searchRecords).toBe('function');
	expect(typeof methods.loadOptions.getLinkedRecords).toBe('function');
});

test('Delink: Related Record IDs (string) by default, Linked Records (picker) on request', () => {
	const shownWith = (parameters: Record<string, unknown>) =>
		props
			.filter((p) =>
				Object.entries(p.displayOptions?.show ?? {}).every(([key, values]) =>
					(values as unknown[]).includes(parameters[key]),
				),
			)
			.map((p) => p.name);
	const source = props.find((p) => p.name === 'relatedRecordsSource')!;
	expect(source.default).toBe('ids');
	const typed = shownWith({
		operation: 'delink',
		module: 'Campaigns',
		relatedRecordsSource: 'ids',
	});
	expect(typed).toContain('relatedRecordIds');
	expect(typed).not.toContain('linkedRecordIds');
	const picked = shownWith({
		operation: 'delink',
		module: 'Campaigns',
		relatedRecordsSource: 'linked',
	});
	expect(picked).toContain('linkedRecordIds');
	expect(picked).not.toContain('relatedRecordIds');
	const linked = props.find((p) => p.name === 'linkedRecordIds')!;
	expect(linked.type).toBe('multiOptions');
	expect(linked.typeOptions).toEqual({
		loadOptionsMethod: 'getLinkedRecords',
		loadOptionsDependsOn: ['module', 'relatedList', 'recordId.value'],
	});
	expect(shownWith({ operation: 'getLinked', module: 'Campaigns', returnAll: false })).toEqual([
		'operation',
		'module',
		'relatedList',
		'recordId',
		'returnAll',
		'limit',
		'options',
	]);
});

describe('Delink options: the fields’ bounds are exactly the bounds the node accepts', () => {
	const numberOptions = (
		new ZohoCrmRelatedRecords().description.properties.find(
			(p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('delink'),
		)?.options ?? []
	).filter((o) => 'type' in o && o.type === 'number') as INodeProperties[];

	const read = (name: string, value: number) =>
		readDelinkInput({
			getNodeParameter: (parameter: string) =>
				({
					module: 'Campaigns',
					relatedList: 'Contacts',
					recordId: '3652397000000000001',
					relatedRecordsSource: 'ids',
					relatedRecordIds: '3652397000000000002',
					options: { [name]: value },
				})[parameter],
		} as unknown as IExecutePaginationFunctions);

	test('every number option has both bounds', () => {
		expect(numberOptions.map((o) => o.name).sort()).toEqual([
			'batchSize',
			'dailyCredits',
			'maxConcurrentCalls',
			'maxLinksPerRun',
			'maxRetries',
			'retryBaseDelayMs',
		]);
		for (const o of numberOptions) {
			expect(typeof o.typeOptions?.minValue).toBe('number');
			expect(typeof o.typeOptions?.maxValue).toBe('number');
		}
	});

	test.each([
		'batchSize',
		'dailyCredits',
		'maxConcurrentCalls',
		'maxLinksPerRun',
		'maxRetries',
		'retryBaseDelayMs',
	])('%s: min and max accepted, one below and one above refused with the field’s name', (name) => {
		const option = numberOptions.find((o) => o.name === name) as INodeProperties;
		const { minValue, maxValue } = option.typeOptions as { minValue: number; maxValue: number };
		expect(() => read(name, minValue)).not.toThrow();
		expect(() => read(name, maxValue)).not.toThrow();
		for (const wrong of [minValue - 1, maxValue + 1]) {
			expect(() => read(name, wrong)).toThrow(
				new RegExp(
					`^${option.displayName.replace(/[()]/g, '\\$&')} .* from ${minValue} to ${maxValue}`,
					'i',
				),
			);
		}
	});
});

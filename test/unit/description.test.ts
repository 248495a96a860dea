/**
 * The dropdowns come from relations.ts and nothing else: each module offers exactly its
 * related lists, in both directions, with human names and Zoho API names as values.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { ZohoCrmRelatedRecords } from '../../nodes/ZohoCrmRelatedRecords/ZohoCrmRelatedRecords.node';
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

test('relations.ts holds the seed table and each pair from its other end', () => {
	expect(DOCUMENTED_RELATIONS).toEqual({
		Campaigns: ['Leads', 'Contacts'],
		Products: ['Leads', 'Accounts', 'Contacts', 'Deals', 'Price_Books'],
	});
	expect(SUPPORTED_RELATIONS).toEqual({
		Accounts: ['Products'],
		Campaigns: ['Contacts', 'Leads'],
		Contacts: ['Campaigns', 'Products'],
		Deals: ['Products'],
		Leads: ['Campaigns', 'Products'],
		Price_Books: ['Products'],
		Products: ['Accounts', 'Contacts', 'Deals', 'Leads', 'Price_Books'],
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

test('every parameter an agent or user fills has a description', () => {
	const missing = props
		.filter((p) => p.type !== 'notice' && p.name !== 'operation')
		.filter((p) => !p.description && !(p.options ?? []).length)
		.map((p) => p.name);
	expect(missing).toEqual([]);
	for (const p of props.filter((p) =>
		['module', 'relatedList', 'recordId', 'relatedRecordIds'].includes(p.name),
	)) {
		expect((p.description ?? '').length).toBeGreaterThan(30);
	}
});

/**
 * THE table of relations Zoho CRM's "Delink Related Records" and "Update Related Records"
 * APIs support, and the fields that live on each link.
 *
 * Zoho documents them from one side (Campaigns → Leads, Contacts; Products → Leads,
 * Accounts, Contacts, Deals ("Potentials" in v1), Price Books; from API v3 on, Appointments →
 * Services). Each relation can be addressed from either end (the seed's own Java sample
 * delinks Leads → Products), so the other direction is derived here, not written twice.
 *
 * Read by: the Module and Related List dropdowns, the relation fields of Link, input
 * validation, the README's table (checked by a test) and the tests. Adding a relation is a
 * one-line change below.
 */
export interface ZohoModule {
	/** Zoho API name, used in URLs. */
	apiName: string;
	/** Human name shown in dropdowns. */
	displayName: string;
	/** Field that names a record of this module. */
	nameField: string;
}

export const ZOHO_MODULES: readonly ZohoModule[] = [
	{ apiName: 'Accounts', displayName: 'Accounts', nameField: 'Account_Name' },
	{ apiName: 'Appointments__s', displayName: 'Appointments', nameField: 'Appointment_Name' },
	{ apiName: 'Campaigns', displayName: 'Campaigns', nameField: 'Campaign_Name' },
	{ apiName: 'Contacts', displayName: 'Contacts', nameField: 'Full_Name' },
	{ apiName: 'Deals', displayName: 'Deals', nameField: 'Deal_Name' },
	{ apiName: 'Leads', displayName: 'Leads', nameField: 'Full_Name' },
	{ apiName: 'Price_Books', displayName: 'Price Books', nameField: 'Price_Book_Name' },
	{ apiName: 'Products', displayName: 'Products', nameField: 'Product_Name' },
	{ apiName: 'Services__s', displayName: 'Services', nameField: 'Service_Name' },
];

/** Relations as Zoho documents them: module → related lists (API names). */
export const DOCUMENTED_RELATIONS: Readonly<Record<string, readonly string[]>> = {
	Campaigns: ['Leads', 'Contacts'],
	Products: ['Leads', 'Accounts', 'Contacts', 'Deals', 'Price_Books'],
	// Zoho's Update Related Records pages, v3 to v8: "Appointments - to - Services"
	Appointments__s: ['Services__s'],
};

/** Relations Zoho supports only from an API version on (either direction). */
const MINIMUM_VERSION: ReadonlyArray<readonly [string, string, string]> = [
	['Appointments__s', 'Services__s', 'v3'],
];

/** A field that lives on the link between two records, not on either record. */
export interface RelationField {
	/** Zoho API name, as sent in Update Related Records and asked for in `fields`. */
	name: string;
	/** The Link operation's parameter for it. */
	param: string;
	label: string;
	kind: 'text' | 'number';
	/** Known values (a picklist); any other text is accepted by expression. */
	options?: readonly string[];
	description: string;
}

const MEMBER_STATUS: RelationField = {
	name: 'Member_Status',
	param: 'memberStatus',
	label: 'Member Status',
	kind: 'text',
	options: [
		'Active',
		'Planning',
		'Planned',
		'Invited',
		'Sent',
		'Received',
		'Opened',
		'Responded',
		'Bounced',
		'Opted Out',
	],
	description: "The member's status in the campaign",
};

const LIST_PRICE: RelationField = {
	name: 'list_price',
	param: 'listPrice',
	label: 'List Price',
	kind: 'number',
	description: "The product's price in the price book",
};

/** Fields on the link, per relation (either direction). */
const RELATION_FIELDS: ReadonlyArray<readonly [string, string, readonly RelationField[]]> = [
	['Campaigns', 'Leads', [MEMBER_STATUS]],
	['Campaigns', 'Contacts', [MEMBER_STATUS]],
	['Products', 'Price_Books', [LIST_PRICE]],
];

/** Every addressable pair, both directions: module API name → related list API names. */
export const SUPPORTED_RELATIONS: Readonly<Record<string, readonly string[]>> =
	buildBothDirections(DOCUMENTED_RELATIONS);

function buildBothDirections(
	documented: Readonly<Record<string, readonly string[]>>,
): Record<string, string[]> {
	const pairs: Record<string, string[]> = {};
	const add = (from: string, to: string) => {
		pairs[from] = pairs[from] ?? [];
		if (!pairs[from].includes(to)) pairs[from].push(to);
	};
	for (const [module, lists] of Object.entries(documented)) {
		for (const list of lists) {
			add(module, list);
			add(list, module);
		}
	}
	const byDisplayName = (a: string, b: string) =>
		moduleDisplayName(a).localeCompare(moduleDisplayName(b));
	return Object.fromEntries(
		Object.keys(pairs)
			.sort(byDisplayName)
			.map((module) => [module, pairs[module].sort(byDisplayName)]),
	);
}

export function findModule(apiName: string): ZohoModule | undefined {
	return ZOHO_MODULES.find((m) => m.apiName === apiName);
}

export function moduleDisplayName(apiName: string): string {
	return findModule(apiName)?.displayName ?? apiName;
}

/** Modules that have at least one delinkable related list, sorted by display name. */
export function supportedModules(): string[] {
	return Object.keys(SUPPORTED_RELATIONS);
}

export function relatedListsOf(module: string): readonly string[] {
	return Object.prototype.hasOwnProperty.call(SUPPORTED_RELATIONS, module)
		? SUPPORTED_RELATIONS[module]
		: [];
}

export function isSupportedPair(module: string, relatedList: string): boolean {
	return relatedListsOf(module).includes(relatedList);
}

const samePair = (a: string, b: string, module: string, relatedList: string) =>
	(a === module && b === relatedList) || (a === relatedList && b === module);

/** The fields that live on the link of this pair (none for most pairs). */
export function relationFieldsOf(module: string, relatedList: string): readonly RelationField[] {
	return RELATION_FIELDS.find(([a, b]) => samePair(a, b, module, relatedList))?.[2] ?? [];
}

/** Every relation field of any pair, each once (for the Link form). */
export function allRelationFields(): RelationField[] {
	return [...new Set(RELATION_FIELDS.flatMap(([, , fields]) => fields))];
}

/** The pairs that carry a given relation field, as [module, relatedList] both directions. */
export function pairsWithField(field: RelationField): Array<[string, string]> {
	return RELATION_FIELDS.filter(([, , fields]) => fields.includes(field)).flatMap(
		([a, b]) =>
			[
				[a, b],
				[b, a],
			] as Array<[string, string]>,
	);
}

/** The first API version that supports this pair, when it is not v2. */
export function minimumVersionOf(module: string, relatedList: string): string | undefined {
	return MINIMUM_VERSION.find(([a, b]) => samePair(a, b, module, relatedList))?.[2];
}

/**
 * THE table of relations Zoho CRM's "Delink Related Records" API supports.
 *
 * Zoho documents them from one side (Campaigns → Leads, Contacts; Products → Leads,
 * Accounts, Contacts, Deals ("Potentials" in v1), Price Books). Each relation can be
 * addressed from either end (the seed's own Java sample delinks Leads → Products), so
 * the other direction is derived here, not written twice.
 *
 * Read by: the Module and Related List dropdowns, input validation, the README's table
 * (checked by a test) and the tests. Adding a relation is a one-line change below.
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
	{ apiName: 'Campaigns', displayName: 'Campaigns', nameField: 'Campaign_Name' },
	{ apiName: 'Contacts', displayName: 'Contacts', nameField: 'Full_Name' },
	{ apiName: 'Deals', displayName: 'Deals', nameField: 'Deal_Name' },
	{ apiName: 'Leads', displayName: 'Leads', nameField: 'Full_Name' },
	{ apiName: 'Price_Books', displayName: 'Price Books', nameField: 'Price_Book_Name' },
	{ apiName: 'Products', displayName: 'Products', nameField: 'Product_Name' },
];

/** Relations as Zoho documents them: module → related lists (API names). */
export const DOCUMENTED_RELATIONS: Readonly<Record<string, readonly string[]>> = {
	Campaigns: ['Leads', 'Contacts'],
	Products: ['Leads', 'Accounts', 'Contacts', 'Deals', 'Price_Books'],
};

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

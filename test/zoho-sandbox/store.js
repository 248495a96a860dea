// @ts-check
'use strict';
/**
 * Records and relations of the fake Zoho org. Relations are symmetric: linking
 * Campaigns/c -> Contacts/x is also Contacts/x -> Campaigns/c, as in Zoho. So is the data that
 * lives on a link (relation fields such as a campaign member's `Member_Status`): one object per
 * link, the same whichever end reads it, gone with the link.
 *
 * The supported pairs and their relation fields are the sandbox's OWN table (it models Zoho's
 * server, so it must not read the node's table: a mistake there would then be invisible to the
 * tests).
 */

/**
 * @typedef {Record<string, unknown> & { id: string }} ZohoRecord
 * @typedef {{ nameField: string, scopeName: string, defaults: (n: number) => Record<string, unknown>, sinceVersion?: number, label?: string }} ModuleInfo
 *   scopeName: the module part of its OAuth scopes; sinceVersion: the first API version that
 *   knows the module (default 2); label: its plural display label (default: the API name with
 *   spaces for underscores)
 * @typedef {import('./index').RelationFieldType} RelationFieldType
 * @typedef {import('./index').RelationData} RelationData
 * @typedef {Record<string, string | number>} LinkData the data stored on one link
 */

/** @type {Record<string, ModuleInfo>} */
const MODULES = {
	Leads: {
		nameField: 'Full_Name',
		scopeName: 'leads',
		defaults: (n) => ({ First_Name: 'Lead', Last_Name: `Number ${n}`, Company: `Company ${n}` }),
	},
	Contacts: {
		nameField: 'Full_Name',
		scopeName: 'contacts',
		defaults: (n) => ({ First_Name: 'Contact', Last_Name: `Number ${n}` }),
	},
	Accounts: {
		nameField: 'Account_Name',
		scopeName: 'accounts',
		defaults: (n) => ({ Account_Name: `Account ${n}` }),
	},
	Deals: {
		nameField: 'Deal_Name',
		scopeName: 'deals',
		defaults: (n) => ({ Deal_Name: `Deal ${n}` }),
	},
	Campaigns: {
		nameField: 'Campaign_Name',
		scopeName: 'campaigns',
		defaults: (n) => ({ Campaign_Name: `Campaign ${n}` }),
	},
	Products: {
		nameField: 'Product_Name',
		scopeName: 'products',
		defaults: (n) => ({ Product_Name: `Product ${n}` }),
	},
	Price_Books: {
		nameField: 'Price_Book_Name',
		scopeName: 'pricebooks',
		defaults: (n) => ({ Price_Book_Name: `Price Book ${n}` }),
	},
	// Zoho's Appointments and Services (module API names from its module metadata): v3 and later
	Appointments__s: {
		nameField: 'Appointment_Name',
		scopeName: 'appointments',
		defaults: (n) => ({ Appointment_Name: `Appointment ${n}` }),
		sinceVersion: 3,
		label: 'Appointments',
	},
	Services__s: {
		nameField: 'Service_Name',
		scopeName: 'services',
		defaults: (n) => ({ Service_Name: `Service ${n}` }),
		sinceVersion: 3,
		label: 'Services',
	},
};

/** The supported relations, each addressable from either end. */
const RELATIONS = /** @type {const} */ ([
	['Campaigns', 'Leads'],
	['Campaigns', 'Contacts'],
	['Products', 'Leads'],
	['Products', 'Accounts'],
	['Products', 'Contacts'],
	['Products', 'Deals'],
	['Products', 'Price_Books'],
	['Appointments__s', 'Services__s'],
]);

/**
 * Fields that live on a link, not on either record, per pair (either order), with the data
 * type Zoho names in an INVALID_DATA answer: `picklist` takes a string, `double` a number.
 * Pairs not listed carry none.
 * @type {ReadonlyArray<readonly [string, string, Readonly<Record<string, RelationFieldType>>]>}
 */
const RELATION_FIELDS = [
	['Campaigns', 'Leads', { Member_Status: 'picklist' }],
	['Campaigns', 'Contacts', { Member_Status: 'picklist' }],
	['Products', 'Price_Books', { list_price: 'double' }],
];

/** @type {Map<string, string[]>} module -> related lists, both directions */
const RELATED_LISTS = new Map(Object.keys(MODULES).map((m) => [m, /** @type {string[]} */ ([])]));
for (const [a, b] of RELATIONS) {
	RELATED_LISTS.get(a)?.push(b);
	RELATED_LISTS.get(b)?.push(a);
}

const ID_PREFIX = '3652397000000'; // 13 digits + a 6-digit counter = 19 digits, like Zoho's ids
const DIGITS = /^[0-9]+$/;

/** @param {string} module */
function isModule(module) {
	return Object.prototype.hasOwnProperty.call(MODULES, module);
}

/**
 * Whether the API version (e.g. `v2.1`) knows the module.
 * @param {string} module @param {string} version
 */
function moduleInVersion(module, version) {
	return isModule(module) && Number(version.slice(1)) >= (MODULES[module].sinceVersion ?? 2);
}

/** @param {string} module @param {string} relatedList */
function supportsRelation(module, relatedList) {
	return (RELATED_LISTS.get(module) ?? []).includes(relatedList);
}

/** @param {string} module @returns {string[]} */
function relatedListsOf(module) {
	return [...(RELATED_LISTS.get(module) ?? [])];
}

/**
 * The relation fields of a pair (either order) and their types; {} for a pair without any.
 * @param {string} module @param {string} relatedList
 * @returns {Record<string, RelationFieldType>}
 */
function relationFieldsOf(module, relatedList) {
	const found = RELATION_FIELDS.find(
		([a, b]) => (a === module && b === relatedList) || (a === relatedList && b === module),
	);
	return { ...(found?.[2] ?? {}) };
}

/**
 * Whether a value fits a relation field (null always does: it clears the field).
 * @param {RelationFieldType} type @param {unknown} value
 */
function fitsRelationField(type, value) {
	if (value === null) return true;
	return type === 'double'
		? typeof value === 'number' && Number.isFinite(value)
		: typeof value === 'string';
}

/** @param {string} id */
function isDigits(id) {
	return DIGITS.test(id);
}

/**
 * One key per link, the same from either end.
 * @param {string} module @param {string} id @param {string} relatedList @param {string} relatedId
 */
function linkKey(module, id, relatedList, relatedId) {
	return [`${module}/${id}`, `${relatedList}/${relatedId}`].sort().join('|');
}

class Store {
	constructor() {
		this.counter = 0;
		/** @type {Map<string, number>} per-module counter for default names */
		this.perModule = new Map();
		/** @type {Map<string, Map<string, ZohoRecord>>} */
		this.records = new Map(Object.keys(MODULES).map((m) => [m, new Map()]));
		/** @type {Map<string, Set<string>>} `${module}/${id}/${relatedList}` -> related ids, in link order */
		this.relations = new Map();
		/** @type {Map<string, LinkData>} linkKey(...) -> the link's relation fields (set ones only) */
		this.linkData = new Map();
	}

	/** @param {string} module @returns {Map<string, ZohoRecord>} */
	table(module) {
		const table = this.records.get(module);
		if (!table) throw new Error(`zoho-sandbox: unknown module "${module}"`);
		return table;
	}

	/**
	 * @param {string} module
	 * @param {Record<string, unknown>} [fields]
	 * @returns {string} the new record's id
	 */
	addRecord(module, fields = {}) {
		const table = this.table(module);
		let id;
		if (fields.id !== undefined) {
			id = String(fields.id);
			if (!isDigits(id)) throw new Error(`zoho-sandbox: record id "${id}" is not all digits`);
			if (this.findModuleOf(id))
				throw new Error(`zoho-sandbox: record id "${id}" is already in use`);
		} else {
			do {
				this.counter += 1;
				id = ID_PREFIX + String(this.counter).padStart(6, '0');
			} while (this.findModuleOf(id));
		}
		const n = (this.perModule.get(module) ?? 0) + 1;
		this.perModule.set(module, n);
		/** @type {Record<string, unknown>} */
		const record = { ...MODULES[module].defaults(n), ...fields, id };
		if (module === 'Leads' || module === 'Contacts') {
			if (fields.Full_Name === undefined)
				record.Full_Name = [record.First_Name, record.Last_Name].filter(Boolean).join(' ');
		}
		table.set(id, /** @type {ZohoRecord} */ (record));
		return id;
	}

	/** @param {string} id @returns {string | undefined} */
	findModuleOf(id) {
		for (const [module, table] of this.records) if (table.has(id)) return module;
		return undefined;
	}

	/** @param {string} module @param {string} id */
	hasRecord(module, id) {
		return this.table(module).has(id);
	}

	/** @param {string} module @param {string} id @returns {ZohoRecord | undefined} */
	getRecord(module, id) {
		return this.table(module).get(id);
	}

	/** @param {string} module @returns {ZohoRecord[]} in creation order */
	listRecords(module) {
		return [...this.table(module).values()];
	}

	/**
	 * Deletes a record and every relation it has.
	 * @param {string} module @param {string} id @returns {boolean} whether it existed
	 */
	deleteRecord(module, id) {
		if (!this.table(module).delete(id)) return false;
		for (const relatedList of relatedListsOf(module)) {
			for (const relatedId of this.linkedIds(module, id, relatedList))
				this.unlink(module, id, relatedList, relatedId);
		}
		return true;
	}

	/** @param {string} module @param {string} relatedList */
	assertRelation(module, relatedList) {
		this.table(module);
		if (!supportsRelation(module, relatedList))
			throw new Error(`zoho-sandbox: ${module} has no related list "${relatedList}"`);
	}

	/**
	 * Links the two records (both ends) unless they already are, then sets the relation fields
	 * given (null clears one, undefined is no value; others are kept). The data is checked by the caller (routes.js
	 * answers per entry) or by `checkRelationData` (the sandbox API throws).
	 * @param {string} module @param {string} id @param {string} relatedList @param {string} relatedId
	 * @param {RelationData | Record<string, unknown>} [data] relation fields of this pair only
	 * @returns {boolean} whether the link is new (false: it existed and was updated)
	 */
	link(module, id, relatedList, relatedId, data) {
		this.assertRelation(module, relatedList);
		for (const [m, i] of [
			[module, id],
			[relatedList, relatedId],
		]) {
			if (!this.hasRecord(m, i)) throw new Error(`zoho-sandbox: no ${m} record with id "${i}"`);
		}
		const mine = this.side(module, id, relatedList, true);
		const created = !mine.has(relatedId);
		mine.add(relatedId);
		this.side(relatedList, relatedId, module, true).add(id);
		const key = linkKey(module, id, relatedList, relatedId);
		const stored = this.linkData.get(key) ?? {};
		for (const [field, value] of Object.entries(data ?? {})) {
			if (value === null) delete stored[field];
			else if (value !== undefined) stored[field] = /** @type {string | number} */ (value);
		}
		if (Object.keys(stored).length > 0) this.linkData.set(key, stored);
		else this.linkData.delete(key);
		return created;
	}

	/**
	 * Throws unless every field is a relation field of the pair with a value of its type.
	 * @param {string} module @param {string} relatedList @param {unknown} data
	 */
	checkRelationData(module, relatedList, data) {
		if (data === undefined) return;
		if (data === null || typeof data !== 'object' || Array.isArray(data))
			throw new Error('zoho-sandbox: relation data must be an object');
		const fields = relationFieldsOf(module, relatedList);
		for (const [field, value] of Object.entries(data)) {
			if (value === undefined) continue;
			const type = Object.prototype.hasOwnProperty.call(fields, field) ? fields[field] : undefined;
			if (!type) {
				const known = Object.keys(fields).join(', ') || 'none';
				throw new Error(
					`zoho-sandbox: "${field}" is no relation field of ${module} <-> ${relatedList} (${known})`,
				);
			}
			if (!fitsRelationField(type, value))
				throw new Error(
					`zoho-sandbox: ${field} takes a ${type === 'double' ? 'number' : 'string'} or null`,
				);
		}
	}

	/**
	 * A copy of the link's relation fields ({} when none is set), or undefined when not linked.
	 * @param {string} module @param {string} id @param {string} relatedList @param {string} relatedId
	 * @returns {LinkData | undefined}
	 */
	relationData(module, id, relatedList, relatedId) {
		if (!this.isLinked(module, id, relatedList, relatedId)) return undefined;
		return { ...this.linkData.get(linkKey(module, id, relatedList, relatedId)) };
	}

	/**
	 * Removes the link (both ends) and its data.
	 * @param {string} module @param {string} id @param {string} relatedList @param {string} relatedId
	 * @returns {boolean} whether the relation existed (and is now gone)
	 */
	unlink(module, id, relatedList, relatedId) {
		const removed = this.side(module, id, relatedList, false)?.delete(relatedId) ?? false;
		this.side(relatedList, relatedId, module, false)?.delete(id);
		this.linkData.delete(linkKey(module, id, relatedList, relatedId));
		return removed;
	}

	/** @param {string} module @param {string} id @param {string} relatedList @param {string} relatedId */
	isLinked(module, id, relatedList, relatedId) {
		this.assertRelation(module, relatedList);
		return this.side(module, id, relatedList, false)?.has(relatedId) ?? false;
	}

	/** @param {string} module @param {string} id @param {string} relatedList @returns {string[]} */
	linkedIds(module, id, relatedList) {
		this.assertRelation(module, relatedList);
		return [...(this.side(module, id, relatedList, false) ?? [])];
	}

	/**
	 * @overload
	 * @param {string} module @param {string} id @param {string} relatedList @param {true} create
	 * @returns {Set<string>}
	 */
	/**
	 * @overload
	 * @param {string} module @param {string} id @param {string} relatedList @param {false} create
	 * @returns {Set<string> | undefined}
	 */
	/**
	 * @param {string} module @param {string} id @param {string} relatedList @param {boolean} create
	 * @returns {Set<string> | undefined}
	 */
	side(module, id, relatedList, create) {
		const key = `${module}/${id}/${relatedList}`;
		let set = this.relations.get(key);
		if (!set && create) this.relations.set(key, (set = new Set()));
		return set;
	}
}

module.exports = {
	Store,
	MODULES,
	RELATIONS,
	RELATION_FIELDS,
	isModule,
	moduleInVersion,
	supportsRelation,
	relatedListsOf,
	relationFieldsOf,
	fitsRelationField,
	isDigits,
};

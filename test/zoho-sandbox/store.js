// @ts-check
'use strict';
/**
 * Records and relations of the fake Zoho org. Relations are symmetric: linking
 * Campaigns/c -> Contacts/x is also Contacts/x -> Campaigns/c, as in Zoho.
 *
 * The supported pairs are the sandbox's OWN table (it models Zoho's server, so it must not
 * read the node's table: a mistake there would then be invisible to the tests).
 */

/**
 * @typedef {Record<string, unknown> & { id: string }} ZohoRecord
 * @typedef {{ nameField: string, scopeName: string, defaults: (n: number) => Record<string, unknown> }} ModuleInfo
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
]);

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

/** @param {string} module @param {string} relatedList */
function supportsRelation(module, relatedList) {
	return (RELATED_LISTS.get(module) ?? []).includes(relatedList);
}

/** @param {string} module @returns {string[]} */
function relatedListsOf(module) {
	return [...(RELATED_LISTS.get(module) ?? [])];
}

/** @param {string} id */
function isDigits(id) {
	return DIGITS.test(id);
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

	/** @param {string} module @param {string} id @param {string} relatedList @param {string} relatedId */
	link(module, id, relatedList, relatedId) {
		this.assertRelation(module, relatedList);
		for (const [m, i] of [
			[module, id],
			[relatedList, relatedId],
		]) {
			if (!this.hasRecord(m, i)) throw new Error(`zoho-sandbox: no ${m} record with id "${i}"`);
		}
		this.side(module, id, relatedList, true).add(relatedId);
		this.side(relatedList, relatedId, module, true).add(id);
	}

	/**
	 * @param {string} module @param {string} id @param {string} relatedList @param {string} relatedId
	 * @returns {boolean} whether the relation existed (and is now gone)
	 */
	unlink(module, id, relatedList, relatedId) {
		const removed = this.side(module, id, relatedList, false)?.delete(relatedId) ?? false;
		this.side(relatedList, relatedId, module, false)?.delete(id);
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
	isModule,
	supportsRelation,
	relatedListsOf,
	isDigits,
};

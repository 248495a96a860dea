/**
 * Related Record IDs › Choose From Linked Records: the records linked to the chosen record
 * through the chosen related list, by name (the related module's name field), id as value.
 * Reads every page (200 per call) up to MAX_LINKED_OPTIONS.
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { nameFieldsOf, recordIdOf, recordName } from '../fields/records';
import { readRelation } from '../fields/relationInput';
import { CREDENTIAL_TYPE, segment } from '../zoho/transport';
import { pickerInputError, zohoGetPage } from './zohoGet';

export const LINKED_PAGE_SIZE = 200;
/** A list longer than this is no use to pick from (and costs a credit per 200). */
export const MAX_LINKED_OPTIONS = 10000;

export async function getLinkedRecords(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	let relation: ReturnType<typeof readRelation>;
	try {
		relation = readRelation((name) => this.getCurrentNodeParameter(name));
	} catch (error) {
		throw pickerInputError(this.getNode(), error);
	}
	const { module, recordId, relatedList } = relation;
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const path = `/${segment(module)}/${segment(recordId)}/${segment(relatedList)}`;
	const fields = ['id', ...nameFieldsOf(relatedList)].join(',');
	const options: INodePropertyOptions[] = [];
	for (let page = 1; options.length < MAX_LINKED_OPTIONS; page++) {
		const result = await zohoGetPage.call(this, credentials, path, {
			page,
			per_page: LINKED_PAGE_SIZE,
			fields,
		});
		for (const record of result.records) {
			const id = recordIdOf(record);
			if (id === '') continue;
			const name = recordName(relatedList, record);
			options.push({ name: name === id ? id : `${name} (${id})`, value: id });
		}
		if (!result.more || result.records.length === 0) break;
	}
	return options.slice(0, MAX_LINKED_OPTIONS).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Record ID › From List: the records of the chosen module, by name, searchable, one page of
 * 50 at a time (the pagination token is the next page number), each with a link to the
 * record in Zoho CRM.
 */
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { crmWebHost, nameFieldsOf, recordIdOf, recordName, recordUrl } from '../fields/records';
import { readModule } from '../fields/relationInput';
import { CREDENTIAL_TYPE, segment } from '../zoho/transport';
import { pickerInputError, zohoGetPage } from './zohoGet';

export const LIST_PAGE_SIZE = 50;
/** Zoho's search needs at least this many characters; a shorter filter lists instead. */
export const MIN_SEARCH_LENGTH = 2;

export async function searchRecords(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	let module: string;
	try {
		module = readModule((name) => this.getCurrentNodeParameter(name));
	} catch (error) {
		throw pickerInputError(this.getNode(), error);
	}
	const page = Math.max(1, Number.parseInt(paginationToken ?? '1', 10) || 1);
	const word = (filter ?? '').trim();
	const search = word.length >= MIN_SEARCH_LENGTH;
	const qs: IDataObject = { page, per_page: LIST_PAGE_SIZE };
	if (search) qs.word = word;
	else qs.fields = ['id', ...nameFieldsOf(module)].join(',');
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const result = await zohoGetPage.call(
		this,
		credentials,
		search ? `/${segment(module)}/search` : `/${segment(module)}`,
		qs,
	);
	const host = crmWebHost(credentials);
	const results: INodeListSearchItems[] = result.records
		.map((record) => ({ id: recordIdOf(record), name: recordName(module, record) }))
		.filter(({ id }) => id !== '')
		.map(({ id, name }) => ({
			name: name === id ? id : `${name} (${id})`,
			value: id,
			...(host ? { url: recordUrl(host, module, id) } : {}),
		}));
	return { results, paginationToken: result.more ? String(page + 1) : undefined };
}

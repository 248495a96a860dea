/**
 * The Get Linked Records operation, run by n8n's routing engine as a pagination function:
 * it validates the input item, reads `GET /{module}/{record}/{related list}` page by page
 * (Zoho's `page` / `per_page` / `info.more_records`) until the end or the limit, and returns
 * one output item per linked record.
 */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { relationFieldsOf } from '../../relations';
import { DEFAULT_CALL_POLICY, ZohoClient } from '../../zoho/call';
import { relationErrorItem, zohoApiError } from '../../zoho/errors';
import { InvalidInputError, showValue } from '../../fields/ids';
import { nameFieldsOf, recordIdOf } from '../../fields/records';
import type { Redactor } from '../../zoho/redact';
import { startItem } from '../../fields/itemStart';
import { routedForOnError } from '../errorOutput';
import {
	readApiVersion,
	checkPairVersion,
	readRelation,
	versionRequiresFields,
	type RelationInput,
} from '../../fields/relationInput';
import { LIST_WINDOW_NOTE, readLinkedRecords } from '../../zoho/linkedRecords';
import { DEFAULT_API_VERSION } from '../../zoho/transport';

/** Zoho's largest page of related records. */
export const DEFAULT_LIMIT = 50;

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_$]*$/;

export interface GetLinkedInput extends RelationInput {
	apiVersion: string;
	/** undefined: every linked record. */
	limit?: number;
	/** Sent as `fields`; empty: not sent. */
	fields: string[];
}

/** Reads and validates the item's parameters; throws InvalidInputError naming the field. */
export function readGetLinkedInput(ctx: IExecutePaginationFunctions): GetLinkedInput {
	const relation = readRelation((name) =>
		ctx.getNodeParameter(name, '', name === 'recordId' ? { extractValue: false } : {}),
	);
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const apiVersion = readApiVersion(options.apiVersion, DEFAULT_API_VERSION);
	const returnAll = ctx.getNodeParameter('returnAll', false) === true;
	let limit: number | undefined;
	if (!returnAll) {
		const raw = ctx.getNodeParameter('limit', DEFAULT_LIMIT);
		limit = Number(raw);
		if (!Number.isInteger(limit) || limit < 1) {
			throw new InvalidInputError(
				'Limit',
				`Limit ${showValue(raw)} is not a whole number of at least 1`,
				'Give how many linked records to return at most, or turn on Return All.',
			);
		}
	}
	checkPairVersion(relation, apiVersion);
	const fields = parseFields(options.fields);
	if (fields.length === 0 && versionRequiresFields(apiVersion)) {
		fields.push('id', ...nameFieldsOf(relation.relatedList).slice(0, 1));
	}
	// The fields that live on the link (Member_Status, list_price) come with every record:
	// a backup of the relation is one node. Without a field list (v2, v2.1) Zoho sends them.
	if (fields.length > 0) {
		for (const field of relationFieldsOf(relation.module, relation.relatedList))
			if (!fields.includes(field.name)) fields.push(field.name);
	}
	return { ...relation, apiVersion, limit, fields };
}

function parseFields(value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	const list = Array.isArray(value) ? value.map(String) : String(value).split(',');
	const fields = [...new Set(list.map((f) => f.trim()).filter((f) => f !== ''))];
	for (const field of fields) {
		if (!FIELD_NAME.test(field)) {
			throw new InvalidInputError(
				'Fields',
				`Fields entry ${showValue(field)} is not a Zoho field API name`,
				'Give field API names separated by commas, e.g. id, Full_Name, Email (Setup › Developer Space › APIs › API Names in Zoho CRM).',
			);
		}
	}
	return fields;
}

/** `routing.operations.pagination` of Get Linked Records. */
export async function getLinkedRecords(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const start = await startItem(this, readGetLinkedInput);
	if ('items' in start) return routedForOnError(this, start.items);
	const { input, redact, node, itemIndex } = start;
	const client = new ZohoClient(this, requestData, {
		baseURL: start.baseURL,
		orgKey: start.orgKey,
		tokenFingerprint: start.tokenFingerprint,
		policy: DEFAULT_CALL_POLICY,
	});
	const read = await readLinkedRecords(client, input, {
		limit: input.limit,
		fields: input.fields,
	});
	const items = toItems(read.records, itemIndex, redact, read.truncated);
	if (read.failure) {
		const request = `${input.apiVersion} GET ${input.module} ${input.recordId} → ${input.relatedList}, page ${read.page}`;
		const progress = read.records.length
			? `${read.records.length} linked records were read by earlier calls before this one failed.`
			: undefined;
		const error = zohoApiError(node, read.failure, { request, progress, itemIndex }, redact);
		if (!this.continueOnFail()) throw error;
		return [
			...items,
			...routedForOnError(this, [relationErrorItem(input, read.failure, itemIndex, redact)]),
		];
	}
	return items;
}

/**
 * One item per record. When Zoho's 2,000-record window cut the list short, every item says
 * so (`listTruncated: true`, `listNote`): the records past it were not returned.
 */
function toItems(
	records: IDataObject[],
	itemIndex: number,
	redact: Redactor,
	truncated: boolean,
): INodeExecutionData[] {
	const note = truncated ? { listTruncated: true, listNote: LIST_WINDOW_NOTE } : {};
	return records.map((record) => ({
		json: redact({ ...record, id: recordIdOf(record), ...note }),
		pairedItem: { item: itemIndex },
	}));
}

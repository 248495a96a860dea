/**
 * Reads the records linked to a record through a related list, page by page
 * (`GET /{module}/{id}/{related_list}`, v2 `page` / `per_page` ≤ 200, `info.more_records`;
 * 204 means none). Used by Get Linked Records and by Delink's "All Linked Records" and
 * "Dry Run".
 */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
} from 'n8n-workflow';

import { failureFromAnswer, type ZohoFailure } from './errors';
import type { RelationInput } from './relationInput';
import { callZoho, isNoAnswer, segment, type CallPolicy, DEFAULT_CALL_POLICY } from './transport';

export const MAX_PER_PAGE = 200;

export interface LinkedRead {
	records: IDataObject[];
	/** Set when a page failed: the records before it are in `records`. */
	failure?: ZohoFailure;
	/** The page that failed, or the last page read. */
	page: number;
}

export async function readLinkedRecords(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	baseURL: string,
	relation: RelationInput & { apiVersion: string },
	options: { limit?: number; fields: string[]; policy?: CallPolicy },
): Promise<LinkedRead> {
	const { module, recordId, relatedList, apiVersion } = relation;
	const path = `/${segment(module)}/${segment(recordId)}/${segment(relatedList)}`;
	const perPage = Math.min(MAX_PER_PAGE, options.limit ?? MAX_PER_PAGE);
	const records: IDataObject[] = [];
	let page = 1;
	for (; options.limit === undefined || records.length < options.limit; page++) {
		const qs: IDataObject = { page, per_page: perPage };
		if (options.fields.length) qs.fields = options.fields.join(',');
		const answer = await callZoho.call(
			this,
			requestData,
			baseURL,
			apiVersion,
			{ method: 'GET', path, qs },
			options.policy ?? DEFAULT_CALL_POLICY,
		);
		const pageRecords = isNoAnswer(answer) ? undefined : recordsOf(answer);
		if (!pageRecords) {
			const failure: ZohoFailure = isNoAnswer(answer)
				? { code: answer.code, message: answer.message, details: {} }
				: failureFromAnswer(answer);
			return { records, failure, page };
		}
		records.push(...pageRecords.records);
		if (!pageRecords.more || pageRecords.records.length === 0) break;
	}
	return {
		records: options.limit === undefined ? records : records.slice(0, options.limit),
		page,
	};
}

/**
 * One page of records, or undefined when the answer is a failure. 204 (no linked records,
 * or a page past the end) is an empty page.
 */
function recordsOf(answer: {
	statusCode: number;
	body: unknown;
}): { records: IDataObject[]; more: boolean } | undefined {
	const { statusCode, body } = answer;
	if (statusCode < 200 || statusCode >= 300) return undefined;
	if (statusCode === 204) return { records: [], more: false };
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const b = body as IDataObject;
	if (Object.keys(b).length === 0) return { records: [], more: false };
	if (!Array.isArray(b.data)) return undefined;
	const records = b.data.filter(
		(r): r is IDataObject => r !== null && typeof r === 'object' && !Array.isArray(r),
	);
	const info = (b.info ?? {}) as IDataObject;
	return { records, more: info.more_records === true };
}

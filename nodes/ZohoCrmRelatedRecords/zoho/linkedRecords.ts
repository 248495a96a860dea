/**
 * Reads the records linked to a record through a related list, page by page
 * (`GET /{module}/{id}/{related_list}`, v2 `page` / `per_page` ≤ 200, `info.more_records`;
 * 204 means none). Used by Get Linked Records and by Delink's "All Linked Records" and
 * "Dry Run".
 */
import type { IDataObject } from 'n8n-workflow';

import type { RelationInput } from '../fields/relationInput';
import { failureOf, type ZohoClient, type ZohoQuery } from './call';
import type { ZohoFailure } from './errors';
import { segment } from './transport';

export const MAX_PER_PAGE = 200;

/**
 * Zoho lists only the first 2,000 records of a listing by page number: a page starting past
 * record 2,000 answers 400 DISCRETE_PAGINATION_LIMIT_EXCEEDED. Past it, only Zoho's
 * `next_page_token` goes on, and Zoho does not document one for related lists.
 */
export const PAGE_WINDOW = 2000;
export const PAGE_WINDOW_CODE = 'DISCRETE_PAGINATION_LIMIT_EXCEEDED';

/** Said on items of a read that Zoho's window cut short (`listTruncated: true`). */
export const LIST_WINDOW_NOTE =
	'Zoho lists only the first 2,000 linked records of a record by page and gave no next_page_token to go further.';

export interface LinkedRead {
	/** The records read, each id once, in Zoho's order. */
	records: IDataObject[];
	/** Set when a page failed: the records before it are in `records`. */
	failure?: ZohoFailure;
	/** The page that failed, or the last page read. */
	page: number;
	/** GET calls made. */
	calls: number;
	/**
	 * Zoho has more linked records than it lets this read reach: its 2,000-record window, with
	 * no `next_page_token` to go past it.
	 */
	truncated: boolean;
}

/**
 * Reads the linked records page by page until the end, the limit, or Zoho's window. Follows
 * Zoho's `next_page_token` whenever an answer carries one (then the window does not apply).
 */
export async function readLinkedRecords(
	client: ZohoClient,
	relation: RelationInput & { apiVersion: string },
	options: {
		limit?: number;
		fields: string[];
		/** Stop early once this holds for the records read so far. */
		until?: (records: readonly IDataObject[]) => boolean;
	},
): Promise<LinkedRead> {
	const { module, recordId, relatedList, apiVersion } = relation;
	const path = `/${segment(module)}/${segment(recordId)}/${segment(relatedList)}`;
	const perPage = Math.min(MAX_PER_PAGE, options.limit ?? MAX_PER_PAGE);
	const records: IDataObject[] = [];
	const seen = new Set<string>();
	let pageToken: string | undefined;
	let page = 1;
	let calls = 0;
	let truncated = false;
	for (; options.limit === undefined || records.length < options.limit; page++) {
		if (pageToken === undefined && (page - 1) * perPage >= PAGE_WINDOW) {
			truncated = true;
			break;
		}
		const qs: ZohoQuery =
			pageToken === undefined
				? { page, per_page: perPage }
				: { page_token: pageToken, per_page: perPage };
		if (options.fields.length) qs.fields = options.fields.join(',');
		const answer = await client.call(apiVersion, { method: 'GET', path, qs });
		calls++;
		const pageRecords = 'noAnswer' in answer ? undefined : recordsOf(answer);
		if (!pageRecords) {
			const failure = failureOf(answer);
			if (failure.code === PAGE_WINDOW_CODE) {
				truncated = true;
				break;
			}
			return { records, failure, page, calls, truncated };
		}
		for (const record of pageRecords.records) {
			// A list that changes between pages can show a record twice: keep it once.
			const id =
				typeof record.id === 'string' || typeof record.id === 'number' ? String(record.id) : '';
			if (id !== '' && seen.has(id)) continue;
			if (id !== '') seen.add(id);
			records.push(record);
		}
		if (!pageRecords.more || pageRecords.records.length === 0) break;
		if (options.until?.(records)) break;
		pageToken = pageRecords.nextPageToken;
	}
	return {
		records: options.limit === undefined ? records : records.slice(0, options.limit),
		page,
		calls,
		truncated,
	};
}

/**
 * One page of records, or undefined when the answer is a failure. 204 (no linked records,
 * or a page past the end) is an empty page.
 */
function recordsOf(answer: {
	statusCode: number;
	body: unknown;
}): { records: IDataObject[]; more: boolean; nextPageToken?: string } | undefined {
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
	const token = info.next_page_token;
	return {
		records,
		more: info.more_records === true,
		nextPageToken: typeof token === 'string' && token !== '' ? token : undefined,
	};
}

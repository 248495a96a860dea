/**
 * Errors the node raises: Zoho's failures as NodeApiError (Zoho's code and message, the
 * seed's resolution, the offending input) and bad input as NodeOperationError (field,
 * value, what to do). Both pass through the redactor: no secret leaves the node.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';

import type { InvalidInputError } from '../fields/ids';
import type { Redactor } from './redact';
import type { ZohoAnswer } from './transport';
import { resolutionFor } from './zohoErrors';

/** A call that failed as a whole (no per-id answer). */
export interface ZohoFailure {
	httpCode?: number;
	code: string;
	message: string;
	details: IDataObject;
	/** How many attempts the call took, when it was retried. */
	attempts?: number;
}

export function failureFromAnswer(answer: ZohoAnswer): ZohoFailure {
	const { statusCode, body } = answer;
	if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
		const b = body as IDataObject;
		if (typeof b.code === 'string' && b.code !== '') {
			return {
				httpCode: statusCode,
				code: b.code,
				message: typeof b.message === 'string' ? b.message : '',
				details: isObject(b.details) ? b.details : {},
			};
		}
	}
	const text = typeof body === 'string' ? plainText(body) : '';
	return {
		httpCode: statusCode,
		code: `HTTP_${statusCode}`,
		message: text || `Zoho answered HTTP ${statusCode} without an error code`,
		details: {},
	};
}

export function zohoApiError(
	node: INode,
	failure: ZohoFailure,
	context: { request: string; progress?: string; itemIndex: number },
	redact: Redactor,
): NodeApiError {
	const safe = redact(failure);
	const description = [
		resolutionFor(safe.code),
		`Request: ${context.request}`,
		Object.keys(safe.details).length ? `Details: ${JSON.stringify(safe.details)}` : '',
		safe.attempts ? `Gave up after ${safe.attempts} attempts.` : '',
		context.progress ?? '',
	]
		.filter((line) => line !== '')
		.join('\n');
	return new NodeApiError(
		node,
		{
			code: safe.code,
			message: safe.message,
			details: safe.details,
			status: 'error',
		} as JsonObject,
		{
			message: `Zoho CRM error ${safe.code}: ${safe.message || 'no message'}${safe.attempts ? ` (after ${safe.attempts} attempts)` : ''}`,
			description,
			httpCode: safe.httpCode === undefined ? undefined : String(safe.httpCode),
			itemIndex: context.itemIndex,
		},
	);
}

/**
 * Continue On Fail: a failed call of an item as an output item shaped like the operation's
 * own (which relation, status, Zoho's code and message), paired to its input item. No `error`
 * on the item: n8n would replace its json with the message alone.
 */
export function relationErrorItem(
	relation: { module: string; recordId: string; relatedList: string },
	failure: ZohoFailure,
	itemIndex: number,
	redact: Redactor,
): INodeExecutionData {
	const safe = redact(failure);
	const json: IDataObject = {
		module: relation.module,
		recordId: relation.recordId,
		relatedList: relation.relatedList,
		status: 'error',
		code: safe.code,
		message: safe.message,
		details: safe.details,
	};
	if (safe.attempts) json.attempts = safe.attempts;
	return { json, pairedItem: { item: itemIndex } };
}

export function invalidInputError(node: INode, error: InvalidInputError, itemIndex: number) {
	return new NodeOperationError(node, error.message, { description: error.hint, itemIndex });
}

function plainText(html: string): string {
	return html
		.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 200);
}

function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

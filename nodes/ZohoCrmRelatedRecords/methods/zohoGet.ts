/**
 * One GET to Zoho CRM from the editor's pickers (ILoadOptionsFunctions has no routing
 * engine): signed by n8n with the OAuth2 token, refreshed once on 401 by n8n. Zoho's errors
 * come back as NodeApiError with Zoho's code and message; no secret leaves it.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { failureFromAnswer, invalidInputError, zohoApiError } from '../zoho/errors';
import { InvalidInputError } from '../fields/ids';
import { createRedactor } from '../zoho/redact';
import { answerFromError, apiBaseUrl, CREDENTIAL_TYPE } from '../zoho/transport';

/** Version of the pickers' calls: v2 needs no `fields` on searches. */
export const PICKER_API_VERSION = 'v2';

export interface ZohoPage {
	records: IDataObject[];
	more: boolean;
}

/** GETs one page of records below /crm/v2; 204 is an empty page. */
export async function zohoGetPage(
	this: ILoadOptionsFunctions,
	credentials: ICredentialDataDecryptedObject,
	path: string,
	qs: IDataObject,
): Promise<ZohoPage> {
	const tokenData = (credentials.oauthTokenData ?? {}) as IDataObject;
	const redact = createRedactor([
		tokenData.access_token,
		tokenData.refresh_token,
		credentials.clientSecret,
	]);
	const node = this.getNode();
	let baseURL: string;
	try {
		baseURL = apiBaseUrl(credentials);
	} catch (error) {
		throw pickerInputError(node, error);
	}
	const url = `/crm/${PICKER_API_VERSION}${path}`;
	let statusCode: number;
	let body: unknown;
	try {
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
			method: 'GET',
			baseURL,
			url,
			qs,
			headers: { Accept: 'application/json' },
			json: true,
			returnFullResponse: true,
		})) as { statusCode?: number; body?: unknown };
		statusCode = Number(response.statusCode ?? 200);
		body = response.body;
	} catch (error) {
		const answer = answerFromError(error);
		const failure = answer
			? failureFromAnswer(answer)
			: {
					code: 'NO_RESPONSE',
					message: String((error as Error)?.message ?? 'The request to Zoho failed'),
					details: {},
				};
		throw zohoApiError(node, failure, { request: `GET ${url}`, itemIndex: 0 }, redact);
	}
	if (statusCode === 204 || body === undefined || body === null || body === '') {
		return { records: [], more: false };
	}
	const data = typeof body === 'object' ? (body as IDataObject).data : undefined;
	if (!Array.isArray(data)) {
		const failure = failureFromAnswer({ statusCode, headers: {}, body });
		throw zohoApiError(node, failure, { request: `GET ${url}`, itemIndex: 0 }, redact);
	}
	const info = ((body as IDataObject).info ?? {}) as IDataObject;
	return {
		records: data.filter(
			(r): r is IDataObject => r !== null && typeof r === 'object' && !Array.isArray(r),
		),
		more: info.more_records === true,
	};
}

/** Bad input in a picker (a field not filled in yet, a wrong credential) as a node error. */
export function pickerInputError(node: INode, error: unknown): NodeOperationError {
	return error instanceof InvalidInputError
		? invalidInputError(node, error, 0)
		: new NodeOperationError(node, error as Error);
}

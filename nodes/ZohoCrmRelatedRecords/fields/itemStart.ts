/**
 * How every operation starts on an input item: the credential, a redactor for its secrets,
 * the validated input and the API base URL. Bad input throws a NodeOperationError naming the
 * field, before any request; with Continue On Fail it becomes one error item instead.
 */
import { NodeOperationError } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecutePaginationFunctions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import { invalidInputError } from '../zoho/errors';
import { InvalidInputError } from './ids';
import { createRedactor, type Redactor } from '../zoho/redact';
import { tokenFingerprint } from '../zoho/tokenGate';
import { apiBaseUrl, CREDENTIAL_TYPE } from '../zoho/transport';

export interface ItemStart<T> {
	input: T;
	baseURL: string;
	/** The Zoho org and app: credential + API domain (the concurrency cap's key). */
	orgKey: string;
	/** Fingerprint of the credential's refresh token, for the token gate. */
	tokenFingerprint: string;
	redact: Redactor;
	node: INode;
	itemIndex: number;
}

/** The item's start, or (Continue On Fail, bad input) the error item to output instead. */
export async function startItem<T>(
	ctx: IExecutePaginationFunctions,
	read: (ctx: IExecutePaginationFunctions) => T,
	readCredentials: () => Promise<ICredentialDataDecryptedObject> = async () =>
		await ctx.getCredentials(CREDENTIAL_TYPE),
): Promise<ItemStart<T> | { items: INodeExecutionData[] }> {
	const itemIndex = ctx.getItemIndex();
	const node = ctx.getNode();
	const credentials = await readCredentials();
	const tokenData = (credentials.oauthTokenData ?? {}) as IDataObject;
	const redact = createRedactor([
		tokenData.access_token,
		tokenData.refresh_token,
		credentials.clientSecret,
	]);
	try {
		const input = read(ctx);
		const baseURL = apiBaseUrl(credentials);
		const credentialId = node.credentials?.[CREDENTIAL_TYPE]?.id ?? String(credentials.clientId);
		return {
			input,
			baseURL,
			orgKey: `${credentialId}@${baseURL}`,
			tokenFingerprint: tokenFingerprint(tokenData.refresh_token),
			redact,
			node,
			itemIndex,
		};
	} catch (error) {
		const nodeError =
			error instanceof InvalidInputError
				? invalidInputError(node, error, itemIndex)
				: new NodeOperationError(node, error as Error, { itemIndex });
		if (!ctx.continueOnFail()) throw nodeError;
		// No `error` on the item: n8n would replace its json with the message alone.
		const json = {
			status: 'error',
			code: 'INVALID_INPUT',
			message: nodeError.message,
			description: nodeError.description ?? '',
		};
		return { items: [{ json, pairedItem: { item: itemIndex } }] };
	}
}

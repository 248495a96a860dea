/** Sandboxes for routing tests, and a credential pointing at one (data centre "Custom"). */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startZohoSandbox, type SandboxOptions, type ZohoSandbox } from '../zoho-sandbox';
import { TestCredentialsHelper } from '../helpers/credentials';

export async function sandboxWithCredential(options: SandboxOptions = {}) {
	const sandbox: ZohoSandbox = await startZohoSandbox(options);
	const credential = (tokenOverrides: IDataObject = {}, expired = false) => {
		const tokens = sandbox.issueTokens({ expired });
		return new TestCredentialsHelper({
			dataCenter: 'custom',
			customAccountsServer: sandbox.url,
			environment: 'production',
			clientId: sandbox.clientId,
			clientSecret: sandbox.clientSecret,
			oauthTokenData: {
				access_token: tokens.access_token,
				refresh_token: tokens.refresh_token,
				api_domain: sandbox.url,
				token_type: 'Bearer',
				...tokenOverrides,
			},
		});
	};
	return { sandbox, credential };
}

/** A campaign linked to `n` contacts. */
export function campaignWithContacts(sandbox: ZohoSandbox, n: number) {
	const campaignId = sandbox.addRecord('Campaigns');
	const contactIds = sandbox.addRecords('Contacts', n);
	sandbox.link('Campaigns', campaignId, 'Contacts', contactIds);
	return { campaignId, contactIds };
}

export const STATUSES = ['Active', 'Planning', 'Sent', 'Invited'];

/** A campaign linked to `n` contacts, each link with a Member_Status (STATUSES in turn). */
export function campaignWithMembers(sandbox: ZohoSandbox, n: number) {
	const campaignId = sandbox.addRecord('Campaigns');
	const contactIds = sandbox.addRecords('Contacts', n);
	sandbox.link('Campaigns', campaignId, 'Contacts', contactIds, (_id: string, i: number) => ({
		Member_Status: STATUSES[i % STATUSES.length],
	}));
	return { campaignId, contactIds };
}

/** Each link's relation data (undefined: not linked), in the order of `ids`. */
export const membership = (sandbox: ZohoSandbox, campaignId: string, ids: readonly string[]) =>
	ids.map((id) => sandbox.relationData('Campaigns', campaignId, 'Contacts', id));

/** Parameters of a Link run (Enter IDs), the record id given By ID. */
export function linkParameters(
	module: string,
	relatedList: string,
	recordId: string,
	relatedRecordIds: unknown,
	more: IDataObject = {},
): INodeParameters {
	return {
		operation: 'link',
		module,
		relatedList,
		recordId: { __rl: true, mode: 'id', value: recordId },
		relatedRecordIds,
		...more,
	} as INodeParameters;
}

/** Undo a Delink: Link from Delink's output items, as they are. */
export const UNDO = { operation: 'link', linkFrom: 'delinkOutput' } as INodeParameters;

export const apiCalls = (sandbox: ZohoSandbox) => sandbox.requests.filter((r) => r.kind === 'api');

/**
 * A test file's `setup(options)`: a sandbox with a credential per call; every sandbox is
 * closed after each test, then `check` runs (e.g. that no cap group is left behind).
 */
export function sandboxesClosedAfterEach(check?: () => void) {
	let open: ZohoSandbox[] = [];
	afterEach(async () => {
		await Promise.all(open.map((s) => s.close()));
		open = [];
		check?.();
	});
	return async (options: SandboxOptions = {}) => {
		const made = await sandboxWithCredential(options);
		open.push(made.sandbox);
		return made;
	};
}

/** The items' json. */
export const json = (items: Array<{ json: IDataObject }>) => items.map((i) => i.json);

/**
 * Token trouble reads as token trouble, through the real routing engine on n8n-core 1.x and
 * 2.x: one refresh per expiry however many calls are in flight (Zoho grants 10 new access
 * tokens per refresh token per 10 minutes), and a refused refresh token asks once and says
 * to reconnect the credential. Expiry is injected by count (the sandbox's
 * expireAccessTokensAfter), never by timers.
 */
import type { IDataObject } from 'n8n-workflow';

import { groupsInUse } from '../../nodes/ZohoCrmRelatedRecords/zoho/cap';
import { delinkParameters, runNode } from '../helpers/routing';
import type { ZohoSandbox } from '../zoho-sandbox';
import { apiCalls, campaignWithContacts, sandboxesClosedAfterEach } from './fixtures';

const setup = sandboxesClosedAfterEach(() => expect(groupsInUse()).toBe(0));

const oauthCalls = (sb: ZohoSandbox) => sb.requests.filter((r) => r.kind === 'oauth');

describe.each([5, 25])('Max Concurrent Calls %i', (cap) => {
	test('a token that expires mid-run is refreshed once; every id is delinked', async () => {
		const { sandbox, credential } = await setup({ latencyMs: 2 });
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 6000);
		sandbox.expireAccessTokensAfter(20);
		const creds = credential();
		const { items, error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds, {
				maxConcurrentCalls: cap,
			}),
			credentials: creds,
		});
		expect(error).toBeUndefined();
		expect(sandbox.stats.tokenRefreshes).toBe(1);
		expect(creds.tokenUpdates).toHaveLength(1);
		expect(sandbox.stats.authFailures).toBeGreaterThan(0);
		expect(sandbox.stats.authFailures).toBeLessThanOrEqual(cap + 1);
		expect(items.every((i) => i.json.status === 'success')).toBe(true);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
	});

	test('an expired token at the start of 100 items: one refresh', async () => {
		const { sandbox, credential } = await setup({ latencyMs: 2 });
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 100);
		const { error } = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, '={{ $json.id }}', {
				maxConcurrentCalls: cap,
			}),
			items: contactIds.map((id) => ({ json: { id } })),
			credentials: credential({}, true),
		});
		expect(error).toBeUndefined();
		expect(sandbox.stats.tokenRefreshes).toBe(1);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
	});

	test.each([200, 400])(
		'a revoked refresh token (Zoho answers HTTP %i): one token request, an error that says to reconnect',
		async (oauthErrorStatus) => {
			const { sandbox, credential } = await setup({ oauthErrorStatus });
			const { campaignId, contactIds } = campaignWithContacts(sandbox, 30);
			const creds = credential({}, true);
			sandbox.revokeRefreshTokens();
			const { items, error } = await runNode({
				parameters: delinkParameters('Campaigns', 'Contacts', campaignId, '={{ $json.id }}', {
					maxConcurrentCalls: cap,
					retryBaseDelayMs: 1,
				}),
				items: contactIds.map((id) => ({ json: { id } })),
				credentials: creds,
			});
			expect(items).toEqual([]);
			expect(oauthCalls(sandbox)).toHaveLength(1);
			expect(error?.message).toBe(
				'Zoho CRM error OAUTH_REFRESH_FAILED: Zoho refused to renew the access token (invalid_code): reconnect the Zoho CRM credential',
			);
			expect(error?.description).toMatch(/Reconnect/);
			expect(error?.description).toMatch(/revoked/);
			expect(error?.description).toMatch(/20 refresh tokens/);
			const secrets = creds.data.oauthTokenData as IDataObject;
			const text = JSON.stringify([error?.message, error?.description]);
			expect(text).not.toContain(secrets.refresh_token as string);
			expect(text).not.toContain(secrets.access_token as string);
			expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual(contactIds);
		},
	);
});

test('a refused refresh under Continue On Fail: every item gets its error, still one token request', async () => {
	const { sandbox, credential } = await setup();
	const { campaignId, contactIds } = campaignWithContacts(sandbox, 10);
	const creds = credential({}, true);
	sandbox.revokeRefreshTokens();
	const { items, error } = await runNode({
		parameters: delinkParameters('Campaigns', 'Contacts', campaignId, '={{ $json.id }}'),
		items: contactIds.map((id) => ({ json: { id } })),
		credentials: creds,
		continueOnFail: true,
	});
	expect(error).toBeUndefined();
	expect(oauthCalls(sandbox)).toHaveLength(1);
	expect(items.map((i) => i.json.code)).toEqual(contactIds.map(() => 'OAUTH_REFRESH_FAILED'));
	expect(items.map((i) => (i.pairedItem as { item: number }).item)).toEqual(
		contactIds.map((_, i) => i),
	);
});

test('401 OAUTH_SCOPE_MISMATCH is not a token to renew: no token request, the scope error', async () => {
	const { sandbox, credential } = await setup();
	const { campaignId, contactIds } = campaignWithContacts(sandbox, 2);
	const tokens = sandbox.issueTokens({ scope: 'ZohoCRM.modules.leads.ALL' });
	const { error } = await runNode({
		parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds),
		credentials: credential(tokens as unknown as IDataObject),
	});
	expect(error?.message).toMatch(/^Zoho CRM error OAUTH_SCOPE_MISMATCH/);
	expect(oauthCalls(sandbox)).toHaveLength(0);
	expect(apiCalls(sandbox)).toHaveLength(1);
});

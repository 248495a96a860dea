/**
 * A network fault in the middle of a token renewal is a network fault, not a refusal: on
 * n8n-core 1.x and 2.x, a renewal whose answer is lost (Zoho granted the token, or never got
 * the request) is tried again, the run finishes, and the next run in the same process sends
 * its calls (no remembered "refused" for 10 minutes). Faults are injected by count.
 */
import { delinkParameters, runNode } from '../helpers/routing';
import type { ZohoSandbox } from '../zoho-sandbox';
import { campaignWithContacts, sandboxesClosedAfterEach } from './fixtures';

const setup = sandboxesClosedAfterEach();
const tokenCalls = (sb: ZohoSandbox) => sb.requests.filter((r) => r.kind === 'oauth');

test.each(['dropAfterApply', 'drop'] as const)(
	'a renewal whose connection drops (%s) is tried again; this run and the next succeed',
	async (fate) => {
		const { sandbox, credential } = await setup();
		const { campaignId, contactIds } = campaignWithContacts(sandbox, 3);
		sandbox.failNextToken(1, fate);
		const creds = credential({}, true);
		const parameters = delinkParameters('Campaigns', 'Contacts', campaignId, contactIds[0], {
			retryBaseDelayMs: 0,
		});
		const first = await runNode({ parameters, credentials: creds });
		expect(first.error?.message).toBeUndefined();
		expect(first.items.map((i) => i.json.status)).toEqual(['success']);
		expect(tokenCalls(sandbox).length).toBeGreaterThanOrEqual(2);
		const second = await runNode({
			parameters: delinkParameters('Campaigns', 'Contacts', campaignId, contactIds[1], {
				retryBaseDelayMs: 0,
			}),
			credentials: creds,
		});
		expect(second.error?.message).toBeUndefined();
		expect(second.items.map((i) => i.json.status)).toEqual(['success']);
		expect(sandbox.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([contactIds[2]]);
	},
);

test('a renewal that keeps failing on the network ends as a network failure, not OAUTH_REFRESH_FAILED, and is not remembered', async () => {
	const { sandbox, credential } = await setup();
	const { campaignId, contactIds } = campaignWithContacts(sandbox, 2);
	sandbox.failNextToken(10, 'drop');
	const creds = credential({}, true);
	const parameters = delinkParameters('Campaigns', 'Contacts', campaignId, contactIds[0], {
		retryBaseDelayMs: 0,
		maxRetries: 1,
	});
	const first = await runNode({ parameters, credentials: creds });
	expect(first.error?.message ?? '').not.toMatch(/OAUTH_REFRESH_FAILED|reconnect/i);
	expect(first.error?.message ?? '').toMatch(/connection/i);
	sandbox.clearFailNext();
	const second = await runNode({ parameters, credentials: creds });
	expect(second.error?.message).toBeUndefined();
	expect(second.items.map((i) => i.json.status)).toEqual(['success']);
});

/**
 * The node as a tool of n8n's MCP Server Trigger (`@n8n/n8n-nodes-langchain.mcpTrigger`, v2:
 * streamable HTTP), in a REAL `n8n start` on 127.0.0.1 on each line of E2E_LINES, the workflow
 * activated from the command line the way an administrator does (1.x `update:workflow
 * --active=true`, 2.x `publish:workflow`), called by a real MCP client
 * (`@modelcontextprotocol/sdk`): tools/list shows each tool with its own description and the
 * `$fromAI` schema; tools/call runs the node, the DELETE reaches the sandbox, and the client
 * gets the summary; a refused input comes back as a result, not a protocol error.
 */
import { randomUUID } from 'node:crypto';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import * as h from '../harness';
import * as zw from '../harness/zoho-workflows';
import { TOOL_DESCRIPTIONS } from '../../nodes/ZohoCrmRelatedRecords/fields/toolOptions';
import { startZohoSandbox, type ZohoSandbox } from '../zoho-sandbox';

const SETUP_TIMEOUT = 50 * 60_000;
const MCP_PATH = 'zoho-e2e-tools';
const TOOL_TYPE = `${zw.NODE_TYPE}Tool`;
const CRED = { id: 'zohoMcpCred', name: 'Zoho CRM sandbox' };

const campaignId =
	"={{ $fromAI('campaignId', 'The campaign record ID: digits only, as a string', 'string') }}";
const contactIds =
	"={{ $fromAI('contactIds', 'The contact record IDs, digits only, separated by commas', 'string') }}";

function tool(name: string, parameters: Record<string, unknown>) {
	return {
		name,
		type: TOOL_TYPE,
		typeVersion: 1.1,
		parameters: {
			module: 'Campaigns',
			relatedList: 'Contacts',
			recordId: { __rl: true, mode: 'id', value: campaignId },
			...parameters,
		},
		credentials: { [zw.CREDENTIAL_TYPE]: CRED },
	};
}

const workflow = {
	id: 'mcpTools',
	name: 'Zoho CRM tools over MCP',
	active: true,
	nodes: [
		{
			name: 'MCP Server Trigger',
			type: '@n8n/n8n-nodes-langchain.mcpTrigger',
			typeVersion: 2,
			webhookId: randomUUID(),
			parameters: { path: MCP_PATH },
		},
		tool('Get Campaign Members', { operation: 'getLinked', returnAll: true }),
		tool('Remove From Campaign', { operation: 'delink', relatedRecordIds: contactIds }),
	],
	connections: {
		'Get Campaign Members': {
			ai_tool: [[{ node: 'MCP Server Trigger', type: 'ai_tool', index: 0 }]],
		},
		'Remove From Campaign': {
			ai_tool: [[{ node: 'MCP Server Trigger', type: 'ai_tool', index: 0 }]],
		},
	},
};

/**
 * n8n registers an active workflow's production webhooks once it is up: wait until the MCP
 * endpoint answers anything but 404 (a GET without a session is refused either way and starts
 * nothing).
 */
async function untilRegistered(url: string, server: h.N8nServer) {
	const deadline = Date.now() + 90_000;
	while (Date.now() < deadline) {
		const status = await fetch(url, { method: 'GET' })
			.then((r) => r.status)
			.catch(() => 0);
		if (status !== 404 && status !== 0) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`MCP endpoint ${url} never registered:\n${h.tail(server.logs(), 40)}`);
}

describe.each(h.e2eLines())('n8n %s.x: the node as a tool of n8n’s MCP Server Trigger', (line) => {
	let sb: ZohoSandbox;
	let ctx: h.Ctx;
	let server: h.N8nServer;
	let client: Client;
	let members: { campaignId: string; contactIds: string[] };

	beforeAll(async () => {
		sb = await startZohoSandbox();
		const id = sb.addRecord('Campaigns');
		const ids = sb.addRecords('Contacts', 3);
		sb.link('Campaigns', id, 'Contacts', ids, { Member_Status: 'Active' });
		members = { campaignId: id, contactIds: ids };
		ctx = await h.createUserFolder({ line, tarball: await h.packPackage() });
		await h.importCredentials(ctx, [zw.sandboxCredential(sb, CRED)]);
		await h.importWorkflow(ctx, { ...workflow, active: false });
		const activate =
			line === 2
				? ['publish:workflow', `--id=${workflow.id}`]
				: ['update:workflow', `--id=${workflow.id}`, '--active=true'];
		const activated = await h.runN8nCli(ctx, activate);
		if (activated.exitCode !== 0)
			throw new Error(`n8n ${activate[0]}: ${h.tail(activated.stderr, 30)}`);
		server = await h.startN8n(ctx);
		const url = `${server.url}/mcp/${MCP_PATH}`;
		await untilRegistered(url, server);
		client = new Client({ name: 'zoho-e2e-client', version: '1.0.0' });
		await client.connect(new StreamableHTTPClientTransport(new URL(url)));
	}, SETUP_TIMEOUT);

	afterAll(async () => {
		await client?.close().catch(() => undefined);
		await server?.stop();
		await ctx?.cleanup();
		await sb?.close();
	});

	test('tools/list: both tools, each with its operation’s description and its $fromAI parameters', async () => {
		const { tools } = await client.listTools();
		const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
		expect(Object.keys(byName).sort()).toEqual(['Get_Campaign_Members', 'Remove_From_Campaign']);
		expect(byName.Get_Campaign_Members.description).toBe(TOOL_DESCRIPTIONS.getLinked);
		expect(byName.Remove_From_Campaign.description).toBe(TOOL_DESCRIPTIONS.delink);
		expect(Object.keys(byName.Get_Campaign_Members.inputSchema.properties ?? {})).toEqual([
			'campaignId',
		]);
		expect(Object.keys(byName.Remove_From_Campaign.inputSchema.properties ?? {}).sort()).toEqual([
			'campaignId',
			'contactIds',
		]);
	});

	test('tools/call: the DELETE reaches the sandbox with the ids asked for; the client gets the summary', async () => {
		const from = sb.requests.length;
		const two = members.contactIds.slice(0, 2);
		const result = await client.callTool({
			name: 'Remove_From_Campaign',
			arguments: { campaignId: members.campaignId, contactIds: two.join(',') },
		});
		expect(result.isError).toBeFalsy();
		const text = (result.content as Array<{ type: string; text: string }>)[0].text;
		expect(JSON.parse(text)[0]).toMatchObject({
			operation: 'delink',
			status: 'success',
			delinked: 2,
		});
		const deletes = sb.requests
			.slice(from)
			.filter((r) => r.kind === 'api' && r.method === 'DELETE');
		expect(deletes).toHaveLength(1);
		expect(deletes[0].path).toBe(`/crm/v2/Campaigns/${members.campaignId}/Contacts`);
		expect(deletes[0].query.ids.split(',')).toEqual(two);
		expect(sb.linkedIds('Campaigns', members.campaignId, 'Contacts')).toEqual([
			members.contactIds[2],
		]);
	});

	test('tools/call with a mistyped id: a result with code INVALID_INPUT and the fix; nothing sent', async () => {
		const from = sb.requests.length;
		const result = await client.callTool({
			name: 'Remove_From_Campaign',
			arguments: { campaignId: members.campaignId, contactIds: '12x4' },
		});
		const text = (result.content as Array<{ type: string; text: string }>)[0].text;
		const [summary] = JSON.parse(text);
		expect(summary.problems[0]).toMatchObject({ code: 'INVALID_INPUT' });
		expect(sb.requests.slice(from).filter((r) => r.kind === 'api')).toEqual([]);
	});

	test('nothing left loopback', () => {
		expect(h.netAttempts(ctx)).toEqual([]);
	});
});

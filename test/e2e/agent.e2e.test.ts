/**
 * The node as tools of n8n's own AI Agent, in REAL n8n on each line of E2E_LINES (1.123 on
 * Node 20, 2.40 on Node 24): examples/manage-campaign-membership-with-an-ai-agent.json (Get
 * Linked Records, Delink with Dry Run and Delink as tools), imported as a user imports it with
 * only its request text adapted to the sandbox's ids, run by `n8n execute`. Its OpenAI Chat
 * Model's credential points at a scripted OpenAI-compatible model on 127.0.0.1
 * (scripted-model.js) that asks for the tool calls of each test, in order.
 *
 * Asserted on what n8n sent the model (a distinct description per tool, the `$fromAI` schema,
 * tool results of at most 8 KB for 1,000 ids, no secret anywhere), on the sandbox (exactly the
 * calls the tool calls asked for), and on n8n (the workflow goes on after a refused input, a
 * Zoho error and a Max Links Per Run refusal).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as h from '../harness';
import * as zw from '../harness/zoho-workflows';
import { TOOL_DESCRIPTIONS } from '../../nodes/ZohoCrmRelatedRecords/fields/toolOptions';
import { SUMMARY_BUDGET } from '../../nodes/ZohoCrmRelatedRecords/actions/toolOutput';
import { startZohoSandbox, ZOHO_ERRORS, type ZohoSandbox } from '../zoho-sandbox';
import { startScriptedModel, toolResults, type ScriptStep } from './scripted-model';

export const AGENT_EXAMPLE = 'manage-campaign-membership-with-an-ai-agent.json';
const OPENAI_KEY = 'sk-e2e-scripted-model-key-0123456789';
const SETUP_TIMEOUT = 50 * 60_000;
const TOOLS = {
	list: 'Get_Campaign_Members',
	check: 'Check_Removal',
	remove: 'Remove_From_Campaign',
};

type Step = ScriptStep;

/** The example as shipped, its request naming the sandbox's campaign and contacts. */
export function agentExample(id: string, campaignId: string, contactIds: string[]): zw.Workflow {
	const wf = JSON.parse(
		fs.readFileSync(path.join(h.REPO_DIR, 'examples', AGENT_EXAMPLE), 'utf8'),
	) as zw.Workflow;
	const request = wf.nodes.find((n) => n.name === 'Request');
	const assignment = request?.parameters?.assignments?.assignments?.[0];
	if (!assignment) throw new Error(`examples/${AGENT_EXAMPLE}: expected a Request Set node`);
	assignment.value = `Take the contacts ${contactIds.join(' and ')} out of campaign ${campaignId}. Check first, then tell me what changed.`;
	return { ...wf, id };
}

describe.each(h.e2eLines())('n8n %s.x: the node as tools of n8n’s AI Agent', (line) => {
	let sb: ZohoSandbox;
	let model: Awaited<ReturnType<typeof startScriptedModel>>;
	const script: Step[] = [];
	let ctx: h.Ctx;
	let secrets: string[];
	const camp = (n: number) => {
		const campaignId = sb.addRecord('Campaigns');
		const contactIds = sb.addRecords('Contacts', n);
		sb.link('Campaigns', campaignId, 'Contacts', contactIds, { Member_Status: 'Active' });
		return { campaignId, contactIds };
	};
	let example: { campaignId: string; contactIds: string[] };
	let big: { campaignId: string; contactIds: string[] };
	let over: { campaignId: string; contactIds: string[] };
	let small: { campaignId: string; contactIds: string[] };

	/** Runs a workflow with this script; what the model and the sandbox received meanwhile. */
	async function runAgent(id: string, steps: Step[]) {
		script.splice(0, script.length, ...steps);
		const modelFrom = model.requests.length;
		const zohoFrom = sb.requests.length;
		const result = await h.executeWorkflow(ctx, id);
		const chats = model.chats().slice(model.chats().length - countChats(modelFrom));
		return {
			result,
			chats,
			modelRequests: model.requests.slice(modelFrom),
			zoho: sb.requests.slice(zohoFrom).filter((r) => r.kind === 'api'),
			results: toolResults(chats[chats.length - 1]) as Array<{ name: string; content: string }>,
		};
	}
	const countChats = (from: number) =>
		model.requests.slice(from).filter((r: { path: string }) => r.path.endsWith('/chat/completions'))
			.length;
	const expectOk = (run: { result: h.ExecuteResult }) => {
		if (!run.result.ok)
			throw new Error(
				`n8n execute failed: ${run.result.error?.message ?? ''}\n${h.tail(run.result.stdout, 40)}`,
			);
	};

	beforeAll(async () => {
		sb = await startZohoSandbox();
		model = await startScriptedModel(script);
		example = camp(3);
		big = camp(1000);
		over = camp(1001);
		small = camp(2);
		const tarball = await h.packPackage();
		ctx = await h.createUserFolder({ line, tarball });
		const zoho = zw.sandboxCredential(sb, {
			id: 'zohoAgentCred',
			name: zw.EXAMPLE_CREDENTIAL_NAME,
		});
		await h.importCredentials(ctx, [
			zoho,
			{
				id: 'openAiAgentCred',
				name: 'OpenAi account',
				type: 'openAiApi',
				data: { apiKey: OPENAI_KEY, url: model.url },
			},
		]);
		const data = zoho.data as { clientSecret: string; oauthTokenData: Record<string, string> };
		secrets = [
			data.clientSecret,
			data.oauthTokenData.access_token,
			data.oauthTokenData.refresh_token,
			h.ENCRYPTION_KEY,
		];
		await h.importWorkflow(ctx, [
			agentExample('agentExample', example.campaignId, example.contactIds.slice(0, 2)),
			agentExample('agentBig', big.campaignId, []),
			agentExample('agentOver', over.campaignId, []),
			agentExample('agentErrors', small.campaignId, small.contactIds),
		]);
	}, SETUP_TIMEOUT);

	afterAll(async () => {
		await ctx?.cleanup();
		await model?.close();
		await sb?.close();
	});

	describe(`${AGENT_EXAMPLE}: check, then remove two of a campaign's three contacts`, () => {
		let run: Awaited<ReturnType<typeof runAgent>>;
		beforeAll(async () => {
			const { campaignId, contactIds } = example;
			const two = contactIds.slice(0, 2).join(',');
			run = await runAgent('agentExample', [
				{ toolCalls: [{ name: TOOLS.list, args: { campaignId } }] },
				{ toolCalls: [{ name: TOOLS.check, args: { campaignId, contactIds: two } }] },
				{ toolCalls: [{ name: TOOLS.remove, args: { campaignId, contactIds: two } }] },
				{ content: 'Removed 2 contacts from the campaign.' },
			]);
		}, SETUP_TIMEOUT);

		test('the workflow succeeds with the model’s final answer', () => {
			expectOk(run);
			const out = h.nodeItems(run.result.output, 'Campaign membership agent');
			expect(out[0].json.output).toBe('Removed 2 contacts from the campaign.');
			expect(run.chats).toHaveLength(4);
		});

		test('the model sees three tools, each with its operation’s own description', () => {
			const tools = run.chats[0].tools as Array<{ function: Record<string, any> }>;
			const byName = Object.fromEntries(tools.map((t) => [t.function.name, t.function]));
			expect(Object.keys(byName).sort()).toEqual(Object.values(TOOLS).sort());
			expect(byName[TOOLS.list].description).toBe(TOOL_DESCRIPTIONS.getLinked);
			expect(byName[TOOLS.check].description).toBe(TOOL_DESCRIPTIONS.dryRun);
			expect(byName[TOOLS.remove].description).toBe(TOOL_DESCRIPTIONS.delink);
			expect(new Set(tools.map((t) => t.function.description)).size).toBe(3);
		});

		test('each tool’s parameters are its $fromAI keys, typed and described', () => {
			const tools = run.chats[0].tools as Array<{ function: Record<string, any> }>;
			const schema = (name: string) =>
				tools.find((t) => t.function.name === name)!.function.parameters;
			expect(schema(TOOLS.list)).toMatchObject({
				type: 'object',
				properties: {
					campaignId: { type: 'string', description: expect.stringMatching(/campaign record ID/) },
				},
				required: ['campaignId'],
			});
			for (const name of [TOOLS.check, TOOLS.remove]) {
				expect(Object.keys(schema(name).properties).sort()).toEqual(['campaignId', 'contactIds']);
				expect(schema(name).properties.contactIds).toMatchObject({ type: 'string' });
				expect([...schema(name).required].sort()).toEqual(['campaignId', 'contactIds']);
			}
		});

		test('the sandbox got exactly the calls the tool calls asked for: a list, a dry-run read, then the read before the DELETE of the two ids', () => {
			const { campaignId, contactIds } = example;
			const path = `/crm/v2/Campaigns/${campaignId}/Contacts`;
			expect(run.zoho.map((r) => `${r.method} ${r.path}`)).toEqual([
				`GET ${path}`,
				`GET ${path}`,
				`GET ${path}`,
				`DELETE ${path}`,
			]);
			expect(run.zoho[3].query.ids.split(',')).toEqual(contactIds.slice(0, 2));
			expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([contactIds[2]]);
		});

		test('the tool results are summaries: the members, what would change, what changed', () => {
			const [listed, checked, removed] = run.results.map((r) => JSON.parse(r.content)[0]);
			expect(run.results.map((r) => r.name)).toEqual([TOOLS.list, TOOLS.check, TOOLS.remove]);
			expect(listed).toMatchObject({ operation: 'getLinked', count: 3 });
			expect(checked).toMatchObject({
				operation: 'dryRun',
				changed: 0,
				wouldDelink: { linked: 2 },
			});
			expect(removed).toMatchObject({ operation: 'delink', status: 'success', delinked: 2 });
		});

		test('no secret in any request the model received (Zoho tokens, client secret, encryption key; its own key only in its Authorization header)', () => {
			for (const r of run.modelRequests) {
				for (const secret of [...secrets, OPENAI_KEY]) expect(r.raw).not.toContain(secret);
				for (const [name, value] of Object.entries(r.headers as Record<string, string>)) {
					for (const secret of secrets) expect(String(value)).not.toContain(secret);
					if (name !== 'authorization') expect(String(value)).not.toContain(OPENAI_KEY);
				}
			}
		});
	});

	test('1,000 ids in one Delink call: the model gets at most 8 KB, the campaign is emptied in 10 DELETEs', async () => {
		const { campaignId, contactIds } = big;
		const run = await runAgent('agentBig', [
			{
				toolCalls: [{ name: TOOLS.remove, args: { campaignId, contactIds: contactIds.join(',') } }],
			},
			{ content: 'Removed them.' },
		]);
		expectOk(run);
		const [result] = run.results;
		const bytes = Buffer.byteLength(result.content);
		expect(bytes).toBeLessThanOrEqual(SUMMARY_BUDGET);
		expect(JSON.parse(result.content)[0]).toMatchObject({ delinked: 1000, failed: 0, ids: 1000 });
		expect(run.zoho.filter((r) => r.method === 'DELETE')).toHaveLength(10);
		expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
		console.log(`n8n ${line}.x: Delink of 1,000 ids as a tool -> ${bytes} bytes to the model`);
	});

	test('1,001 ids: refused by Max Links Per Run (1,000 as a tool), nothing sent, the model told the limit and how to raise it; the workflow goes on', async () => {
		const { campaignId, contactIds } = over;
		const run = await runAgent('agentOver', [
			{
				toolCalls: [{ name: TOOLS.remove, args: { campaignId, contactIds: contactIds.join(',') } }],
			},
			{ content: 'The limit stopped me.' },
		]);
		expectOk(run);
		const refusal = JSON.parse(run.results[0].content)[0];
		expect(refusal).toMatchObject({ status: 'refused', code: 'MAX_LINKS_PER_RUN', limit: 1000 });
		expect(refusal.fix).toMatch(/Max Links Per Run on the node "Remove From Campaign"/);
		expect(run.zoho).toEqual([]);
		expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toHaveLength(1001);
	});

	test('a mistyped id and a Zoho error reach the model as results with code, message and fix; the workflow goes on', async () => {
		const { campaignId, contactIds } = small;
		sb.failNext(1, ZOHO_ERRORS.NO_PERMISSION);
		const run = await runAgent('agentErrors', [
			{
				toolCalls: [
					{ name: TOOLS.remove, args: { campaignId, contactIds: '36523970000009251x8' } },
				],
			},
			{
				toolCalls: [{ name: TOOLS.remove, args: { campaignId, contactIds: contactIds.join(',') } }],
			},
			{ content: 'Both failed; here is why.' },
		]);
		expectOk(run);
		const [typo, denied] = run.results.map((r) => JSON.parse(r.content)[0]);
		expect(typo.problems[0]).toMatchObject({ code: 'INVALID_INPUT' });
		expect(typo.problems[0].message).toMatch(/Related Record IDs/);
		expect(typo.problems[0].fix.length).toBeGreaterThan(10);
		expect(denied.status).toBe('error');
		const problem = [...(denied.problems ?? []), ...(denied.failures ?? [])][0];
		expect(problem).toMatchObject({ code: 'NO_PERMISSION' });
		expect(problem.fix).toMatch(/administrator/);
		expect(run.zoho.filter((r) => r.method === 'DELETE')).toEqual([]);
		expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual(contactIds);
	});
});

/**
 * The default tool description n8n gives the model for each operation: n8n reads the node's
 * `toolDescription` parameter (NodeHelpers.getToolDescriptionForNode), whose value is what
 * getNodeParameters resolves when the workflow is loaded, here with the same n8n-workflow
 * function, for the node's tool variant (`…Tool`) and its workflow variant.
 */
import type { INode, INodeParameters, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { ZohoCrmRelatedRecords } from '../../nodes/ZohoCrmRelatedRecords/ZohoCrmRelatedRecords.node';
import { TOOL_DESCRIPTIONS } from '../../nodes/ZohoCrmRelatedRecords/fields/toolOptions';

const base = new ZohoCrmRelatedRecords().description;
const asTool = {
	...base,
	name: 'n8n-nodes-zoho-crm-related-records.zohoCrmRelatedRecordsTool',
} as INodeTypeDescription;

/** The parameters n8n resolves for a saved node (defaults filled, hidden ones dropped). */
function resolved(parameters: INodeParameters, typeVersion: number, tool = true) {
	const description = tool ? asTool : base;
	const node = { typeVersion, parameters } as unknown as INode;
	return NodeHelpers.getNodeParameters(
		description.properties,
		parameters,
		true,
		false,
		node,
		description,
	) as INodeParameters;
}

/** What n8n 1.123 and 2.40 give the model: getToolDescriptionForNode on the resolved node. */
function toolDescription(parameters: INodeParameters, typeVersion: number) {
	const node = { typeVersion, parameters: resolved(parameters, typeVersion) } as unknown as INode;
	return NodeHelpers.getToolDescriptionForNode(node, { description: asTool } as never);
}

test.each([
	['Delink', { operation: 'delink' }, 1.1, TOOL_DESCRIPTIONS.delink],
	['Delink with Dry Run', { operation: 'delink', dryRun: true }, 1.1, TOOL_DESCRIPTIONS.dryRun],
	['Get Linked Records', { operation: 'getLinked' }, 1.1, TOOL_DESCRIPTIONS.getLinked],
	['Link', { operation: 'link' }, 1.1, TOOL_DESCRIPTIONS.link],
	['Delink (version 1)', { operation: 'delink' }, 1, TOOL_DESCRIPTIONS.delinkV1],
	[
		'Delink with Options › Dry Run (version 1)',
		{ operation: 'delink', options: { dryRun: true } },
		1,
		TOOL_DESCRIPTIONS.delinkV1,
	],
	['Get Linked Records (version 1)', { operation: 'getLinked' }, 1, TOOL_DESCRIPTIONS.getLinked],
	['Link (version 1)', { operation: 'link' }, 1, TOOL_DESCRIPTIONS.link],
])('%s: its own default description', (_name, parameters, version, expected) => {
	expect(toolDescription(parameters as INodeParameters, version)).toBe(expected);
});

test('the five descriptions are distinct, and each says what the tool needs', () => {
	const all = Object.values(TOOL_DESCRIPTIONS);
	expect(new Set(all).size).toBe(all.length);
	for (const text of all) expect(text).toMatch(/Needs the record ID/);
});

test('a description the user wrote is kept as written, whatever the operation', () => {
	const mine = 'Take contacts out of the spring campaign.';
	expect(toolDescription({ operation: 'delink', toolDescription: mine }, 1.1)).toBe(mine);
	expect(
		toolDescription({ operation: 'delink', options: { dryRun: true }, toolDescription: mine }, 1),
	).toBe(mine);
});

test('the description fields exist only on the tool: a workflow node has no toolDescription', () => {
	expect(resolved({ operation: 'delink' }, 1.1, false).toolDescription).toBeUndefined();
	expect(resolved({ operation: 'delink' }, 1, false).toolDescription).toBeUndefined();
});

test('n8n adds no "Set Automatically" switch of its own: the node defines toolDescription itself', () => {
	// n8n's convertNodeToAiTool adds descriptionType + toolDescription only when the node has none
	expect(base.properties.some((p) => p.name === 'toolDescription')).toBe(true);
	expect(base.properties.some((p) => p.name === 'descriptionType')).toBe(false);
});

test('Dry Run: a field of its own from version 1.1, under Options in version 1 (saved workflows unchanged)', () => {
	expect(resolved({ operation: 'delink' }, 1.1, false).dryRun).toBe(false);
	expect(resolved({ operation: 'delink' }, 1, false).dryRun).toBeUndefined();
	expect(resolved({ operation: 'delink', options: { dryRun: true } }, 1, false).options).toEqual({
		dryRun: true,
	});
	expect(resolved({ operation: 'delink', options: { dryRun: true } }, 1.1, false).options).toEqual(
		{},
	);
});

/**
 * What the node adds for AI agents and MCP clients: a default tool description per operation
 * (Delink, Delink with Dry Run, Get Linked Records, Link), the Output option (one item per id,
 * or one summary that fits a model's context) and Max Links Per Run (how many links one run may
 * remove or add), with their reader.
 *
 * The descriptions are tool-only parameters (`@tool`): n8n shows them only on the node's tool
 * variant (`…zohoCrmRelatedRecordsTool`), and since the node defines `toolDescription` itself,
 * n8n adds no "Set Automatically" switch (whose text, for a node without a `resource`
 * parameter, would be the node's one description for every operation). A description the user
 * edits is stored and used as it is, as before.
 */
import type {
	IDataObject,
	IDisplayOptions,
	IExecutePaginationFunctions,
	INodeProperties,
} from 'n8n-workflow';

import { InvalidInputError, showValue } from './ids';

/** Links one tool call may remove or add unless the user sets Max Links Per Run. */
export const TOOL_DEFAULT_MAX_LINKS = 1000;
/** The largest Max Links Per Run (more than any campaign holds). */
export const MAX_MAX_LINKS = 10_000_000;

export const OUTPUT_OPTION = 'output';
export const MAX_LINKS_OPTION = 'maxLinksPerRun';

export type OutputShape = 'items' | 'summary';

const NEEDS_IDS =
	'Needs the record ID and the related record IDs (Zoho IDs are digits, 18-19 of them; give them as strings, several separated by commas).';
const RESULT =
	'Returns the counts by status and by Zoho code, and every ID that failed with Zoho’s code, message and what to do.';
const LIMIT = `A call that would change more links than the node allows (Max Links Per Run, ${TOOL_DEFAULT_MAX_LINKS} unless the user changed it) is refused and sends nothing.`;

/** The default description of each operation's tool, as the model reads it. */
export const TOOL_DESCRIPTIONS = {
	delink: `Remove the links between one Zoho CRM record and some of its related records, e.g. take contacts out of a campaign. Only links are removed, never records; what lived on each link (e.g. Member_Status) is reported so Link can put it back. ${NEEDS_IDS} ${RESULT} ${LIMIT} To check first without changing anything, use a Dry Run tool.`,
	dryRun: `Dry run of a delink: report, without changing anything, which of the given related records are linked to one Zoho CRM record now and would be removed (wouldDelink true, false, or null when Zoho cannot tell). ${NEEDS_IDS} Read-only: use it to confirm with the user before delinking.`,
	delinkV1: `Remove the links between one Zoho CRM record and some of its related records, e.g. take contacts out of a campaign; or, when this tool's Dry Run option is on, only report which of them are linked now and would be removed, changing nothing. ${NEEDS_IDS} ${RESULT} ${LIMIT}`,
	getLinked:
		'List the records linked to one Zoho CRM record through a related list, e.g. the contacts of a campaign or the price books of a product, with the fields that live on each link (e.g. Member_Status). Needs the record ID (digits, as a string). Read-only.',
	link: `Link related records to one Zoho CRM record, e.g. add contacts to a campaign or put back links a delink removed, with the data that lives on the link (e.g. Member_Status). ${NEEDS_IDS} ${RESULT} ${LIMIT}`,
} as const;

const toolOnly = { '@tool': [true] };
const v1 = { '@version': [1] };
const fromV11 = { '@version': [{ _cnd: { gte: 1.1 } }] };

type Conditions = NonNullable<IDisplayOptions['show']>;

function description(text: string, show: Conditions): INodeProperties {
	return {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		default: text,
		required: true,
		typeOptions: { rows: 4 },
		description:
			'What this tool does and what it needs, as the AI model reads it: a specific description helps the model call it right. The default depends on the operation (and Dry Run).',
		displayOptions: { show: { ...toolOnly, ...show } },
	};
}

/**
 * The tool description fields: one per operation, Delink's split by Dry Run. n8n picks among
 * same-named parameters by root-level values only (options inside a collection are not seen),
 * so Dry Run is a field of its own from node version 1.1; a version 1 Delink tool, whose Dry
 * Run sits under Options, gets a description true of both.
 */
export const toolDescriptionFields: INodeProperties[] = [
	description(TOOL_DESCRIPTIONS.delink, { operation: ['delink'], ...fromV11, dryRun: [false] }),
	description(TOOL_DESCRIPTIONS.dryRun, { operation: ['delink'], ...fromV11, dryRun: [true] }),
	description(TOOL_DESCRIPTIONS.delinkV1, { operation: ['delink'], ...v1 }),
	description(TOOL_DESCRIPTIONS.getLinked, { operation: ['getLinked'] }),
	description(TOOL_DESCRIPTIONS.link, { operation: ['link'] }),
];

/** Options › Max Links Per Run, for Delink ('remove') or Link ('add'). */
export function maxLinksOptionField(what: 'remove' | 'add'): INodeProperties {
	return {
		displayName: 'Max Links Per Run',
		name: MAX_LINKS_OPTION,
		type: 'number',
		default: TOOL_DEFAULT_MAX_LINKS,
		typeOptions: { minValue: 0, maxValue: MAX_MAX_LINKS },
		description: `Most links one run of this node may ${what} (all its input items together; one tool call is one run). Past it nothing is sent and the run is refused with a message naming this limit. 0: no limit. Not set: ${TOOL_DEFAULT_MAX_LINKS} when the node is an AI agent's or MCP client's tool, no limit in a workflow. Dry Run is not limited.`,
	};
}

/** Options › Output: one item per ID (or per record), or one summary. */
export function outputOptionField(per: 'ID' | 'record'): INodeProperties {
	return {
		displayName: 'Output',
		name: OUTPUT_OPTION,
		type: 'options',
		default: 'auto',
		description:
			per === 'ID'
				? 'One item per related ID (what a workflow maps further), or one summary item that fits an AI model’s context: counts by status and code, the failed IDs with Zoho’s code, message and what to do, the data that lived on the links, and as many IDs as fit in 8 KB'
				: 'One item per linked record (what a workflow maps further), or one summary item that fits an AI model’s context: the count and as many records as fit in 8 KB, without empty fields',
		options: [
			{
				name: 'Automatic',
				value: 'auto',
				description: `A summary when the node is a tool, one item per ${per} in a workflow`,
			},
			{ name: `One Item Per ${per === 'ID' ? 'ID' : 'Record'}`, value: 'items' },
			{ name: 'Summary', value: 'summary' },
		],
	};
}

export interface ToolSettings {
	/** The node runs as an AI agent's or MCP client's tool (its type is the `…Tool` variant). */
	asTool: boolean;
	output: OutputShape;
	/** Most links one run may remove or add; undefined: no limit. */
	maxLinks?: number;
}

/** Whether this node runs as a tool: n8n gives a usableAsTool node's tool variant the type `<type>Tool`. */
export function runsAsTool(ctx: Pick<IExecutePaginationFunctions, 'getNode'>): boolean {
	const type = ctx.getNode().type;
	return type.slice(type.lastIndexOf('.') + 1).endsWith('Tool');
}

/** Reads Output and Max Links Per Run; throws InvalidInputError naming the field. */
export function readToolSettings(ctx: IExecutePaginationFunctions): ToolSettings {
	const asTool = runsAsTool(ctx);
	const options = (ctx.getNodeParameter('options', {}) ?? {}) as IDataObject;
	return { asTool, ...parseToolOptions(options, asTool) };
}

/** Checks Output and Max Links Per Run among an item's options (the call options' reader). */
export function checkToolOptions(options: IDataObject): void {
	parseToolOptions(options, false);
}

function parseToolOptions(options: IDataObject, asTool: boolean): Omit<ToolSettings, 'asTool'> {
	const wanted = options[OUTPUT_OPTION] ?? 'auto';
	if (!['auto', 'items', 'summary'].includes(String(wanted))) {
		throw new InvalidInputError(
			'Output',
			`Output ${showValue(wanted)} is not one of auto, items, summary`,
			'Choose Automatic, One Item Per ID or Summary.',
		);
	}
	const output: OutputShape =
		wanted === 'auto' ? (asTool ? 'summary' : 'items') : (wanted as OutputShape);
	const raw = options[MAX_LINKS_OPTION];
	if (raw === undefined || raw === null || raw === '') {
		return { output, maxLinks: asTool ? TOOL_DEFAULT_MAX_LINKS : undefined };
	}
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0 || n > MAX_MAX_LINKS) {
		throw new InvalidInputError(
			'Max Links Per Run',
			`Max Links Per Run ${showValue(raw)} is not a whole number from 0 to ${MAX_MAX_LINKS}`,
			'Give the most links one run may change, or 0 for no limit.',
		);
	}
	return { output, maxLinks: n === 0 ? undefined : n };
}

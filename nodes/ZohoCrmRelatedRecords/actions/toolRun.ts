/**
 * How an operation runs for an AI agent or an MCP client, around the operation's own pagination
 * function (the same code runs in a workflow):
 *
 * - As a tool (the node's type is n8n's `…Tool` variant, see fields/toolOptions.ts), every
 *   failure is a result the model reads, never a thrown error: n8n 1.x stops the whole workflow
 *   when a tool throws, and n8n 2.x passes the model only the message, without the fix. The
 *   operation runs as with On Error › Continue, and whatever it still throws becomes
 *   `{ status: "error", code, message, fix }`.
 * - Output › Summary (the default as a tool) turns the item's outcomes into one item that fits a
 *   model's context (actions/toolOutput.ts).
 * - Delink and Link join the run's Max Links Per Run ledger (actions/runLimit.ts) before
 *   anything is awaited; a refused run sends nothing and says which limit and how to raise it.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { InvalidInputError } from '../fields/ids';
import { readToolSettings, runsAsTool, type ToolSettings } from '../fields/toolOptions';
import { joinRunLimit, RunLimitError } from './runLimit';
import { fixFor, summarize, type SummaryOperation } from './toolOutput';

type Pagination = (
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
) => Promise<INodeExecutionData[]>;

type Operation = 'delink' | 'link' | 'getLinked';

const VERBS: Record<Operation, string> = { delink: 'remove', link: 'add', getLinked: 'read' };

/** The operation's pagination function, made fit for tools (see the file's comment). */
export function forAgents(operation: Operation, run: Pagination): Pagination {
	return async function (this: IExecutePaginationFunctions, requestData) {
		const itemIndex = this.getItemIndex();
		const asTool = runsAsTool(this);
		let settings: ToolSettings;
		try {
			settings = readToolSettings(this);
		} catch (error) {
			// Delink and Link check these options with their own input (callOptions.ts), so a bad
			// value fails the run the way any bad input does; Get Linked Records has no call to share.
			if (operation === 'getLinked') return failed(this, operation, error, asTool, itemIndex);
			settings = { asTool, output: asTool ? 'summary' : 'items' };
		}
		// As a tool, failures are results: the operation runs as with On Error › Continue.
		const dryRun = operation === 'delink' && dryRunOf(this);
		const ctx: IExecutePaginationFunctions = Object.create(this, {
			continueOnFail: { value: asTool ? () => true : () => this.continueOnFail() },
			getNodeParameter: { value: dryRun ? withDryRunOption(this) : this.getNodeParameter },
		});
		const shape: SummaryOperation = dryRun ? 'dryRun' : operation;
		const leave =
			operation === 'getLinked'
				? undefined
				: joinRunLimit(ctx, settings.maxLinks, VERBS[operation], asTool);
		try {
			const items = await run.call(ctx, requestData);
			if (settings.output !== 'summary') return items;
			return [{ json: summarize(shape, items), pairedItem: { item: itemIndex } }];
		} catch (error) {
			return failed(this, shape, error, asTool, itemIndex);
		} finally {
			leave?.();
		}
	};
}

/**
 * From node version 1.1 Dry Run is a field of its own; the operation reads it where version 1
 * kept it, under Options.
 */
function withDryRunOption(ctx: IExecutePaginationFunctions) {
	const read = ctx.getNodeParameter.bind(ctx) as (...args: unknown[]) => unknown;
	return (...args: unknown[]) => {
		const value = read(...args);
		if (args[0] !== 'options') return value;
		return { ...((value ?? {}) as IDataObject), dryRun: true };
	};
}

function dryRunOf(ctx: IExecutePaginationFunctions): boolean {
	try {
		const options = ctx.getNodeParameter('options', {}) as IDataObject;
		return options?.dryRun === true || ctx.getNodeParameter('dryRun', false) === true;
	} catch {
		return false; // an options value n8n cannot resolve: the operation reports it
	}
}

/**
 * A failure the operation threw: as a tool, a result with the code, message and fix; in a
 * workflow, refused runs fail like bad input (an error item with Continue On Fail), anything
 * else as it was thrown.
 */
function failed(
	ctx: IExecutePaginationFunctions,
	operation: SummaryOperation,
	error: unknown,
	asTool: boolean,
	itemIndex: number,
): INodeExecutionData[] {
	const node = ctx.getNode();
	const known = describe(error);
	if (asTool) {
		const json: IDataObject = { operation, status: 'error', ...known };
		if (error instanceof RunLimitError) {
			json.status = 'refused';
			json.limit = error.limit;
			if (error.links !== undefined) json.requested = error.links;
		}
		return [{ json, pairedItem: { item: itemIndex } }];
	}
	if (!(error instanceof InvalidInputError)) throw error;
	if (ctx.continueOnFail()) {
		const json = {
			status: 'error',
			code: known.code,
			message: known.message,
			description: known.fix,
		};
		return [{ json, pairedItem: { item: itemIndex } }];
	}
	throw new NodeOperationError(node, error.message, { description: error.hint, itemIndex });
}

/** Code, message and fix of a thrown error (Zoho's, the node's, or n8n's). */
function describe(error: unknown): { code: string; message: string; fix: string } {
	if (error instanceof RunLimitError) {
		return { code: error.code, message: error.message, fix: error.hint };
	}
	if (error instanceof InvalidInputError) {
		return { code: 'INVALID_INPUT', message: error.message, fix: error.hint };
	}
	const message = error instanceof Error ? error.message : String(error);
	const description =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? (error.description ?? '')
			: '';
	const zoho = /^Zoho CRM error ([A-Z0-9_]+):/.exec(message);
	const code = zoho ? zoho[1] : 'ERROR';
	return { code, message, fix: description || fixFor(code, message) };
}

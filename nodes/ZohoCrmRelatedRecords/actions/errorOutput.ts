/**
 * n8n's Settings › On Error › "Continue (using error output)": the node gets a second output,
 * and after the node returns n8n moves to it the items whose json holds only `error` and
 * `message` (WorkflowExecute.handleNodeErrorOutput: n8n 1.x accepts exactly those two keys, 2.x
 * also `details`), merged over the json of their paired input item. (`item.error` would move
 * them too, but n8n then replaces their json with the error's message alone, and the id would
 * be lost.)
 *
 * So with that setting every output item that is not a success (Zoho refused the id, it was not
 * sent, a read or a call failed, the input was refused) becomes `{ error: <the whole item>,
 * message: "<CODE> (related record <id>): <Zoho's message> <what to do>" }`; successes, dry runs
 * and skipped undo items stay on the success output. The other settings keep every item on the
 * one output as it is, with its `status`.
 */
import type { IExecutePaginationFunctions, INodeExecutionData } from 'n8n-workflow';

import { resolutionFor } from '../zoho/zohoErrors';

/** The items, with the failures in the shape n8n sends to the error output when it has one. */
export function routedForOnError(
	ctx: IExecutePaginationFunctions,
	items: INodeExecutionData[],
): INodeExecutionData[] {
	if (ctx.getNode().onError !== 'continueErrorOutput') return items;
	return items.map((item) => (item.json.status === 'error' ? asErrorItem(item) : item));
}

function asErrorItem(item: INodeExecutionData): INodeExecutionData {
	const { json } = item;
	const code = String(json.code ?? 'ERROR');
	const message = String(json.message ?? '');
	const id = typeof json.relatedRecordId === 'string' && json.relatedRecordId !== '';
	const what = id ? ` (related record ${String(json.relatedRecordId)})` : '';
	const description = typeof json.description === 'string' ? json.description : '';
	const todo = description || resolutionFor(code);
	return {
		json: { error: json, message: `${code}${what}: ${message}${todo ? ` ${todo}` : ''}` },
		pairedItem: item.pairedItem,
	};
}

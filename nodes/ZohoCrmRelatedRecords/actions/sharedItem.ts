/**
 * How a call-making operation runs one input item: join the node run's group (zoho/sharing.ts)
 * before anything is awaited, read and check the item (bad input without Continue On Fail
 * aborts the group, so nothing is sent for anyone), then hand the item's job to the group
 * under its share key and return what the key's runner made of it.
 */
import type {
	DeclarativeRestApiSettings,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { startItem, type ItemStart } from '../fields/itemStart';
import { routedForOnError } from './errorOutput';
import { ZohoClient, type CallPolicy } from '../zoho/call';
import { joinGroup, type Runner } from '../zoho/sharing';
import { admitToRun } from './runLimit';
import { CREDENTIAL_TYPE } from '../zoho/transport';

/** One item's job, as a runner gets it. */
export interface ItemJob<I> {
	start: ItemStart<I>;
	ctx: IExecutePaginationFunctions;
	requestData: DeclarativeRestApiSettings.ResultOptions;
	continueOnFail: boolean;
}

/** An item's outcome: its output items, or the error that fails it. */
export type ItemResult = { items: INodeExecutionData[] } | { error: Error };

export interface SharedOperation<I> {
	read: (ctx: IExecutePaginationFunctions) => I;
	/** Items with equal keys share calls. */
	shareKey: (start: ItemStart<I>) => string;
	runner: Runner<ItemJob<I>, ItemResult>;
	/** Output for an item that needs no call (e.g. nothing to restore), if any. */
	alone?: (start: ItemStart<I>) => INodeExecutionData[] | undefined;
}

export async function runSharedItem<I>(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	operation: SharedOperation<I>,
): Promise<INodeExecutionData[]> {
	return routedForOnError(ctx, await runItem(ctx, requestData, operation));
}

async function runItem<I>(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	operation: SharedOperation<I>,
): Promise<INodeExecutionData[]> {
	const member = joinGroup(ctx);
	try {
		const start = await startItem(ctx, operation.read, async () =>
			member.credentials(async () => await ctx.getCredentials(CREDENTIAL_TYPE)),
		).catch((error: unknown) => {
			member.abort(); // bad input without Continue On Fail fails the node: send nothing
			throw error;
		});
		if ('items' in start) return start.items;
		const alone = operation.alone?.(start);
		if (alone) return alone;
		await admitToRun(ctx, start.input as object); // Max Links Per Run (actions/runLimit.ts)
		const job: ItemJob<I> = { start, ctx, requestData, continueOnFail: ctx.continueOnFail() };
		const result = await member.submit(operation.shareKey(start), job, operation.runner);
		if (!result) return []; // another item's bad input fails the node
		if ('error' in result) throw result.error;
		return result.items;
	} finally {
		member.leave();
	}
}

/** The client the first job of a shared run sends every call through. */
export function clientOf<I extends { policy: CallPolicy }>(job: ItemJob<I>): ZohoClient {
	const { start, ctx, requestData } = job;
	return new ZohoClient(ctx, requestData, {
		baseURL: start.baseURL,
		orgKey: start.orgKey,
		tokenFingerprint: start.tokenFingerprint,
		policy: start.input.policy,
	});
}

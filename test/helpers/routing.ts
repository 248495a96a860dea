/**
 * Runs the node through n8n's real declarative engine (`RoutingNode` from n8n-core) with a
 * real execution context: every request crosses a socket to the Zoho sandbox. The same file
 * runs against n8n-core 2.x and, in the `routing-v1` jest project, against the n8n-core 1.x
 * that ships with n8n 1.123 (jest maps the module names).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-routing-'));

import { ExecuteContext, RoutingNode, WorkflowExecute } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { ZohoCrmRelatedRecords } from '../../nodes/ZohoCrmRelatedRecords/ZohoCrmRelatedRecords.node';
import { TestCredentialsHelper } from './credentials';

export const NODE_TYPE = 'n8n-nodes-zoho-crm-related-records.zohoCrmRelatedRecords';

export interface RunOptions {
	parameters: INodeParameters;
	/** Input items (default: one empty item). */
	items?: INodeExecutionData[];
	credentials: TestCredentialsHelper;
	continueOnFail?: boolean;
	/** Settings › On Error (continueOnFail is the same as 'continueRegularOutput'). */
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	/** Settings › Retry On Fail: n8n runs the node again, up to maxTries, in the same execution. */
	retryOnFail?: { maxTries: number };
	/** The node's type version (default 1). */
	typeVersion?: number;
	/** The execution's id (default 'exec-1'); tries of one node run share it. */
	executionId?: string;
	/** Run as n8n runs the node as an AI agent's tool: its type is the `…Tool` variant. */
	asTool?: boolean;
}

export interface RunResult {
	items: INodeExecutionData[];
	/** With On Error › Continue (using error output): what n8n put on the error output. */
	errorItems?: INodeExecutionData[];
	/** With Retry On Fail: how many times n8n ran the node. */
	tries?: number;
	error?: Error & { description?: string; httpCode?: string | null };
}

/** The n8n node-type registry of a one-node test workflow. */
export class NodeTypes implements INodeTypes {
	private readonly nodeType = new ZohoCrmRelatedRecords();

	getByName(): INodeType {
		return this.nodeType;
	}

	getByNameAndVersion(): INodeType {
		return this.nodeType;
	}

	getKnownTypes() {
		return {};
	}
}

/** The node's description with n8n's load-time additions (e.g. the Request Options collection). */
function loadedNodeType(): INodeType {
	const nodeType = new ZohoCrmRelatedRecords();
	const apply = (
		NodeHelpers as unknown as { applyDeclarativeNodeOptionParameters?: (t: INodeType) => void }
	).applyDeclarativeNodeOptionParameters;
	apply?.(nodeType);
	return nodeType;
}

/**
 * Runs the node once, as n8n's WorkflowExecute does: through RoutingNode, then, with On Error ›
 * Continue (using error output), n8n-core's own handleNodeErrorOutput on what it returned; with
 * Retry On Fail, again in the same execution and run index while it fails (a thrown error, or a
 * first item whose json has `error`), up to maxTries, as WorkflowExecute's loop does.
 */
export async function runNode(options: RunOptions): Promise<RunResult> {
	const maxTries = options.retryOnFail ? options.retryOnFail.maxTries : 1;
	let result: RunResult = { items: [] };
	for (let tries = 1; tries <= maxTries; tries++) {
		const { firstItemHasError, ...once } = await runOnce(options);
		result = { ...once, tries };
		if (result.error === undefined && !firstItemHasError) break;
	}
	return result;
}

/** One run; `firstItemHasError`: the node's first output item has json.error (n8n retries then). */
async function runOnce(options: RunOptions): Promise<RunResult & { firstItemHasError?: boolean }> {
	const nodeType = loadedNodeType();
	const onError = options.onError ?? (options.continueOnFail ? 'continueRegularOutput' : undefined);
	const node: INode = {
		id: 'node-1',
		name: 'Zoho CRM Related Records',
		type: options.asTool ? `${NODE_TYPE}Tool` : NODE_TYPE,
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		parameters: {},
		credentials: { zohoCrmOAuth2Api: { id: 'cred-1', name: 'Zoho CRM sandbox' } },
		continueOnFail: onError === 'continueRegularOutput' || onError === 'continueErrorOutput',
		onError,
		retryOnFail: options.retryOnFail !== undefined,
		maxTries: options.retryOnFail?.maxTries,
		waitBetweenTries: 0,
	};
	// With the node itself, so that fields shown per node version ('@version') are kept.
	node.parameters = NodeHelpers.getNodeParameters(
		nodeType.description.properties,
		options.parameters,
		true,
		false,
		node,
		nodeType.description,
	) as INodeParameters;
	const workflow = new Workflow({
		id: 'wf-1',
		name: 'routing test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new NodeTypes(),
	});
	const items = options.items ?? [{ json: {} }];
	const inputData = { main: [items] };
	const runExecutionData = { resultData: { runData: {} } } as unknown as IRunExecutionData;
	const executeData = { node, data: inputData, source: null };
	const additionalData = {
		credentialsHelper: options.credentials,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formBaseUrl: 'http://127.0.0.1/form',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1/form-test',
		currentNodeExecutionIndex: 0,
		variables: {},
		executionId: options.executionId ?? 'exec-1',
		hooks: undefined,
		getRunExecutionData: async () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
	const abort = new AbortController();
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'manual',
		runExecutionData,
		0,
		items,
		inputData,
		executeData as never,
		[],
		abort.signal,
	);
	const routingNode = new RoutingNode(context, nodeType);
	try {
		const output = (await routingNode.runNode()) as INodeExecutionData[][] | undefined;
		const firstItemHasError = Boolean(output?.[0]?.[0]?.json?.error);
		if (onError !== 'continueErrorOutput') return { items: output?.[0] ?? [], firstItemHasError };
		const outputs = [output?.[0] ?? [], []];
		const engine = new WorkflowExecute(additionalData, 'manual') as unknown as {
			handleNodeErrorOutput: (...args: unknown[]) => void;
		};
		engine.handleNodeErrorOutput(workflow, executeData, outputs, 0);
		return { items: outputs[0], errorItems: outputs[1], firstItemHasError };
	} catch (error) {
		return { items: [], error: error as RunResult['error'] };
	} finally {
		stopSshCleanupTimer();
	}
}

/**
 * n8n-core 1.x starts a one-minute SSH clean-up interval (not unref'd) with every execution
 * context; the n8n app clears it at shutdown. Clear it here so jest can exit.
 */
function stopSshCleanupTimer() {
	const core = require.resolve('n8n-core');
	const { Container } = require(require.resolve('@n8n/di', { paths: [core] }));
	const { SSHClientsManager } = require(
		require.resolve('./dist/execution-engine/ssh-clients-manager', {
			paths: [join(core, '..', '..')],
		}),
	);
	Container.get(SSHClientsManager).onShutdown();
}

/**
 * Parameters of a Delink run, with the record id given By ID. Keep Relation Data (on by
 * default in the node for pairs whose links carry data) is off here unless `options` turn it
 * on: these tests count and shape the DELETE calls; relationData.test.ts proves the reads it
 * adds.
 */
export function delinkParameters(
	module: string,
	relatedList: string,
	recordId: string,
	relatedRecordIds: unknown,
	options: IDataObject = {},
): INodeParameters {
	return {
		operation: 'delink',
		module,
		relatedList,
		recordId: { __rl: true, mode: 'id', value: recordId },
		relatedRecordIds: relatedRecordIds as string,
		options: { keepRelationData: false, ...options },
	} as INodeParameters;
}

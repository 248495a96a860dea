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

import { ExecuteContext, RoutingNode } from 'n8n-core';
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
	/** Run as n8n runs the node as an AI agent's tool: its type is the `…Tool` variant. */
	asTool?: boolean;
}

export interface RunResult {
	items: INodeExecutionData[];
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

export async function runNode(options: RunOptions): Promise<RunResult> {
	const nodeType = loadedNodeType();
	const node: INode = {
		id: 'node-1',
		name: 'Zoho CRM Related Records',
		type: options.asTool ? `${NODE_TYPE}Tool` : NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: NodeHelpers.getNodeParameters(
			nodeType.description.properties,
			options.parameters,
			true,
			false,
			null,
			null,
		) as INodeParameters,
		credentials: { zohoCrmOAuth2Api: { id: 'cred-1', name: 'Zoho CRM sandbox' } },
		continueOnFail: options.continueOnFail,
		onError: options.continueOnFail ? 'continueRegularOutput' : undefined,
	};
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
		executionId: 'exec-1',
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
		const output = await routingNode.runNode();
		return { items: (output?.[0] ?? []) as INodeExecutionData[] };
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

/**
 * Runs the node's `methods` (list search, load options) in n8n-core's real
 * `LoadOptionsContext`, as the editor does: the current node parameters, the node's
 * credential, n8n's own `httpRequestWithAuthentication` (OAuth2 signing and refresh) over
 * real HTTP. Mirrors routing.ts; the same file runs against n8n-core 2.x and 1.x.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-load-options-'));

import { LoadOptionsContext } from 'n8n-core';
import type {
	ILoadOptionsFunctions,
	INode,
	INodeParameters,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { ZohoCrmRelatedRecords } from '../../nodes/ZohoCrmRelatedRecords/ZohoCrmRelatedRecords.node';
import type { TestCredentialsHelper } from './credentials';
import { NODE_TYPE, NodeTypes } from './routing';

/** A LoadOptionsContext for the node with these (current) parameters. `path`: the field asking. */
export function loadOptionsContext(
	parameters: INodeParameters,
	credentials: TestCredentialsHelper,
	path = 'parameters.recordId',
): ILoadOptionsFunctions {
	const nodeType = new ZohoCrmRelatedRecords();
	const nodeParameters = NodeHelpers.getNodeParameters(
		nodeType.description.properties,
		parameters,
		true,
		false,
		null,
		null,
	) as INodeParameters;
	const node: INode = {
		id: 'node-1',
		name: 'Zoho CRM Related Records',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: nodeParameters,
		credentials: { zohoCrmOAuth2Api: { id: 'cred-1', name: 'Zoho CRM sandbox' } },
	};
	const workflow = new Workflow({
		id: 'wf-1',
		name: 'load options test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new NodeTypes(),
	});
	const additionalData = {
		credentialsHelper: credentials,
		currentNodeParameters: nodeParameters,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
		executionId: undefined,
		hooks: undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(
		workflow,
		node,
		additionalData,
		path,
	) as unknown as ILoadOptionsFunctions;
}

/** n8n-core starts an SSH clean-up interval with its contexts; clear it so jest can exit. */
export function stopSshCleanupTimer() {
	const core = require.resolve('n8n-core');
	const { Container } = require(require.resolve('@n8n/di', { paths: [core] }));
	const { SSHClientsManager } = require(
		require.resolve('./dist/execution-engine/ssh-clients-manager', {
			paths: [join(core, '..', '..')],
		}),
	);
	Container.get(SSHClientsManager).onShutdown();
}

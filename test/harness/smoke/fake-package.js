// @ts-check
'use strict';
/**
 * The throwaway community package of the harness smoke test, `n8n-nodes-fake`: a programmatic
 * node `fakeEcho` (echoes, or throws a NodeOperationError), a declarative node `fakeHttp`
 * with its own credential type `fakeApi`, written to a folder to be packed; and the local
 * HTTP server `fakeHttp` talks to (GET /items/<id>, HTTP 400 for "bad").
 */
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const FAKE_ECHO = `
'use strict';
const { NodeOperationError } = require('n8n-workflow');
class FakeEcho {
	constructor() {
		this.description = {
			displayName: 'Fake Echo',
			name: 'fakeEcho',
			icon: 'fa:bug',
			group: ['transform'],
			version: 1,
			subtitle: '={{$parameter["operation"]}}',
			description: 'Test node of the e2e harness',
			defaults: { name: 'Fake Echo' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{ displayName: 'Operation', name: 'operation', type: 'options', default: 'echo',
				  options: [{ name: 'Echo', value: 'echo' }, { name: 'Fail', value: 'fail' }] },
				{ displayName: 'Message', name: 'message', type: 'string', default: 'hi' },
				{ displayName: 'Copies', name: 'copies', type: 'number', default: 1 },
				{ displayName: 'Fail On Index', name: 'failOn', type: 'number', default: -1 },
			],
		};
	}
	async execute() {
		const items = this.getInputData();
		const out = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const op = this.getNodeParameter('operation', i);
				const message = this.getNodeParameter('message', i);
				const failOn = this.getNodeParameter('failOn', i);
				if (op === 'fail' && (failOn < 0 || failOn === i)) {
					throw new NodeOperationError(this.getNode(), 'Fake failure: ' + message, {
						itemIndex: i,
						description: 'raised by n8n-nodes-fake on item ' + i,
					});
				}
				const copies = this.getNodeParameter('copies', i);
				for (let c = 0; c < copies; c++) {
					out.push({ json: { message, index: out.length, input: i, from: 'n8n-nodes-fake' }, pairedItem: { item: i } });
				}
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: error.message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [out];
	}
}
module.exports = { FakeEcho };
`;

const FAKE_HTTP = `
'use strict';
class FakeHttp {
	constructor() {
		this.description = {
			displayName: 'Fake HTTP',
			name: 'fakeHttp',
			icon: 'fa:bug',
			group: ['transform'],
			version: 1,
			subtitle: 'get item',
			description: 'Declarative test node of the e2e harness',
			defaults: { name: 'Fake HTTP' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'fakeApi', required: true }],
			requestDefaults: { baseURL: '={{$credentials.baseUrl}}', headers: { Accept: 'application/json' } },
			properties: [
				{ displayName: 'Item ID', name: 'itemId', type: 'string', default: '',
				  routing: { request: { method: 'GET', url: '=/items/{{$value}}' } } },
			],
		};
	}
}
module.exports = { FakeHttp };
`;

const FAKE_CRED = `
'use strict';
class FakeApi {
	constructor() {
		this.name = 'fakeApi';
		this.displayName = 'Fake API';
		this.properties = [
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
			{ displayName: 'Token', name: 'token', type: 'string', typeOptions: { password: true }, default: '' },
		];
		this.authenticate = { type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } } };
	}
}
module.exports = { FakeApi };
`;

/** @param {string} dir */
function writeFakePackage(dir) {
	/** @param {string} rel @param {string} text */
	const put = (rel, text) => {
		fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
		fs.writeFileSync(path.join(dir, rel), text);
	};
	put(
		'package.json',
		JSON.stringify(
			{
				name: 'n8n-nodes-fake',
				version: '0.0.1',
				description: 'throwaway package of the e2e harness smoke test',
				keywords: ['n8n-community-node-package'],
				license: 'MIT',
				files: ['dist'],
				n8n: {
					n8nNodesApiVersion: 1,
					credentials: ['dist/credentials/FakeApi.credentials.js'],
					nodes: ['dist/nodes/FakeEcho/FakeEcho.node.js', 'dist/nodes/FakeHttp/FakeHttp.node.js'],
				},
				peerDependencies: { 'n8n-workflow': '*' },
				// must NOT be installed: n8n strips dev dependencies before `npm install`
				devDependencies: { 'left-pad-does-not-exist-e2e': '99.0.0' },
			},
			null,
			2,
		),
	);
	put('dist/nodes/FakeEcho/FakeEcho.node.js', FAKE_ECHO);
	put('dist/nodes/FakeHttp/FakeHttp.node.js', FAKE_HTTP);
	put('dist/credentials/FakeApi.credentials.js', FAKE_CRED);
}

/** @returns {Promise<{ url: string, requests: Array<{ url: string, auth: string | undefined }>, close: () => Promise<void> }>} */
function startFakeApi() {
	/** @type {Array<{ url: string, auth: string | undefined }>} */
	const requests = [];
	const server = http.createServer((req, res) => {
		requests.push({ url: req.url ?? '', auth: req.headers.authorization });
		const m = /^\/items\/([^/?]+)/.exec(req.url ?? '');
		res.setHeader('content-type', 'application/json');
		if (!m || m[1] === 'bad') {
			res.statusCode = 400;
			res.end(
				JSON.stringify({
					code: 'INVALID_DATA',
					message: 'the id given seems to be invalid',
					status: 'error',
				}),
			);
			return;
		}
		res.end(JSON.stringify({ id: m[1], ok: true }));
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
			resolve({
				url: `http://127.0.0.1:${addr.port}`,
				requests,
				close: () => new Promise((r) => server.close(() => r())),
			});
		});
	});
}

module.exports = { writeFakePackage, startFakeApi };

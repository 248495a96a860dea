// @ts-check
'use strict';
/**
 * The workflows of the harness smoke test: Manual Trigger -> Set, and the fake package's
 * nodes in chains (success, a thrown error, continueOnFail, HTTP 200 and 400 against the
 * local server with an imported `fakeApi` credential).
 */

const START = {
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	parameters: {},
};
/** @param {...string} names */
function chain(...names) {
	/** @type {Record<string, any>} */
	const c = {};
	for (let i = 0; i < names.length - 1; i++)
		c[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	return c;
}
const MAKE3 = {
	name: 'Make3',
	type: 'n8n-nodes-fake.fakeEcho',
	typeVersion: 1,
	parameters: { operation: 'echo', message: 'seed', copies: 3 },
};

/** @param {string} credId */
function workflows(credId) {
	const cred = { fakeApi: { id: credId, name: 'Fake API' } };
	return {
		basic: {
			id: 'smokeBasic01',
			nodes: [
				START,
				{
					name: 'Set',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					parameters: { mode: 'raw', jsonOutput: '{"hello":"world","n":42}', options: {} },
				},
			],
			connections: chain('Start', 'Set'),
		},
		echo: {
			id: 'smokeEcho01',
			nodes: [
				START,
				MAKE3,
				{
					name: 'Echo',
					type: 'n8n-nodes-fake.fakeEcho',
					typeVersion: 1,
					parameters: { operation: 'echo', message: '=item {{ $json.index }}' },
				},
			],
			connections: chain('Start', 'Make3', 'Echo'),
		},
		fail: {
			id: 'smokeFail01',
			nodes: [
				START,
				MAKE3,
				{
					name: 'Fail',
					type: 'n8n-nodes-fake.fakeEcho',
					typeVersion: 1,
					parameters: { operation: 'fail', message: 'boom', failOn: 1 },
				},
			],
			connections: chain('Start', 'Make3', 'Fail'),
		},
		cont: {
			id: 'smokeCont01',
			nodes: [
				START,
				MAKE3,
				{
					name: 'Fail',
					type: 'n8n-nodes-fake.fakeEcho',
					typeVersion: 1,
					onError: 'continueRegularOutput',
					parameters: { operation: 'fail', message: 'boom', failOn: 1 },
				},
			],
			connections: chain('Start', 'Make3', 'Fail'),
		},
		http: {
			id: 'smokeHttp01',
			nodes: [
				START,
				MAKE3,
				{
					name: 'Http',
					type: 'n8n-nodes-fake.fakeHttp',
					typeVersion: 1,
					credentials: cred,
					parameters: { itemId: '=id{{ $json.index }}' },
				},
			],
			connections: chain('Start', 'Make3', 'Http'),
		},
		httpFail: {
			id: 'smokeHttpFail01',
			nodes: [
				START,
				{
					name: 'Http',
					type: 'n8n-nodes-fake.fakeHttp',
					typeVersion: 1,
					credentials: cred,
					parameters: { itemId: 'bad' },
				},
			],
			connections: chain('Start', 'Http'),
		},
		httpCont: {
			id: 'smokeHttpCont1',
			nodes: [
				START,
				MAKE3,
				{
					name: 'Http',
					type: 'n8n-nodes-fake.fakeHttp',
					typeVersion: 1,
					credentials: cred,
					onError: 'continueRegularOutput',
					parameters: { itemId: "={{ $json.index === 1 ? 'bad' : 'id' + $json.index }}" },
				},
			],
			connections: chain('Start', 'Make3', 'Http'),
		},
	};
}

module.exports = { workflows };

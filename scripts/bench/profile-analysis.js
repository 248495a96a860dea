// @ts-check
'use strict';
/**
 * Reading the profiles BENCH_PROFILE writes: where a frame's code lives (this package's files,
 * n8n's request path, other packages, V8), CPU time inside the node's run by group and by
 * file, and sampled heap bytes by allocating function and code.
 */

/**
 * Where a profile frame's code lives: this package's files by name, n8n-core files by
 * name, other packages by package name, Node's own modules, V8's pseudo-frames.
 * @param {{ functionName: string, url: string }} frame
 */
function frameCategory(frame) {
	const { url, functionName } = frame;
	if (!url) {
		if (/^\((garbage collector|idle|program|root)\)$/.test(functionName)) return functionName;
		return `(native) ${functionName || 'anonymous'}`;
	}
	if (url.endsWith('/bench/profile-preload.js'))
		return '(native) JSON.stringify (through the profile hook)';
	const own = /\/n8n-nodes-zoho-crm-related-records\/dist\/(.*)$/.exec(url);
	if (own) return `this node: ${own[1].replace(/^nodes\/ZohoCrmRelatedRecords\//, '')}`;
	const at = url.lastIndexOf('/node_modules/');
	if (at >= 0) {
		const rest = url.slice(at + '/node_modules/'.length).split('/');
		const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
		if (name === 'n8n-core') return `n8n-core: ${rest.slice(rest.indexOf('dist') + 1).join('/')}`;
		if (name === 'n8n') return `n8n: ${rest.slice(rest.indexOf('dist') + 1).join('/')}`;
		return name;
	}
	if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`;
	return url.replace(/^file:\/\//, '');
}

const OWN = 'this node (its dist files)';
const REQUEST = "n8n's request path";
const CREDENTIAL_READ = "n8n's request path: credential read per call (DB + decrypt)";

/**
 * What a frame is for the split the brief asks about, or undefined to look further up the
 * stack: the frames of n8n's request path (the routing engine's makeRoutingRequest, n8n-core's
 * OAuth2 request helpers and the credential read inside them, axios, follow-redirects,
 * Node's http/net), and this package's own files.
 * @param {{ functionName: string, url: string }} frame
 */
function frameGroup(frame) {
	const c = frameCategory(frame);
	if (c.startsWith('this node:')) return OWN;
	if (
		/^n8n: credentials-helper/.test(c) ||
		/^(@n8n\/typeorm|sqlite3|typeorm)$/.test(c) ||
		/^n8n-core: .*credentials/.test(c) ||
		(c.startsWith('n8n-core:') && /[Cc]redentials/.test(frame.functionName))
	)
		return CREDENTIAL_READ;
	if (
		/^n8n-core: execution-engine\/(node-execution-context\/utils\/request-helper|routing-node)/.test(
			c,
		) ||
		/^(axios|follow-redirects|form-data|proxy-from-env|combined-stream|qs|@n8n\/client-oauth2|client-oauth2)$/.test(
			c,
		) ||
		/^node: (_http|http|https|net|dns|zlib)/.test(c) ||
		/^\(native\) (connect|writev|writeBuffer|writeUtf8String|shutdown)$/.test(c)
	)
		return REQUEST;
	return undefined;
}

/**
 * CPU time inside [fromUs, toUs] (profile clock) of a .cpuprofile: by group (each sample goes
 * to the innermost frame of its stack that is this package's or n8n's request path; else GC,
 * idle, V8/native, or "other") and by file/package of the sample's own frame (self time).
 * @param {any} profile @param {number} fromUs @param {number} toUs
 */
function cpuTimes(profile, fromUs, toUs) {
	/** @type {Map<number, any>} */
	const nodes = new Map();
	/** @type {Map<number, number>} */
	const parent = new Map();
	for (const n of profile.nodes) {
		nodes.set(n.id, n);
		for (const child of n.children ?? []) parent.set(child, n.id);
	}
	/** @type {Map<number, string | null>} */
	const innermost = new Map();
	/** The group of the innermost frame of the stack that has one, or null. @param {number} id @returns {string | null} */
	const groupUp = (id) => {
		const known = innermost.get(id);
		if (known !== undefined) return known;
		const up = parent.get(id);
		const g = frameGroup(nodes.get(id).callFrame) ?? (up === undefined ? null : groupUp(up));
		innermost.set(id, g);
		return g;
	};
	/** @param {number} id */
	const group = (id) => {
		const g = groupUp(id);
		if (g) return g;
		const { functionName, url } = nodes.get(id).callFrame;
		if (functionName === '(garbage collector)') return 'garbage collector';
		if (functionName === '(idle)') return 'idle';
		if (functionName === '(program)' || !url) return 'V8/native (program, builtins)';
		return 'other (n8n engine, n8n-workflow, logging, …)';
	};
	/** @type {Map<string, number>} */
	const byGroup = new Map();
	/** @type {Map<string, number>} */
	const byFile = new Map();
	let t = profile.startTime;
	for (let i = 0; i < profile.samples.length; i++) {
		t += profile.timeDeltas[i];
		const dt = profile.timeDeltas[i + 1] ?? 0;
		if (t < fromUs || t > toUs) continue;
		const id = profile.samples[i];
		const g = group(id);
		byGroup.set(g, (byGroup.get(g) ?? 0) + dt);
		const c = frameCategory(nodes.get(id).callFrame);
		byFile.set(c, (byFile.get(c) ?? 0) + dt);
	}
	return { byGroup, byFile };
}

/**
 * Sampled bytes (live after a full GC; with BENCH_HEAP_ALL=1 everything allocated) by
 * allocating function, by the code that allocated, and by the innermost frame of this node.
 * @param {any} profile a HeapProfiler.SamplingHeapProfile
 */
function heapLiveBytes(profile) {
	/** @type {Map<string, number>} */
	const byFunction = new Map();
	/** @type {Map<string, number>} */
	const byOwnFrame = new Map();
	/** By the code that allocated, a native function counted with the JS code that called it. @type {Map<string, number>} */
	const byCode = new Map();
	/** @param {any} node @param {string | undefined} ownFrame @param {string} caller */
	const walk = (node, ownFrame, caller) => {
		const c = frameCategory(node.callFrame);
		const own = c.startsWith('this node:')
			? `${node.callFrame.functionName || 'anonymous'} (${c.slice(11)}:${node.callFrame.lineNumber + 1})`
			: ownFrame;
		const code = node.callFrame.url ? (c.startsWith('this node:') ? 'this node' : c) : caller;
		if (node.selfSize) {
			byCode.set(code, (byCode.get(code) ?? 0) + node.selfSize);
			const f = `${node.callFrame.functionName || 'anonymous'} [${c}]`;
			byFunction.set(f, (byFunction.get(f) ?? 0) + node.selfSize);
			if (own) byOwnFrame.set(own, (byOwnFrame.get(own) ?? 0) + node.selfSize);
		}
		for (const child of node.children ?? []) walk(child, own, code);
	};
	walk(profile.head, undefined, '(V8/native, no JS caller)');
	return { byFunction, byOwnFrame, byCode };
}

/** @param {Map<string, number>} map @param {number} n */
const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);

module.exports = { cpuTimes, heapLiveBytes, top };

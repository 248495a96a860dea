// @ts-check
'use strict';
/**
 * Scenario family 5, profiles (BENCH_PROFILE=<dir>, instead of the other families): this
 * package's 10k (latency 80) and 100k (latency 0) runs, and the 100k baselines, each with a CPU
 * profile, a sampling heap profile of what is live when the run is over (after a full GC,
 * before n8n prints the run data; BENCH_HEAP_ALL=1: of everything allocated) and an RSS
 * timeline (see profile-preload.js). Prints CPU time by group and file inside the node's run
 * (per call), where the peak RSS happens, and live bytes by allocating code.
 */
const fs = require('node:fs');
const path = require('node:path');
const { BenchError, LATENCY_MS, N_BIG, N_HUGE, ZOHO, heapAll } = require('./settings');
const { measure, exactlyOnce } = require('./measure');
const { cpuTimes, heapLiveBytes, top } = require('./profile-analysis');
const { say, fmtMs, fmtMb, mib, table } = require('./print');

const PROFILE_PRELOAD = path.join(__dirname, 'profile-preload.js');

/** @typedef {import('./measure').Result} Result */

/**
 * Where the peak RSS happens: the highest sample before the node, during it, while n8n
 * finishes the execution, and while it prints the run data.
 * @param {Result} r @param {any} info the preload's .json
 */
function printPhases(r, info) {
	/** @type {number[][]} */
	const rss = info.rss ?? [];
	const start = r.nodeStartedAt ?? info.at;
	const end =
		r.nodeStartedAt !== undefined && r.nodeMs !== undefined ? r.nodeStartedAt + r.nodeMs : info.at;
	/** @param {(t: number) => boolean} when */
	const peak = (when) => Math.max(0, ...rss.filter((s) => when(s[0])).map((s) => s[1]));
	const phases = [
		['n8n start-up and the nodes before', peak((t) => t < start)],
		...(r.nodeStartedAt !== undefined ? [['this node', peak((t) => t >= start && t <= end)]] : []),
		[
			'after the node: n8n finishing the execution (saving it)',
			peak((t) => t > end && t <= info.at),
		],
		['n8n printing the run data', peak((t) => t > info.at)],
	];
	say(
		`peak RSS by phase (${rss.length} samples): ${phases.map(([p, b]) => `${p} ${mib(Number(b))}`).join('; ')}.`,
	);
}

/**
 * CPU inside the node's run: busy time per call, by group, and the top files by self time.
 * @param {Result} r @param {any} info @param {string} cpuFile
 */
function printCpu(r, info, cpuFile) {
	const from = /** @type {number} */ (r.nodeStartedAt);
	const end = from + /** @type {number} */ (r.nodeMs);
	const profile = JSON.parse(fs.readFileSync(cpuFile, 'utf8'));
	// profile clock (µs, monotonic) = epoch ms mapped through the preload's reading of both
	const toUs = (/** @type {number} */ epochMs) =>
		info.clock.monoUs + (epochMs - info.clock.epochMs) * 1000;
	const { byGroup, byFile } = cpuTimes(profile, toUs(from), toUs(end));
	let busy = 0;
	for (const [g, us] of byGroup) if (g !== 'idle') busy += us;
	const calls = r.calls;
	say(
		`CPU inside the node's run (${fmtMs(r.nodeMs)}): ${(busy / 1000).toFixed(0)} ms busy, ${(busy / 1000 / calls).toFixed(2)} ms per call (${calls} calls), ` +
			`idle ${((byGroup.get('idle') ?? 0) / 1000).toFixed(0)} ms (profile clock check: the profile starts ${((profile.startTime - info.clock.monoUs) / 1000).toFixed(1)} ms after the preload read the clocks)`,
	);
	say(
		table(
			[
				'group (innermost frame that is this node or the request path)',
				'CPU ms',
				'share of busy',
				'per call',
			],
			top(byGroup, 20)
				.filter(([g]) => g !== 'idle')
				.map(([g, us]) => [
					g,
					(us / 1000).toFixed(0),
					`${((100 * us) / busy).toFixed(0)}%`,
					`${(us / 1000 / calls).toFixed(2)} ms`,
				]),
		),
	);
	say('top files/packages by self time:');
	say(
		table(
			['file / package', 'self ms', 'share of busy'],
			top(byFile, 16)
				.filter(([c]) => c !== '(idle)')
				.map(([c, us]) => [c, (us / 1000).toFixed(0), `${((100 * us) / busy).toFixed(1)}%`]),
		),
	);
}

/**
 * Sampled heap bytes (live, or all allocated with BENCH_HEAP_ALL=1): by allocating function,
 * by the code that allocated, under this node's own frames.
 * @param {string} heapFile @param {number} ids
 */
function printHeap(heapFile, ids) {
	const live = heapLiveBytes(JSON.parse(fs.readFileSync(heapFile, 'utf8')));
	const total = [...live.byCode.values()].reduce((x, y) => x + y, 0);
	const all = heapAll();
	const what = all ? 'allocated MB' : 'live MB';
	/** @param {string} first @param {Map<string, number>} map @param {number} n */
	const bytesTable = (first, map, n) =>
		table(
			[first, what, 'bytes per id'],
			top(map, n).map(([c, b]) => [c, (b / 1048576).toFixed(1), (b / ids).toFixed(0)]),
		);
	say(
		all
			? `allocated by the process until the run was over, collected objects included (sampled, BENCH_HEAP_ALL=1): ${mib(total)}; by allocating function:`
			: `live when the run is over (sampled): ${mib(total)}; by allocating function:`,
	);
	say(bytesTable('function [file / package]', live.byFunction, 10));
	say(
		'by the code that allocated (this node = all its files; a native function counted with the code that called it):',
	);
	say(bytesTable('code', live.byCode, 8));
	say('allocated under a frame of this node (innermost own frame):');
	say(bytesTable('own frame', live.byOwnFrame, 8));
}

/**
 * The profiled runs of this package and their printout.
 * @param {import('./sandbox').ZohoSandbox} sb @param {import('./packages').Pkg} pkg @param {string} dir
 */
async function profileRuns(sb, pkg, dir) {
	const { ctx, seeds } = pkg;
	fs.mkdirSync(dir, { recursive: true });
	/** @param {string} name */
	const envFor = (name) => {
		for (const ext of ['cpuprofile', 'heapprofile', 'json'])
			fs.rmSync(path.join(dir, `${name}.${ext}`), { force: true });
		return {
			NODE_OPTIONS: `${ctx.env.NODE_OPTIONS} --require ${JSON.stringify(PROFILE_PRELOAD)}`,
			BENCH_PROFILE_OUT: path.join(dir, name),
		};
	};
	/** @type {Array<{ name: string, r: Result, ids: number }>} */
	const runs = [];
	sb.setFaults({ latencyMs: LATENCY_MS });
	const r10 = await measure(ctx, sb, {
		label: `profile: ${N_BIG.toLocaleString('en')} ids in 1 item`,
		wfId: 'benchNode10k',
		nodeName: ZOHO,
		pairs: seeds.big,
		zohoItems: true,
		env: envFor('node10k'),
	});
	runs.push({ name: 'node10k', r: r10, ids: N_BIG });
	sb.setFaults({ latencyMs: 0 });
	for (const [name, wfId] of [
		['input100k', 'benchInput100k'],
		['split100k', 'benchSplit100k'],
	]) {
		const r = await measure(ctx, sb, {
			label: `profile: ${name}`,
			wfId,
			nodeName: undefined,
			env: envFor(name),
		});
		runs.push({ name, r, ids: 0 });
	}
	const r100 = await measure(ctx, sb, {
		label: `profile: ${N_HUGE.toLocaleString('en')} ids in 1 item (latency 0)`,
		wfId: 'benchNode100k',
		nodeName: ZOHO,
		pairs: seeds.huge,
		zohoItems: true,
		env: envFor('node100k'),
	});
	runs.push({ name: 'node100k', r: r100, ids: N_HUGE });

	say('');
	say(
		`Profiles in ${dir} (n8n ${ctx.n8n.version} on Node ${ctx.n8n.nodeVersion}; CPU profile at 500 µs and sampling heap profile through the inspector, ` +
			'RSS every 10 ms from a worker thread: profile-preload.js; "live" = after a full GC when the run is over, before n8n prints the run data)',
	);
	/** @type {Map<string, any>} */
	const infos = new Map();
	for (const { name, r, ids } of runs) {
		const infoFile = path.join(dir, `${name}.json`);
		const info = fs.existsSync(infoFile)
			? JSON.parse(fs.readFileSync(infoFile, 'utf8'))
			: undefined;
		infos.set(name, info);
		say('');
		say(
			`== ${name}: ${r.ok ? 'ok' : 'FAILED'}, ${r.calls} calls, node time ${fmtMs(r.nodeMs)}, peak RSS ${fmtMb(r.peakRssKb)}` +
				(info?.after
					? `; when the run is over: heap used ${mib(info.before.heapUsed)}, ${mib(info.after.heapUsed)} after a full GC, rss ${mib(info.before.rss)}`
					: ''),
		);
		if (!info) continue;
		printPhases(r, info);
		const cpuFile = path.join(dir, `${name}.cpuprofile`);
		if (ids && fs.existsSync(cpuFile) && r.nodeStartedAt !== undefined && r.nodeMs !== undefined)
			printCpu(r, info, cpuFile);
		const heapFile = path.join(dir, `${name}.heapprofile`);
		if (ids && fs.existsSync(heapFile)) printHeap(heapFile, ids);
	}
	const used = (/** @type {string} */ n) => infos.get(n)?.after?.heapUsed;
	if (used('node100k') && used('input100k') && used('split100k')) {
		say('');
		say(
			`Heap used when the run is over, after a full GC: ${mib(used('node100k'))} with this node (100k ids), ${mib(used('input100k'))} the same input without it, ` +
				`${mib(used('split100k'))} that input split into 100k plain items: ${Math.round((used('node100k') - used('input100k')) / N_HUGE)} bytes per output item of this node, ` +
				`${Math.round((used('split100k') - used('input100k')) / N_HUGE)} per plain n8n item ({ id }).`,
		);
	}
	if (!exactlyOnce(r10, N_BIG) || !exactlyOnce(r100, N_HUGE))
		throw new BenchError('ids lost in a profiled run');
}

module.exports = { profileRuns };

// @ts-check
'use strict';
/**
 * Preloaded by `BENCH_PROFILE=<dir> node scripts/bench/run.js` into `n8n execute` (NODE_OPTIONS
 * --require; Node 20 refuses --cpu-prof there, so the profilers are started through the
 * inspector, in-process). Starts V8's CPU profiler (500 µs sampling) and sampling heap
 * profiler at once, and a worker thread that reads the process's RSS every 10 ms (it keeps
 * reading while the main thread is busy). When the run is over (`n8n execute` calls
 * JSON.stringify(run, null, 2) to print the run data; else at exit) it stops the CPU profile,
 * runs a full GC (global.gc, exposed at run time) and writes, before anything is printed:
 *   BENCH_PROFILE_OUT.cpuprofile   the CPU profile (Chrome DevTools format, as --cpu-prof)
 *   BENCH_PROFILE_OUT.heapprofile  the sampled allocations still live after that GC, by stack
 *                                  (BENCH_HEAP_ALL=1: every sampled allocation of the process
 *                                  until then, collected ones included)
 *   BENCH_PROFILE_OUT.json         memory before/after that GC, a reading of both clocks
 *                                  (epoch ms and the monotonic µs of the CPU profile) to cut it
 *                                  to the node's run, and the RSS timeline
 * The RSS sampler goes on until exit (printing the run data included); its timeline is
 * written again at exit. Only in the `n8n execute` process (not in task runners).
 */
const fs = require('node:fs');
const inspector = require('node:inspector');
const v8 = require('node:v8');
const vm = require('node:vm');
const { Worker, isMainThread } = require('node:worker_threads');

const out = process.env.BENCH_PROFILE_OUT;
if (out && isMainThread && process.argv.includes('execute')) {
	// a full GC on demand (the inspector's HeapProfiler.collectGarbage does not run at once)
	v8.setFlagsFromString('--expose-gc');
	const gc = /** @type {() => void} */ (vm.runInNewContext('gc'));
	const session = new inspector.Session();
	session.connect();
	/** @param {string} method @param {object} [params] @returns {any} */
	const post = (method, params) => {
		/** @type {any} */
		let result;
		/** @type {Error | null} */
		let failure = null;
		session.post(method, params, (error, r) => {
			failure = error;
			result = r;
		});
		if (failure) throw failure;
		return result;
	};
	// [epoch ms, rss bytes] pairs written by the worker; slot 0 holds the count
	const SLOTS = 400_000;
	const shared = new Float64Array(new SharedArrayBuffer(8 * (1 + 2 * SLOTS)));
	const sampler = new Worker(
		`const { workerData } = require('node:worker_threads');
		const a = workerData;
		setInterval(() => {
			const n = a[0];
			if (n >= ${SLOTS}) return;
			a[1 + 2 * n] = Date.now();
			a[2 + 2 * n] = process.memoryUsage.rss();
			a[0] = n + 1;
		}, 10);`,
		{ eval: true, workerData: shared },
	);
	sampler.unref();
	const timeline = () => {
		/** @type {number[][]} */
		const rows = [];
		for (let i = 0; i < shared[0]; i++) rows.push([shared[1 + 2 * i], shared[2 + 2 * i]]);
		return rows;
	};
	post('Profiler.enable');
	post('Profiler.setSamplingInterval', { interval: 500 });
	post('HeapProfiler.enable');
	// BENCH_HEAP_ALL=1: keep the samples of objects the GC has collected too, so that the
	// profile says what was allocated during the run, not only what is still live at its end
	const all = process.env.BENCH_HEAP_ALL === '1';
	post('HeapProfiler.startSampling', {
		samplingInterval: Number(process.env.BENCH_HEAP_INTERVAL || 8192),
		includeObjectsCollectedByMajorGC: all,
		includeObjectsCollectedByMinorGC: all,
	});
	const clock = { epochMs: Date.now(), monoUs: Number(process.hrtime.bigint() / 1000n) };
	post('Profiler.start');
	/** @type {Record<string, unknown>} */
	let info = {};
	let done = false;
	/** @param {string} why */
	const finish = (why) => {
		if (done) return;
		done = true;
		const { profile: cpu } = post('Profiler.stop');
		fs.writeFileSync(`${out}.cpuprofile`, JSON.stringify(cpu));
		const before = process.memoryUsage();
		gc();
		const after = process.memoryUsage();
		const { profile } = post('HeapProfiler.stopSampling');
		fs.writeFileSync(`${out}.heapprofile`, JSON.stringify(profile));
		info = { why, at: Date.now(), pid: process.pid, clock, before, after };
		fs.writeFileSync(`${out}.json`, JSON.stringify({ ...info, rss: timeline() }));
	};
	const stringify = JSON.stringify;
	JSON.stringify = /** @type {any} */ (
		function (/** @type {any} */ value, /** @type {any[]} */ ...rest) {
			if (!done && rest[1] === 2 && value?.data?.resultData?.runData && 'startedAt' in value)
				finish('when the run was over, before n8n printed the run data');
			return stringify.call(this, value, ...rest);
		}
	);
	process.on('exit', () => {
		finish('at exit');
		fs.writeFileSync(`${out}.json`, JSON.stringify({ ...info, rss: timeline() }));
	});
}

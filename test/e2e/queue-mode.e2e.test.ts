/**
 * Queue mode in REAL n8n (E2E_LINES, default 1,2): Postgres and Redis from Debian (installed by
 * scripts/ensure-queue-services.sh when missing), one `n8n start` main and two `n8n worker`
 * processes with EXECUTIONS_MODE=queue and the same encryption key, the packed package
 * installed into each instance's own user folder (`cd .n8n/nodes && npm install <tarball>`).
 * Everything on 127.0.0.1, stopped and removed at the end (also when a test fails).
 *
 * An active workflow, production Webhook → Zoho CRM Related Records (Delink, Campaigns ›
 * Contacts), takes 50 concurrent webhook calls (a campaign and 20 contact ids each) against the
 * in-process Zoho sandbox whose concurrency limit is the README's sizing: Max Concurrent Calls
 * per worker × 2 workers. Then a worker is SIGKILLed mid-burst, and the same 50 inputs are sent
 * again to a second workflow with Treat Not-Linked as Success, all run by the worker left, with
 * the sandbox's limit lowered to that one worker's cap.
 *
 * Which process ran an execution comes from n8n's own records: every worker logs "Worker
 * started execution N (job M)"; outcomes are read from n8n's execution tables in Postgres.
 */
import * as h from '../harness';
import * as q from '../harness/queue-mode';
import * as zw from '../harness/zoho-workflows';
import { randomUUID } from 'node:crypto';

import { startZohoSandbox, type RequestLogEntry, type ZohoSandbox } from '../zoho-sandbox';

const CRED = { id: 'zohoQueueCred', name: 'Zoho CRM (queue mode)' };
const ZOHO = 'Zoho CRM';
const WORKERS = 2;
/** Max Concurrent Calls on the node: the org's limit divided by the workers (README). */
const CAP_PER_WORKER = 3;
const ORG_LIMIT = CAP_PER_WORKER * WORKERS;
const EXECUTIONS = 50;
const IDS_PER_EXECUTION = 20;
/** 20 ids in calls of 5: 4 DELETEs per execution, 200 per burst. */
const BATCH_SIZE = 5;
const DELETES_PER_BURST = EXECUTIONS * (IDS_PER_EXECUTION / BATCH_SIZE);
/** The kill comes once the sandbox has answered this many DELETEs of the second burst. */
const KILL_AFTER_DELETES = 50;
const WF_DELINK = 'queueDelink';
const WF_RERUN = 'queueRerun';
const PATH_DELINK = 'zoho-queue-delink';
const PATH_RERUN = 'zoho-queue-rerun';
/** A cold cache installs n8n first (minutes); a warm set-up takes about a minute. */
const SETUP_TIMEOUT = 50 * 60_000;
const BURST_TIMEOUT = 240_000;

/** E2E_QUEUE_LINES (e.g. "2") narrows this file alone; default: E2E_LINES, like the delink-*.e2e files. */
const lines = process.env.E2E_QUEUE_LINES
	? h.e2eLines().filter((l) => process.env.E2E_QUEUE_LINES!.split(',').includes(String(l)))
	: h.e2eLines();
let tarball: string;
const fileStarted = Date.now();
const durations: string[] = [];

beforeAll(async () => {
	tarball = await h.packPackage();
}, 120_000);

afterAll(async () => {
	await h.cleanupAll();
	durations.push(`whole file: ${((Date.now() - fileStarted) / 1000).toFixed(1)} s`);
	process.stderr.write(`[queue-mode e2e] ${durations.join('; ')}\n`);
}, 120_000);

if (lines.length === 0)
	test('E2E_LINES / E2E_QUEUE_LINES name at least one n8n line (1, 2 or 1,2)', () => {
		throw new Error(
			`E2E_LINES="${process.env.E2E_LINES}" E2E_QUEUE_LINES="${process.env.E2E_QUEUE_LINES}" select no n8n line`,
		);
	});

interface Campaign {
	campaignId: string;
	contactIds: string[];
}
interface Outcome {
	executionId: number;
	campaignId: string;
	json: Record<string, any>;
}

const uuid = () => randomUUID();

/** Production Webhook (POST, answers at once) → Delink of the body's campaign and contact ids. */
function webhookDelinkWorkflow(id: string, path: string, options: Record<string, unknown>) {
	return {
		id,
		name: `Queue mode: ${id}`,
		active: true,
		nodes: [
			{ ...zw.productionWebhook('Webhook', path), id: uuid(), position: [0, 0] },
			{
				id: uuid(),
				name: ZOHO,
				type: zw.NODE_TYPE,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					operation: 'delink',
					module: 'Campaigns',
					relatedList: 'Contacts',
					recordId: zw.byId('={{ $json.body.campaignId }}'),
					relatedRecordIds: '={{ $json.body.contactIds }}',
					options: { batchSize: BATCH_SIZE, maxConcurrentCalls: CAP_PER_WORKER, ...options },
				},
				credentials: { [zw.CREDENTIAL_TYPE]: CRED },
			},
		],
		connections: { Webhook: { main: [[{ node: ZOHO, type: 'main', index: 0 }]] } },
		settings: {
			executionOrder: 'v1',
			saveDataSuccessExecution: 'all',
			saveDataErrorExecution: 'all',
		},
		pinData: {},
	};
}

/** The most requests in flight at once among `reqs` (by the sandbox's own clock). */
function maxOverlap(reqs: RequestLogEntry[]): number {
	const events: Array<[number, number]> = [];
	for (const r of reqs) {
		events.push([r.startedAt, 1]);
		events.push([r.endedAt ?? Infinity, -1]);
	}
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let cur = 0;
	let max = 0;
	for (const [, d] of events) {
		cur += d;
		max = Math.max(max, cur);
	}
	return max;
}

const campaignOfPath = (p: string) => /\/Campaigns\/(\d+)\/Contacts/.exec(p)?.[1];
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

for (const line of lines)
	describe(`n8n ${line}.x in queue mode: main + ${WORKERS} workers, Postgres, Redis`, () => {
		let sb: ZohoSandbox;
		let cluster: q.QueueCluster;
		let credentialSecrets: string[] = [];
		let burst: Campaign[] = [];
		let killBurst: Campaign[] = [];
		/** Highest execution id before the second burst. */
		let firstBurstMaxId = 0;

		const seed = (n: number, label: string): Campaign[] =>
			Array.from({ length: n }, (_, i) => {
				const campaignId = sb.addRecord('Campaigns', { Campaign_Name: `${label} ${i + 1}` });
				const contactIds = sb.addRecords('Contacts', IDS_PER_EXECUTION);
				sb.link('Campaigns', campaignId, 'Contacts', contactIds);
				return { campaignId, contactIds };
			});

		/** 50 concurrent production webhook calls; every one must be accepted (200). */
		async function sendBurst(path: string, campaigns: Campaign[]) {
			const answers = await Promise.all(
				campaigns.map(async (c) => {
					const res = await fetch(`${cluster.main.url}/webhook/${path}`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify(c),
					});
					return { status: res.status, body: await res.text() };
				}),
			);
			const refused = answers.filter((a) => a.status !== 200);
			if (refused.length)
				throw new Error(
					`${refused.length} of ${answers.length} webhook calls refused, e.g. HTTP ${refused[0].status}: ${refused[0].body.slice(0, 300)}\n--- main (tail) ---\n${h.tail(cluster.main.logs(), 40)}`,
				);
		}

		/** Every Delink item of these executions, with the execution and the webhook's campaign. */
		function outcomes(runs: Awaited<ReturnType<typeof q.readExecutions>>): Outcome[] {
			return runs.flatMap((run) => {
				const body = q.runItems(run.data, 'Webhook')[0]?.json?.body;
				return q.runItems(run.data, ZOHO).map((item: any) => ({
					executionId: run.id,
					campaignId: body?.campaignId,
					json: item.json,
				}));
			});
		}

		const key = (campaignId: string, contactId: string) => `${campaignId}/${contactId}`;

		beforeAll(async () => {
			const started = Date.now();
			sb = await startZohoSandbox({ host: '127.0.0.1', maxConcurrent: ORG_LIMIT, latencyMs: 30 });
			burst = seed(EXECUTIONS, 'Queue burst');
			killBurst = seed(EXECUTIONS, 'Queue kill');
			const credential = zw.sandboxCredential(sb, { ...CRED, expired: false });
			const tokens = credential.data.oauthTokenData as Record<string, string>;
			credentialSecrets = [tokens.access_token, tokens.refresh_token, sb.clientSecret];
			cluster = await q.startQueueCluster({
				line,
				tarball,
				workers: WORKERS,
				webhookPaths: [PATH_DELINK, PATH_RERUN],
				beforeStart: async (mainCtx, cliOutputs) => {
					const importCredential = () => h.importCredentials(mainCtx, [credential]);
					const importWorkflows = () =>
						q.importActiveWorkflows(mainCtx, [
							webhookDelinkWorkflow(WF_DELINK, PATH_DELINK, {}),
							webhookDelinkWorkflow(WF_RERUN, PATH_RERUN, { treatNotLinkedAsSuccess: true }),
						]);
					// the first CLI call creates n8n's schema: n8n 2.x takes a migration lock, so
					// both imports may run at once there; n8n 1.x has none, one after the other
					const [c, ws] =
						line === 2
							? await Promise.all([importCredential(), importWorkflows()])
							: [await importCredential(), await importWorkflows()];
					cliOutputs.push(c.stdout + c.stderr, ...ws.map((w) => w.stdout + w.stderr));
				},
			});
			durations.push(
				`n8n ${line}.x setup ${seconds(Date.now() - started)} (${Object.entries(cluster.timings)
					.map(([k, v]) => `${k} ${v}`)
					.join(', ')})`,
			);
		}, SETUP_TIMEOUT);

		afterAll(async () => {
			await cluster?.stop();
			await sb?.close();
		}, 120_000);

		test('main, workers, Postgres and Redis listen on 127.0.0.1 only', () => {
			const services = [
				cluster.main,
				...cluster.workers,
				cluster.pg.service,
				cluster.redis.service,
			];
			const sockets = q.listeningSockets(services.map((s) => s.pid!));
			const ports = new Set(sockets.map((s) => s.port));
			for (const port of [
				cluster.main.port,
				...cluster.workers.map((w) => w.healthPort),
				cluster.pg.port,
				cluster.redis.port,
			])
				expect(ports).toContain(port);
			expect(sockets.filter((s) => s.address !== '127.0.0.1')).toEqual([]);
		});

		test(
			`${EXECUTIONS} concurrent webhook calls × ${IDS_PER_EXECUTION} ids: every execution on a worker (both took some), every relation removed, every id reported once, ≤ ${CAP_PER_WORKER} calls in flight per worker, no 429`,
			async () => {
				const t0 = Date.now();
				sb.resetStats();
				const from = sb.requests.length;
				await sendBurst(PATH_DELINK, burst);
				const counts = await q.waitForExecutions(cluster, WF_DELINK, EXECUTIONS, BURST_TIMEOUT);
				durations.push(`n8n ${line}.x burst ${seconds(Date.now() - t0)}`);
				expect(counts).toEqual({ success: EXECUTIONS });

				const runs = await q.readExecutions(cluster, WF_DELINK);
				expect(runs).toHaveLength(EXECUTIONS);
				expect(new Set(runs.map((r) => r.mode))).toEqual(new Set(['webhook']));
				firstBurstMaxId = Math.max(...runs.map((r) => r.id));

				// n8n's own records: each execution started (and finished) once, on a worker
				const [w1, w2] = cluster.workers;
				const started1 = q.startedExecutions(w1);
				const started2 = q.startedExecutions(w2);
				const ids = runs.map((r) => r.id).sort((a, b) => a - b);
				expect([...started1, ...started2].sort((a, b) => a - b)).toEqual(ids);
				expect(
					[...q.finishedExecutions(w1), ...q.finishedExecutions(w2)].sort((a, b) => a - b),
				).toEqual(ids);
				expect(started1.length).toBeGreaterThan(0);
				expect(started2.length).toBeGreaterThan(0);
				// main only enqueued them (it never runs a job in queue mode)
				expect(cluster.main.logs()).not.toMatch(/Worker started execution/);

				// every relation removed, every id reported exactly once, as removed
				for (const c of burst)
					expect(sb.linkedIds('Campaigns', c.campaignId, 'Contacts')).toEqual([]);
				const all = outcomes(runs);
				const expected = burst
					.flatMap((c) => c.contactIds.map((id) => key(c.campaignId, id)))
					.sort();
				expect(all.map((o) => key(o.json.recordId, o.json.relatedRecordId)).sort()).toEqual(
					expected,
				);
				expect(all.filter((o) => o.json.recordId !== o.campaignId)).toEqual([]);
				expect(all.filter((o) => o.json.status !== 'success' || o.json.code !== 'SUCCESS')).toEqual(
					[],
				);

				// the cap: per worker (calls mapped to their worker through campaign → execution)
				const workerOfExecution = new Map<number, string>();
				for (const id of started1) workerOfExecution.set(id, w1.name);
				for (const id of started2) workerOfExecution.set(id, w2.name);
				const workerOfCampaign = new Map(
					runs.map((r) => [
						q.runItems(r.data, 'Webhook')[0]?.json?.body?.campaignId as string,
						workerOfExecution.get(r.id),
					]),
				);
				// every Zoho call of the burst (DELETEs, and the reads of Keep Relation Data)
				const calls = sb.requests.slice(from).filter((r) => r.kind === 'api');
				expect(calls.filter((r) => r.method === 'DELETE')).toHaveLength(DELETES_PER_BURST);
				const perWorker = cluster.workers.map((w) =>
					maxOverlap(
						calls.filter((r) => workerOfCampaign.get(campaignOfPath(r.path) ?? '') === w.name),
					),
				);
				const stats = sb.stats;
				durations.push(
					`n8n ${line}.x burst: max in flight ${stats.maxInFlight} (per worker ${perWorker.join('/')}), 429s ${stats.rejected429}, executions per worker ${started1.length}/${started2.length}`,
				);
				for (const m of perWorker) expect(m).toBeLessThanOrEqual(CAP_PER_WORKER);
				expect(stats.maxInFlight).toBeLessThanOrEqual(ORG_LIMIT);
				// README sizing: caps summed over the workers ≤ the org's limit → no 429 at all
				expect(stats.rejected429).toBe(0);
				expect(calls.filter((r) => r.status !== 200)).toEqual([]);
			},
			BURST_TIMEOUT + 60_000,
		);

		test(
			'a worker SIGKILLed mid-burst: its executions end as n8n ends them; the rerun with Treat Not-Linked as Success, 50 executions on the one worker left against a sandbox limit equal to its cap: no 429, nothing left linked, nothing reported twice',
			async () => {
				expect(firstBurstMaxId).toBeGreaterThan(0); // the burst above ran
				const t0 = Date.now();
				const [victim, survivor] = cluster.workers;
				const removedBefore = sb.stats.relationsRemoved;
				const killCampaigns = new Set(killBurst.map((c) => c.campaignId));
				let deletes = 0;
				let killedAt: { deletes: number; inFlight: number; inHand: number[] } | undefined;
				/** Phase-2 executions the victim logged as started and not (yet) as finished. */
				const inHandOfVictim = () => {
					const done = new Set(q.finishedExecutions(victim));
					return q.startedExecutions(victim).filter((id) => id > firstBurstMaxId && !done.has(id));
				};
				const off = sb.onApiRequest((entry) => {
					if (killedAt || entry.method !== 'DELETE') return;
					if (!killCampaigns.has(campaignOfPath(entry.path) ?? '')) return;
					deletes++;
					const inHand = inHandOfVictim();
					// count-based: enough of the burst done, and the victim busy with some of it
					if (deletes >= KILL_AFTER_DELETES && inHand.length >= 2) {
						killedAt = { deletes, inFlight: sb.stats.inFlight, inHand };
						// the worker and its task runner at once, while this DELETE (applied) is
						// still unanswered
						victim.kill('SIGKILL');
					}
				});
				try {
					await sendBurst(PATH_DELINK, killBurst);
					await q.waitUntil(() => victim.exited(), {
						timeoutMs: BURST_TIMEOUT,
						what: `the kill of ${victim.name} after ${KILL_AFTER_DELETES} DELETEs`,
						explain: () => `DELETEs seen: ${deletes}`,
					});
				} finally {
					off();
				}
				expect(victim.exited()?.signal).toBe('SIGKILL');
				const counts = await q.waitForExecutions(cluster, WF_DELINK, EXECUTIONS, BURST_TIMEOUT, {
					minId: firstBurstMaxId,
				});
				const crashMs = Date.now() - t0;
				const runs = await q.readExecutions(cluster, WF_DELINK, { minId: firstBurstMaxId });
				expect(runs).toHaveLength(EXECUTIONS);

				// what n8n did with the dead worker's executions
				// what the victim started and never finished, from its whole log now that it has
				// exited (a "started" line may reach us after the snapshot taken at the kill)
				const inHand = [...new Set([...killedAt!.inHand, ...inHandOfVictim()])];
				const survivorStarted = new Set(q.startedExecutions(survivor));
				const retried = inHand.filter((id) => survivorStarted.has(id));
				const notSuccess = runs.filter((r) => r.status !== 'success');
				durations.push(
					`n8n ${line}.x kill: after ${killedAt?.deletes} DELETEs (${killedAt?.inFlight} in flight), ${inHand.length} executions in the killed worker's hands, ${retried.length} of them handed again to ${survivor.name}, statuses ${JSON.stringify(counts)}, all final ${seconds(crashMs)} after the burst started`,
				);
				// the kill was mid-run: n8n failed or re-ran some of the victim's executions
				expect(notSuccess.length + retried.length).toBeGreaterThan(0);
				// only executions the dead worker had in hand did not succeed…
				for (const r of notSuccess) expect(inHand).toContain(r.id);
				for (const r of notSuccess) expect(['error', 'crashed']).toContain(r.status);
				// …and the survivor only ran the rest, plus what n8n handed out again
				const victimStarted = new Set(q.startedExecutions(victim));
				for (const id of survivorStarted)
					if (id > firstBurstMaxId && victimStarted.has(id)) expect(inHand).toContain(id);

				// the same 50 inputs again, Treat Not-Linked as Success, all on the one worker left:
				// the sandbox's limit is now that worker's cap (50 executions in one process)
				sb.setFaults({ maxConcurrent: CAP_PER_WORKER });
				const rerunFrom = sb.requests.length;
				const rejectedBefore = sb.stats.rejected429;
				const t1 = Date.now();
				await sendBurst(PATH_RERUN, killBurst);
				const rerunCounts = await q.waitForExecutions(cluster, WF_RERUN, EXECUTIONS, BURST_TIMEOUT);
				const rerunCalls = sb.requests.slice(rerunFrom).filter((r) => r.kind === 'api');
				durations.push(
					`n8n ${line}.x rerun ${seconds(Date.now() - t1)} (one worker, sandbox limit ${CAP_PER_WORKER}: ${rerunCalls.length} calls, max in flight ${maxOverlap(rerunCalls)}, 429s ${sb.stats.rejected429 - rejectedBefore}); kill+rerun ${seconds(Date.now() - t0)}`,
				);
				expect(rerunCounts).toEqual({ success: EXECUTIONS });
				expect(maxOverlap(rerunCalls)).toBeLessThanOrEqual(CAP_PER_WORKER);
				expect(sb.stats.rejected429 - rejectedBefore).toBe(0);
				const rerun = await q.readExecutions(cluster, WF_RERUN);
				for (const r of rerun)
					expect(survivor.logs()).toContain(`Worker started execution ${r.id} `);

				// nothing left linked; each relation removed exactly once in the sandbox
				for (const c of killBurst)
					expect(sb.linkedIds('Campaigns', c.campaignId, 'Contacts')).toEqual([]);
				expect(sb.stats.relationsRemoved - removedBefore).toBe(EXECUTIONS * IDS_PER_EXECUTION);

				// the rerun reports every id exactly once, all success
				const expected = killBurst
					.flatMap((c) => c.contactIds.map((id) => key(c.campaignId, id)))
					.sort();
				const again = outcomes(rerun);
				expect(again.map((o) => key(o.json.recordId, o.json.relatedRecordId)).sort()).toEqual(
					expected,
				);
				expect(again.filter((o) => o.json.status !== 'success')).toEqual([]);

				// nothing reported as removed twice across the killed burst and the rerun: an id a
				// saved execution reported removed is alreadyUnlinked in the rerun
				const first = outcomes(runs);
				const codes: Record<string, number> = {};
				for (const o of first) codes[o.json.code] = (codes[o.json.code] ?? 0) + 1;
				durations.push(
					`n8n ${line}.x killed burst: items saved ${first.length} of ${EXECUTIONS * IDS_PER_EXECUTION}, by code ${JSON.stringify(codes)}`,
				);
				const removedBy = new Map<string, number>();
				for (const o of [...first, ...again])
					if (o.json.code === 'SUCCESS' && !o.json.alreadyUnlinked) {
						const k = key(o.json.recordId, o.json.relatedRecordId);
						removedBy.set(k, (removedBy.get(k) ?? 0) + 1);
					}
				expect([...removedBy].filter(([, n]) => n > 1)).toEqual([]);
				const removedFirst = new Set(
					first
						.filter((o) => o.json.code === 'SUCCESS' && !o.json.alreadyUnlinked)
						.map((o) => key(o.json.recordId, o.json.relatedRecordId)),
				);
				for (const o of again)
					if (removedFirst.has(key(o.json.recordId, o.json.relatedRecordId)))
						expect(o.json.alreadyUnlinked).toBe(true);
				const already = again.filter((o) => o.json.alreadyUnlinked).length;
				expect(already).toBeGreaterThan(0);
				durations.push(
					`n8n ${line}.x rerun: ${again.length - already} removed now, ${already} already unlinked; 429s over the file ${sb.stats.rejected429}`,
				);
				// the sizing held over the whole file: not one 429
				expect(sb.stats.rejected429).toBe(0);
			},
			3 * BURST_TIMEOUT + 60_000,
		);

		test('no secret in any log (n8n main, workers, CLI, Postgres, Redis); nothing but loopback contacted', () => {
			const secrets = [
				...credentialSecrets,
				// every access token the sandbox saw
				...new Set(
					sb.requests
						.filter((r) => r.kind === 'api')
						.map((r) => (r.authorization ?? '').replace(/^Bearer /, ''))
						.filter(Boolean),
				),
				h.ENCRYPTION_KEY,
				cluster.pg.password,
				cluster.redis.password,
			];
			expect(secrets.every((s) => typeof s === 'string' && s.length >= 16)).toBe(true);
			const logs = cluster.allLogs();
			expect(logs.length).toBeGreaterThanOrEqual(6);
			const leaks = logs.flatMap((l) =>
				secrets.filter((s) => l.text.includes(s)).map((s) => `${l.name}: ${s.slice(0, 4)}…`),
			);
			expect(leaks).toEqual([]);
			for (const ctx of [cluster.mainCtx, ...cluster.workers.map((w) => w.ctx)])
				expect(h.netAttempts(ctx)).toEqual([]);
			expect(sb.stats.recordsDeleted).toBe(0);
		});
	});

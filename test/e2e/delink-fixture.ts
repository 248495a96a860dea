/**
 * What the Delink e2e files share: per line of E2E_LINES (default 1,2: n8n 1.123 on Node 20,
 * n8n 2.40 on Node 24) the built package packed once, installed into a temp user folder the
 * way n8n installs community packages, the in-process Zoho sandbox, a `zohoCrmOAuth2Api`
 * credential pointing at it, every workflow of the file imported in one CLI call, and runs
 * through `n8n execute` with what the sandbox received during each. After a file's runs, every
 * call it made is checked on the wire (Bearer only, no token in a URL, no body but Link's).
 */
import * as h from '../harness';
import * as zw from '../harness/zoho-workflows';
import { startZohoSandbox, type RequestLogEntry, type ZohoSandbox } from '../zoho-sandbox';

export const CRED = { id: 'zohoE2eCred', name: zw.EXAMPLE_CREDENTIAL_NAME };
export const ZOHO = 'Zoho CRM';
/** Installing n8n on a cold cache takes minutes; a warm line set-up takes seconds. */
export const SETUP_TIMEOUT = 50 * 60_000;

export interface Run {
	result: h.ExecuteResult;
	/** What the sandbox received during this run, in order. */
	requests: RequestLogEntry[];
	tokenRefreshes: number;
}

export const api = (reqs: RequestLogEntry[]) => reqs.filter((r) => r.kind === 'api');
export const idsOf = (r: RequestLogEntry) => (r.query.ids ?? '').split(',').filter(Boolean);
export const jsonOf = (items: any[]) => items.map((i) => i.json);

/** Fails with n8n's own output when a run that should succeed did not. */
export function expectOk(run: Run) {
	if (!run.result.ok)
		throw new Error(
			`n8n execute failed (exit ${run.result.exitCode}): ${run.result.error?.message ?? ''}\n` +
				`--- stdout (tail) ---\n${run.result.stdout.split('\n').slice(-40).join('\n')}\n` +
				`--- stderr (tail) ---\n${run.result.stderr.split('\n').slice(-20).join('\n')}`,
		);
}

/**
 * A removed id's item. `linkedBefore`: what the read just before the delink showed (true with
 * Keep Relation Data, which the examples keep on; null without the read, as the synthetic
 * workflows here run).
 */
export function success(
	module: string,
	recordId: string,
	relatedList: string,
	id: string,
	linkedBefore: boolean | null = null,
) {
	return {
		module,
		recordId,
		relatedList,
		relatedRecordId: id,
		status: 'success',
		code: 'SUCCESS',
		message: 'relation removed',
		details: { id },
		// every outcome says how many attempts its call took (README: retries)
		attempts: 1,
		linkedBefore,
	};
}

/** Manual Trigger → [before…] → Delink node named ZOHO with the credential CRED. */
export function delinkWorkflow(
	id: string,
	parameters: Record<string, unknown>,
	extra: { before?: zw.WorkflowNode[]; nodeSettings?: Record<string, unknown> } = {},
) {
	return zw.delinkWorkflow({ id, credential: CRED, name: ZOHO, parameters, ...extra });
}

/** Every Zoho API call: only Authorization: Bearer <token>, no token in a URL or another header. */
export function expectCleanCalls(calls: RequestLogEntry[]) {
	for (const r of calls) {
		expect(r.authorization).toMatch(/^Bearer [^\s,]+$/);
		// only Link's PUT carries a body (JSON); reads and delinks never do
		expect(r.hasBody).toBe(r.method === 'PUT');
		// (Zoho's own page_token is no secret)
		expect(r.rawPath).not.toMatch(/access_token|refresh_token|Zoho-oauthtoken/i);
		const token = r.authorization!.slice('Bearer '.length);
		expect(r.rawPath).not.toContain(token);
		for (const [name, value] of Object.entries(r.headers))
			if (name !== 'authorization') expect(String(value)).not.toContain(token);
	}
}

/** One n8n line of a Delink e2e file: its user folder, sandbox and runs. */
export class DelinkLine {
	ctx!: h.Ctx;
	sb!: ZohoSandbox;
	/** The access token the credential was imported with (expiredToken: true). */
	expiredAccessToken = '';
	private startedAt = 0;
	private readonly runsMs: number[] = [];

	constructor(
		readonly line: h.Line,
		/** true: the credential's access token is already expired, n8n refreshes it on first use */
		private readonly expiredToken: boolean,
	) {}

	async start(tarball: string) {
		this.startedAt = Date.now();
		this.ctx = await h.createUserFolder({ line: this.line, tarball });
		this.sb = await startZohoSandbox({ host: '127.0.0.1' });
	}

	/** A campaign with n new contacts linked to it. */
	campaignWith(n: number, name: string) {
		const campaignId = this.sb.addRecord('Campaigns', { Campaign_Name: name });
		const contactIds = this.sb.addRecords('Contacts', n);
		this.sb.link('Campaigns', campaignId, 'Contacts', contactIds);
		return { campaignId, contactIds };
	}

	/** Imports the credential (CRED), then every workflow of the file in one CLI call. */
	async importAll(workflows: zw.Workflow[]) {
		const credential = zw.sandboxCredential(this.sb, { ...CRED, expired: this.expiredToken });
		if (this.expiredToken)
			this.expiredAccessToken = (
				credential.data.oauthTokenData as { access_token: string }
			).access_token;
		await h.importCredentials(this.ctx, [credential]);
		await h.importWorkflow(this.ctx, workflows);
		const { version, nodeVersion } = this.ctx.n8n;
		process.stderr.write(
			`[e2e] n8n ${version} (Node ${nodeVersion}): set up in ${((Date.now() - this.startedAt) / 1000).toFixed(1)} s\n`,
		);
	}

	/** `n8n execute` of a workflow, with what the sandbox received meanwhile. */
	async execute(id: string): Promise<Run> {
		const from = this.sb.requests.length;
		const refreshesBefore = this.sb.stats.tokenRefreshes;
		const t = Date.now();
		const result = await h.executeWorkflow(this.ctx, id);
		this.runsMs.push(Date.now() - t);
		return {
			result,
			requests: this.sb.requests.slice(from),
			tokenRefreshes: this.sb.stats.tokenRefreshes - refreshesBefore,
		};
	}

	/** Checks the wire of every run of the file, then stops the sandbox and removes the folder. */
	async stop() {
		const total = ((Date.now() - this.startedAt) / 1000).toFixed(1);
		const runs = this.runsMs.map((ms) => (ms / 1000).toFixed(1)).join(', ');
		process.stderr.write(
			`[e2e] n8n ${this.ctx?.n8n.version ?? this.line}: ${total} s in all; n8n execute runs: ${runs} s\n`,
		);
		try {
			if (this.sb && this.ctx) {
				expectCleanCalls(api(this.sb.requests));
				if (!this.expiredToken) expect(this.sb.stats.tokenRefreshes).toBe(0);
				expect(this.sb.stats.recordsDeleted).toBe(0);
				expect(h.netAttempts(this.ctx)).toEqual([]);
			}
		} finally {
			await this.sb?.close();
			await this.ctx?.cleanup();
		}
	}
}

/**
 * The file's tests, once per line of E2E_LINES, each line in its own describe with a fresh
 * DelinkLine (started before `body`'s hooks, stopped after its tests).
 */
export function describeEachLine(
	opts: { expiredToken: boolean },
	body: (f: DelinkLine) => void,
): void {
	const lines = h.e2eLines();
	let tarball: string;

	beforeAll(async () => {
		tarball = await h.packPackage();
	}, 120_000);

	afterAll(async () => h.cleanupAll(), 60_000);

	if (lines.length === 0)
		test('E2E_LINES names at least one n8n line (1, 2 or 1,2)', () => {
			throw new Error(`E2E_LINES="${process.env.E2E_LINES}" selects no n8n line`);
		});

	for (const line of lines)
		describe(`n8n ${line}.x with the packed package installed as a community package`, () => {
			const f = new DelinkLine(line, opts.expiredToken);
			beforeAll(() => f.start(tarball), SETUP_TIMEOUT);
			afterAll(() => f.stop(), 60_000);
			body(f);
		});
}

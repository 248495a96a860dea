/**
 * Runs one generated case for real: a fresh Zoho sandbox seeded with the case's org, its faults
 * queued by count, the node run through n8n's routing engine (runNode, the engine of the jest
 * project: n8n-core 1.x or 2.x) with the case's items and settings, then, when asked, Undo
 * (Link from Delink's output items). Returns what was observed, for invariants.ts to judge.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { runNode, type RunResult } from '../helpers/routing';
import { sandboxWithCredential } from '../routing/fixtures';
import { ZOHO_ERRORS, type CannedReply, type ZohoModule, type ZohoSandbox } from '../zoho-sandbox';
import {
	OPTION_NAMES,
	type Case,
	type Fault,
	type IdRef,
	type ItemOptions,
	type ItemSpec,
} from './world';

/** Per campaign: contact id → the data on its link. */
export type Snapshot = Array<Map<string, IDataObject>>;

export interface Observed {
	campaignIds: string[];
	contactIds: string[];
	ghostIds: string[];
	/** Each item's ids as sent in its json (typos included). */
	itemIds: string[][];
	start: Snapshot;
	afterRun: Snapshot;
	run: RunResult;
	undo?: RunResult;
	afterUndo?: Snapshot;
	/** DELETE and PUT requests of the node run (not the undo). */
	writes: number;
	maxInFlight: number;
	secrets: string[];
}

const GATEWAY: CannedReply = {
	status: 502,
	raw: '<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>',
	headers: { 'Content-Type': 'text/html' },
};

const REPLIES: Record<string, CannedReply> = {
	TOO_MANY_REQUESTS: ZOHO_ERRORS.TOO_MANY_REQUESTS,
	INTERNAL_ERROR: ZOHO_ERRORS.INTERNAL_ERROR,
	NO_PERMISSION: ZOHO_ERRORS.NO_PERMISSION,
	GATEWAY,
	LOST_ANSWER: { dropAfterApply: true },
};

export async function runCase(c: Case, executionId: string): Promise<Observed> {
	const { sandbox, credential } = await sandboxWithCredential({
		notLinkedAnswer: c.notLinkedAnswer,
		numericIds: c.numericIds,
		echoAuthorization: true,
	});
	try {
		const [module, related] = c.pair.split('/') as [ZohoModule, ZohoModule];
		const campaignIds = sandbox.addRecords(module, c.campaigns);
		const contactIds = sandbox.addRecords(related, c.contacts);
		const ghostIds = Array.from(
			{ length: c.ghosts },
			(_, i) => `36523979999999${String(i).padStart(5, '0')}`,
		);
		c.links.forEach((row, k) =>
			row.forEach((status, i) => {
				if (status === undefined) return;
				sandbox.link(
					module,
					campaignIds[k],
					related,
					contactIds[i],
					status ? { Member_Status: status } : undefined,
				);
			}),
		);
		const idOf = (ref: IdRef) =>
			'contact' in ref ? contactIds[ref.contact] : 'ghost' in ref ? ghostIds[ref.ghost] : ref.typo;
		const itemIds = c.items.map((item) => item.ids.map(idOf));
		const snapshot = () => snapshotOf(sandbox, c.pair, campaignIds);
		const start = snapshot();
		const creds = credential({}, false);
		const token = creds.data.oauthTokenData as IDataObject;
		const secrets = [String(token.access_token), String(token.refresh_token), sandbox.clientSecret];
		queueFaults(sandbox, c.faults);
		sandbox.resetStats();
		const run = await runNode({
			parameters:
				c.operation === 'delink'
					? delinkParameters(c, campaignIds)
					: linkParameters(c, campaignIds),
			items: c.items.map((item, i) => itemJson(item, itemIds[i], campaignIds)),
			credentials: creds,
			onError: c.onError,
			retryOnFail: c.retryTries > 1 ? { maxTries: c.retryTries } : undefined,
			executionId,
		});
		const writes = sandbox.stats.deleteCalls + sandbox.stats.putCalls;
		const maxInFlight = sandbox.stats.maxInFlight;
		for (const update of creds.tokenUpdates) secrets.push(String(update.access_token));
		const afterRun = snapshot();
		const observed: Observed = {
			...{ campaignIds, contactIds, ghostIds, itemIds, start, afterRun, run, writes, maxInFlight },
			secrets,
		};
		if (c.operation === 'delink' && c.undo && !run.error) {
			sandbox.clearFailNext();
			sandbox.expireAccessTokensAfter(1e9);
			observed.undo = await runNode({
				parameters: {
					operation: 'link',
					linkFrom: 'delinkOutput',
					options: { retryBaseDelayMs: 0 },
				} as INodeParameters,
				items: run.items.map((i) => ({ json: i.json })),
				credentials: creds,
				executionId: `${executionId}-undo`,
			});
			observed.afterUndo = snapshot();
		}
		return observed;
	} finally {
		await sandbox.close();
	}
}

function snapshotOf(sandbox: ZohoSandbox, pair: Case['pair'], campaignIds: string[]): Snapshot {
	const [module, related] = pair.split('/') as [ZohoModule, ZohoModule];
	return campaignIds.map(
		(c) =>
			new Map(
				sandbox
					.linkedIds(module, c, related)
					.map((id) => [id, { ...sandbox.relationData(module, c, related, id) } as IDataObject]),
			),
	);
}

/** Faults in request order: each API fault answers the k-th API request of the run. */
function queueFaults(sandbox: ZohoSandbox, faults: Fault[]) {
	let queued = 0;
	for (const f of [...faults].sort((a, b) => a.at - b.at)) {
		if (f.kind === 'TOKEN_EXPIRY') sandbox.expireAccessTokensAfter(f.at);
		else if (f.kind === 'RENEWAL_DROP') sandbox.failNextToken(1, 'dropAfterApply');
		else {
			const after = Math.max(0, f.at - queued);
			sandbox.failNext(1, REPLIES[f.kind], { after });
			queued += after + 1;
		}
	}
}

/** The options: an expression per item for those that vary, item 0's value for the others. */
function optionsOf(c: Case, names: Array<keyof ItemOptions>): IDataObject {
	return Object.fromEntries(
		names.map((name) => [
			name,
			c.varying.includes(name) ? `={{ $json.o.${name} }}` : c.items[0].options[name],
		]),
	);
}

const relation = (c: Case) => ({
	module: c.pair.split('/')[0],
	relatedList: c.pair.split('/')[1],
	recordId: { __rl: true, mode: 'id', value: c.campaigns > 1 ? '={{ $json.c }}' : '' },
	relatedRecordIds: '={{ $json.ids }}',
});

function delinkParameters(c: Case, campaignIds: string[]): INodeParameters {
	const parameters = {
		operation: 'delink',
		...relation(c),
		relatedRecordsSource: c.source,
		options: { ...optionsOf(c, OPTION_NAMES), retryBaseDelayMs: 0 },
	};
	if (c.campaigns === 1) parameters.recordId.value = campaignIds[0];
	return parameters as INodeParameters;
}

function linkParameters(c: Case, campaignIds: string[]): INodeParameters {
	const names = OPTION_NAMES.filter(
		(n) => !['dryRun', 'keepRelationData', 'treatNotLinkedAsSuccess'].includes(n),
	);
	const parameters = {
		operation: 'link',
		...relation(c),
		memberStatus: '={{ $json.status }}',
		options: { ...optionsOf(c, names), retryBaseDelayMs: 0 },
	};
	if (c.campaigns === 1) parameters.recordId.value = campaignIds[0];
	return parameters as INodeParameters;
}

function itemJson(item: ItemSpec, ids: string[], campaignIds: string[]): INodeExecutionData {
	return {
		json: { c: campaignIds[item.campaign], ids, o: { ...item.options }, status: item.memberStatus },
	};
}

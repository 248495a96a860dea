/**
 * What earlier tries of the same node run removed, for n8n's Settings › Retry On Fail.
 *
 * n8n runs a failed node again within the same execution, with the same run index and the same
 * input items (WorkflowExecute, both lines). Without memory, the second try would send again the
 * ids the first try removed: Zoho refuses them as not linked, the items say "error", and the
 * relation data read before the first DELETE is gone, so Undo could not restore them. So when
 * the node has Retry On Fail on, every link a try removed is remembered, with the item it made,
 * under (execution, node, run index, relation); a later try reports it from here instead of
 * sending it again. A loop that runs the node again has another run index: it starts afresh.
 */
import type { IDataObject, IExecutePaginationFunctions } from 'n8n-workflow';

import type { DelinkOutcome } from './results';

/** Where a remembered removal came from: an id given by the item, or All Linked Records. */
export type Origin = 'ids' | 'all';

export interface Removal {
	outcome: DelinkOutcome;
	/** The data that lived on the link, when the try that removed it read it. */
	relation?: IDataObject | null;
	origin: Origin;
	/**
	 * The call reached Zoho but its answer was lost (the try failed on it): the link, listed
	 * just before, may be gone. A later try that finds it not linked reports it removed.
	 */
	unsure?: boolean;
}

/** Removals of one relation, by related id. */
export type Ledger = Map<string, Removal>;

/** n8n waits at most 5 s between at most 5 tries; anything older than this is stale. */
const KEEP_MS = 15 * 60 * 1000;

const ledgers = new Map<string, { at: number; ledger: Ledger }>();

/**
 * The ledger of this node run and relation, or undefined when the node does not retry (then no
 * later try can come, and nothing is kept).
 */
export function ledgerFor(
	ctx: IExecutePaginationFunctions,
	relationKey: string,
): Ledger | undefined {
	const node = ctx.getNode();
	if (node.retryOnFail !== true) return undefined;
	const now = Date.now();
	for (const [key, entry] of ledgers) if (now - entry.at > KEEP_MS) ledgers.delete(key);
	// The run index is not part of n8n's public context interface; both lines keep it there.
	const runIndex = (ctx as unknown as { runIndex?: number }).runIndex ?? 0;
	const key = `${ctx.getExecutionId() ?? 'execution'}|${node.name}|${runIndex}|${relationKey}`;
	let entry = ledgers.get(key);
	if (!entry) {
		entry = { at: now, ledger: new Map() };
		ledgers.set(key, entry);
	}
	entry.at = now;
	return entry.ledger;
}

/**
 * Whether an outcome proves the link was removed: Zoho said so (and no read contradicted it),
 * or the link was listed just before and an answer lost on the way left it gone.
 */
export function provesRemoval(o: DelinkOutcome): boolean {
	if (o.code === 'SUCCESS') return o.status === 'success' && o.alreadyUnlinked !== true;
	return o.code === 'NOT_LINKED_AFTER_RETRY' && o.linkedBefore === true;
}

/**
 * Whether an outcome says its call may have removed the link before its answer was lost: a call
 * that failed so, or a retry that found the id not linked (NOT_LINKED_AFTER_RETRY without the
 * read that would prove it).
 */
export function mayHaveRemoved(o: DelinkOutcome): boolean {
	return o.mayHaveApplied === true || o.code === 'NOT_LINKED_AFTER_RETRY';
}

/** A link an earlier try's lost call removed, as a later try that finds it gone reports it. */
export function removedByLostAnswer(removal: Removal): DelinkOutcome {
	return {
		...removal.outcome,
		status: 'success',
		code: 'NOT_LINKED_AFTER_RETRY',
		message:
			"Removed by an earlier try of this node in this execution (n8n's Retry On Fail): the link was listed just before, that try's call reached Zoho but its answer was lost, and this try finds it not linked.",
		retried: true,
		removedByEarlierTry: true,
		mayHaveApplied: undefined,
	};
}

/** For tests: ledgers held now. */
export function ledgersHeld(): number {
	return ledgers.size;
}

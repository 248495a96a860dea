/**
 * Max Links Per Run: how many links one run of the node (all its input items together; one tool
 * call is one run) may remove or add. Every item of a Delink or Link run joins the run's ledger
 * before anything is awaited (the routing engine starts all items in one synchronous loop, see
 * zoho/sharing.ts); once an item's input is read it is admitted with its links, and when every
 * item has been admitted or has left, the ledger decides for all at once: the run's distinct
 * links (relation + id) against the lowest limit its items set. Over it, every item is refused
 * before it hands its job to the sharing group, so nothing is sent for anyone.
 *
 * Dry Run and items with nothing to change are not counted. All Linked Records does not know its
 * count until it has read the list: its first read is checked (checkAllLinkedLimit) before any
 * DELETE; a list cut by Zoho's 2,000-record window cannot be counted, so it is refused too.
 */
import type { IExecutePaginationFunctions } from 'n8n-workflow';

import { InvalidInputError } from '../fields/ids';
import { outcome, type DelinkOutcome } from './delink/results';

/** The code of a run refused by Max Links Per Run. */
export const MAX_LINKS_CODE = 'MAX_LINKS_PER_RUN';

/** A run refused by Max Links Per Run: nothing was sent. */
export class RunLimitError extends InvalidInputError {
	readonly code = MAX_LINKS_CODE;

	constructor(
		readonly links: number | undefined,
		readonly limit: number,
		verb: string,
		asTool: boolean,
		nodeName: string,
	) {
		const what =
			links === undefined
				? `Refused: more records are linked than Zoho lists at a time (2,000), so how many this run would ${verb} cannot be counted, and Max Links Per Run is ${limit}. Nothing was sent.`
				: `Refused: this run would ${verb} ${links} links, more than Max Links Per Run allows (${limit}). Nothing was sent.`;
		const raise = `raise Options › Max Links Per Run on the node "${nodeName}" (0 = no limit)`;
		super(
			'Max Links Per Run',
			what,
			asTool
				? `Tell the user and ask before going on: they can ${raise}. Or ${verb} fewer at a time, with the user's agreement.`
				: `To allow it, ${raise}, or send fewer IDs per run.`,
		);
	}
}

interface Admitted {
	/** The relation (module, record, list) and the ids, as the item's input holds them. */
	relation: string;
	ids: readonly string[];
	limit?: number;
	release: (error?: RunLimitError) => void;
}

class Ledger {
	private sealed = false;
	private readonly members = new Set<number>();
	private readonly admitted: Admitted[] = [];
	/** The run's decision: its counted links and the lowest limit (undefined: none). */
	decided?: { links: number; limit?: number };

	constructor(
		private readonly onSealed: () => void,
		readonly verb: string,
		readonly asTool: boolean,
		readonly nodeName: string,
	) {
		void Promise.resolve().then(() => {
			this.sealed = true;
			this.onSealed();
			this.decideIfReady();
		});
	}

	get isSealed() {
		return this.sealed;
	}

	join(itemIndex: number) {
		this.members.add(itemIndex);
	}

	leave(itemIndex: number) {
		if (this.members.delete(itemIndex)) this.decideIfReady();
	}

	admit(
		itemIndex: number,
		relation: string,
		ids: readonly string[],
		limit: number | undefined,
	): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			this.admitted.push({
				relation,
				ids,
				limit,
				release: (error) => (error ? reject(error) : resolve()),
			});
			this.leave(itemIndex);
		});
	}

	private distinctLinks(): number {
		const byRelation = new Map<string, Set<string>>();
		for (const { relation, ids } of this.admitted) {
			const seen = byRelation.get(relation) ?? new Set<string>();
			for (const id of ids) seen.add(id);
			byRelation.set(relation, seen);
		}
		let count = 0;
		for (const seen of byRelation.values()) count += seen.size;
		return count;
	}

	private decideIfReady() {
		if (!this.sealed || this.members.size > 0 || this.decided) return;
		const limits = this.admitted.map((a) => a.limit).filter((l): l is number => l !== undefined);
		const limit = limits.length ? Math.min(...limits) : undefined;
		// Distinct links are counted only when a limit applies (no cost for unlimited runs).
		const links = limit === undefined ? 0 : this.distinctLinks();
		this.decided = { links, limit };
		const refused =
			limit !== undefined && links > limit
				? new RunLimitError(links, limit, this.verb, this.asTool, this.nodeName)
				: undefined;
		for (const item of this.admitted) item.release(refused);
	}
}

/** Ledgers still taking members, per node run (execution + node). */
const forming = new Map<string, Ledger>();
/** Each item's ledger and limit, by the context its operation runs with. */
const memberships = new WeakMap<object, { ledger: Ledger; itemIndex: number; limit?: number }>();
/** The ledger of an admitted item's input, for All Linked Records' later check. */
const byInput = new WeakMap<object, Ledger>();

/**
 * Joins the run's ledger: call it before anything is awaited, with the context the operation
 * will run with. Returns `leave`, for when the item is done (safe after it was admitted).
 */
export function joinRunLimit(
	ctx: IExecutePaginationFunctions,
	limit: number | undefined,
	verb: string,
	asTool: boolean,
): () => void {
	const node = ctx.getNode();
	const key = `${ctx.getExecutionId() ?? 'execution'}|${node.name}`;
	let ledger = forming.get(key);
	if (!ledger || ledger.isSealed) {
		const created: Ledger = new Ledger(
			() => {
				if (forming.get(key) === created) forming.delete(key);
			},
			verb,
			asTool,
			node.name,
		);
		ledger = created;
		forming.set(key, ledger);
	}
	const itemIndex = ctx.getItemIndex();
	ledger.join(itemIndex);
	memberships.set(ctx, { ledger, itemIndex, limit });
	const own = ledger;
	return () => own.leave(itemIndex);
}

/** The fields of a Delink or Link input this check reads. */
interface CountedInput {
	module?: unknown;
	recordId?: unknown;
	relatedList?: unknown;
	relatedRecordIds?: string[];
	entries?: Array<{ id: string }>;
	dryRun?: boolean;
	allLinked?: boolean;
	skip?: unknown;
}

/**
 * Admits an item with the links it would change, once its input is read; resolves when the run
 * may go on, rejects with RunLimitError when it may not. Items that ran without joinRunLimit
 * are not limited.
 */
export async function admitToRun(ctx: object, input: object): Promise<void> {
	const membership = memberships.get(ctx);
	if (!membership) return;
	const { ledger, itemIndex, limit } = membership;
	const counted = input as CountedInput;
	if (counted.dryRun || counted.skip) {
		ledger.leave(itemIndex);
		return;
	}
	const relation = JSON.stringify([counted.module, counted.recordId, counted.relatedList]);
	const ids = counted.relatedRecordIds ?? counted.entries?.map((e) => e.id) ?? [];
	byInput.set(input, ledger);
	await ledger.admit(itemIndex, relation, ids, limit);
}

/**
 * All Linked Records, on its first read (nothing sent yet): the outcome that refuses the rest of
 * the run when the linked records read, with the run's other links, exceed the run's limit, or
 * when Zoho's window cut the list (the count is unknown). No DELETE is sent after it.
 */
export function allLinkedRefusal(
	input: object,
	ref: { module: string; recordId: string; relatedList: string },
	sent: number,
	linked: number,
	truncated: boolean,
): DelinkOutcome | undefined {
	const ledger = byInput.get(input);
	const limit = ledger?.decided?.limit;
	if (!ledger?.decided || limit === undefined || sent > 0) return undefined;
	const links = ledger.decided.links + linked;
	if (!truncated && links <= limit) return undefined;
	const error = new RunLimitError(
		truncated ? undefined : links,
		limit,
		ledger.verb,
		ledger.asTool,
		ledger.nodeName,
	);
	return {
		...outcome(ref, '', 'error', MAX_LINKS_CODE, error.message, { limit, linked, truncated }),
		description: error.hint,
	};
}

/** For tests: ledgers still forming (0 once every run has sealed its ledger). */
export function ledgersForming(): number {
	return forming.size;
}

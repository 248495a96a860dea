/**
 * Sharing Zoho calls across the input items of one node run.
 *
 * n8n's routing engine calls the operation's pagination function for every input item in one
 * synchronous loop (`RoutingNode.runNode`, n8n 1.x and 2.x) and only then awaits them all. An
 * item joins its run's group first thing, before anything is awaited, so when the loop ends
 * the group knows every item that takes part; it is sealed on the next microtask. Each member
 * then submits its job under a key (what must be equal for a call to be shared) or leaves
 * (bad input, an error, nothing to share). Once every member has done one or the other, each
 * key's jobs are handed together to that key's runner, once, and every member gets its own
 * result. A single item waits for nobody; an item that fails before submitting leaves in a
 * `finally`, so nobody waits for it; an item whose failure fails the whole node run aborts
 * the group, and nothing is sent for anyone. With n8n's batching interval the engine awaits between
 * waves of items: each wave is a group of its own.
 *
 * The group also reads the credential once for all its members.
 */
import type { ICredentialDataDecryptedObject, IExecutePaginationFunctions } from 'n8n-workflow';

/** One member's job, as its key's runner sees it. */
export interface Submitted<J> {
	itemIndex: number;
	job: J;
}

/** What a runner gives back per member: its result, by item index. */
export type Runner<J, R> = (jobs: Array<Submitted<J>>) => Promise<Map<number, R>>;

interface Pending {
	itemIndex: number;
	job: unknown;
	runner: Runner<unknown, unknown>;
	resolve: (result: unknown) => void;
	reject: (error: unknown) => void;
}

class Group {
	private sealed = false;
	/** A member failed in a way that fails the whole node run: nothing is sent for anyone. */
	private aborted = false;
	private readonly members = new Set<number>();
	private readonly submitted = new Map<string, Pending[]>();
	private credentials?: Promise<ICredentialDataDecryptedObject>;

	constructor(private readonly onSealed: () => void) {
		void Promise.resolve().then(() => {
			this.sealed = true;
			this.onSealed();
			this.flushIfReady();
		});
	}

	get isSealed() {
		return this.sealed;
	}

	join(itemIndex: number) {
		this.members.add(itemIndex);
	}

	readCredentials(read: () => Promise<ICredentialDataDecryptedObject>) {
		this.credentials ??= read();
		return this.credentials;
	}

	submit(itemIndex: number, key: string, job: unknown, runner: Runner<unknown, unknown>) {
		return new Promise<unknown>((resolve, reject) => {
			const list = this.submitted.get(key) ?? [];
			list.push({ itemIndex, job, runner, resolve, reject });
			this.submitted.set(key, list);
			this.members.delete(itemIndex);
			this.flushIfReady();
		});
	}

	leave(itemIndex: number) {
		if (this.members.delete(itemIndex)) this.flushIfReady();
	}

	abort(itemIndex: number) {
		this.aborted = true;
		this.leave(itemIndex);
	}

	private flushIfReady() {
		if (!this.sealed || this.members.size > 0) return;
		const batches = [...this.submitted.values()];
		this.submitted.clear();
		for (const pending of batches) {
			if (this.aborted) for (const p of pending) p.resolve(undefined);
			else void run(pending);
		}
	}
}

async function run(pending: Pending[]) {
	try {
		const results = await pending[0].runner(
			pending.map(({ itemIndex, job }) => ({ itemIndex, job })),
		);
		for (const p of pending) p.resolve(results.get(p.itemIndex));
	} catch (error) {
		for (const p of pending) p.reject(error);
	}
}

/** The group items are joining now, per node run (execution + node). */
const forming = new Map<string, Group>();

/** An item's membership of its node run's group. */
export interface Member {
	/** The node's credential, read once for the group. */
	credentials(
		read: () => Promise<ICredentialDataDecryptedObject>,
	): Promise<ICredentialDataDecryptedObject>;
	/**
	 * Hands the job to the group; resolves with this item's result from the key's runner, or
	 * with undefined when another member aborted the run before anything was sent.
	 */
	submit<J, R>(key: string, job: J, runner: Runner<J, R>): Promise<R | undefined>;
	/**
	 * Fails the node run before anything is sent for any member (bad input without Continue
	 * On Fail: n8n fails the node anyway, so no other item's work may go through unseen).
	 */
	abort(): void;
	/** Takes no (further) part; safe to call more than once, and after submit. */
	leave(): void;
}

/** Joins the group of this node run. Call it before anything is awaited. */
export function joinGroup(ctx: IExecutePaginationFunctions): Member {
	const itemIndex = ctx.getItemIndex();
	const key = `${ctx.getExecutionId() ?? 'execution'}|${ctx.getNode().name}`;
	let group = forming.get(key);
	if (!group || group.isSealed) {
		const created: Group = new Group(() => {
			if (forming.get(key) === created) forming.delete(key);
		});
		group = created;
		forming.set(key, group);
	}
	group.join(itemIndex);
	const own = group;
	return {
		credentials: (read) => own.readCredentials(read),
		submit: <J, R>(jobKey: string, job: J, runner: Runner<J, R>) =>
			own.submit(itemIndex, jobKey, job, runner as Runner<unknown, unknown>) as Promise<
				R | undefined
			>,
		abort: () => own.abort(itemIndex),
		leave: () => own.leave(itemIndex),
	};
}

/** For tests: groups still forming (0 once every node run has sealed its group). */
export function groupsForming(): number {
	return forming.size;
}

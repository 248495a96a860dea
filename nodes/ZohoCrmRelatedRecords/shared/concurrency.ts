/**
 * A cap on concurrent Zoho calls across all items of one execution. n8n's routing engine
 * starts every input item at once; Zoho answers 429 beyond 5-25 concurrent calls per org.
 *
 * The first call of an execution goes alone: if the access token has expired, that call gets
 * the 401, n8n refreshes the token once, and the calls after it use the new token. Sent in
 * parallel, every call would get a 401 and n8n 1.x would refresh the token once per call.
 * Slots are keyed by execution id and released even when a call throws.
 */
interface Slots {
	limit: number;
	active: number;
	waiting: Array<() => void>;
	/** Resolves when the execution's first call has finished. */
	opened: Promise<void>;
}

const byExecution = new Map<string, Slots>();

export async function withSlot<T>(key: string, limit: number, work: () => Promise<T>): Promise<T> {
	let slots = byExecution.get(key);
	let open: (() => void) | undefined;
	if (!slots) {
		slots = { limit, active: 1, waiting: [], opened: new Promise((resolve) => (open = resolve)) };
		byExecution.set(key, slots);
	} else {
		await slots.opened;
		if (slots.active >= slots.limit) {
			const own = slots;
			await new Promise<void>((resolve) => own.waiting.push(resolve));
		} else slots.active++;
	}
	const own = slots;
	try {
		return await work();
	} finally {
		open?.();
		const next = own.waiting.shift();
		if (next) next();
		else if (--own.active === 0) byExecution.delete(key);
	}
}

/** For tests: executions currently holding slots. */
export function executionsWithSlots(): number {
	return byExecution.size;
}

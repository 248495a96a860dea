/**
 * A cap on concurrent Zoho calls across all items of one execution. n8n's routing engine
 * starts every input item at once; Zoho answers 429 beyond 5-25 concurrent calls per org.
 * Slots are keyed by execution id and released even when a call throws.
 */
interface Slots {
	limit: number;
	active: number;
	waiting: Array<() => void>;
}

const byExecution = new Map<string, Slots>();

export async function withSlot<T>(key: string, limit: number, work: () => Promise<T>): Promise<T> {
	let slots = byExecution.get(key);
	if (!slots) {
		slots = { limit, active: 0, waiting: [] };
		byExecution.set(key, slots);
	}
	const own = slots;
	if (own.active >= own.limit) await new Promise<void>((resolve) => own.waiting.push(resolve));
	else own.active++;
	try {
		return await work();
	} finally {
		const next = own.waiting.shift();
		if (next) next();
		else if (--own.active === 0) byExecution.delete(key);
	}
}

/** For tests: executions currently holding slots. */
export function executionsWithSlots(): number {
	return byExecution.size;
}

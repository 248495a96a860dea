/**
 * The cap on Zoho calls in flight, one per Zoho org and app in this n8n process.
 *
 * Zoho limits concurrent calls per org and app (5 Free … 25 Ultimate) and answers 429 beyond.
 * n8n's routing engine starts every input item at once, an item may send several calls
 * (batches, pages, retries), and several executions may run in one process (a worker takes
 * up to 10 by default): all of them take their slots from the same group here, keyed by
 * the org (credential + API domain, see `orgKey`).
 *
 * When callers ask for different limits (items or workflows with different Max Concurrent
 * Calls), the lowest limit among the calls in flight and waiting applies: the cap exists to
 * stay under Zoho's limit, so the most careful setting wins. Waiters are served first come,
 * first served. A group is deleted as soon as nothing is in flight or waiting, also when
 * calls throw.
 */
interface Waiter {
	limit: number;
	start: () => void;
}

interface Group {
	active: number;
	/** Limits of the calls in flight, by value → count. */
	activeLimits: Map<number, number>;
	waiting: Waiter[];
}

const groups = new Map<string, Group>();

function lowestLimit(group: Group): number {
	let lowest = Infinity;
	for (const limit of group.activeLimits.keys()) lowest = Math.min(lowest, limit);
	for (const waiter of group.waiting) lowest = Math.min(lowest, waiter.limit);
	return lowest;
}

function countLimit(group: Group, limit: number, delta: 1 | -1) {
	const count = (group.activeLimits.get(limit) ?? 0) + delta;
	if (count > 0) group.activeLimits.set(limit, count);
	else group.activeLimits.delete(limit);
}

/** Starts waiting calls, in order, while the group is under its lowest limit. */
function startWaiting(group: Group) {
	while (group.waiting.length > 0 && group.active < lowestLimit(group)) {
		const next = group.waiting.shift() as Waiter;
		group.active++;
		countLimit(group, next.limit, 1);
		next.start();
	}
}

/** Runs `work` holding one slot of the org's group, waiting for a free slot first. */
export async function withSlot<T>(key: string, limit: number, work: () => Promise<T>): Promise<T> {
	let group = groups.get(key);
	if (!group) {
		group = { active: 0, activeLimits: new Map(), waiting: [] };
		groups.set(key, group);
	}
	const own = group;
	if (own.waiting.length === 0 && own.active < Math.min(limit, lowestLimit(own))) {
		own.active++;
		countLimit(own, limit, 1);
	} else {
		await new Promise<void>((start) => {
			own.waiting.push({ limit, start });
			// A lower limit than the group's may only lower it; a higher one may let others start.
			startWaiting(own);
		});
	}
	try {
		return await work();
	} finally {
		own.active--;
		countLimit(own, limit, -1);
		startWaiting(own);
		if (own.active === 0 && own.waiting.length === 0 && groups.get(key) === own) groups.delete(key);
	}
}

/** For tests and diagnostics: groups with calls in flight or waiting. */
export function groupsInUse(): number {
	return groups.size;
}

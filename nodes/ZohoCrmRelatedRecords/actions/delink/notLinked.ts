/**
 * Which outcomes Zoho's own state proved "not linked" (a record of the related module that the
 * delink refused, or one a read just before did not list), whatever Zoho's message said. Kept
 * beside the outcome rather than on it, so the item shows only what Zoho and the run found;
 * each input item then decides with its own Treat Not-Linked as Success.
 */
import type { DelinkOutcome } from './results';

const proven = new WeakSet<DelinkOutcome>();

export function markNotLinked<T extends DelinkOutcome>(o: T): T {
	proven.add(o);
	return o;
}

export function isProvenNotLinked(o: DelinkOutcome): boolean {
	return proven.has(o) || o.code === 'NOT_LINKED' || o.code === 'NOT_LINKED_AFTER_RETRY';
}

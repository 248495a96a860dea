/**
 * Dry Run: per id, whether it is linked now and so would be delinked. Only reads are sent.
 */
import { LIST_WINDOW_NOTE } from '../../zoho/linkedRecords';
import { outcome, type DelinkOutcome, type RelationRef } from './results';

/**
 * `linked`: the ids Zoho listed. When that list was cut by Zoho's window (`truncated`), an id
 * not in it may still be linked: its `wouldDelink` is null and its message says so.
 */
export function dryRunOutcomes(
	ref: RelationRef,
	ids: string[],
	linked: string[],
	truncated: boolean,
): DelinkOutcome[] {
	const linkedNow = new Set(linked);
	return ids.map((id) => {
		const known = linkedNow.has(id);
		const message = known
			? 'would be delinked'
			: truncated
				? `unknown: not among the linked records Zoho listed. ${LIST_WINDOW_NOTE}`
				: 'not linked now: nothing to delink';
		return {
			...outcome(ref, id, 'success', 'DRY_RUN', message, {}),
			dryRun: true,
			wouldDelink: known ? true : truncated ? null : false,
			...(truncated ? { listTruncated: true } : {}),
		};
	});
}

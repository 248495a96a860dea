/**
 * Runs tasks in parallel, at most `limit` at a time, in order of index. `skip` is asked just
 * before a task would start (e.g. after a failure that makes it pointless).
 */
export async function inParallel(
	count: number,
	limit: number,
	task: (index: number) => Promise<void>,
	skip: (index: number) => boolean = () => false,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const index = next++;
			if (!skip(index)) await task(index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

/**
 * Generated runs against a reference model (fast-check): each run seeds a fresh Zoho sandbox,
 * runs the node through n8n's routing engine (this jest project's n8n-core: 1.x or 2.x) with
 * generated items, options, settings and faults, optionally undoes it, and checks every promise
 * in invariants.ts. A fixed seed in CI; `npm run test:model -- --runs N [--seed S]` for more.
 * On a failure fast-check shrinks to the smallest run that still breaks a promise and prints it.
 */
import fc from 'fast-check';

import { violations } from './invariants';
import { runCase } from './run';
import { caseArbitrary } from './world';

const runs = Number(process.env.MODEL_RUNS ?? 500);
const seed = Number(process.env.MODEL_SEED ?? 20261207);

test(
	`${runs} generated runs keep every promise (seed ${seed})`,
	async () => {
		let n = 0;
		const tally = { delink: 0, link: 0, undo: 0, threw: 0, items: 0 };
		await fc.assert(
			fc.asyncProperty(caseArbitrary(), async (c) => {
				const observed = await runCase(c, `model-${seed}-${n++}`);
				tally[c.operation] += 1;
				tally.items += c.items.length;
				if (observed.undo) tally.undo += 1;
				if (observed.run.error) tally.threw += 1;
				const broken = violations(c, observed);
				if (broken.length) throw new Error(broken.join('\n'));
			}),
			{ numRuns: runs, seed, endOnFailure: process.env.MODEL_SHRINK === '0' },
		);
		process.stdout.write(`model: ${JSON.stringify({ runs, seed, ...tally })}\n`);
	},
	30 * 60_000,
);

/**
 * What a generated run is made of (fast-check arbitraries): an org (campaigns, contacts, which
 * are linked and with what Member_Status), the input items of one node run with every option
 * that changes a call chosen per item, the answer Zoho gives for an id that is not linked, the
 * node's settings (On Error, Retry On Fail), and faults injected by count.
 */
import fc from 'fast-check';

export const STATUSES = ['Active', 'Planning', 'Sent', 'Invited'] as const;
export type NotLinkedAnswer = 'relation-not-found' | 'success' | 'invalid-data';
export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

/** Faults the sandbox injects, each at the k-th API request of the run (or token request). */
export type FaultKind =
	| 'TOO_MANY_REQUESTS' // 429, refused before any work
	| 'INTERNAL_ERROR' // Zoho's JSON 500, before any work
	| 'GATEWAY' // a 502 HTML page from a gateway, before any work
	| 'LOST_ANSWER' // the work is done, the answer is lost (socket destroyed)
	| 'TOKEN_EXPIRY' // every access token issued so far expires at that request
	| 'RENEWAL_DROP' // the next token renewal is granted, its answer lost
	| 'NO_PERMISSION'; // a refusal no retry cures

export interface Fault {
	kind: FaultKind;
	at: number;
}

/** Index into the org's ids: a contact (linked or not), a ghost (no record), or a typo. */
export type IdRef = { contact: number } | { ghost: number } | { typo: string };

export interface ItemOptions {
	dryRun: boolean;
	keepRelationData: boolean;
	treatNotLinkedAsSuccess: boolean;
	batchSize: number;
	apiVersion: 'v2' | 'v8';
	maxRetries: number;
	maxConcurrentCalls: number;
}

export interface ItemSpec {
	campaign: number;
	ids: IdRef[];
	options: ItemOptions;
	/** Link: the Member_Status this item asks for (empty: none). */
	memberStatus: string;
}

/** The relation: one whose links carry data (Member_Status), or one whose links carry none. */
export type Pair = 'Campaigns/Contacts' | 'Products/Leads';

export const hasLinkData = (pair: Pair) => pair === 'Campaigns/Contacts';

export interface Case {
	pair: Pair;
	operation: 'delink' | 'link';
	/** Delink: Enter IDs, or All Linked Records (a node-level choice in n8n). */
	source: 'ids' | 'all';
	campaigns: number;
	contacts: number;
	ghosts: number;
	/** Per campaign: per contact, undefined = not linked, else its Member_Status ('' = none). */
	links: Array<Array<string | undefined>>;
	items: ItemSpec[];
	notLinkedAnswer: NotLinkedAnswer;
	/** Zoho writes per-entry ids as JSON numbers (digits lost in JavaScript). */
	numericIds: boolean;
	onError: OnError;
	retryTries: number; // 1 = Retry On Fail off
	faults: Fault[];
	/** Delink only: run Undo (Link from Delink's output items) afterwards. */
	undo: boolean;
	/**
	 * The options that differ between items (given per item by an expression); the others are
	 * the same for every item (item 0's), given as plain values. n8n evaluates each expression
	 * once per item (about 4 ms each here), so a run varies only some options.
	 */
	varying: Array<keyof ItemOptions>;
}

export const OPTION_NAMES: Array<keyof ItemOptions> = [
	'dryRun',
	'keepRelationData',
	'treatNotLinkedAsSuccess',
	'batchSize',
	'apiVersion',
	'maxRetries',
	'maxConcurrentCalls',
];

const options: fc.Arbitrary<ItemOptions> = fc.record({
	dryRun: fc.integer({ min: 0, max: 6 }).map((n) => n === 0), // one item in seven
	keepRelationData: fc.boolean(),
	treatNotLinkedAsSuccess: fc.boolean(),
	batchSize: fc.constantFrom(1, 2, 3, 100),
	apiVersion: fc.constantFrom('v2' as const, 'v8' as const),
	maxRetries: fc.integer({ min: 0, max: 3 }),
	maxConcurrentCalls: fc.integer({ min: 1, max: 5 }),
});

const fault: fc.Arbitrary<Fault> = fc.record({
	kind: fc.constantFrom<FaultKind>(
		'TOO_MANY_REQUESTS',
		'INTERNAL_ERROR',
		'GATEWAY',
		'LOST_ANSWER',
		'TOKEN_EXPIRY',
		'RENEWAL_DROP',
		'NO_PERMISSION',
	),
	at: fc.integer({ min: 0, max: 8 }),
});

export function caseArbitrary(): fc.Arbitrary<Case> {
	return fc
		.record({
			campaigns: fc.integer({ min: 1, max: 2 }),
			contacts: fc.integer({ min: 1, max: 25 }),
			ghosts: fc.integer({ min: 0, max: 2 }),
		})
		.chain(({ campaigns, contacts, ghosts }) => {
			const idRef: fc.Arbitrary<IdRef> = fc.oneof(
				{
					weight: 12,
					arbitrary: fc.integer({ min: 0, max: contacts - 1 }).map((contact) => ({ contact })),
				},
				{
					weight: ghosts > 0 ? 2 : 0,
					arbitrary: fc
						.integer({ min: 0, max: Math.max(0, ghosts - 1) })
						.map((ghost) => ({ ghost })),
				},
				{
					weight: 1,
					arbitrary: fc.constantFrom('abc', '12 34', '9/../1').map((typo) => ({ typo })),
				},
			);
			const item: fc.Arbitrary<ItemSpec> = fc.record({
				campaign: fc.integer({ min: 0, max: campaigns - 1 }),
				ids: fc.array(idRef, { minLength: 1, maxLength: 6 }),
				options,
				memberStatus: fc.constantFrom('', ...STATUSES),
			});
			const link = fc.option(fc.constantFrom('', ...STATUSES), { nil: undefined, freq: 3 });
			return fc.record({
				pair: fc.constantFrom<Pair>('Campaigns/Contacts', 'Campaigns/Contacts', 'Products/Leads'),
				operation: fc.constantFrom('delink' as const, 'delink' as const, 'link' as const),
				source: fc.constantFrom('ids' as const, 'ids' as const, 'all' as const),
				campaigns: fc.constant(campaigns),
				contacts: fc.constant(contacts),
				ghosts: fc.constant(ghosts),
				links: fc.array(fc.array(link, { minLength: contacts, maxLength: contacts }), {
					minLength: campaigns,
					maxLength: campaigns,
				}),
				items: fc.oneof(
					{ weight: 40, arbitrary: fc.array(item, { minLength: 1, maxLength: 8 }) },
					{ weight: 1, arbitrary: fc.array(item, { minLength: 40, maxLength: 300 }) },
				),
				notLinkedAnswer: fc.constantFrom<NotLinkedAnswer>(
					'relation-not-found',
					'success',
					'invalid-data',
				),
				numericIds: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
				onError: fc.constantFrom<OnError>(
					'stopWorkflow',
					'continueRegularOutput',
					'continueErrorOutput',
				),
				retryTries: fc.constantFrom(1, 1, 2, 3),
				faults: fc.array(fault, { maxLength: 3 }),
				undo: fc.boolean(),
				varying: fc.subarray(OPTION_NAMES, { maxLength: 3 }),
			});
		})
		.map((c) => ({
			...c,
			// links of a pair without data carry none
			links: hasLinkData(c.pair)
				? c.links
				: c.links.map((row) => row.map((l) => (l === undefined ? l : ''))),
			items: c.items.map((item) => {
				const options = { ...item.options };
				for (const name of OPTION_NAMES) {
					if (!c.varying.includes(name))
						(options as Record<string, unknown>)[name] = c.items[0].options[name];
				}
				return { ...item, options };
			}),
		}));
}

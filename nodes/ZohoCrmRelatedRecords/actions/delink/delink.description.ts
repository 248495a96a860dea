/**
 * The Delink operation's own fields: which related records, and the options. Module,
 * Related List and Record ID are shared with the other operations (fields/descriptions.ts).
 */
import type { INodeProperties } from 'n8n-workflow';

import {
	linkedRecordsPickerFields,
	RELATED_RECORDS_SOURCE,
} from '../../fields/linkedRecordsPicker';
import { DEFAULT_CALL_POLICY } from '../../zoho/call';
import { API_VERSIONS, DEFAULT_API_VERSION } from '../../zoho/transport';
import { MAX_DAILY_CREDITS, MAX_IDS_PER_CALL, MAX_RETRY_BASE_DELAY_MS } from './delink.input';

const show = { operation: ['delink'] };
const { maxConcurrentCalls, maxRetries, retryBaseDelayMs } = DEFAULT_CALL_POLICY;

export const delinkFields: INodeProperties[] = [
	...linkedRecordsPickerFields(show.operation),
	{
		displayName: 'Related Record IDs',
		name: 'relatedRecordIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 3652397000000925128, 3652397000000649013',
		description:
			'IDs of the related records to unlink from the record: one ID, several separated by commas, or an expression returning an array of IDs. IDs are digits only; duplicates are sent once. Any number of IDs works: they are sent in calls of up to 100.',
		displayOptions: { show: { ...show, [RELATED_RECORDS_SOURCE]: ['ids'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'API Version',
				name: 'apiVersion',
				type: 'options',
				default: DEFAULT_API_VERSION,
				description:
					'Zoho CRM API version used for the calls. The delink paths are the same in every version.',
				options: API_VERSIONS.map((version) => ({ name: version, value: version })),
			},
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				default: MAX_IDS_PER_CALL,
				typeOptions: { minValue: 1, maxValue: MAX_IDS_PER_CALL },
				description: `How many IDs to send per Zoho call (at most ${MAX_IDS_PER_CALL}). Each call costs one API credit, so ${MAX_IDS_PER_CALL} uses the fewest.`,
			},
			{
				displayName: 'Daily API Credits',
				name: 'dailyCredits',
				type: 'number',
				default: 5000,
				typeOptions: { minValue: 1, maxValue: MAX_DAILY_CREDITS },
				description:
					"Your org's daily Zoho API credit limit (Free edition: 5000). When Zoho reports fewer than 10% left, the output items carry a warning.",
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description:
					'Whether to only report, per ID, whether it is linked now and would be delinked (code DRY_RUN, wouldDelink), without removing anything. Reads the linked records (one call per 200). Zoho lists only the first 2,000: past them wouldDelink is null and the item has listTruncated.',
			},
			{
				displayName: 'Max Concurrent Calls',
				name: 'maxConcurrentCalls',
				type: 'number',
				default: maxConcurrentCalls,
				typeOptions: { minValue: 1, maxValue: 25 },
				description:
					'Most Zoho calls in flight at once for this Zoho org (credential) in this n8n process: all items, batches, pages and retries of every execution count. Zoho allows 5 (Free) to 25 (Ultimate) per org and app; above that it answers 429. When values differ, the lowest one in use applies. With several queue-mode workers, give each the org limit divided by the number of workers.',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				default: maxRetries,
				typeOptions: { minValue: 0, maxValue: 10 },
				description:
					'How many times a call is repeated after a rate limit (429), a Zoho server error (5xx) or a lost connection, waiting longer each time',
			},
			{
				displayName: 'Retry Base Delay (Ms)',
				name: 'retryBaseDelayMs',
				type: 'number',
				default: retryBaseDelayMs,
				typeOptions: { minValue: 0, maxValue: MAX_RETRY_BASE_DELAY_MS },
				description:
					'Wait before the first retry, in milliseconds; each further retry waits twice as long (up to 5 minutes, or this value if larger), plus up to 25% random jitter',
			},
			{
				displayName: 'Treat Not-Linked as Success',
				name: 'treatNotLinkedAsSuccess',
				type: 'boolean',
				default: false,
				description:
					"Whether an ID that is not linked counts as done: its item gets status success and alreadyUnlinked true, so a run that stopped halfway can simply be run again. Decided from Zoho's records (one read per call that has such IDs), so a mistyped ID stays an error.",
			},
		],
	},
];

/**
 * The Delink operation's own fields: which related records, and the options. Module,
 * Related List and Record ID are shared with the other operations (fields/descriptions.ts).
 */
import type { INodeProperties } from 'n8n-workflow';

import {
	linkedRecordsPickerFields,
	RELATED_RECORDS_SOURCE,
} from '../../fields/linkedRecordsPicker';
import { callOptionFields, sortedByName } from '../../fields/callOptions';
import { relatedRecordIdsField } from '../../fields/descriptions';
import { maxLinksOptionField, outputOptionField } from '../../fields/toolOptions';

const show = { operation: ['delink'] };
/**
 * Dry Run is a field of its own from node version 1.1 (so that a Dry Run tool gets its own
 * default description, fields/toolOptions.ts); version 1 nodes keep it under Options.
 */
const DRY_RUN_DESCRIPTION =
	'Whether to only report, per ID, whether it is linked now and would be delinked (code DRY_RUN, wouldDelink), without removing anything. Reads the linked records (one call per 200). Zoho lists only the first 2,000: past them wouldDelink is null and the item has listTruncated.';

export const delinkFields: INodeProperties[] = [
	...linkedRecordsPickerFields(show.operation),
	relatedRecordIdsField(
		'IDs of the related records to unlink from the record: one ID, several separated by commas, or an expression returning an array of IDs. IDs are digits only; duplicates are sent once. Any number of IDs works: they are sent in calls of up to 100.',
		{ ...show, [RELATED_RECORDS_SOURCE]: ['ids'] },
	),
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description: DRY_RUN_DESCRIPTION,
		displayOptions: { show: { ...show, '@version': [{ _cnd: { gte: 1.1 } }] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: sortedByName([
			...callOptionFields('unlink'),
			maxLinksOptionField('remove'),
			outputOptionField('ID'),
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description: DRY_RUN_DESCRIPTION,
				// hidden from 1.1 on; shown wherever the version is unknown, never dropped from a saved node
				displayOptions: { hide: { '@version': [{ _cnd: { gte: 1.1 } }] } },
			},
			{
				displayName: 'Keep Relation Data',
				name: 'keepRelationData',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the links just before unlinking, so that each item proves the record was linked (linkedBefore) and keeps the fields that live on its link (a campaign member’s Member_Status, a product’s list_price in a price book) for Link to restore. Costs one read per 200 linked records (shared with All Linked Records and Dry Run). Off: fewer reads, but items rest on Zoho’s answer alone (linkedBefore null) and Undo a Delink does not restore them.',
			},
			{
				displayName: 'Treat Not-Linked as Success',
				name: 'treatNotLinkedAsSuccess',
				type: 'boolean',
				default: false,
				description:
					"Whether an ID that is not linked counts as done: its item gets status success and alreadyUnlinked true, so a run that stopped halfway can simply be run again. Decided from Zoho's records (one read per call that has such IDs), so a mistyped ID stays an error.",
			},
		]),
	},
];

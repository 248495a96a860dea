/**
 * Delink's input: the fields of one item, read and validated before any request is sent.
 * Bad input throws InvalidInputError naming the field, its value and what to do.
 */
import type { IDataObject, IExecutePaginationFunctions } from 'n8n-workflow';

import { InvalidInputError, parseRecordId, parseRelatedIds, showValue } from '../../fields/ids';
import { LINKED_RECORD_IDS, RELATED_RECORDS_SOURCE } from '../../fields/linkedRecordsPicker';
import { checkPairVersion } from '../../fields/relationInput';
import {
	isSupportedPair,
	moduleDisplayName,
	relatedListsOf,
	supportedModules,
} from '../../relations';
import { readCallOptions, type CallOptions } from '../../fields/callOptions';
import type { RelationRef } from './results';

export { MAX_IDS_PER_CALL } from '../../fields/callOptions';

export interface DelinkInput extends RelationRef, CallOptions {
	relatedRecordIds: string[];
	/**
	 * Read the links just before removing them: each item then proves the link existed
	 * (`linkedBefore`) and carries the fields that live on it (Member_Status, list_price), so
	 * Link can put back exactly what was there.
	 */
	keepRelationData: boolean;
	/** Report "relation not found" as success (alreadyUnlinked), so a rerun finishes cleanly. */
	treatNotLinkedAsSuccess: boolean;
	/** Delink every record linked now, read from Zoho. */
	allLinked: boolean;
	/** Report what would be delinked; send no DELETE. */
	dryRun: boolean;
}

/** Reads and validates the item's parameters; throws InvalidInputError naming the field. */
export function readDelinkInput(ctx: IExecutePaginationFunctions): DelinkInput {
	const module = String(ctx.getNodeParameter('module', ''));
	if (!relatedListsOf(module).length) {
		throw new InvalidInputError(
			'Module',
			`Module ${showValue(module)} has no related list that Zoho CRM can delink`,
			`Use one of: ${supportedModules().join(', ')}.`,
		);
	}
	const relatedList = String(ctx.getNodeParameter('relatedList', ''));
	if (!isSupportedPair(module, relatedList)) {
		throw new InvalidInputError(
			'Related List',
			`Related List ${showValue(relatedList)} cannot be delinked from ${moduleDisplayName(module)} records`,
			`For ${module}, use one of: ${relatedListsOf(module).join(', ')}.`,
		);
	}
	const recordId = parseRecordId(
		'Record ID',
		ctx.getNodeParameter('recordId', '', { extractValue: false }),
		module,
	);
	const source = String(ctx.getNodeParameter(RELATED_RECORDS_SOURCE, 'ids'));
	// "All Linked Records" reads the ids from Zoho once the input is known to be valid.
	const relatedRecordIds =
		source === 'all'
			? []
			: source === 'linked'
				? parseRelatedIds('Linked Records', ctx.getNodeParameter(LINKED_RECORD_IDS, []))
				: parseRelatedIds('Related Record IDs', ctx.getNodeParameter('relatedRecordIds', ''));
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const callOptions = readCallOptions(options);
	checkPairVersion({ module, relatedList, recordId }, callOptions.apiVersion);
	return {
		module,
		relatedList,
		recordId,
		relatedRecordIds,
		...callOptions,
		keepRelationData: options.keepRelationData !== false,
		treatNotLinkedAsSuccess: options.treatNotLinkedAsSuccess === true,
		allLinked: source === 'all',
		dryRun: options.dryRun === true,
	};
}

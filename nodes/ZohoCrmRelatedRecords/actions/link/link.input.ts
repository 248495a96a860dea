/**
 * Link's input: the fields of one item (or, when undoing a Delink, the item itself as Delink
 * output it), read and validated before any request is sent. Bad input throws
 * InvalidInputError naming the field, its value and what to do.
 */
import type { IDataObject, IExecutePaginationFunctions } from 'n8n-workflow';

import { readCallOptions, type CallOptions } from '../../fields/callOptions';
import { checkId, InvalidInputError, parseRelatedIds, showValue } from '../../fields/ids';
import { checkPairVersion, readRelation, type RelationInput } from '../../fields/relationInput';
import { relationFieldsOf, type RelationField } from '../../relations';
import { LINK_FROM } from './link.description';

/** One related record to link, with the fields to set on the link. */
export interface LinkEntry {
	id: string;
	data: IDataObject;
}

export interface LinkInput extends RelationInput, CallOptions {
	entries: LinkEntry[];
	/** Undoing a Delink: why this input item has nothing to restore, if it has not. */
	skip?: string;
}

/** Reads and validates the item's parameters; throws InvalidInputError naming the field. */
export function readLinkInput(ctx: IExecutePaginationFunctions): LinkInput {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const callOptions = readCallOptions(options);
	if (ctx.getNodeParameter(LINK_FROM, 'ids') === 'delinkOutput') {
		const input = { ...fromDelinkOutput(delinkItem(ctx.getInputData().json)), ...callOptions };
		if (!input.skip) checkPairVersion(input, callOptions.apiVersion);
		return input;
	}
	const relation = readRelation((name) =>
		ctx.getNodeParameter(name, '', name === 'recordId' ? { extractValue: false } : {}),
	);
	checkPairVersion(relation, callOptions.apiVersion);
	const data: IDataObject = {};
	for (const field of relationFieldsOf(relation.module, relation.relatedList)) {
		const value = ctx.getNodeParameter(field.param, '');
		if (value !== '' && value !== null && value !== undefined)
			data[field.name] = checkValue(field, value, field.label);
	}
	const ids = parseRelatedIds('Related Record IDs', ctx.getNodeParameter('relatedRecordIds', ''));
	return { ...relation, ...callOptions, entries: ids.map((id) => ({ id, data: { ...data } })) };
}

/**
 * Whether a Delink output item proves that its run removed a link: the link was listed just
 * before (`linkedBefore: true`) and is gone, Zoho having said so (SUCCESS) or an answer lost on
 * the way having left it gone (NOT_LINKED_AFTER_RETRY). Items made before `linkedBefore`
 * existed prove it by the relation data read just before (`relation`). Anything else (an
 * error, a dry run, a record that was not linked, a link nobody saw before it went) restores
 * nothing: an undo never creates a link that was not there.
 */
function removedByDelink(json: IDataObject): boolean {
	if (json.dryRun === true || json.alreadyUnlinked === true) return false;
	const said = json.status === 'success' && json.code === 'SUCCESS';
	if (!('linkedBefore' in json)) return said && hasRelation(json);
	return json.linkedBefore === true && (said || json.code === 'NOT_LINKED_AFTER_RETRY');
}

function hasRelation(json: IDataObject): boolean {
	const kept = json.relation;
	return kept !== null && typeof kept === 'object' && !Array.isArray(kept);
}

/** A link whose pair carries data (Member_Status, list_price) comes back only with that data. */
function lacksData(json: IDataObject): boolean {
	const pair = relationFieldsOf(String(json.module ?? ''), String(json.relatedList ?? ''));
	return pair.length > 0 && !hasRelation(json);
}

/** Why a Delink output item has nothing to restore, in its own words. */
function whyNothingToRestore(json: IDataObject): string {
	const code = String(json.code ?? '');
	const said = [json.status, code].filter(Boolean).join(' ') || 'nothing';
	const flags = [
		json.alreadyUnlinked === true ? 'already unlinked' : '',
		json.dryRun === true ? 'dry run' : '',
	].filter(Boolean);
	const unproven =
		json.linkedBefore === null && (code === 'SUCCESS' || code === 'NOT_LINKED_AFTER_RETRY')
			? ' Delink did not see this link before removing it (Keep Relation Data off, or past Zoho’s 2,000-record window), so nothing shows that a link was there.'
			: '';
	if (!unproven && removedByDelink(json) && lacksData(json)) {
		return 'Delink removed this link but did not keep the data that lived on it (Keep Relation Data off): it cannot be restored as it was, so nothing was restored. Turn Keep Relation Data on in Delink for undoable runs.';
	}
	return `Delink did not provably remove this link (its item says ${said}${flags.length ? `, ${flags.join(', ')}` : ''}): nothing to restore.${unproven}`;
}

/**
 * The Delink item: as it is, or, from Delink's error output (On Error › Continue (using error
 * output)), the item n8n put under `error`.
 */
function delinkItem(json: IDataObject): IDataObject {
	const inner = json.error;
	const wrapped =
		json.relatedRecordId === undefined &&
		inner !== null &&
		typeof inner === 'object' &&
		!Array.isArray(inner) &&
		typeof (inner as IDataObject).relatedRecordId === 'string';
	return wrapped ? (inner as IDataObject) : json;
}

/**
 * A Delink output item as it is: module, recordId, relatedList, relatedRecordId, and the
 * relation data Delink kept (`relation`). An item whose link Delink did not provably remove is
 * skipped, with the reason.
 */
function fromDelinkOutput(json: IDataObject): Omit<LinkInput, keyof CallOptions> {
	if (!removedByDelink(json) || lacksData(json)) {
		const text = (name: string) => (typeof json[name] === 'string' ? (json[name] as string) : '');
		return {
			module: text('module'),
			recordId: text('recordId'),
			relatedList: text('relatedList'),
			entries: text('relatedRecordId') ? [{ id: text('relatedRecordId'), data: {} }] : [],
			skip: whyNothingToRestore(json),
		};
	}
	const field = (name: string) => `The input item's ${name}`;
	const relation = readRelation((name) => json[name]);
	const id = checkId(field('relatedRecordId'), String(json.relatedRecordId ?? ''));
	const kept = json.relation;
	const data: IDataObject = {};
	if (kept !== null && typeof kept === 'object' && !Array.isArray(kept)) {
		for (const f of relationFieldsOf(relation.module, relation.relatedList)) {
			const value = (kept as IDataObject)[f.name];
			if (value !== null && value !== undefined && value !== '')
				data[f.name] = checkValue(f, value, field(`relation.${f.name}`));
		}
	}
	return { ...relation, entries: [{ id, data }] };
}

/** A relation field's value as Zoho takes it: list_price a number, Member_Status text. */
function checkValue(field: RelationField, value: unknown, name: string): string | number {
	if (field.kind === 'number') {
		const n = typeof value === 'number' ? value : Number(String(value).trim());
		if (String(value).trim() === '' || !Number.isFinite(n)) {
			throw new InvalidInputError(
				name,
				`${name} ${showValue(value)} is not a number`,
				`Give ${field.label} as a number, e.g. 12.5, or leave it empty to not send it.`,
			);
		}
		return n;
	}
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw new InvalidInputError(
			name,
			`${name} ${showValue(value)} is not text`,
			`Give ${field.label} as text, e.g. ${field.options?.[0] ?? 'Active'}.`,
		);
	}
	return String(value);
}

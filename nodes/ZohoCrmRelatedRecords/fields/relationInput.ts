/**
 * Reads and validates the fields every operation shares (Module, Related List, Record ID)
 * and the API Version option. Pure over a parameter getter, so the same checks serve the
 * operations (getNodeParameter) and the pickers (getCurrentNodeParameter). Throws
 * InvalidInputError naming the field.
 */
import {
	isSupportedPair,
	minimumVersionOf,
	moduleDisplayName,
	relatedListsOf,
	supportedModules,
} from '../relations';
import { InvalidInputError, parseRecordId, showValue } from './ids';
import { API_VERSIONS } from '../zoho/transport';

/** Returns a parameter's raw value (a resource locator stays an object). */
export type ParameterGetter = (name: string) => unknown;

export interface RelationInput {
	module: string;
	relatedList: string;
	recordId: string;
}

export function readModule(get: ParameterGetter): string {
	const module = String(get('module') ?? '');
	if (!relatedListsOf(module).length) {
		throw new InvalidInputError(
			'Module',
			`Module ${showValue(module)} has no related list this node supports`,
			`Use one of: ${supportedModules().join(', ')}.`,
		);
	}
	return module;
}

export function readRelation(get: ParameterGetter): RelationInput {
	const module = readModule(get);
	const relatedList = String(get('relatedList') ?? '');
	if (!isSupportedPair(module, relatedList)) {
		throw new InvalidInputError(
			'Related List',
			`Related List ${showValue(relatedList)} is not a supported related list of ${moduleDisplayName(module)} records`,
			`For ${module}, use one of: ${relatedListsOf(module).join(', ')}.`,
		);
	}
	const recordId = parseRecordId('Record ID', get('recordId'), module);
	return { module, relatedList, recordId };
}

export function readApiVersion(value: unknown, fallback: string): string {
	const apiVersion = String(value ?? fallback);
	if (!(API_VERSIONS as readonly string[]).includes(apiVersion)) {
		throw new InvalidInputError(
			'API Version',
			`API Version ${showValue(apiVersion)} is not a Zoho CRM API version`,
			`Use one of: ${API_VERSIONS.join(', ')}.`,
		);
	}
	return apiVersion;
}

/** v3 and later require `fields` on record reads; v2 and v2.1 do not. */
export function versionRequiresFields(apiVersion: string): boolean {
	return Number.parseFloat(apiVersion.replace(/^v/, '')) >= 3;
}

/**
 * Refuses a pair the chosen API version does not support (Appointments → Services needs v3),
 * naming the version to choose.
 */
export function checkPairVersion(relation: RelationInput, apiVersion: string): void {
	const minimum = minimumVersionOf(relation.module, relation.relatedList);
	const versions = API_VERSIONS as readonly string[];
	if (minimum && versions.indexOf(apiVersion) < versions.indexOf(minimum)) {
		throw new InvalidInputError(
			'API Version',
			`${moduleDisplayName(relation.module)} → ${moduleDisplayName(relation.relatedList)} needs Zoho CRM API ${minimum} or later, but API Version is ${apiVersion}`,
			`Choose API Version ${minimum} (or later) under Options.`,
		);
	}
}

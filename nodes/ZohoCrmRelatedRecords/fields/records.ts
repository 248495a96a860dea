/**
 * Records as the pickers show them: a record's name (its module's name field from
 * relations.ts) and its address in the Zoho CRM web app.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { findModule } from '../relations';
import { CUSTOM_DATA_CENTER, hostsByDataCenter } from '../zoho/dataCenters';
import { TAB_ALIASES } from './ids';

/** Leads and Contacts are named by Full_Name, which a record may lack: then Last_Name. */
const NAME_FALLBACKS: Readonly<Record<string, string>> = { Full_Name: 'Last_Name' };

/** Fields to ask Zoho for to name a record of `module`: its name field and any fallback. */
export function nameFieldsOf(module: string): string[] {
	const nameField = findModule(module)?.nameField;
	if (!nameField) return [];
	const fallback = NAME_FALLBACKS[nameField];
	return fallback ? [nameField, fallback] : [nameField];
}

/** The record's name, or its id when Zoho gave no name. */
export function recordName(module: string, record: IDataObject): string {
	for (const field of nameFieldsOf(module)) {
		const value = record[field];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
		if (typeof value === 'number') return String(value);
	}
	return String(record.id ?? '');
}

/** The record's id as a string (Zoho sends strings; a number would have lost digits anyway). */
export function recordIdOf(record: IDataObject): string {
	const id = record.id;
	return typeof id === 'string' || typeof id === 'number' || typeof id === 'bigint'
		? String(id)
		: '';
}

const ENVIRONMENT_CRM_HOST_PREFIX: Record<string, string> = { sandbox: 'crmsandbox.' };

/**
 * The Zoho CRM web host for the credential's data centre (`crm.zoho.eu`…), or undefined for
 * the custom data centre: its web host cannot be derived from its API domain.
 */
export function crmWebHost(credentials: ICredentialDataDecryptedObject): string | undefined {
	const dataCenter = String(credentials.dataCenter ?? 'us');
	if (dataCenter === CUSTOM_DATA_CENTER) return undefined;
	const host = hostsByDataCenter('crmHost')[dataCenter];
	if (!host) return undefined;
	const prefix = ENVIRONMENT_CRM_HOST_PREFIX[String(credentials.environment ?? 'production')];
	return prefix ? host.replace(/^crm\./, prefix) : host;
}

/** `https://crm.zoho.eu/crm/tab/Products/3477061000007606020` (Zoho adds the org itself). */
export function recordUrl(host: string, module: string, id: string): string {
	const tab = Object.keys(TAB_ALIASES).find((t) => TAB_ALIASES[t] === module) ?? module;
	return `https://${host}/crm/tab/${encodeURIComponent(tab)}/${encodeURIComponent(id)}`;
}

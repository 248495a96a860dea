/**
 * Zoho data centres: where a user's org lives decides both the accounts server (OAuth)
 * and the API domain. One table, read by the credential (hidden OAuth URLs), by the
 * transport (API base URL fallback) and by the record pickers (links to records in Zoho CRM).
 */
export interface ZohoDataCenter {
	/** Value stored in the credential. */
	value: string;
	/** Shown in the credential's Data Center dropdown. */
	name: string;
	/** Host of the accounts server: authorisation and token endpoints. */
	accountsHost: string;
	/** Host of the production API (the token response's api_domain normally says the same). */
	apiHost: string;
	/** Host of the Zoho CRM web app: where a record's page lives (`/crm/tab/{Tab}/{id}`). */
	crmHost: string;
}

export const ZOHO_DATA_CENTERS: readonly ZohoDataCenter[] = [
	{
		value: 'us',
		name: 'United States (zoho.com)',
		accountsHost: 'accounts.zoho.com',
		apiHost: 'www.zohoapis.com',
		crmHost: 'crm.zoho.com',
	},
	{
		value: 'eu',
		name: 'Europe (zoho.eu)',
		accountsHost: 'accounts.zoho.eu',
		apiHost: 'www.zohoapis.eu',
		crmHost: 'crm.zoho.eu',
	},
	{
		value: 'in',
		name: 'India (zoho.in)',
		accountsHost: 'accounts.zoho.in',
		apiHost: 'www.zohoapis.in',
		crmHost: 'crm.zoho.in',
	},
	{
		value: 'au',
		name: 'Australia (zoho.com.au)',
		accountsHost: 'accounts.zoho.com.au',
		apiHost: 'www.zohoapis.com.au',
		crmHost: 'crm.zoho.com.au',
	},
	{
		value: 'cn',
		name: 'China (zoho.com.cn)',
		accountsHost: 'accounts.zoho.com.cn',
		apiHost: 'www.zohoapis.com.cn',
		crmHost: 'crm.zoho.com.cn',
	},
	{
		value: 'jp',
		name: 'Japan (zoho.jp)',
		accountsHost: 'accounts.zoho.jp',
		apiHost: 'www.zohoapis.jp',
		crmHost: 'crm.zoho.jp',
	},
	{
		value: 'ca',
		name: 'Canada (zohocloud.ca)',
		accountsHost: 'accounts.zohocloud.ca',
		apiHost: 'www.zohoapis.ca',
		crmHost: 'crm.zohocloud.ca',
	},
	{
		value: 'sa',
		name: 'Saudi Arabia (zoho.sa)',
		accountsHost: 'accounts.zoho.sa',
		apiHost: 'www.zohoapis.sa',
		crmHost: 'crm.zoho.sa',
	},
	{
		value: 'uk',
		name: 'United Kingdom (zoho.uk)',
		accountsHost: 'accounts.zoho.uk',
		apiHost: 'www.zohoapis.uk',
		crmHost: 'crm.zoho.uk',
	},
	{
		value: 'ae',
		name: 'United Arab Emirates (zoho.ae)',
		accountsHost: 'accounts.zoho.ae',
		apiHost: 'www.zohoapis.ae',
		crmHost: 'crm.zoho.ae',
	},
];

/** Value of the Data Center option that takes explicit URLs (self-run proxies, tests). */
export const CUSTOM_DATA_CENTER = 'custom';

export type ZohoEnvironment = 'production' | 'sandbox' | 'developer';

export const ZOHO_ENVIRONMENTS: ReadonlyArray<{
	value: ZohoEnvironment;
	name: string;
	description: string;
}> = [
	{ value: 'production', name: 'Production', description: 'Your live CRM org (www.zohoapis.*)' },
	{
		value: 'sandbox',
		name: 'Sandbox',
		description: 'A sandbox copy of your org (sandbox.zohoapis.*)',
	},
	{
		value: 'developer',
		name: 'Developer',
		description: 'A developer edition org (developer.zohoapis.*)',
	},
];

/** `{ us: 'accounts.zoho.com', … }`: the shape a credential expression can index. */
export function hostsByDataCenter(
	key: 'accountsHost' | 'apiHost' | 'crmHost',
): Record<string, string> {
	return Object.fromEntries(ZOHO_DATA_CENTERS.map((dc) => [dc.value, dc[key]]));
}

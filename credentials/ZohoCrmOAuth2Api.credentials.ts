import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import {
	CUSTOM_DATA_CENTER,
	hostsByDataCenter,
	ZOHO_DATA_CENTERS,
	ZOHO_ENVIRONMENTS,
} from '../nodes/ZohoCrmRelatedRecords/zoho/dataCenters';

/** `https://<accounts server>` for the chosen data centre, as a credential expression. */
const accountsServer = `($self["dataCenter"] === "${CUSTOM_DATA_CENTER}" ? String($self["customAccountsServer"] || "").replace(/\\/+$/, "") : "https://" + (${JSON.stringify(hostsByDataCenter('accountsHost'))}[$self["dataCenter"]] || "accounts.zoho.com"))`;

export class ZohoCrmOAuth2Api implements ICredentialType {
	name = 'zohoCrmOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Zoho CRM OAuth2 API';

	icon = 'file:../icons/zohoCrm.svg' as const;

	documentationUrl = 'https://www.zoho.com/crm/developer/docs/api/v8/oauth-overview.html';

	properties: INodeProperties[] = [
		{
			displayName:
				'Create a "Server-based Application" client in the Zoho API Console of your data centre (api-console.zoho.com, api-console.zoho.eu, api-console.zohocloud.ca…). Paste the OAuth Redirect URL shown above into its Authorized Redirect URIs, copy its Client ID and Client Secret into the fields above, choose the Data Center where you sign in to Zoho, then connect.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Data Center',
			name: 'dataCenter',
			type: 'options',
			default: 'us',
			description:
				'Where your Zoho account lives: the domain you sign in at (zoho.com, zoho.eu, zohocloud.ca…)',
			options: [
				...ZOHO_DATA_CENTERS.map((dc) => ({ name: dc.name, value: dc.value })),
				{ name: 'Custom (Enter URLs)', value: CUSTOM_DATA_CENTER },
			],
		},
		{
			displayName: 'Custom Accounts Server',
			name: 'customAccountsServer',
			type: 'string',
			default: '',
			placeholder: 'https://accounts.zoho.com',
			description:
				'Accounts server URL (OAuth authorisation and token endpoints live below /oauth/v2)',
			displayOptions: { show: { dataCenter: [CUSTOM_DATA_CENTER] } },
		},
		{
			displayName: 'Custom API Domain',
			name: 'customApiDomain',
			type: 'string',
			default: '',
			placeholder: 'https://www.zohoapis.com',
			description: 'Used only when Zoho did not return an api_domain with the token',
			displayOptions: { show: { dataCenter: [CUSTOM_DATA_CENTER] } },
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'production',
			description:
				'Which org the calls go to. Sandbox and Developer orgs sign in through the same data centre.',
			options: ZOHO_ENVIRONMENTS.map((env) => ({ ...env })),
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ ${accountsServer} + "/oauth/v2/auth" }}`,
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${accountsServer} + "/oauth/v2/token" }}`,
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: 'ZohoCRM.modules.ALL',
			description:
				'Zoho OAuth scopes, comma separated. Delinking needs ZohoCRM.modules.ALL, or ZohoCRM.modules.{module}.DELETE for each module used (e.g. ZohoCRM.modules.campaigns.DELETE); reading records for the pickers needs READ.',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: 'access_type=offline&prompt=consent',
			description:
				'Offline access with consent, so Zoho issues a refresh token every time the credential is connected',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];
}

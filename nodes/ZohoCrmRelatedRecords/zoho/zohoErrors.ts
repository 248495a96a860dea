/**
 * Zoho's documented error codes for Delink Related Records, with the resolution the source
 * document gives for each (shared/seed/zoho-crm-delink-related-records.txt).
 */
export const ZOHO_ERROR_RESOLUTIONS: Readonly<Record<string, string>> = {
	INVALID_MODULE:
		'The module name is invalid, the user has no tab permission for it, or the module was removed or is not supported in the API. Choose a module from the list.',
	INVALID_URL_PATTERN:
		'The request URL is incorrect. Check the module and related list: only the supported pairs can be delinked.',
	OAUTH_SCOPE_MISMATCH:
		'The connected Zoho client lacks the ZohoCRM.modules.{module}.DELETE scope. Set the credential scope to ZohoCRM.modules.ALL (or add the module DELETE scope) and reconnect it.',
	INVALID_TOKEN:
		'The access token is invalid or revoked and could not be refreshed. Reconnect the Zoho CRM credential.',
	OAUTH_REFRESH_FAILED:
		'The credential must be reconnected: Zoho no longer accepts its refresh token. Zoho revokes a refresh token when it is revoked in Zoho (API Console, or Sessions › Connected Apps), when the Zoho user has generated more than 20 refresh tokens for the client (the oldest is revoked silently), or when the client was deleted. In n8n, open the Zoho CRM credential and click Reconnect (sign in with Zoho again). If Zoho said "Access Denied", too many tokens were requested: wait 10 minutes.',
	AUTHENTICATION_FAILURE: 'Zoho did not accept the credential. Reconnect the Zoho CRM credential.',
	NO_PERMISSION:
		'The Zoho user of this credential may not delete related records. Ask your Zoho CRM administrator for the permission.',
	INTERNAL_ERROR:
		'Unexpected error on Zoho’s side. Try again later; contact Zoho support if it persists.',
	INVALID_REQUEST_METHOD: 'Zoho rejected the HTTP method for this URL.',
	AUTHORIZATION_FAILED:
		'The Zoho user of this credential does not have the privilege to delete related records. Ask your Zoho CRM administrator.',
	INVALID_DATA:
		'A record id is incorrect or the record does not exist. Use the Get Related Records API (or the record list in Zoho CRM) to find valid ids.',
	UNABLE_TO_PARSE_DATA_TYPE: 'The ids are in the wrong format: record ids are digits only.',
	LIMIT_EXCEEDED:
		'At most 100 related record ids can be delinked per call. Lower the Batch Size option.',
	MANDATORY_NOT_FOUND: 'The ids parameter was missing from the request.',
	TOO_MANY_REQUESTS:
		'Zoho’s API limit was reached (daily API credits or concurrent calls). Spread the run over time, lower concurrency, or check the org’s remaining credits in Zoho CRM (Setup › Developer Space › APIs).',
};

export function resolutionFor(code: string): string {
	return Object.prototype.hasOwnProperty.call(ZOHO_ERROR_RESOLUTIONS, code)
		? ZOHO_ERROR_RESOLUTIONS[code]
		: 'See Zoho CRM’s API documentation for this error code.';
}

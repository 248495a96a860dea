/**
 * Types of the Zoho CRM sandbox (index.js). See README.md in this folder.
 */

export type ZohoModule =
	'Leads' | 'Contacts' | 'Accounts' | 'Deals' | 'Campaigns' | 'Products' | 'Price_Books';

export interface FaultOptions {
	/** Delay before answering each API request. Default 0. */
	latencyMs: number;
	/** API requests allowed in flight; one more is answered 429 TOO_MANY_REQUESTS. Default null (no cap). */
	maxConcurrent: number | null;
	/** Credit budget: 1 credit per API request; once spent, 429. Default null (unlimited). */
	dailyCredits: number | null;
	/** 0..1: chance of a 500 INTERNAL_ERROR before the work is done. */
	errorRate: number;
	/** 0..1: chance that a DELETE is applied and its socket then destroyed, unanswered. */
	dropAfterApplyRate: number;
	/** 0..1: chance that a JSON answer is cut in half (after the work is done). */
	malformedJsonRate: number;
	/** 0..1: chance of a 502/503 text/html "gateway" page (before the work). */
	htmlErrorRate: number;
	/** Error bodies carry `details.authorization` (the header received): proves clients never leak it. */
	echoAuthorization: boolean;
	/** Seed of the PRNG behind the rates. Default 1. */
	seed: number;
}

export interface SandboxOptions extends Partial<FaultOptions> {
	/** Default '127.0.0.1'. */
	host?: string;
	/** Default 0 (a free port). */
	port?: number;
	/** Default 'sandbox-client-id'. */
	clientId?: string;
	/** Default 'sandbox-client-secret'. */
	clientSecret?: string;
	/** Lifetime of access tokens (`expires_in`). Default 3600. */
	accessTokenTtlSeconds?: number;
	/** HTTP status of token-endpoint errors ({error: 'invalid_code'} …). Default 400. */
	oauthErrorStatus?: number;
	/**
	 * Zoho's real rule: a refresh token only with access_type=offline, and only the first time
	 * unless prompt=consent. Default false (every authorization_code grant gets one).
	 */
	strictOfflineAccess?: boolean;
	/** Oldest log entries are dropped beyond this. Default Infinity. */
	maxLogEntries?: number;
	/** Serve /__sandbox/* (see control.js). Default true. */
	controlRoutes?: boolean;
}

export interface RequestLogEntry {
	/** 1, 2, 3… in arrival order. */
	seq: number;
	kind: 'api' | 'oauth';
	method: string;
	/** Decoded pathname. */
	path: string;
	/** As received: undecoded, with the query string. */
	rawPath: string;
	/** First value of each query parameter. */
	query: Record<string, string>;
	/** The raw Authorization header, if any. */
	authorization: string | undefined;
	headers: Record<string, string | string[] | undefined>;
	hasBody: boolean;
	/** Status answered; null while in flight; 0 when the socket was dropped. */
	status: number | null;
	dropped: boolean;
	/** Epoch milliseconds (fractional). */
	startedAt: number;
	endedAt: number | null;
}

export interface SandboxStats {
	requests: number;
	apiRequests: number;
	oauthRequests: number;
	/** API requests with method DELETE (any outcome). */
	deleteCalls: number;
	getCalls: number;
	relationsRemoved: number;
	relationsNotFound: number;
	/** Records deleted (DELETE /{Module}/{id} or /{Module}?ids=): this package must never do it. */
	recordsDeleted: number;
	inFlight: number;
	maxInFlight: number;
	/** 429s from the limits: rejectedConcurrency + rejectedCredits (failNext answers not included). */
	rejected429: number;
	rejectedConcurrency: number;
	rejectedCredits: number;
	/** API requests past the credit check (counted even without a budget). */
	creditsUsed: number;
	/** null without a dailyCredits budget. */
	creditsRemaining: number | null;
	/** 401s answered by the API (injected ones included). */
	authFailures: number;
	/** failNext answers used. */
	injectedFailures: number;
	internalErrors: number;
	htmlErrors: number;
	malformedJson: number;
	droppedAfterApply: number;
	tokensIssued: number;
	tokenRefreshes: number;
	tokenRefreshFailures: number;
	authCodesIssued: number;
}

export interface TokenPair {
	access_token: string;
	refresh_token: string;
	scope: string;
	api_domain: string;
	token_type: 'Bearer';
	expires_in: number;
}

export interface ZohoErrorEntry {
	status: number;
	code: string;
	message: string;
	details: Record<string, unknown>;
}

/** What failNext answers with: a full reply, or a catalogue entry such as ZOHO_ERRORS.NO_PERMISSION. */
export interface CannedReply {
	/** Default 500. */
	status?: number;
	/** JSON body. */
	body?: unknown;
	headers?: Record<string, string>;
	/** Body sent as is (text/plain unless headers set a content-type). */
	raw?: string;
	/** Destroy the socket without answering (nothing is done). */
	drop?: boolean;
	/** Extra delay before this answer. */
	delayMs?: number;
	/** With message/details (and no body/raw): the body is Zoho's error shape. */
	code?: string;
	message?: string;
	details?: Record<string, unknown>;
}

export interface SeedDemoResult {
	campaignId: string;
	/** 250 contacts linked to the campaign, in link order. */
	contactIds: string[];
	productId: string;
	/** 3 price books linked to the product. */
	priceBookIds: string[];
	/** A price book NOT linked to the product. */
	unlinkedPriceBookId: string;
}

export interface ZohoSandbox {
	/** 'http://127.0.0.1:PORT': the api_domain and the accounts server. */
	readonly url: string;
	readonly host: string;
	readonly port: number;
	readonly clientId: string;
	readonly clientSecret: string;
	/** Every request received (API and OAuth, not /__sandbox), in arrival order. Live array. */
	readonly requests: RequestLogEntry[];
	clearRequests(): void;
	/** Returns the new 19-digit id; `fields.id` may set it. Default names per module. */
	addRecord(module: ZohoModule, fields?: Record<string, unknown>): string;
	addRecords(
		module: ZohoModule,
		n: number,
		fieldsFn?: (index: number) => Record<string, unknown>,
	): string[];
	getRecord(module: ZohoModule, id: string): (Record<string, unknown> & { id: string }) | undefined;
	/** Symmetric; throws for an unsupported relation or an unknown record. */
	link(
		module: ZohoModule,
		id: string,
		relatedList: ZohoModule,
		relatedId: string | readonly string[],
	): void;
	/** Returns whether the relation existed. */
	unlink(module: ZohoModule, id: string, relatedList: ZohoModule, relatedId: string): boolean;
	isLinked(module: ZohoModule, id: string, relatedList: ZohoModule, relatedId: string): boolean;
	/** In link order. */
	linkedIds(module: ZohoModule, id: string, relatedList: ZohoModule): string[];
	/** Default scope 'ZohoCRM.modules.ALL'; `expired: true` gives an already expired access token (its refresh token works). */
	issueTokens(options?: { scope?: string; expired?: boolean }): TokenPair;
	/** Every access token issued so far becomes expired. */
	expireAccessTokens(): void;
	/** A snapshot. */
	readonly stats: SandboxStats;
	resetStats(): void;
	/** A snapshot of the current settings. */
	readonly faults: FaultOptions;
	/** Merges; unknown keys throw. Returns the new settings. A new `seed` restarts the PRNG. */
	setFaults(partial: Partial<FaultOptions>): FaultOptions;
	/** Answer the next n API requests (not OAuth) with `reply`. Returns the queue length. */
	failNext(n: number, reply: CannedReply | ZohoErrorEntry, options?: { after?: number }): number;
	clearFailNext(): void;
	/** Closes the server and every socket (keep-alive included). */
	close(): Promise<void>;
}

export declare function startZohoSandbox(options?: SandboxOptions): Promise<ZohoSandbox>;

export declare const ZOHO_ERRORS: Readonly<{
	INVALID_MODULE: ZohoErrorEntry;
	INVALID_URL_PATTERN: ZohoErrorEntry;
	AUTHENTICATION_FAILURE: ZohoErrorEntry;
	OAUTH_SCOPE_MISMATCH: ZohoErrorEntry;
	INVALID_TOKEN: ZohoErrorEntry;
	NO_PERMISSION: ZohoErrorEntry;
	INTERNAL_ERROR: ZohoErrorEntry;
	INVALID_REQUEST_METHOD: ZohoErrorEntry;
	AUTHORIZATION_FAILED: ZohoErrorEntry;
	INVALID_DATA: ZohoErrorEntry;
	UNABLE_TO_PARSE_DATA_TYPE: ZohoErrorEntry;
	LIMIT_EXCEEDED: ZohoErrorEntry;
	MANDATORY_NOT_FOUND: ZohoErrorEntry;
	TOO_MANY_REQUESTS: ZohoErrorEntry;
}>;

export declare function seedDemo(
	sb: Pick<ZohoSandbox, 'addRecord' | 'addRecords' | 'link'>,
): SeedDemoResult;

/**
 * Types of the Zoho CRM sandbox (index.js). See README.md in this folder.
 */

/**
 * Modules the sandbox knows (API names). `Appointments__s` and `Services__s` (Zoho's
 * Appointments and Services, related to each other) exist from API v3 on: any request under
 * /crm/v2/ or /crm/v2.1/ that names either answers 400 INVALID_MODULE.
 */
export type ZohoModule =
	| 'Leads'
	| 'Contacts'
	| 'Accounts'
	| 'Deals'
	| 'Campaigns'
	| 'Products'
	| 'Price_Books'
	| 'Appointments__s'
	| 'Services__s';

/**
 * The data type of a relation field, as Zoho names it in an INVALID_DATA answer
 * (`details.expected_data_type`): 'picklist' takes a string, 'double' a number.
 */
export type RelationFieldType = 'picklist' | 'double';

/**
 * Fields that live on a link, not on either record (the sandbox's own table):
 * Campaigns <-> Leads and Campaigns <-> Contacts carry `Member_Status` (picklist: a string, e.g.
 * 'Active', 'Planning', 'Sent', 'Invited'); Products <-> Price_Books carry `list_price` (double:
 * a number). Other pairs carry none. One object per link, the same from either end; a delink
 * drops it. When setting, null clears a field and undefined leaves it as it is.
 */
export interface RelationData {
	Member_Status?: string | null;
	list_price?: number | null;
}

/**
 * What a delink answers, per id, for a related record that exists (in the related list's
 * module) but is not linked; Zoho does not document it, so a client must handle all three:
 * - 'relation-not-found': `{code:'INVALID_DATA',details:{id},message:'relation not found',status:'error'}`
 * - 'success': `{code:'SUCCESS',details:{id},message:'relation removed',status:'success'}`
 * - 'invalid-data': `{code:'INVALID_DATA',details:{id},message:'the related id given seems to be invalid',status:'error'}`
 */
export type NotLinkedAnswer = 'relation-not-found' | 'success' | 'invalid-data';

export interface FaultOptions {
	/** Delay before answering each API request. Default 0. */
	latencyMs: number;
	/** API requests allowed in flight; one more is answered 429 TOO_MANY_REQUESTS. Default null (no cap). */
	maxConcurrent: number | null;
	/** Credit budget: 1 credit per API request; once spent, 429. Default null (unlimited). */
	dailyCredits: number | null;
	/** 0..1: chance of a 500 INTERNAL_ERROR before the work is done. */
	errorRate: number;
	/** 0..1: chance that a DELETE or PUT is applied and its socket then destroyed, unanswered. */
	dropAfterApplyRate: number;
	/** 0..1: chance that a JSON answer is cut in half (after the work is done). */
	malformedJsonRate: number;
	/** 0..1: chance of a 502/503 text/html "gateway" page (before the work). */
	htmlErrorRate: number;
	/** Error bodies carry `details.authorization` (the header received): proves clients never leak it. */
	echoAuthorization: boolean;
	/** Seed of the PRNG behind the rates. Default 1. */
	seed: number;
	/**
	 * Zoho's page window: `page`/`per_page` reach only the first `pageWindow` records of a
	 * listing (related records, module records, search). A page starting at record index >=
	 * pageWindow answers 400 DISCRETE_PAGINATION_LIMIT_EXCEEDED (`details.limit` and the message
	 * give the window); a page running past it is clipped there (`info.more_records` true when
	 * the listing is longer). Page-token pages are not held by it. Default 2000 (Zoho's); an
	 * integer >= 1, e.g. 10 for a fast test of the same behaviour.
	 */
	pageWindow: number;
	/**
	 * Every listing answer with more records carries `info.next_page_token` (opaque) and
	 * `info.page_token_expiry` (ISO time, 24 h on); `page_token=<t>` (+ optional per_page)
	 * continues right after the last record that token's page returned (a cursor: removals
	 * before it shift nothing; if that record left the listing, from the index it had). Default
	 * false: Zoho documents no token for related lists. Tokens already given keep working when
	 * this is turned off.
	 */
	pageTokens: boolean;
	/** Delink answer for an existing but not linked related record. Default 'relation-not-found'. */
	notLinkedAnswer: NotLinkedAnswer;
	/**
	 * Hold every API request (after the concurrency check) until this many are in flight at
	 * once; then all go on and the setting returns to null. For tests that must prove calls
	 * overlap without relying on timing. Default null.
	 */
	holdUntilInFlight: number | null;
	/**
	 * Per-entry answers write `details.id` as a bare JSON number (`{"id":3652397000000925128}`),
	 * as a client that re-serializes JSON might; such ids lose digits in JavaScript. Default false.
	 */
	numericIds: boolean;
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
	/** API requests with method GET (any outcome). */
	getCalls: number;
	/** API requests with method PUT (any outcome): Update Related Records (link) calls. */
	putCalls: number;
	relationsRemoved: number;
	/** Links created by PUT (Update Related Records) entries. */
	relationsLinked: number;
	/** PUT entries whose link already existed (its relation fields updated, if any were sent). */
	relationsUpdated: number;
	/** Delinked ids that are records of the related list's module but were not linked (any notLinkedAnswer). */
	relationsNotFound: number;
	/** Delinked or linked (PUT) ids that are no record of the related list's module (a mistyped id). */
	invalidRelatedIds: number;
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
	/** Answers lost after the work: dropAfterApplyRate, and failNext `dropAfterApply` entries. */
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
	/**
	 * Process the request normally (faults, credit, the work), then destroy its socket instead
	 * of answering: counted in injectedFailures and droppedAfterApply. status/body/raw are
	 * ignored; delayMs still applies (before the processing).
	 */
	dropAfterApply?: boolean;
	/** Extra delay before this answer. */
	delayMs?: number;
	/** With message/details (and no body/raw): the body is Zoho's error shape. */
	code?: string;
	message?: string;
	details?: Record<string, unknown>;
}

/**
 * Called once per API request (not OAuth, not /__sandbox), synchronously, after the sandbox has
 * decided the answer (and applied the work, if any) and before the answer leaves. `entry.status`
 * already holds the status to be sent (0 with `entry.dropped` true when the socket is about to
 * be destroyed). It may change the org (link, unlink, add records, setFaults …): the change is
 * seen by the next requests. A hook that throws turns the answer into a text/plain 500.
 */
export type ApiRequestHook = (entry: RequestLogEntry, sb: ZohoSandbox) => void;

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
	/**
	 * Symmetric; throws for an unsupported relation or an unknown record. `data` sets relation
	 * fields on each link (see RelationData): one object for every id, or a function of
	 * (relatedId, index). Linking an existing link keeps its place and merges the data into it.
	 * Throws for a field that is no relation field of the pair, or a value of the wrong type.
	 */
	link(
		module: ZohoModule,
		id: string,
		relatedList: ZohoModule,
		relatedId: string | readonly string[],
		data?: RelationData | ((relatedId: string, index: number) => RelationData | undefined),
	): void;
	/**
	 * The link's relation fields (a copy; `{}` when none is set), the same from either end;
	 * undefined when the two are not linked. Throws for an unsupported relation.
	 */
	relationData(
		module: ZohoModule,
		id: string,
		relatedList: ZohoModule,
		relatedId: string,
	): RelationData | undefined;
	/** Returns whether the relation existed. */
	unlink(module: ZohoModule, id: string, relatedList: ZohoModule, relatedId: string): boolean;
	isLinked(module: ZohoModule, id: string, relatedList: ZohoModule, relatedId: string): boolean;
	/** In link order. */
	linkedIds(module: ZohoModule, id: string, relatedList: ZohoModule): string[];
	/** Default scope 'ZohoCRM.modules.ALL'; `expired: true` gives an already expired access token (its refresh token works). */
	issueTokens(options?: { scope?: string; expired?: boolean }): TokenPair;
	/** Every access token issued so far becomes expired. */
	expireAccessTokens(): void;
	/**
	 * The next n API requests authenticate as usual (even if still in flight later); when the
	 * (n+1)-th API request arrives, every access token issued before that moment is expired, so
	 * that request (and every later one with such a token) answers 401 INVALID_TOKEN. Counted at
	 * arrival, every API request (whatever its fate). Tokens issued later are valid. A new call
	 * replaces the countdown. n: integer >= 0.
	 */
	expireAccessTokensAfter(n: number): void;
	/**
	 * Revokes every refresh token and the access tokens made from them: API calls with those
	 * access tokens answer 401 INVALID_TOKEN, and the token endpoint answers a refresh with
	 * `{error: 'invalid_code'}` (HTTP `oauthErrorStatus`).
	 */
	revokeRefreshTokens(): void;
	/** Registers a hook (see ApiRequestHook); returns the function that unregisters it. */
	onApiRequest(fn: ApiRequestHook): () => void;
	/** A snapshot. */
	readonly stats: SandboxStats;
	resetStats(): void;
	/** A snapshot of the current settings. */
	readonly faults: FaultOptions;
	/** Merges; unknown keys throw. Returns the new settings. A new `seed` restarts the PRNG. */
	setFaults(partial: Partial<FaultOptions>): FaultOptions;
	/**
	 * Answer the next n API requests (not OAuth) with `reply` (`{ dropAfterApply: true }`:
	 * process them, then lose the answer). With `{ after: k }`, the k requests before them are
	 * answered normally. Returns the queue length.
	 */
	failNext(n: number, reply: CannedReply | ZohoErrorEntry, options?: { after?: number }): number;
	clearFailNext(): void;
	/**
	 * The next n token-endpoint requests: 'drop' destroys the socket unanswered (nothing done);
	 * 'dropAfterApply' grants the new token, then destroys the socket before the answer.
	 * Cleared by clearFailNext. Returns the queue length.
	 */
	failNextToken(n: number, fate: 'drop' | 'dropAfterApply'): number;
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
	/** 400 `{limit: 2000}`: a `page` past the page window (see FaultOptions.pageWindow). */
	DISCRETE_PAGINATION_LIMIT_EXCEEDED: ZohoErrorEntry;
	/** 400 `{ambiguity_due_to: ['page_token', 'page']}`: both in one request. */
	AMBIGUITY_DURING_PROCESSING: ZohoErrorEntry;
}>;

export declare function seedDemo(
	sb: Pick<ZohoSandbox, 'addRecord' | 'addRecords' | 'link'>,
): SeedDemoResult;

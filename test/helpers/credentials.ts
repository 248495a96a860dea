/**
 * A credentials helper for n8n's engine in tests: stores one `zohoCrmOAuth2Api` credential,
 * resolves its hidden OAuth fields from the credential class's own expressions (as n8n
 * does), and records the token data n8n writes back after a refresh.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeProperties,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { ZohoCrmOAuth2Api } from '../../credentials/ZohoCrmOAuth2Api.credentials';

/** Evaluates a credential default like `={{ … $self["dataCenter"] … }}` against the data. */
export function resolveCredentialExpression(expression: string, self: IDataObject): unknown {
	const body = expression.replace(/^=\{\{/, '').replace(/\}\}$/, '');
	return new Function('$self', `return (${body});`)(self);
}

/** The decrypted credential as n8n hands it to a node: user data + resolved hidden fields. */
export function resolveCredential(data: IDataObject): ICredentialDataDecryptedObject {
	const type = new ZohoCrmOAuth2Api();
	const resolved: IDataObject = {};
	for (const property of type.properties) {
		if (property.type === 'notice') continue;
		if (data[property.name] !== undefined && property.type !== 'hidden') {
			resolved[property.name] = data[property.name];
			continue;
		}
		const value = property.default;
		resolved[property.name] =
			typeof value === 'string' && value.startsWith('={{')
				? (resolveCredentialExpression(value, { ...defaults(type.properties), ...data }) as string)
				: value;
	}
	return { ...data, ...resolved } as ICredentialDataDecryptedObject;
}

function defaults(properties: INodeProperties[]): IDataObject {
	return Object.fromEntries(properties.map((p) => [p.name, p.default])) as IDataObject;
}

export class TestCredentialsHelper {
	/** Every token-data write n8n made (one per refresh). */
	readonly tokenUpdates: IDataObject[] = [];

	constructor(public data: IDataObject) {}

	getParentTypes(name: string): string[] {
		return name === 'zohoCrmOAuth2Api' ? ['oAuth2Api'] : [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(_credentials: unknown, _type: string, requestOptions: IHttpRequestOptions) {
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return resolveCredential(structuredClone(this.data));
	}

	async updateCredentials(_node: unknown, _type: string, data: ICredentialDataDecryptedObject) {
		this.data = { ...this.data, ...data };
	}

	async updateCredentialsOauthTokenData(
		_node: unknown,
		_type: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.tokenUpdates.push(structuredClone(data.oauthTokenData as IDataObject));
		this.data = { ...this.data, oauthTokenData: data.oauthTokenData };
	}

	getCredentialsProperties(): INodeProperties[] {
		return new ZohoCrmOAuth2Api().properties;
	}
}

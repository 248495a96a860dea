/**
 * The Appointments__s <-> Services__s pair, served from API v3 on: records, links without
 * relation fields, GET, PUT and DELETE from either end, INVALID_MODULE on v2 and v2.1, its scope
 * names and its settings/related_lists.
 */
import { ZOHO_ERRORS } from '../index';
import { sb, start, setToken, call, del, get, put, expectError, idsOf, updated } from './helpers';

describe('Appointments__s <-> Services__s (API v3 and later)', () => {
	beforeEach(() => start());

	test('records with default names; linked both ways with no relation fields', () => {
		const appointment = sb.addRecord('Appointments__s');
		const service = sb.addRecord('Services__s');
		expect(sb.getRecord('Appointments__s', appointment)).toMatchObject({
			Appointment_Name: 'Appointment 1',
		});
		expect(sb.getRecord('Services__s', service)).toMatchObject({ Service_Name: 'Service 1' });
		sb.link('Services__s', service, 'Appointments__s', appointment);
		expect(sb.linkedIds('Appointments__s', appointment, 'Services__s')).toEqual([service]);
		expect(sb.relationData('Appointments__s', appointment, 'Services__s', service)).toEqual({});
		expect(() =>
			sb.link('Services__s', service, 'Appointments__s', appointment, { Member_Status: 'x' }),
		).toThrow(/no relation field/);
		expect(() => sb.link('Campaigns', sb.addRecord('Campaigns'), 'Services__s', service)).toThrow(
			/no related list/,
		);
	});

	test('v3 to v8: GET, PUT and DELETE from either end; relation fields sent are ignored', async () => {
		const appointment = sb.addRecord('Appointments__s');
		const services = sb.addRecords('Services__s', 6);
		const versions = ['v3', 'v4', 'v5', 'v6', 'v7', 'v8'];
		for (const [i, v] of versions.entries()) {
			const answer = await put(`/crm/${v}/Appointments__s/${appointment}/Services__s`, {
				data: [{ id: services[i], Member_Status: 'Active' }],
			});
			expect([v, answer.status, answer.body]).toEqual([v, 200, { data: [updated(services[i])] }]);
		}
		expect(sb.relationData('Services__s', services[0], 'Appointments__s', appointment)).toEqual({});
		const listed = await get(
			`/crm/v3/Appointments__s/${appointment}/Services__s?fields=Service_Name`,
		);
		expect(listed.body.data).toEqual(
			services.map((id, i) => ({ id, Service_Name: `Service ${i + 1}` })),
		);
		const back = await get(`/crm/v8/Services__s/${services[1]}/Appointments__s`);
		expect(idsOf(back)).toEqual([appointment]);
		const single = await put(`/crm/v4/Services__s/${services[0]}/Appointments__s/${appointment}`, {
			data: [{}],
		});
		expect([single.status, single.body]).toEqual([200, { data: [updated(appointment)] }]);
		for (const [i, v] of versions.entries()) {
			const p =
				i % 2 === 0
					? `/crm/${v}/Appointments__s/${appointment}/Services__s?ids=${services[i]}`
					: `/crm/${v}/Services__s/${services[i]}/Appointments__s/${appointment}`;
			expect([v, (await del(p)).status]).toEqual([v, 200]);
		}
		expect(sb.linkedIds('Appointments__s', appointment, 'Services__s')).toEqual([]);
		expect(sb.stats).toMatchObject({
			relationsLinked: 6,
			relationsUpdated: 1,
			relationsRemoved: 6,
		});
	});

	test('v2 and v2.1: any request naming either module answers 400 INVALID_MODULE', async () => {
		const appointment = sb.addRecord('Appointments__s');
		const service = sb.addRecord('Services__s');
		sb.link('Appointments__s', appointment, 'Services__s', service);
		const settings = sb.issueTokens({ scope: 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL' });
		setToken(settings.access_token);
		for (const v of ['v2', 'v2.1']) {
			for (const [method, p] of [
				['GET', `/crm/${v}/Appointments__s`],
				['GET', `/crm/${v}/Services__s?ids=${service}`],
				['GET', `/crm/${v}/Services__s/search?word=x`],
				['GET', `/crm/${v}/Appointments__s/${appointment}`],
				['GET', `/crm/${v}/Appointments__s/${appointment}/Services__s`],
				['DELETE', `/crm/${v}/Services__s/${service}/Appointments__s?ids=${appointment}`],
				['DELETE', `/crm/${v}/Appointments__s/${appointment}/Services__s/${service}`],
				['PUT', `/crm/${v}/Appointments__s/${appointment}/Services__s/${service}`],
				['DELETE', `/crm/${v}/Campaigns/1/Services__s?ids=1`],
				['GET', `/crm/${v}/settings/related_lists?module=Services__s`],
			]) {
				const answer = await call(method, p, {
					body: method === 'PUT' ? '{"data":[{}]}' : undefined,
				});
				expect([method, p, answer.status, answer.body.code]).toEqual([
					method,
					p,
					400,
					'INVALID_MODULE',
				]);
			}
		}
		expect(sb.isLinked('Appointments__s', appointment, 'Services__s', service)).toBe(true);
		// v3: an unsupported pair is a wrong URL, as for the other modules
		expectError(
			await del(`/crm/v3/Campaigns/1/Services__s?ids=1`),
			ZOHO_ERRORS.INVALID_URL_PATTERN,
		);
	});

	test('scope names appointments and services', async () => {
		const appointment = sb.addRecord('Appointments__s');
		const service = sb.addRecord('Services__s');
		const body = { data: [{}] };
		const apptToken = sb.issueTokens({ scope: 'ZohoCRM.modules.appointments.UPDATE' }).access_token;
		const p = `/crm/v3/Appointments__s/${appointment}/Services__s/${service}`;
		expect((await put(p, body, { auth: `Bearer ${apptToken}` })).status).toBe(200);
		const svcToken = sb.issueTokens({ scope: 'ZohoCRM.modules.services.DELETE' }).access_token;
		expectError(await del(p, { auth: `Bearer ${svcToken}` }), ZOHO_ERRORS.OAUTH_SCOPE_MISMATCH);
		const q = `/crm/v3/Services__s/${service}/Appointments__s/${appointment}`;
		expect((await del(q, { auth: `Bearer ${svcToken}` })).status).toBe(200);
		const reader = sb.issueTokens({ scope: 'ZohoCRM.modules.services.READ' }).access_token;
		expect((await get(`/crm/v3/Services__s/${service}`, { auth: `Bearer ${reader}` })).status).toBe(
			200,
		);
	});

	test('settings/related_lists (v3+) lists them with Zoho-style labels', async () => {
		setToken(sb.issueTokens({ scope: 'ZohoCRM.settings.related_lists.READ' }).access_token);
		const appointments = await get('/crm/v3/settings/related_lists?module=Appointments__s');
		expect(appointments.body.related_lists).toEqual([
			expect.objectContaining({
				api_name: 'Services__s',
				display_label: 'Services',
				href: 'Appointments__s/{ENTITYID}/Services__s',
				module: { api_name: 'Services__s' },
			}),
		]);
		const services = await get('/crm/v8/settings/related_lists?module=Services__s');
		expect(services.body.related_lists.map((r: { api_name: string }) => r.api_name)).toEqual([
			'Appointments__s',
		]);
		const books = await get('/crm/v2/settings/related_lists?module=Price_Books');
		expect(books.body.related_lists[0]).toMatchObject({
			api_name: 'Products',
			display_label: 'Products',
		});
	});
});

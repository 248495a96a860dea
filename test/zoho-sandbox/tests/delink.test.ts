/**
 * Delink, DELETE /{Module}/{id}/{RelatedList}: the single and the multi (?ids=) form, what each
 * answers per id (200, 207, 400 with data[]), the checks on ids, and the notLinkedAnswer modes
 * for an id that is not linked.
 */
import { ZOHO_ERRORS } from '../index';
import { sb, start, del, expectError, campaignWith, MISSING_ID, invalidRelatedId } from './helpers';

const success = (id: string) => ({
	code: 'SUCCESS',
	details: { id },
	message: 'relation removed',
	status: 'success',
});
const notFound = (id: string) => ({
	code: 'INVALID_DATA',
	details: { id },
	message: 'relation not found',
	status: 'error',
});

describe('delink, single form DELETE /{Module}/{id}/{RelatedList}/{relatedId}', () => {
	beforeEach(() => start());

	test('removes the one relation and answers 200 with a SUCCESS entry', async () => {
		const { campaignId, contactIds } = campaignWith(2);
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ data: [success(contactIds[0])] });
		expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([contactIds[1]]);
	});

	test('a relation that does not exist answers 400 with a per-entry data[] "relation not found"', async () => {
		const { campaignId } = campaignWith(1);
		const stranger = sb.addRecord('Contacts');
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts/${stranger}`);
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual({ data: [notFound(stranger)] });
	});

	test('a non-digit related id answers 400 INVALID_DATA pointing at path index 3', async () => {
		const { campaignId } = campaignWith(1);
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts/12ab`);
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual({
			code: 'INVALID_DATA',
			details: { resource_path_index: 3 },
			message: 'the related id given seems to be invalid',
			status: 'error',
		});
	});
});

describe('delink, multi form DELETE /{Module}/{id}/{RelatedList}?ids=', () => {
	beforeEach(() => start());

	test('all linked: 200, every relation removed, entries in request order', async () => {
		const { campaignId, contactIds } = campaignWith(3);
		const ids = [contactIds[2], contactIds[0]];
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${ids.join(',')}`);
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
		expect(answer.body).toEqual({ data: ids.map(success) });
		expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([contactIds[1]]);
	});

	test('mixed: 207 with a success entry and a "relation not found" entry', async () => {
		const { campaignId, contactIds } = campaignWith(1);
		const stranger = sb.addRecord('Contacts'); // exists, not linked (a missing id: see below)
		const answer = await del(
			`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]},${stranger}`,
		);
		expect(answer.status).toBe(207);
		expect(answer.body).toEqual({
			data: [success(contactIds[0]), notFound(stranger)],
		});
	});

	test('none linked: 400 whose body is still the per-entry data[]', async () => {
		const { campaignId } = campaignWith(0);
		const [x, y] = sb.addRecords('Contacts', 2);
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${x},${y}`);
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual({ data: [notFound(x), notFound(y)] });
	});

	test('commas encoded as %2C are accepted like literal commas', async () => {
		const { campaignId, contactIds } = campaignWith(2);
		const answer = await del(
			`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds.join('%2C')}`,
		);
		expect(answer.status).toBe(200);
		expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
	});

	test('a duplicated id is answered per occurrence: the second is "relation not found"', async () => {
		const { campaignId, contactIds } = campaignWith(1);
		const id = contactIds[0];
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${id},${id}`);
		expect(answer.status).toBe(207);
		expect(answer.body).toEqual({ data: [success(id), notFound(id)] });
	});

	test('ids missing or empty: 400 MANDATORY_NOT_FOUND naming param ids', async () => {
		const { campaignId } = campaignWith(1);
		expectError(
			await del(`/crm/v2/Campaigns/${campaignId}/Contacts`),
			ZOHO_ERRORS.MANDATORY_NOT_FOUND,
		);
		expectError(
			await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=`),
			ZOHO_ERRORS.MANDATORY_NOT_FOUND,
		);
		expect(ZOHO_ERRORS.MANDATORY_NOT_FOUND.details).toEqual({ param_name: 'ids' });
	});

	test('100 ids are accepted in one call; 101 answer 400 LIMIT_EXCEEDED and remove nothing', async () => {
		const { campaignId, contactIds } = campaignWith(101);
		const over = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds.join(',')}`);
		expectError(over, ZOHO_ERRORS.LIMIT_EXCEEDED);
		expect(over.body.details).toEqual({ limit: '100', param_name: 'ids' });
		expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toHaveLength(101);

		const hundred = contactIds.slice(0, 100);
		const ok = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${hundred.join(',')}`);
		expect(ok.status).toBe(200);
		expect(ok.body.data).toHaveLength(100);
		expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([contactIds[100]]);
	});

	test('an id that is not all digits: 400 UNABLE_TO_PARSE_DATA_TYPE and nothing removed', async () => {
		const { campaignId, contactIds } = campaignWith(1);
		for (const bad of [`${contactIds[0]},abc`, `${contactIds[0]},`, `${contactIds[0]}, 1`]) {
			expectError(
				await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${encodeURIComponent(bad)}`),
				ZOHO_ERRORS.UNABLE_TO_PARSE_DATA_TYPE,
			);
		}
		expect(sb.isLinked('Campaigns', campaignId, 'Contacts', contactIds[0])).toBe(true);
	});

	test('a request body is ignored but logged as hasBody', async () => {
		const { campaignId, contactIds } = campaignWith(1);
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`, {
			body: '{"ids":["1"]}',
			headers: { 'Content-Type': 'application/json' },
		});
		expect(answer.status).toBe(200);
		expect(sb.requests[0].hasBody).toBe(true);
		expect(sb.requests[0].headers['content-type']).toBe('application/json');
	});
});

describe('what a delink answers for an id that is not linked (notLinkedAnswer)', () => {
	const answers = {
		'relation-not-found': notFound,
		success,
		'invalid-data': invalidRelatedId,
	} as const;

	test.each(Object.entries(answers))(
		'%s: linked, existing-not-linked, missing and other-module ids are answered per id and counted',
		async (mode, notLinked) => {
			await start({ notLinkedAnswer: mode as keyof typeof answers });
			const { campaignId, contactIds } = campaignWith(1);
			const stranger = sb.addRecord('Contacts');
			const lead = sb.addRecord('Leads'); // a record, but not of the Contacts module
			const ids = [contactIds[0], stranger, MISSING_ID, lead];
			const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts?ids=${ids.join(',')}`);
			expect(answer.status).toBe(207);
			expect(answer.body).toEqual({
				data: [
					success(contactIds[0]),
					notLinked(stranger),
					invalidRelatedId(MISSING_ID),
					invalidRelatedId(lead),
				],
			});
			expect(sb.stats).toMatchObject({
				relationsRemoved: 1,
				relationsNotFound: 1,
				invalidRelatedIds: 2,
				deleteCalls: 1,
			});
			expect(sb.linkedIds('Campaigns', campaignId, 'Contacts')).toEqual([]);
		},
	);

	test.each([
		['relation-not-found', 400],
		['success', 200],
		['invalid-data', 400],
	] as const)(
		'%s: only not-linked ids answer %i (body still data[]); with a linked one 200 or 207',
		async (mode, status) => {
			await start({ notLinkedAnswer: mode });
			const { campaignId, contactIds } = campaignWith(1);
			const [x, y] = sb.addRecords('Contacts', 2);
			const base = `/crm/v2/Campaigns/${campaignId}/Contacts`;
			const strangers = await del(`${base}?ids=${x},${y}`);
			expect(strangers.status).toBe(status);
			expect(strangers.body.data).toEqual([answers[mode](x), answers[mode](y)]);
			const single = await del(`${base}/${x}`);
			expect([single.status, single.body]).toEqual([status, { data: [answers[mode](x)] }]);
			const mixed = await del(`${base}?ids=${contactIds[0]},${y}`);
			expect(mixed.status).toBe(mode === 'success' ? 200 : 207);
			expectError(
				await del(`${base}?ids=${MISSING_ID}`).then((a) => ({ ...a, body: a.body.data[0] })),
				{ ...ZOHO_ERRORS.INVALID_DATA, details: { id: MISSING_ID } },
			);
		},
	);

	test('a missing id alone: 400 with per-id INVALID_DATA "the related id given seems to be invalid", in every mode', async () => {
		await start({ notLinkedAnswer: 'success' });
		const { campaignId } = campaignWith(0);
		const answer = await del(`/crm/v2/Campaigns/${campaignId}/Contacts/${MISSING_ID}`);
		expect([answer.status, answer.body]).toEqual([400, { data: [invalidRelatedId(MISSING_ID)] }]);
		expect(sb.stats).toMatchObject({ invalidRelatedIds: 1, relationsNotFound: 0 });
	});

	test('an unknown notLinkedAnswer is refused', async () => {
		await start();
		expect(() => sb.setFaults({ notLinkedAnswer: 'ok' as never })).toThrow(/notLinkedAnswer/);
		expect(sb.setFaults({ notLinkedAnswer: 'success' }).notLinkedAnswer).toBe('success');
	});
});

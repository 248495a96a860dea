/** Names and Zoho CRM web addresses of records, as the pickers show them. */
import { ZOHO_DATA_CENTERS } from '../../nodes/ZohoCrmRelatedRecords/zoho/dataCenters';
import { parseRecordId } from '../../nodes/ZohoCrmRelatedRecords/fields/ids';
import {
	crmWebHost,
	nameFieldsOf,
	recordName,
	recordUrl,
} from '../../nodes/ZohoCrmRelatedRecords/fields/records';
import { ZOHO_MODULES } from '../../nodes/ZohoCrmRelatedRecords/relations';

const ID = '3477061000007606020';

test('every data centre has its own Zoho CRM web host, the API host with crm for www.zohoapis', () => {
	expect(new Set(ZOHO_DATA_CENTERS.map((d) => d.crmHost)).size).toBe(ZOHO_DATA_CENTERS.length);
	for (const dc of ZOHO_DATA_CENTERS) {
		expect(dc.crmHost).toMatch(/^crm\.zoho(cloud)?\.[a-z.]+$/);
		expect(crmWebHost({ dataCenter: dc.value })).toBe(dc.crmHost);
	}
	expect(crmWebHost({ dataCenter: 'eu', environment: 'sandbox' })).toBe('crmsandbox.zoho.eu');
	expect(crmWebHost({ dataCenter: 'custom' })).toBeUndefined();
});

test.each(ZOHO_MODULES.map((m) => m.apiName))(
	'a %s record URL is one the By URL mode reads back',
	(module) => {
		const url = recordUrl('crm.zoho.eu', module, ID);
		expect(parseRecordId('Record ID', { mode: 'url', value: url }, module)).toBe(ID);
	},
);

test('names come from the module name field; Full_Name falls back to Last_Name, then the id', () => {
	expect(nameFieldsOf('Contacts')).toEqual(['Full_Name', 'Last_Name']);
	expect(nameFieldsOf('Price_Books')).toEqual(['Price_Book_Name']);
	expect(nameFieldsOf('Invoices')).toEqual([]);
	expect(recordName('Contacts', { id: ID, Full_Name: ' Ada Lovelace ' })).toBe('Ada Lovelace');
	expect(recordName('Leads', { id: ID, Full_Name: null, Last_Name: 'Lovelace' })).toBe('Lovelace');
	expect(recordName('Deals', { id: ID })).toBe(ID);
});

/** The node's `methods`: the Record ID list and the linked-records picker. */
import { getLinkedRecords } from './loadOptions';
import { searchRecords } from './listSearch';

export const methods = {
	listSearch: { searchRecords },
	loadOptions: { getLinkedRecords },
};

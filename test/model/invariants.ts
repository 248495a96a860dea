/**
 * The node's promises, written down as invariants, and the reference model they are judged
 * against: what Zoho's state must be after a run (start minus what was asked, for a run whose
 * faults its retries can absorb), how many calls a run may make, and what each output item may
 * say. `violations` returns every promise a run broke, in words, or [] when it kept them all.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Observed, Snapshot } from './run';
import { hasLinkData, type Case, type ItemSpec } from './world';

interface Outcome {
	item: number;
	json: IDataObject;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const unique = <T>(values: T[]) => [...new Set(values)];

/** Every output item of the run, error output included (its items carry the outcome under `error`). */
export function outcomes(o: Observed): Outcome[] {
	const paired = (p: unknown) => (p as { item: number }).item;
	return [
		...o.run.items.map((i) => ({ item: paired(i.pairedItem), json: i.json })),
		...(o.run.errorItems ?? []).map((i) => ({
			item: paired(i.pairedItem),
			json: i.json.error as IDataObject,
		})),
	];
}

const digitsOnly = (ids: string[]) => ids.every((id) => /^\d{1,19}$/.test(id));

/** Whether item i passes the node's input checks (All Linked Records takes no ids). */
const validItem = (c: Case, o: Observed, i: number) =>
	(c.operation === 'delink' && c.source === 'all') || digitsOnly(o.itemIds[i]);

/** The state after a run whose faults were all absorbed by retries: the reference model. */
export function expectedState(c: Case, o: Observed): Snapshot {
	const valid = c.items.map((_, i) => validItem(c, o, i));
	if (c.onError === 'stopWorkflow' && valid.includes(false)) return o.start;
	const state = o.start.map((m) => new Map(m));
	c.items.forEach((item, i) => {
		if (!valid[i]) return;
		const links = state[item.campaign];
		if (c.operation === 'delink') {
			if (item.options.dryRun) return;
			if (c.source === 'all') links.clear();
			else for (const id of o.itemIds[i]) links.delete(id);
			return;
		}
		for (const id of o.itemIds[i]) {
			// a ghost is refused; a later item asking for the same id shares (or conflicts with)
			// the first one's call: the first one's data is what Zoho keeps
			if (!o.contactIds.includes(id) || firstAsker(c, o, item.campaign, id) !== i) continue;
			const data = { ...(links.get(id) ?? {}) };
			if (item.memberStatus && hasLinkData(c.pair)) data.Member_Status = item.memberStatus;
			links.set(id, data);
		}
	});
	return state;
}

function firstAsker(c: Case, o: Observed, campaign: number, id: string): number {
	return c.items.findIndex(
		(item, i) => item.campaign === campaign && validItem(c, o, i) && o.itemIds[i].includes(id),
	);
}

/** Faults the run's retries absorb: no refusal that retries cannot cure, and enough retries. */
export function absorbable(c: Case): boolean {
	if (c.faults.some((f) => f.kind === 'NO_PERMISSION')) return false;
	const expiry = c.faults.some((f) => f.kind === 'TOKEN_EXPIRY');
	const costly = c.faults.filter(
		(f) => f.kind !== 'TOKEN_EXPIRY' && (f.kind !== 'RENEWAL_DROP' || expiry),
	).length;
	return costly <= Math.min(...c.items.map((i) => i.options.maxRetries));
}

/** The most write calls (DELETE or PUT) the run may make: ⌈ids/batch⌉ per call set, per try. */
export function writeBound(c: Case, o: Observed): number {
	let bound = 0;
	for (let k = 0; k < c.campaigns; k++) {
		const askers = c.items
			.map((item, i) => ({ item, i }))
			.filter(({ item, i }) => item.campaign === k && validItem(c, o, i))
			.filter(({ item }) => c.operation === 'link' || !item.options.dryRun);
		if (c.operation === 'delink' && c.source === 'all') {
			if (askers.length) bound += o.start[k].size; // one id per call at worst
			continue;
		}
		const byCalls = new Map<string, Set<string>>();
		const seen = new Set<string>();
		for (const { item, i } of askers) {
			const key = callKey(item);
			for (const id of o.itemIds[i]) {
				if (seen.has(id)) continue;
				seen.add(id);
				byCalls.set(key, (byCalls.get(key) ?? new Set()).add(id));
			}
		}
		for (const [key, ids] of byCalls) bound += Math.ceil(ids.size / JSON.parse(key).batchSize);
	}
	return bound * c.retryTries + faultCost(c);
}

function callKey(item: ItemSpec): string {
	const { apiVersion, batchSize, maxRetries, maxConcurrentCalls } = item.options;
	return JSON.stringify({ batchSize, apiVersion, maxRetries, maxConcurrentCalls });
}

/** What a fault may cost in write calls: a retry; a renewal (the refresher's call twice more, each call in flight up to twice); a dropped renewal (its call again). */
function faultCost(c: Case): number {
	const cap = Math.max(...c.items.map((i) => i.options.maxConcurrentCalls));
	return c.faults
		.map((f) => (f.kind === 'TOKEN_EXPIRY' ? 2 + 2 * cap : f.kind === 'RENEWAL_DROP' ? 3 : 1))
		.reduce((a, b) => a + b, 0);
}

export function violations(c: Case, o: Observed): string[] {
	const { writes } = o;
	const found: string[] = [];
	const say = (text: string) => found.push(text);
	const all = outcomes(o);
	const threw = o.run.error !== undefined;
	const text = JSON.stringify({
		run: o.run,
		undo: o.undo,
		error: o.run.error?.message,
		d: o.run.error?.description,
	});
	for (const secret of o.secrets)
		if (text.includes(secret)) say('a secret appears in the output or an error');

	// The org changes only where the run was asked to change it.
	for (let k = 0; k < c.campaigns; k++) {
		const asked = new Set(c.items.flatMap((item, i) => (item.campaign === k ? o.itemIds[i] : [])));
		const whole =
			c.operation === 'delink' && c.source === 'all' && c.items.some((i) => i.campaign === k);
		for (const id of o.contactIds) {
			const before = o.start[k].get(id);
			const after = o.afterRun[k].get(id);
			if (!whole && !asked.has(id) && !same(before, after))
				say(`campaign ${k}: ${id} changed although no item asked for it`);
			if (c.operation === 'delink' && after !== undefined && !same(before, after))
				say(`campaign ${k}: Delink added or changed the link of ${id}`);
		}
	}
	if (!threw && absorbable(c)) {
		const expected = expectedState(c, o);
		for (let k = 0; k < c.campaigns; k++) {
			if (!same([...expected[k]].sort(), [...o.afterRun[k]].sort()))
				say(`campaign ${k}: end state differs from the model's`);
		}
	}
	if (writes > writeBound(c, o))
		say(`${writes} write calls, more than the model's ${writeBound(c, o)}`);
	const cap = Math.max(...c.items.map((i) => i.options.maxConcurrentCalls));
	if (o.maxInFlight > cap) say(`${o.maxInFlight} calls in flight, over the cap ${cap}`);

	const refusedInput = c.onError === 'stopWorkflow' && c.items.some((_, i) => !validItem(c, o, i));
	if (
		refusedInput &&
		(writes > 0 ||
			!same(
				o.start.map((m) => [...m]),
				o.afterRun.map((m) => [...m]),
			))
	)
		say('bad input without Continue: something was sent or changed');
	if (refusedInput && !threw) say('bad input without Continue: the node did not fail');
	if (threw) return found;
	// With an error output: successes (and skipped undo items) on one, everything else on the other.
	if (c.onError === 'continueErrorOutput') {
		for (const item of o.run.items)
			if (item.json.status === 'error' || 'error' in item.json)
				say(`a ${String(item.json.code)} item on the success output`);
		for (const item of o.run.errorItems ?? [])
			if ((item.json.error as IDataObject)?.status !== 'error')
				say('an item that is not an error on the error output');
	}
	// Every id of every item: exactly one output item, paired to its item.
	c.items.forEach((item, i) => {
		const own = all.filter((x) => x.item === i);
		const ids = o.itemIds[i];
		if (!validItem(c, o, i)) {
			if (own.length !== 1 || own[0].json.code !== 'INVALID_INPUT')
				say(`item ${i}: bad input is not one INVALID_INPUT item`);
			return;
		}
		const reported = own.map((x) => String(x.json.relatedRecordId ?? ''));
		if (c.operation === 'link' || c.source === 'ids') {
			// in its own id order; split over two outputs, each output keeps that order
			const split = c.onError === 'continueErrorOutput';
			const asked = unique(ids);
			const order = (list: string[]) => (split ? [...list].sort() : list);
			if (!same(order(reported), order(asked)))
				say(`item ${i}: ids reported ${reported} ≠ asked ${asked}`);
		} else {
			const listed = reported.filter((id) => id !== '');
			if (listed.length !== new Set(listed).size) say(`item ${i}: an id reported twice`);
			for (const id of listed)
				if (!o.start[item.campaign].has(id)) say(`item ${i}: reported ${id}, never linked`);
		}
		for (const { json } of own) checkOutcome(c, o, item, json, say);
	});
	// Every link the run removed is said to be removed on an item (else no Undo can restore it).
	if (c.operation === 'delink') {
		for (let k = 0; k < c.campaigns; k++) {
			for (const id of o.start[k].keys()) {
				if (o.afterRun[k].has(id)) continue;
				const told = all.some(
					({ item, json }) =>
						c.items[item].campaign === k &&
						json.relatedRecordId === id &&
						((json.status === 'success' && json.code === 'SUCCESS') ||
							json.code === 'NOT_LINKED_AFTER_RETRY' ||
							json.mayHaveApplied === true),
				);
				if (!told) say(`campaign ${k}: ${id} was removed but no item says so`);
			}
		}
	}
	if (o.undo && o.afterUndo) checkUndo(c, o, all, say);
	return found;
}

function checkOutcome(
	c: Case,
	o: Observed,
	item: ItemSpec,
	json: IDataObject,
	say: (t: string) => void,
) {
	const id = String(json.relatedRecordId ?? '');
	if (id === '') return;
	const before = o.start[item.campaign].has(id);
	const after = o.afterRun[item.campaign].get(id);
	const label = `${c.operation} ${id} (${String(json.status)} ${String(json.code)})`;
	if (c.operation === 'link') {
		if (json.status !== 'success') return;
		if (!after) say(`${label}: success, but not linked after`);
		else if (item.memberStatus && hasLinkData(c.pair) && after.Member_Status !== item.memberStatus)
			say(`${label}: success, but Member_Status is ${String(after.Member_Status)}`);
		return;
	}
	if (json.linkedBefore === true && !before) say(`${label}: linkedBefore true, never linked`);
	if (json.linkedBefore === false && before && c.retryTries === 1)
		say(`${label}: linkedBefore false, but it was linked`);
	if (item.options.dryRun) {
		if (json.code === 'DRY_RUN' && c.retryTries === 1 && json.wouldDelink !== before)
			say(`${label}: wouldDelink wrong`);
		if (json.status === 'success' && json.code !== 'DRY_RUN') say(`${label}: a dry run said more`);
		return;
	}
	// Keep Relation Data, per item: the read before (proof and data) only for those that asked
	const k = item.campaign;
	if (!item.options.keepRelationData && 'relation' in json)
		say(`${label}: relation on an item that did not ask for it`);
	if (json.status !== 'success') return;
	if (after) say(`${label}: success, but still linked`);
	if (item.options.keepRelationData && json.code === 'SUCCESS' && json.alreadyUnlinked !== true) {
		if (json.linkedBefore !== true)
			say(`${label}: Keep Relation Data asked, no proof it was linked`);
		const data = (json.relation ?? {}) as IDataObject;
		const was = o.start[k].get(id) ?? {};
		if (hasLinkData(c.pair) && (data.Member_Status ?? undefined) !== was.Member_Status)
			say(`${label}: relation ${JSON.stringify(data)} is not the link's ${JSON.stringify(was)}`);
	}
	if (json.alreadyUnlinked === true) {
		if (!o.contactIds.includes(id)) say(`${label}: already unlinked, but no such record`);
		return;
	}
	const unverified = json.linkedBefore === null && c.notLinkedAnswer === 'success';
	if (!before && !unverified) say(`${label}: reported removed, never linked`);
}

function checkUndo(c: Case, o: Observed, all: Outcome[], say: (t: string) => void) {
	const undone = o.afterUndo as Snapshot;
	for (let k = 0; k < c.campaigns; k++) {
		for (const [id, data] of undone[k]) {
			const was = o.start[k].get(id);
			if (!was) say(`undo: ${id} linked to campaign ${k}, never linked before`);
			else if (!same(was, data)) say(`undo: ${id} restored with other data`);
		}
	}
	for (const { item, json } of all) {
		const proven =
			json.linkedBefore === true &&
			json.dryRun !== true &&
			json.alreadyUnlinked !== true &&
			json.relation !== undefined &&
			((json.status === 'success' && json.code === 'SUCCESS') ||
				json.code === 'NOT_LINKED_AFTER_RETRY');
		const k = c.items[item].campaign;
		const id = String(json.relatedRecordId);
		if (proven && !same(undone[k].get(id), o.start[k].get(id)))
			say(`undo: ${id} provably removed (relation kept) but not restored as it was`);
	}
}

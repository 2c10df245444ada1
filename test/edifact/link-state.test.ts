import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAirMessages } from '../../src/edifact/read-air-messages.ts';
import { enrichEvent } from '../../src/enrich/enrich.ts';
import type { EnrichedEvent } from '../../src/enrich/enriched.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { EventRefs } from '../../src/state/saved-state.ts';
import { shippedRules } from '../helpers.ts';

const GUIDE = path.join(import.meta.dirname, '../fixtures/edifact/guide');
const set = shippedRules();
const airportPosts = new Map([['ALA', 'KZ-ALA'], ['TAS', 'UZ-TAS']]);
const read = (file: string): Crossing[] => readAirMessages(fs.readFileSync(path.join(GUIDE, file), 'utf8'), { airportPosts }).events;

describe('the link state', () => {
  it('links a traveller seen before the listed person, raises it on the mark, and keeps what it holds across a snapshot', () => {
    const rule = set.rules.find((r) => r.def.id === 'crossing.pnr-link-listed')!;
    const [umarov, nazarov] = read('pnrgov-13-1-listed-co-traveller.edi');
    const [rahimov] = read('pnrgov-13-1-shared-phone.edi');
    const events: EnrichedEvent[] = [rahimov!, nazarov!, umarov!].map((e, i) => enrichEvent(i + 1, e, set.reference));
    const state = rule.stateful!.createState(rule.def.id, 0, undefined);
    // The caller with the phone and the companion come first: nothing to link them to yet,
    // but the companion's booking names the listed person.
    expect(state.observe(events[0]!, events[0]!.derived.eventTimeMs, 0)).toBeNull();
    expect(state.observe(events[1]!, events[1]!.derived.eventTimeMs, 0)?.map((e) => e.op)).toEqual(['booked with']);

    // A snapshot between two events, restored into a fresh state.
    const refs = new EventRefs();
    const saved = JSON.parse(JSON.stringify(state.save(refs))) as unknown;
    const restored = rule.stateful!.createState(rule.def.id, 0, undefined);
    restored.restore(saved, (n) => enrichEvent(n, refs.events.get(n)!, set.reference));

    // The listed person crosses: the earlier travellers who shared the phone or the booking are linked now.
    expect(restored.observe(events[2]!, events[2]!.derived.eventTimeMs, 0)).toBeNull();
    const hits = restored.expire(0);
    expect(hits.map((h) => [(h.enriched.event as Crossing).traveller.familyName, h.evidence.map((e) => e.op)])).toEqual([
      ['RAHIMOV', ['shared phone with']],
      ['NAZAROV', ['shared phone with', 'shared booking with']],
    ]);
    expect(hits[0]!.evidence[0]).toMatchObject({ field: 'pnr.contacts.phones', actual: '905325550199', expected: { traveller: 'UMAROV DOKU' } });
    expect(restored.expire(0)).toEqual([]);
  });
});

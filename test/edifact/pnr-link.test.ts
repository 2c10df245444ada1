import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertMasker } from '../../src/auth/mask-alert.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import type { StoredAlert } from '../../src/store/alert-log.ts';
import { acksIn, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

// The shipped rule pack, with rules/indicators/crossing-pnr-link.yaml, over PNRGOV
// messages written from the PNRGOV 13.1 implementation guide: a booking of a listed person
// (UN Security Council Consolidated List, rules/watchlists/un-sc.json) and a companion, then
// another booking, days later, giving the listed person's phone as its contact.

const GUIDE = path.join(import.meta.dirname, '../fixtures/edifact/guide');
let processor: Processor;
const stored: StoredAlert[] = [];

beforeAll(async () => {
  processor = await startProcessor({ port: 0, dataDir: tempDir(), rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, fsync: false, log: () => {} });
  processor.alerts.subscribe((a) => stored.push(a));
});
afterAll(() => processor.close());

const indicatorOf = (s: StoredAlert, id: string) => s.alert.indicators.find((i) => i.id === id);

describe('PNR link analysis', () => {
  it('raises the link indicator on a co-traveller of a listed person, and on a later traveller with the listed person’s phone, with evidence', async () => {
    const producer = new TestClient(`${processor.url}/ingest`);
    await producer.opened();
    producer.send(fs.readFileSync(path.join(GUIDE, 'pnrgov-13-1-listed-co-traveller.edi'), 'utf8'));
    producer.send(fs.readFileSync(path.join(GUIDE, 'pnrgov-13-1-shared-phone.edi'), 'utf8'));
    await producer.until((m) => acksIn(m).length === 2);
    expect(acksIn(producer.messages).map((a) => a.accepted)).toEqual([2, 1]);
    producer.close();
    for (let waited = 0; stored.length < 3 && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));

    const about = (family: string) => stored.find((s) => s.alert.event.kind === 'crossing' && s.alert.event.traveller.familyName === family);
    // The listed person: the watchlist's own indicator.
    expect(indicatorOf(about('UMAROV')!, 'crossing.watchlist-name-match')).toBeDefined();

    const companion = about('NAZAROV')!;
    const booked = indicatorOf(companion, 'crossing.pnr-link-listed')!;
    expect(booked.evidence).toContainEqual({
      field: 'pnr.coTravellers',
      op: 'booked with',
      expected: { linkedTo: 'listed: DOKU KHAMATOVICH UMAROV (un-sc UN-2960872)', traveller: 'UMAROV DOKU', score: 0.97 },
      actual: 'LNK001',
    });
    // The listed person came first in the booking: their record locator and phone were marked.
    expect(booked.evidence.map((e) => e.op)).toEqual(['shared phone with', 'shared booking with', 'booked with']);
    expect(companion.alert.severity).toBe('high');

    const caller = about('RAHIMOV')!;
    const phone = indicatorOf(caller, 'crossing.pnr-link-listed')!;
    expect(phone.evidence).toContainEqual({
      field: 'pnr.contacts.phones',
      op: 'shared phone with',
      expected: expect.objectContaining({ linkedTo: expect.stringMatching(/^listed: /), traveller: 'UMAROV DOKU' }),
      actual: '905325550199',
    });
    // The same phone also links to a recent high or critical alert of that booking.
    const alerted = indicatorOf(caller, 'crossing.pnr-link-alerted')!;
    expect(alerted.evidence[0]).toMatchObject({ field: 'pnr.contacts.phones', op: 'shared phone with', expected: { linkedTo: expect.stringMatching(/^alert alert:pnrgov-KC922-.* \((high|critical): /) } });
  });

  it('masks the shared element, the booking and the other traveller for masked roles', () => {
    const companion = stored.find((s) => s.alert.event.kind === 'crossing' && s.alert.event.traveller.familyName === 'RAHIMOV')!;
    const masked = new AlertMasker(crypto.randomBytes(32)).message(companion);
    expect(masked).not.toContain('905325550199');
    expect(masked).not.toContain('UMAROV DOKU');
    expect(masked).not.toContain('SPH002');
    expect(masked).toMatch(/"actual":"value#[0-9a-f]{8}"/);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAirMessages } from '../../src/edifact/read-air-messages.ts';
import { EventSchema } from '../../src/model/event.ts';
import { isPlainCrossing } from '../../src/validate/plain-crossing.ts';
import { applyEdit, edgeValues, editOf, pathsOf } from './event-edits.ts';

const FIXTURES = path.join(import.meta.dirname, '../fixtures/edifact');
const airportPosts = new Map([
  ['ALA', 'KZ-ALA'],
  ['TAS', 'UZ-TAS'],
]);

/** Every crossing the airline messages of the fixtures read to (PAXLST and PNRGOV, the guides' and GTAS's), as JSON would carry them. */
const read = (fs.readdirSync(FIXTURES, { recursive: true }) as string[])
  .filter((name) => /\.(edi|txt)$/.test(name) && !name.endsWith('LICENSE.txt'))
  .flatMap((name) => readAirMessages(fs.readFileSync(path.join(FIXTURES, name), 'utf8'), { airportPosts }).events)
  .map((event) => JSON.parse(JSON.stringify(event)) as Record<string, unknown>);

/** One crossing with every optional airline field filled in, so that edits reach each of them. */
function everyField(): Record<string, unknown> {
  const withApi = structuredClone(read.find((e) => 'api' in e)!);
  const withPnr = read.find((e) => 'pnr' in e)!;
  withApi.api = { ...(withApi.api as object), departure: '2026-12-07T06:10', arrival: '2026-12-07T12:05', embarkation: 'IST', debarkation: 'ALA', reservation: 'ABC123', residence: 'KAZ' };
  withApi.pnr = {
    recordLocator: 'W9TEND',
    contacts: { phones: ['+77012345678', '12345'], emails: ['a@b.kz'], addresses: ['1 Abay Ave, Almaty, KAZ, 050000'] },
    coTravellers: [{ familyName: 'NURLANOVA', givenNames: 'AIGERIM' }, { familyName: 'SMITH', givenNames: '' }],
    history: [{ action: 'added', item: 'TVL IST-ALA KC912 2026-12-07', date: '2026-12-01' }, { action: 'changed', item: 'SSR DOCS' }],
    payment: { code: 'CC', cardType: 'VI', cardMasked: 'XXXXXXXXXXXX1234', cardFingerprint: '0123456789abcdef' },
  };
  withApi.source = { ...(withPnr.source as object), interchangeRef: '000123', sender: 'KCAIRLINE' };
  return withApi;
}

const samples = [...read, everyField()];

/** Values on the edges of the airline fields' rules, with the common ones. */
const airEdgeValues: unknown[] = [
  ...edgeValues,
  'passenger', 'crew', 'transit-passenger', 'transit-crew', 'pilot', '2026-12-07T06:10', '2026-12-07T06:1', '2026-12-07 06:10', '2026-12-07T06:10Z', 'x'.repeat(35), 'x'.repeat(36), 'KAZ',
  'paxlst', 'pnrgov', 'PAXLST', 'D05B', '13.1', 'D05B:13.1:', 'x'.repeat(12), 'A'.repeat(12), 'A'.repeat(13), 'd05b', 2, 1.5, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2,
  '+1234', '+12345', '1234', '12345', '9'.repeat(20), '9'.repeat(21), '+7701-234', 'ab', 'abc', 'x'.repeat(120), 'x'.repeat(121), 'x'.repeat(300), 'x'.repeat(301),
  'CC', 'CA', 'CCCC', 'cc', 'XXXX1234', `${'X'.repeat(15)}1234`, `${'X'.repeat(16)}1234`, '1234', '12345', 'XX1X2', '0123456789abcdef', '0123456789ABCDEF', '0123456789abcde',
  'added', 'cancelled', 'changed', 'other', 'deleted', 'A'.repeat(20), 'A'.repeat(21), 'w9tend',
  Array(20).fill('12345'), Array(21).fill('12345'), Array(99).fill({ familyName: 'A', givenNames: '' }), Array(100).fill({ familyName: 'A', givenNames: '' }),
  { familyName: 'A', givenNames: '' }, { familyName: '', givenNames: '' }, { action: 'added', item: 'x' }, { action: 'added', item: 'x', date: '2026-02-30' },
  { code: 'CA' }, { code: 'CA', cardMasked: '1234' }, { phones: [], emails: [], addresses: [] },
];

const isFaithful = (event: Record<string, unknown>): void => {
  const parsed = EventSchema.safeParse(event);
  if (!parsed.success) expect.fail(`accepted what zod refuses: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  expect(parsed.data).toStrictEqual(event);
};

describe('the plain check of a crossing read from an airline message', () => {
  it('accepts every crossing the fixtures’ PAXLST and PNRGOV messages read to, so that airline traffic seldom needs zod', () => {
    expect(read.length).toBeGreaterThan(10);
    expect(read.filter((e) => 'api' in e).length).toBeGreaterThan(3);
    expect(read.filter((e) => 'pnr' in e).length).toBeGreaterThan(3);
    expect(read.every((e) => 'source' in e)).toBe(true);
    for (const sample of samples) {
      expect(isPlainCrossing(sample)).toBe(true);
      isFaithful(sample);
    }
  });

  it('accepts only what zod accepts, and zod gives back the same event, after random edits', () => {
    fc.assert(
      fc.property(fc.nat({ max: samples.length - 1 }), fc.array(editOf(airEdgeValues), { minLength: 1, maxLength: 3 }), (index, edits) => {
        const event = structuredClone(samples[index]!);
        for (const change of edits) applyEdit(event, change);
        if (isPlainCrossing(event)) isFaithful(event);
      }),
      { numRuns: 4_000, seed: 52 },
    );
  });

  it('accepts only what zod accepts after any one airline field is set to any edge value, and refuses each break of a rule', () => {
    let accepted = 0;
    let refused = 0;
    for (const sample of [everyField(), ...read.filter((_, i) => i % 4 === 0)]) {
      const airPaths = pathsOf(sample).filter((p) => p.length > 0 && ['api', 'pnr', 'source'].includes(String(p[0])));
      for (const at of airPaths) {
        for (const value of airEdgeValues) {
          const event = structuredClone(sample);
          applyEdit(event, { at: pathsOf(event).filter((p) => p.length > 0).findIndex((p) => p.join('.') === at.join('.')), how: 'replace', value });
          if (isPlainCrossing(event)) {
            accepted += 1;
            isFaithful(event);
          } else if (!EventSchema.safeParse(event).success) refused += 1;
        }
      }
    }
    expect(accepted).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(1_000);
  }, 120_000);
});

import fs from 'node:fs';
import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeProblem, EDIFACT_CODES } from '../../src/edifact/edifact-error.ts';
import { readAirMessages } from '../../src/edifact/read-air-messages.ts';
import { validateEvent } from '../../src/model/event.ts';

// Messages under test/fixtures/edifact/guide/ were written for these tests from the
// published guides: the WCO/IATA/ICAO PAXLST Implementation Guide (API Guidelines
// Appendix II, v5.0, 2015; D05B and D02B segment layouts) and the IATA/ICAO/WCO PNRGOV
// Message Implementation Guide (13.1; GR1 SRC/RCI/DAT/ORG/ADD/IFT, GR2 TIF/SSR DOCS/FOP/EBD,
// GR5 TVL/TBD, history ABI/DAT/SAC). The GTAS messages are the public test messages of
// US CBP's GTAS (test/fixtures/edifact/gtas/LICENSE.txt).

const GUIDE = path.join(import.meta.dirname, '../fixtures/edifact/guide');
const GTAS = path.join(import.meta.dirname, '../fixtures/edifact/gtas');
const airportPosts = new Map([
  ['ALA', 'KZ-ALA'],
  ['TAS', 'UZ-TAS'],
]);
const guide = (name: string): string => fs.readFileSync(path.join(GUIDE, name), 'utf8');

describe('PAXLST', () => {
  it('maps each passenger of a D05B list to a crossing into the arrival post, and rejects only the traveller with a bad date', () => {
    const result = readAirMessages(guide('paxlst-d05b-passengers.edi'), { airportPosts });
    expect(result.events.map((e) => e.traveller.familyName)).toEqual(["O'BRIEN", 'NURLANOVA']);
    const [obrien, nurlanova] = result.events;
    expect(obrien).toEqual({
      schemaVersion: 1,
      kind: 'crossing',
      eventId: expect.stringMatching(/^paxlst-KC912-20261207-ISTALA-[0-9a-f]{12}$/),
      eventTime: '2026-12-07T12:05:00.000+05:00',
      post: 'KZ-ALA',
      direction: 'entry',
      mode: 'air',
      traveller: { familyName: "O'BRIEN", givenNames: 'SEAN PATRICK', dateOfBirth: '1985-02-14', sex: 'M', nationality: 'IRL' },
      document: { type: 'passport', number: 'PB1234567', issuingState: 'IRL', expiry: '2030-01-01' },
      api: {
        role: 'passenger', carrier: 'KC', flight: '912', origin: 'IST', destination: 'ALA', departure: '2026-12-07T06:10', arrival: '2026-12-07T12:05',
        embarkation: 'IST', debarkation: 'ALA', reservation: 'XK7P2M', residence: 'IRL',
      },
      source: { format: 'paxlst', version: 'D05B', messageRef: 'PAX0001', interchangeRef: 'IC0001', sender: 'KC', segment: 10 },
    });
    // The passport is the crossing document, not the visa listed before it.
    expect(nurlanova!.document).toEqual({ type: 'passport', number: 'N12345678', issuingState: 'KAZ', expiry: '2031-06-15' });
    expect(nurlanova!.traveller.dateOfBirth).toBe('1992-07-03');
    for (const e of result.events) expect(validateEvent(e).success).toBe(true);
    expect(result.rejections).toHaveLength(1);
    const [bad] = result.rejections;
    expect(bad).toMatchObject({ scope: 'traveller', messageRef: 'PAX0001', traveller: 'DEMIR, MERVE (segment 36)' });
    expect(bad!.problems[0]).toMatchObject({ code: EDIFACT_CODES.invalid, position: { segment: 38, tag: 'DTM', element: 1, component: 2 } });
    expect(describeProblem(bad!.problems[0]!)).toBe('message PAX0001: segment 38 (DTM) element 1 component 2, offset 768: traveller DEMIR, MERVE (segment 36): "031341" is not a date (YYMMDD or CCYYMMDD)');
  });

  it('maps a D02B crew list to exits from the departure post, crew certificates included', () => {
    const result = readAirMessages(guide('paxlst-d02b-crew.edi'), { airportPosts });
    expect(result.rejections).toEqual([]);
    expect(result.events.map((e) => [e.post, e.direction, e.eventTime, e.api?.role, e.document.type])).toEqual([
      ['UZ-TAS', 'exit', '2026-12-08T05:45:00.000+05:00', 'crew', 'passport'],
      ['UZ-TAS', 'exit', '2026-12-08T05:45:00.000+05:00', 'crew', 'crew-certificate'],
    ]);
  });

  it('gives the same event ids when the same list is sent again, so the resend is a duplicate', () => {
    const once = readAirMessages(guide('paxlst-d05b-passengers.edi'), { airportPosts }).events.map((e) => e.eventId);
    const resent = guide('paxlst-d05b-passengers.edi').replace(/PAX0001/g, 'PAX0002').replace(/IC0001/g, 'IC0002');
    expect(readAirMessages(resent, { airportPosts }).events.map((e) => e.eventId)).toEqual(once);
    expect(new Set(once).size).toBe(once.length);
  });

  it('rejects the whole message when UNT disagrees, naming the segment', () => {
    const result = readAirMessages(guide('paxlst-d05b-bad-count.edi'), { airportPosts });
    expect(result.events).toEqual([]);
    expect(result.rejections).toEqual([
      expect.objectContaining({ scope: 'message', messageRef: 'PAX0001', problems: [expect.objectContaining({ code: EDIFACT_CODES.count, position: expect.objectContaining({ segment: 44, tag: 'UNT', element: 1 }) })] }),
    ]);
  });

  it('rejects the whole message when the CNT passenger total disagrees', () => {
    const result = readAirMessages(guide('paxlst-d05b-bad-total.edi'), { airportPosts });
    expect(result.events).toEqual([]);
    expect(result.rejections[0]!.problems[0]!.message).toBe('CNT 42 counts 4 passengers, the message lists 3');
    expect(result.rejections[0]!.problems[0]!.position).toMatchObject({ segment: 43, tag: 'CNT', element: 1, component: 2 });
  });

  it('rejects a message type or version it does not read, with the reason', () => {
    const text = guide('paxlst-d02b-crew.edi').replace('PAXLST:D:02B', 'PAXLST:D:12B');
    const result = readAirMessages(text, { airportPosts });
    expect(result.rejections[0]!.problems[0]).toMatchObject({ code: EDIFACT_CODES.unsupported, message: 'PAXLST D12B is not read (D02B and D05B are)' });
  });

  it('places a flight touching no known post at the arrival airport under the user-assigned XX code', () => {
    const result = readAirMessages(guide('paxlst-d02b-crew.edi'), {});
    expect(result.events[0]).toMatchObject({ post: 'XX-ICN', direction: 'entry', eventTime: '2026-12-08T15:10:00.000+00:00' });
  });
});

describe('PNRGOV', () => {
  const result = readAirMessages(guide('pnrgov-13-1-two-bookings.edi'), { airportPosts });

  it('maps each traveller with a document to a crossing with itinerary, contacts, masked card, co-travellers and history', () => {
    expect(result.rejections).toEqual([]);
    expect(result.events).toHaveLength(3);
    const [akhmedov, safarov, bekova] = result.events;
    expect(akhmedov).toMatchObject({
      eventTime: '2026-12-07T06:40:00.000+05:00',
      post: 'KZ-ALA',
      direction: 'entry',
      traveller: { familyName: 'AKHMEDOV', givenNames: 'RUSTAM', dateOfBirth: '1988-03-02', sex: 'M', nationality: 'TJK' },
      document: { type: 'passport', number: '401234567', issuingState: 'TJK', expiry: '2029-06-17' },
      itinerary: {
        carrier: 'KC', flight: '922', origin: 'IST', destination: 'ALA', routing: [], bookingDate: '2026-11-01', paymentForm: 'card', oneWay: true,
        bagCount: 2, bagWeightKg: 46, ticketAgency: 'Travel agent 33445566 IST',
      },
      pnr: {
        recordLocator: 'QW3RTY',
        contacts: { phones: ['905325550142'], emails: ['rustam.akhmedov@mail.example'], addresses: ['12 ISTIKLAL CAD, ISTANBUL, TR'] },
        payment: { code: 'CC', cardType: 'VI', cardMasked: 'XXXXXXXXXXXX4417' },
        coTravellers: [{ familyName: 'SAFAROV', givenNames: 'DAVLAT' }],
        history: [
          { date: '2026-12-04', action: 'cancelled', item: 'TVL 071226 0145 071226 0640 IST TAS HY 274 Y' },
          { date: '2026-12-04', action: 'added', item: 'TVL 071226 0145 071226 0640 IST ALA KC 922 Y' },
        ],
      },
      source: { format: 'pnrgov', version: '13.1', messageRef: 'M42', segment: 14 },
    });
    // The agency's own phone (CTCT) is not the traveller's.
    expect(akhmedov!.pnr!.contacts.phones).not.toContain('2125550000');
    expect(safarov!.itinerary!.paymentForm).toBe('cash');
    expect(safarov!.pnr!.coTravellers).toEqual([{ familyName: 'AKHMEDOV', givenNames: 'RUSTAM' }]);
    expect(bekova!.itinerary!.oneWay).toBe(false);
    expect(bekova!.pnr!.contacts.phones).toEqual(['+77011234567']);
  });

  it('never keeps a full card number', () => {
    const bekova = result.events[2]!;
    expect(bekova.pnr!.payment).toMatchObject({ cardType: 'CA', cardMasked: 'XXXXXXXXXXXX1111' });
    expect(JSON.stringify(result.events)).not.toContain('5500000000001111');
  });

  it('rejects a traveller without SSR DOCS, naming the TIF segment, and keeps the others', () => {
    const text = guide('pnrgov-13-1-two-bookings.edi').replace("SSR+DOCS:HK::KC:::::/P/TJK/409876543/TJK/19NOV91/M/03JAN30/SAFAROV/DAVLAT'\n", '').replace('UNT+47+M42', 'UNT+46+M42');
    const r = readAirMessages(text, { airportPosts });
    expect(r.events.map((e) => e.traveller.familyName)).toEqual(['AKHMEDOV', 'BEKOVA']);
    expect(r.rejections).toHaveLength(1);
    expect(r.rejections[0]).toMatchObject({ scope: 'traveller', traveller: 'SAFAROV, DAVLAT (segment 20)' });
    expect(r.rejections[0]!.problems.map((p) => [p.position.segment, p.position.tag, p.message])).toContainEqual([20, 'TIF', 'traveller SAFAROV, DAVLAT (segment 20): no nationality']);
  });
});

/**
 * Every GTAS sample, read strictly and leniently. Strict: events, and the codes of what
 * rejected messages or the input as a whole. Lenient (`envelope: 'lenient'`, for archives
 * whose trailers were edited by hand): events and rejected travellers (most for a field
 * the event schema needs and the PNR lacks: no SSR DOCS, no nationality).
 */
const GTAS_OUTCOMES: [file: string, strictEvents: number, strictCodes: string, lenientEvents: number, lenientTravellersRejected: number][] = [
  ['apis/loader--Test1.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 8, 0],
  ['apis/loader--Test3.txt', 0, 'EDIFACT_COUNT_MISMATCH', 260, 0],
  ['apis/loader--airline2.edi', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 10, 0],
  // A note ("13Nov09") after UNZ: reported as text without a terminator, the interchange is read.
  ['apis/loader--multiple_flight_leg_apis.txt', 2, 'EDIFACT_UNTERMINATED_SEGMENT', 2, 0],
  // No NAT and no DOC: both travellers rejected with the fields named.
  ['apis/parsers--apisMessage.txt', 0, '', 0, 2],
  ['pnr/loader--2_pnrs_basic.edi', 0, 'EDIFACT_COUNT_MISMATCH', 3, 1],
  ['pnr/loader--3_pnrs.edi', 4, '', 4, 10],
  ['pnr/loader--adult_and_infant.edi', 1, '', 1, 1],
  // "UNA:+\*'": five service characters, the sixth is a line break: malformed.
  ['pnr/loader--codeshare.edi', 0, 'EDIFACT_BAD_UNA', 0, 0],
  // UNA names a typographic ’ as terminator while segments end in ': no segment structure.
  ['pnr/loader--infant.edi', 0, 'EDIFACT_TOO_MANY_ELEMENTS', 0, 0],
  ['pnr/loader--multiple_flight_leg_pnr.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 0, 2],
  ['pnr/loader--no_pnr_history.edi', 1, '', 1, 3],
  ['pnr/loader--pnr1.txt', 0, 'EDIFACT_COUNT_MISMATCH', 1, 1],
  ['pnr/loader--pnr2.txt', 0, 'EDIFACT_COUNT_MISMATCH', 2, 0],
  ['pnr/loader--pnr3.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 3, 1],
  ['pnr/loader--pnr4.txt', 0, 'EDIFACT_REFERENCE_MISMATCH', 1, 0],
  ['pnr/loader--pnrMessageExample.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 0, 5],
  ['pnr/loader--pnr_split.edi', 1, '', 1, 2],
  ['pnr/parsers--bigMessagePnr.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 0, 7],
  // Nationality written "0" in every SSR DOCS.
  ['pnr/parsers--bigbigPnr.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 0, 86],
  // A UNA with "-" and "*" separators and a released "?" near the end.
  ['pnr/parsers--danglingMetaCharacter.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 1, 0],
  // The next four end without a final terminator (and one with a note): malformed on purpose.
  ['pnr/parsers--modifyPnr77ForCodeShare.txt', 0, 'EDIFACT_UNTERMINATED_SEGMENT,EDIFACT_COUNT_MISMATCH,EDIFACT_MISSING_TRAILER', 1, 0],
  ['pnr/parsers--pnrAddressPhoneCTCM.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 0, 1],
  ['pnr/parsers--pnrBadFormat.txt', 0, 'EDIFACT_UNTERMINATED_SEGMENT,EDIFACT_COUNT_MISMATCH,EDIFACT_MISSING_TRAILER', 0, 2],
  ['pnr/parsers--pnrEdge.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 0, 1],
  ['pnr/parsers--pnrMessage.txt', 0, 'EDIFACT_COUNT_MISMATCH', 1, 1],
  ['pnr/parsers--pnrMessageExample.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 0, 5],
  ['pnr/parsers--pnrMessagePg75.txt', 0, 'EDIFACT_COUNT_MISMATCH', 1, 0],
  ['pnr/parsers--pnrMessagePg76.txt', 0, 'EDIFACT_UNTERMINATED_SEGMENT,EDIFACT_COUNT_MISMATCH,EDIFACT_MISSING_TRAILER', 0, 2],
  ['pnr/parsers--pnrMessagePg77.txt', 0, 'EDIFACT_UNTERMINATED_SEGMENT,EDIFACT_COUNT_MISMATCH,EDIFACT_MISSING_TRAILER', 1, 0],
  ['pnr/parsers--pnrNoOrgMsg.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 0, 1],
  ['pnr/parsers--pnrPhoneCTCM.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 0, 1],
  ['pnr/parsers--pnrPhoneCTC_M.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 0, 1],
  ['pnr/parsers--pnrSeatFormats.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 0, 1],
  ['pnr/parsers--pnrWithBags.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 0, 268],
  ['pnr/parsers--pnrWithDoco.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 0, 1],
  ['pnr/parsers--pnrWithPrefixesAndBookingDetailBags.txt', 0, 'EDIFACT_COUNT_MISMATCH,EDIFACT_REFERENCE_MISMATCH', 0, 2],
];

describe('the GTAS sample messages', () => {
  it('lists every copied file', () => {
    const copied = ['apis', 'pnr'].flatMap((dir) => fs.readdirSync(path.join(GTAS, dir)).map((f) => `${dir}/${f}`)).sort();
    expect(GTAS_OUTCOMES.map(([f]) => f).sort()).toEqual(copied);
  });

  it.each(GTAS_OUTCOMES)('%s is read, or rejected with the reason', (file, strictEvents, strictCodes, lenientEvents, lenientRejected) => {
    const text = fs.readFileSync(path.join(GTAS, file), 'utf8');
    const strict = readAirMessages(text);
    expect(strict.events).toHaveLength(strictEvents);
    const codes = [...new Set(strict.rejections.filter((r) => r.scope !== 'traveller').flatMap((r) => r.problems.map((p) => p.code)))].join(',');
    expect(codes).toBe(strictCodes);
    const lenient = readAirMessages(text, { envelope: 'lenient' });
    expect(lenient.events).toHaveLength(lenientEvents);
    const travellers = lenient.rejections.filter((r) => r.scope === 'traveller');
    expect(travellers).toHaveLength(lenientRejected);
    for (const r of [...strict.rejections, ...lenient.rejections]) {
      expect(r.problems.length).toBeGreaterThan(0);
      for (const p of r.problems) expect(p.message).not.toBe('');
    }
    for (const e of lenient.events) expect(validateEvent(e).success).toBe(true);
  });

  it('reads a GTAS crew list: names, dates of birth, documents and the flight', () => {
    const { events } = readAirMessages(fs.readFileSync(path.join(GTAS, 'apis/loader--Test1.txt'), 'utf8'), { envelope: 'lenient' });
    expect(events[0]).toMatchObject({
      post: 'XX-IAD',
      direction: 'entry',
      eventTime: '2017-01-28T07:10:00.000+00:00',
      traveller: { familyName: 'Steur', givenNames: 'Andrea Pat', dateOfBirth: '1978-07-06', sex: 'F', nationality: 'GBR' },
      document: { type: 'passport', number: '123456789', issuingState: 'GBR' },
      api: { role: 'crew', carrier: 'UA', flight: '989', origin: 'FRA', destination: 'IAD' },
    });
  });
});

describe('the PAXLST and PNRGOV mappers under fuzzing', () => {
  const runs = { numRuns: Number(process.env.FUZZ_RUNS ?? 200) };
  const sources = ['paxlst-d05b-passengers.edi', 'paxlst-d02b-crew.edi', 'pnrgov-13-1-two-bookings.edi'].map(guide);

  it('never throw on messages with segments dropped, repeated or spliced with noise: every outcome is events or positioned rejections', () => {
    fc.assert(
      fc.property(fc.nat({ max: sources.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom('drop', 'repeat', 'noise'), fc.string({ maxLength: 12 })), { maxLength: 6 }), (which, edits) => {
        const segments = sources[which]!.split("'\n");
        for (const [at, edit, noise] of edits) {
          const k = at % segments.length;
          if (edit === 'drop') segments.splice(k, 1);
          else if (edit === 'repeat') segments.splice(k, 0, segments[k]!);
          else segments[k] = `${segments[k]!.slice(0, noise.length)}${noise}${segments[k]!.slice(noise.length)}`;
        }
        for (const envelope of ['strict', 'lenient'] as const) {
          const result = readAirMessages(segments.join("'\n"), { airportPosts, envelope });
          for (const e of result.events) expect(validateEvent(e).success).toBe(true);
          for (const r of result.rejections) {
            expect(r.problems.length).toBeGreaterThan(0);
            for (const p of r.problems) expect(Number.isInteger(p.position.segment) && Number.isInteger(p.position.offset)).toBe(true);
          }
        }
      }),
      runs,
    );
  });
});

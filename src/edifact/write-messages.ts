import type { Crossing } from '../model/crossing.ts';

/**
 * Writes crossings as the airline messages the reader takes (docs/api-pnr.md): one
 * interchange per flight, PAXLST D05B (WCO/IATA/ICAO guide v5.0) or PNRGOV 13.1 (one
 * booking per traveller). For synthetic traffic (`border-risk generate --format`), so that
 * tests and the demo go through the EDIFACT path; the service characters are the ISO 9735
 * defaults, with `?` releasing any of them inside data.
 */

/** The leg a crossing is on: into the post's airport for an entry, out of it for an exit. */
export function crossingLeg(c: Crossing): { carrier: string; flight: string; from: string; to: string } | undefined {
  const it = c.itinerary;
  if (!it) return undefined;
  const from = c.direction === 'entry' ? (it.routing.at(-1) ?? it.origin) : it.origin;
  const to = c.direction === 'entry' ? it.destination : (it.routing[0] ?? it.destination);
  return { carrier: it.carrier, flight: it.flight, from, to };
}

/** The key crossings of one message share: post, direction, flight and local date. */
export function flightKey(c: Crossing): string | undefined {
  const leg = crossingLeg(c);
  return leg && `${c.post}|${c.direction}|${leg.carrier}${leg.flight}|${leg.from}${leg.to}|${c.eventTime.slice(0, 10)}`;
}

const release = (text: string): string => text.replace(/([?+:'*])/g, '?$1');
const yymmdd = (iso: string): string => `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
const ddmmyy = (iso: string): string => `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(2, 4)}`;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const ddmmmyy = (iso: string): string => `${iso.slice(8, 10)}${MONTHS[Number(iso.slice(5, 7)) - 1]}${iso.slice(2, 4)}`;
const hhmm = (time: string): string => time.slice(11, 13) + time.slice(14, 16);
const DOC_CODES: Readonly<Record<Crossing['document']['type'], string>> = {
  passport: 'P',
  'id-card': 'I',
  'refugee-travel-document': 'PR',
  'seafarer-id': 'S',
  'crew-certificate': 'AC',
  other: 'F',
};
const FOP_CODES: Readonly<Record<NonNullable<Crossing['itinerary']>['paymentForm'], string>> = {
  cash: 'CA',
  card: 'CC',
  'bank-transfer': 'BT',
  voucher: 'VO',
  miles: 'MI',
  other: 'MS',
};

/** UNB syntax identifier: level A when every character is one, UTF-8 (UNOW) otherwise. */
function syntaxOf(text: string): string {
  return /^[\x20-\x7e\n]*$/.test(text) ? 'UNOA:4' : 'UNOW:4';
}

function envelope(type: 'PAXLST' | 'PNRGOV', ref: string, sender: string, recipient: string, prepared: string, body: string[], unh: string): string {
  const message = [unh, ...body];
  const segments = [...message, `UNT+${message.length + 1}+${ref}`];
  const text = segments.join("'\n");
  const version = type === 'PAXLST' ? 'D:05B' : '13:1';
  const agency = type === 'PAXLST' ? 'UN' : 'IA';
  return [
    "UNA:+.? '",
    `UNB+${syntaxOf(text)}+${release(sender)}+${release(recipient)}+${yymmdd(prepared)}:${hhmm(prepared)}+${ref}'`,
    `UNG+${type}+${release(sender)}+${release(recipient)}+${yymmdd(prepared)}:${hhmm(prepared)}+${ref}+${agency}+${version}'`,
    `${text}'`,
    `UNE+1+${ref}'`,
    `UNZ+1+${ref}'`,
    '',
  ].join('\n');
}

/** A PAXLST D05B passenger list of crossings on one flight (`flightKey`); `ref` is the message, group and interchange reference. */
export function writePaxlst(crossings: readonly Crossing[], ref: string): string {
  const first = crossings[0]!;
  const leg = crossingLeg(first)!;
  const local = first.eventTime.slice(0, 16);
  const time = `${yymmdd(local)}${hhmm(local)}`;
  const body = [
    'BGM+745',
    'NAD+MS+++BORDER RISK SYNTHETIC',
    `TDT+20+${leg.carrier}${leg.flight}+++${leg.carrier}`,
    `LOC+125+${leg.from}`,
    ...(first.direction === 'exit' ? [`DTM+189:${time}:201`] : []),
    `LOC+87+${leg.to}`,
    ...(first.direction === 'entry' ? [`DTM+232:${time}:201`] : []),
  ];
  for (const c of crossings) {
    const t = c.traveller;
    body.push(
      `NAD+FL+++${release(t.familyName)}:${release(t.givenNames)}`,
      `ATT+2++${t.sex === 'X' ? 'U' : t.sex}`,
      `DTM+329:${t.dateOfBirth.replace(/-/g, '')}`,
      `LOC+178+${leg.from}`,
      `LOC+179+${leg.to}`,
      `NAT+2+${t.nationality}`,
      `DOC+${DOC_CODES[c.document.type]}:110:111+${c.document.number}`,
      `DTM+36:${c.document.expiry.replace(/-/g, '')}`,
      `LOC+91+${c.document.issuingState}`,
    );
  }
  body.push(`CNT+42:${crossings.length}`);
  return envelope('PAXLST', ref, leg.carrier, 'APIS', first.eventTime, body, `UNH+${ref}+PAXLST:D:05B:UN:IATA`);
}

/**
 * A PNRGOV 13.1 push of crossings on one flight, one booking (SRC) per traveller: record
 * locator and booking date (RCI), the journey as TVL legs (the crossing flight among them,
 * a return leg for a round trip), the document (SSR DOCS), payment (FOP) and bags (TBD).
 */
export function writePnrgov(crossings: readonly Crossing[], ref: string): string {
  const first = crossings[0]!;
  const leg = crossingLeg(first)!;
  const local = first.eventTime.slice(0, 16);
  const date = ddmmyy(local);
  const legTime = first.direction === 'entry' ? `${date}::${date}:${hhmm(local)}` : `${date}:${hhmm(local)}`;
  const body = ['MSG+:22', `ORG+${leg.carrier}:${leg.to}`, `TVL+${legTime}+${leg.from}+${leg.to}+${leg.carrier}+${leg.flight}`, `EQN+${crossings.length}`];
  crossings.forEach((c, k) => {
    const it = c.itinerary!;
    const t = c.traveller;
    const locator = `S${ref.slice(-4)}${String(k).padStart(4, '0')}`.slice(-20);
    const airports = [it.origin, ...it.routing, it.destination];
    body.push('SRC', `RCI+${it.carrier}:${locator}::${ddmmyy(it.bookingDate)}:0000`);
    body.push(`TIF+${release(t.familyName)}+${release(t.givenNames)}:A:1`);
    body.push(`SSR+DOCS:HK::${it.carrier}:::::/${DOC_CODES[c.document.type]}/${c.document.issuingState}/${c.document.number}/${t.nationality}/${ddmmmyy(t.dateOfBirth)}/${t.sex === 'X' ? 'U' : t.sex}/${ddmmmyy(c.document.expiry)}/${release(t.familyName)}/${release(t.givenNames)}`);
    body.push(`FOP+${FOP_CODES[it.paymentForm]}::0.00`);
    for (let i = 0; i + 1 < airports.length; i++) {
      const [from, to] = [airports[i]!, airports[i + 1]!];
      const isCrossing = from === leg.from && to === leg.to;
      body.push(isCrossing ? `TVL+${legTime}+${from}+${to}+${it.carrier}+${it.flight}` : `TVL+${date}+${from}+${to}+${it.carrier}+${it.flight}`);
      if (isCrossing && it.bagCount > 0) body.push(`TIF+${release(t.familyName)}+${release(t.givenNames)}:A:1`, `TBD++${it.bagCount}:${it.bagWeightKg}:700`);
    }
    // A round trip: the way back, later.
    if (!it.oneWay) body.push(`TVL+${date}+${it.destination}+${it.origin}+${it.carrier}+${it.flight}`);
  });
  return envelope('PNRGOV', ref, leg.carrier, 'PNRGOV', first.eventTime, body, `UNH+${ref}+PNRGOV:13:1:IA`);
}

import type { Pnr } from '../model/air-records.ts';
import type { Crossing, Itinerary } from '../model/crossing.ts';
import { digest, type FlightLeg, isoDate } from './air-values.ts';
import { EDIFACT_CODES, type EdifactProblem } from './edifact-error.ts';
import type { EdifactMessage } from './envelope.ts';
import type { MapOptions, MessageMapping } from './paxlst.ts';
import { placeOnLegs } from './paxlst.ts';
import { componentOf, type Segment } from './tokenise.ts';
import { journeyOf, paymentForm, readAddress, readContactLine, readDocs, readLeg, readPayment, stripTitle, type TravellerPart } from './pnr-segments.ts';
import { at, finishCrossing, problem } from './traveller-draft.ts';

/**
 * PNRGOV (IATA/ICAO/WCO PNRGOV Message Implementation Guide, EDIFACT 11.1 to 13.1; GTAS
 * reads 10.1 too) as its structure lays out: the pushed flight (TVL after MSG/ORG), then
 * per booking SRC (GR1) with RCI (record locator and creation date), DAT (700 last
 * transaction, 710 ticket issue), ORG (the booking agent), ADD and IFT CTC lines
 * (contacts), EBD (excess bags); per traveller TIF (GR2) with SSR DOCS (document), FOP
 * (payment), ADD, EBD; the itinerary TVL legs (GR5) with TBD (bags); and the history
 * (ABI, DAT ZT, SAC and the segment changed).
 */

type Leg = FlightLeg;

interface Booking {
  locator: string;
  start: number;
  createdOn?: string;
  otherDates: string[];
  agency: string;
  phones: string[];
  emails: string[];
  addresses: string[];
  payment?: Pnr['payment'];
  travellers: TravellerPart[];
  legs: Leg[];
  history: Pnr['history'];
}

/** Maps one PNRGOV message to crossing events: one per traveller of each booking on the pushed flight. */
export function mapPnrgov(message: EdifactMessage, options: MapOptions): MessageMapping {
  const ref = message.ref;
  const segs = message.segments;
  const referenceYear = Number(`20${message.interchange?.preparedDate.slice(0, 2) || '26'}`);
  const problems: EdifactProblem[] = [];
  const bookings: Booking[] = [];
  let pushed: Leg | undefined;
  let pushedAt: { s: Segment; n: number } | undefined;
  let booking: Booking | undefined;
  let traveller: TravellerPart | undefined;
  let inLegs = false;
  let inHistory = false;
  let nonAir = false;
  let historyDate: string | undefined;
  let historyAction: Pnr['history'][number]['action'] | undefined;

  for (let k = 1; k < segs.length - 1; k++) {
    const s = segs[k]!;
    const number = k + 1;
    if (s.tag === 'SRC') {
      booking = { locator: '', start: number, otherDates: [], agency: '', phones: [], emails: [], addresses: [], travellers: [], legs: [], history: [] };
      bookings.push(booking);
      traveller = undefined;
      inLegs = inHistory = nonAir = false;
      continue;
    }
    if (!booking) {
      if (s.tag === 'TVL' && !pushed) {
        pushed = readLeg(s, referenceYear);
        pushedAt = { s, n: number };
        if (!pushed) problems.push(problem(EDIFACT_CODES.invalid, 'the flight TVL is not date:time+from+to+carrier+flight', at(s, number), ref));
      }
      continue;
    }
    if (s.tag === 'ABI') {
      inHistory = true;
      historyDate = undefined;
      historyAction = undefined;
      continue;
    }
    if (inHistory) {
      if (s.tag === 'DAT') historyDate = isoDate(componentOf(s, 1, 2), 'future', referenceYear, true);
      else if (s.tag === 'SAC') {
        const code = componentOf(s, 3, 1);
        historyAction = code === 'A' ? 'added' : code === 'X' ? 'cancelled' : code === 'C' ? 'changed' : 'other';
      } else if (historyAction && booking.history.length < 200) {
        const values = s.elements.flatMap((e) => e[0] ?? []).filter((v) => v !== '').join(' ').replace(/\s+/g, ' ');
        booking.history.push({ ...(historyDate && { date: historyDate }), action: historyAction, item: `${s.tag} ${values}`.slice(0, 200).trim() });
      }
      continue;
    }
    switch (s.tag) {
      case 'RCI':
        if (booking.locator === '' && !inLegs) {
          booking.locator = componentOf(s, 1, 2).toUpperCase();
          const date = [componentOf(s, 1, 4), componentOf(s, 1, 3)].find((d) => /^\d{6}$/.test(d));
          const created = date && isoDate(date, 'future', referenceYear, true);
          if (created) booking.createdOn = created;
        }
        break;
      case 'DAT':
        if (!inLegs) {
          for (const e of s.elements) {
            const d = isoDate(e[0]?.[1] ?? '', 'future', referenceYear, true);
            if (d && (e[0]?.[0] === '700' || e[0]?.[0] === '710')) booking.otherDates.push(d);
          }
        }
        break;
      case 'ORG':
        if (!inLegs && booking.travellers.length === 0 && booking.agency === '') {
          const kind = componentOf(s, 5, 1);
          const airline = componentOf(s, 1, 1);
          // C336 (the agent's location) before C328 (the system's).
          const place = componentOf(s, 2, 2) || componentOf(s, 1, 2);
          const iata = componentOf(s, 2, 1);
          const who = kind === 'T' ? `Travel agent ${iata}` : kind === 'A' ? `${airline} office` : `${airline} ${iata}`.trim();
          booking.agency = `${who} ${place}`.trim().slice(0, 100);
        }
        break;
      case 'ADD':
        readAddress(s, traveller ?? booking);
        break;
      case 'IFT':
        if (componentOf(s, 1, 1) === '4' && componentOf(s, 1, 2) === '28') readContactLine(componentOf(s, 2), traveller ?? booking);
        break;
      case 'MSG':
        nonAir = componentOf(s, 1, 2) === '8' || componentOf(s, 1, 1) === '8';
        break;
      case 'TIF': {
        const family = componentOf(s, 1, 1).trim();
        const given = stripTitle(componentOf(s, 2, 1));
        const tref = componentOf(s, 2, 3);
        if (inLegs) {
          traveller = booking.travellers.find((t) => (tref !== '' && t.ref === tref) || (t.familyName === family && t.givenNames === given));
          break;
        }
        traveller = {
          draft: {
            start: at(s, number),
            label: `${family || '(no name)'}${given ? `, ${given}` : ''} (segment ${number})`,
            familyName: { value: family, at: at(s, number, 1, 1) },
            givenNames: { value: given, at: at(s, number, 2, 1) },
            problems: [],
          },
          ref: tref,
          familyName: family,
          givenNames: given,
          phones: [],
          emails: [],
          addresses: [],
          bags: 0,
          bagKg: 0,
        };
        booking.travellers.push(traveller);
        break;
      }
      case 'SSR':
        if (traveller && !inLegs && componentOf(s, 1, 1) === 'DOCS') readDocs(s, number, traveller, referenceYear, ref);
        break;
      case 'FOP': {
        const payment = readPayment(s);
        if (payment && traveller) traveller.payment ??= payment;
        else if (payment) booking.payment ??= payment;
        break;
      }
      case 'EBD': {
        const pieces = Number(componentOf(s, 2, 1));
        if (traveller && Number.isInteger(pieces) && pieces > 0 && pieces <= 50) traveller.bags = Math.max(traveller.bags, pieces);
        break;
      }
      case 'TBD': {
        const pieces = Number(componentOf(s, 2, 1));
        const weight = Number(componentOf(s, 2, 2));
        const unit = componentOf(s, 2, 3);
        if (traveller && Number.isInteger(pieces) && pieces > 0 && pieces <= 50) {
          traveller.bags = Math.max(traveller.bags, pieces);
          if (Number.isFinite(weight) && weight > 0) traveller.bagKg = Math.max(traveller.bagKg, Math.min(1000, unit === '701' ? Math.round(weight * 0.4536) : weight));
        }
        break;
      }
      case 'TVL': {
        inLegs = true;
        traveller = undefined;
        if (nonAir) break;
        const leg = readLeg(s, referenceYear);
        if (leg) booking.legs.push(leg);
        break;
      }
      default:
        break;
    }
  }

  if (!pushed || !pushedAt) {
    if (problems.length === 0) problems.push(problem(EDIFACT_CODES.missing, 'no flight (TVL before the first SRC) in the message', at(segs[0]!, 1), ref));
    return { events: [], rejectedTravellers: [], problems };
  }
  const placed = placeOnLegs([pushed], options.airportPosts);
  if (!placed) {
    return { events: [], rejectedTravellers: [], problems: [problem(EDIFACT_CODES.missing, 'the flight TVL has no departure or arrival time', at(pushedAt.s, pushedAt.n, 1), ref)] };
  }
  const events: Crossing[] = [];
  const rejectedTravellers: MessageMapping['rejectedTravellers'] = [];
  for (const b of bookings) {
    const journey = journeyOf(b.legs, pushed);
    const first = b.legs[0] ?? pushed;
    const last = b.legs[b.legs.length - 1] ?? pushed;
    const bookingDate = b.createdOn ?? [...b.otherDates].sort()[0];
    for (const t of b.travellers) {
      if (b.locator === '') {
        rejectedTravellers.push({ traveller: t.draft.label, problems: [problem(EDIFACT_CODES.missing, `traveller ${t.draft.label}: the booking has no record locator (RCI)`, at(segs[b.start - 1]!, b.start), ref)] });
        continue;
      }
      if (bookingDate === undefined) {
        rejectedTravellers.push({ traveller: t.draft.label, problems: [problem(EDIFACT_CODES.missing, `traveller ${t.draft.label}: no booking date (RCI 9916, DAT 700 or 710)`, at(segs[b.start - 1]!, b.start), ref)] });
        continue;
      }
      const payment = t.payment ?? b.payment;
      const itinerary: Itinerary = {
        carrier: pushed.carrier,
        flight: pushed.flight,
        origin: journey[0]!.from,
        destination: journey[journey.length - 1]!.to,
        routing: journey.slice(1).map((l) => l.from).slice(0, 20),
        bookingDate,
        paymentForm: paymentForm(payment?.code),
        oneWay: last.to !== first.from,
        bagCount: t.bags,
        bagWeightKg: t.bagKg,
        ticketAgency: b.agency,
      };
      const pnr: Pnr = {
        recordLocator: b.locator,
        contacts: {
          phones: [...new Set([...t.phones, ...b.phones])].slice(0, 20),
          emails: [...new Set([...t.emails, ...b.emails])].slice(0, 20),
          addresses: [...new Set([...t.addresses, ...b.addresses])].slice(0, 20),
        },
        ...(payment && { payment }),
        coTravellers: b.travellers.filter((o) => o !== t && o.familyName !== '').map((o) => ({ familyName: o.familyName, givenNames: o.givenNames })).slice(0, 99),
        history: b.history,
      };
      const dayOfFlight = (pushed.departure ?? pushed.arrival ?? '').slice(0, 10).replace(/-/g, '');
      const eventId = `pnrgov-${pushed.carrier}${pushed.flight}-${dayOfFlight}-${pushed.from}${pushed.to}-${digest(b.locator, t.ref, t.familyName, t.givenNames)}`;
      const source = {
        format: 'pnrgov' as const,
        version: `${message.version}.${message.release}`.slice(0, 12),
        messageRef: ref,
        ...(message.interchange?.controlRef && { interchangeRef: message.interchange.controlRef }),
        ...(message.interchange?.sender && { sender: message.interchange.sender }),
        segment: t.draft.start.segment,
      };
      const done = finishCrossing(t.draft, { eventId, place: placed.place, source, itinerary, pnr }, ref);
      if ('event' in done) events.push(done.event);
      else rejectedTravellers.push({ traveller: t.draft.label, problems: done.problems });
    }
  }
  return { events, rejectedTravellers, problems: [] };
}

import type { Api } from '../model/air-records.ts';
import type { Crossing } from '../model/crossing.ts';
import { clockTime, digest, documentNumber, type FlightLeg, isoDate, offsetOfPost, splitFlight, stateCode } from './air-values.ts';
import { EDIFACT_CODES, type EdifactProblem } from './edifact-error.ts';
import type { EdifactMessage } from './envelope.ts';
import { componentOf, type Segment } from './tokenise.ts';
import { at, type CrossingPlace, finishCrossing, problem, type Read, type TravellerDraft } from './traveller-draft.ts';

/**
 * PAXLST (UN/EDIFACT D02B and D05B) read as the WCO/IATA/ICAO PAXLST Implementation Guide
 * (API Guidelines, Appendix II, v3.0 2010 and v5.0 2015) lays it out:
 *
 * - SG2 TDT (8051 = 20, flight `KC0101`, carrier in C040) with SG3 LOC/DTM: LOC 3227 = 125
 *   last departure airport and DTM 2005 = 189 departure; 87 first arrival airport and 232
 *   arrival; US APIS writes both as 92 (routing), departure first;
 * - SG4 NAD (3035 FL passenger, FM crew, DDU/DDT in transit; C080 family:given:given),
 *   ATT (9017 = 2, gender), DTM 329 (date of birth), LOC 178/179 (embarkation,
 *   debarkation), 174 (residence), NAT (3493 = 2), RFF (AVF booking reference);
 * - SG5 DOC (C002 1001 document type, C503 1004 number), DTM 36 (expiry), LOC 91 (issuing
 *   state);
 * - CNT 6069 = 41 crew total, 42 passenger total.
 */

/** A leg of the flight the list is for. */
interface Leg extends FlightLeg {
  at: Segment;
  number: number;
}

export interface MessageMapping {
  events: Crossing[];
  /** Travellers rejected: each with the problems that name where. */
  rejectedTravellers: { traveller: string; problems: EdifactProblem[] }[];
  /** Problems that reject the whole message. */
  problems: EdifactProblem[];
}

export interface MapOptions {
  /** IATA airport → border post id, for the airports that are posts (`rules/lists/post-airports.yaml`). */
  airportPosts: ReadonlyMap<string, string>;
  /** Read a message whose CNT control totals disagree (a lenient read). @default false */
  ignoreCounts?: boolean;
}

const ROLES: Readonly<Record<string, Api['role']>> = { FL: 'passenger', FM: 'crew', DDU: 'transit-passenger', DDT: 'transit-crew', COT: 'crew' };

/** The flight leg the crossing is on, and where and when it crosses: a leg into or out of a known post, else the last leg's arrival. */
export function placeOnLegs(
  legs: readonly FlightLeg[],
  airportPosts: ReadonlyMap<string, string>,
): { leg: number; place: CrossingPlace } | undefined {
  const choose = (k: number, direction: 'entry' | 'exit', post: string): { leg: number; place: CrossingPlace } | undefined => {
    const leg = legs[k]!;
    const local = direction === 'entry' ? (leg.arrival ?? leg.departure) : (leg.departure ?? leg.arrival);
    if (local === undefined) return undefined;
    return { leg: k, place: { post, direction, eventTime: `${local}:00.000${offsetOfPost(post)}` } };
  };
  for (let k = 0; k < legs.length; k++) {
    const post = airportPosts.get(legs[k]!.to);
    if (post) return choose(k, 'entry', post);
  }
  for (let k = 0; k < legs.length; k++) {
    const post = airportPosts.get(legs[k]!.from);
    if (post) return choose(k, 'exit', post);
  }
  if (legs.length === 0) return undefined;
  // An airport outside the known posts: XX is an ISO 3166 user-assigned code, never a country.
  return choose(legs.length - 1, 'entry', `XX-${legs[legs.length - 1]!.to}`);
}

/** Maps one PAXLST message to crossing events, one per traveller. */
export function mapPaxlst(message: EdifactMessage, options: MapOptions): MessageMapping {
  const ref = message.ref;
  const segs = message.segments;
  const problems: EdifactProblem[] = [];
  const referenceYear = Number(`20${message.interchange?.preparedDate.slice(0, 2) || '26'}`);
  const legs: Leg[] = [];
  const drafts: { draft: TravellerDraft; role: Api['role']; extra: Partial<Api>; docs: { type: Read; number: Read; expiry?: Read; issuer?: Read }[] }[] = [];
  const counts: { qualifier: string; value: number; at: Segment; number: number }[] = [];
  let leg: Leg | undefined;
  let current: (typeof drafts)[number] | undefined;
  let inDoc: (typeof drafts)[number]['docs'][number] | undefined;
  let pendingLoc: string | undefined;

  const dtm = (segment: Segment, number: number): { qualifier: string; date?: string; time?: string; read: Read } => {
    const qualifier = componentOf(segment, 1, 1);
    const value = componentOf(segment, 1, 2);
    const read = { value, at: at(segment, number, 1, 2) };
    if (/^\d{10}$|^\d{12}$/.test(value)) {
      const date = isoDate(value.slice(0, value.length - 4), 'future', referenceYear);
      const time = clockTime(value.slice(-4));
      return { qualifier, ...(date && { date }), ...(time && { time }), read };
    }
    return { qualifier, read };
  };

  for (let k = 1; k < segs.length - 1; k++) {
    const s = segs[k]!;
    const number = k + 1;
    switch (s.tag) {
      case 'TDT': {
        current = undefined;
        inDoc = undefined;
        const id = splitFlight(componentOf(s, 2), componentOf(s, 5, 1));
        if (!id) {
          problems.push(problem(EDIFACT_CODES.invalid, `TDT flight ${JSON.stringify(componentOf(s, 2))} is not a carrier and flight number`, at(s, number, 2), ref));
          leg = undefined;
          break;
        }
        leg = { ...id, from: '', to: '', at: s, number };
        legs.push(leg);
        break;
      }
      case 'LOC': {
        const qualifier = componentOf(s, 1);
        const place = componentOf(s, 2).toUpperCase();
        if (current) {
          const read = { value: place, at: at(s, number, 2) };
          if (inDoc && qualifier === '91') inDoc.issuer = read;
          else if (qualifier === '178' && /^[A-Z]{3}$/.test(place)) current.extra.embarkation = place;
          else if (qualifier === '179' && /^[A-Z]{3}$/.test(place)) current.extra.debarkation = place;
          else if (qualifier === '174') {
            const residence = stateCode(place);
            if (residence) current.extra.residence = residence;
          }
        } else if (leg) {
          pendingLoc = undefined;
          if (qualifier === '125' || (qualifier === '92' && leg.from === '')) {
            leg.from = place;
            pendingLoc = 'from';
          } else if (qualifier === '87' || qualifier === '92') {
            leg.to = place;
            pendingLoc = 'to';
          }
        }
        break;
      }
      case 'DTM': {
        const d = dtm(s, number);
        if (current) {
          const century = d.qualifier === '329' ? 'past' : 'future';
          const date = d.qualifier === '329' || (d.qualifier === '36' && inDoc) ? dateRead(d.read, century, referenceYear, current.draft, ref) : undefined;
          if (date && d.qualifier === '329') current.draft.dateOfBirth = date;
          else if (date && inDoc) inDoc.expiry = date;
        } else if (leg && d.date && d.time) {
          const local = `${d.date}T${d.time}`;
          if (d.qualifier === '189' || (pendingLoc === 'from' && d.qualifier !== '232')) leg.departure = local;
          else if (d.qualifier === '232' || pendingLoc === 'to') leg.arrival = local;
        } else if (leg && d.read.value !== '') {
          problems.push(problem(EDIFACT_CODES.invalid, `DTM ${d.qualifier} ${JSON.stringify(d.read.value)} is not a date and time (YYMMDDHHMM)`, d.read.at, ref));
        }
        break;
      }
      case 'NAD': {
        const role = ROLES[componentOf(s, 1)];
        inDoc = undefined;
        if (role === undefined) {
          current = undefined;
          break;
        }
        const family = componentOf(s, 4, 1).trim();
        const given = [componentOf(s, 4, 2), componentOf(s, 4, 3)].map((g) => g.trim()).filter((g) => g !== '').join(' ');
        const draft: TravellerDraft = {
          start: at(s, number),
          label: `${family || '(no name)'}${given ? `, ${given}` : ''} (segment ${number})`,
          familyName: { value: family, at: at(s, number, 4, 1) },
          givenNames: { value: given, at: at(s, number, 4, 2) },
          problems: [],
        };
        current = { draft, role, extra: {}, docs: [] };
        drafts.push(current);
        break;
      }
      case 'ATT':
        if (current && componentOf(s, 1) === '2') current.draft.sex = { value: componentOf(s, 3, 1), at: at(s, number, 3, 1) };
        break;
      case 'NAT':
        if (current) current.draft.nationality = { value: stateCode(componentOf(s, 2)) ?? componentOf(s, 2), at: at(s, number, 2) };
        break;
      case 'RFF':
        if (current && componentOf(s, 1, 1) === 'AVF' && componentOf(s, 1, 2) !== '') current.extra.reservation = componentOf(s, 1, 2);
        break;
      case 'DOC': {
        if (!current) break;
        const type = componentOf(s, 1, 1);
        inDoc = { type: { value: type, at: at(s, number, 1, 1) }, number: { value: documentNumber(componentOf(s, 2, 1)), at: at(s, number, 2, 1) } };
        // A visa is not the document the traveller crosses on.
        if (type !== 'V') current.docs.push(inDoc);
        break;
      }
      case 'CNT': {
        current = undefined;
        const qualifier = componentOf(s, 1, 1);
        // The guide writes CNT+42:2; some carriers write CNT+42+2.
        const text = componentOf(s, 1, 2) || componentOf(s, 2, 1);
        if (/^\d{1,6}$/.test(text)) counts.push({ qualifier, value: Number(text), at: s, number });
        break;
      }
      default:
        break;
    }
  }

  if (legs.length === 0) problems.push(problem(EDIFACT_CODES.missing, 'no flight (TDT segment group) in the message', at(segs[0]!, 1), ref));
  for (const l of legs) {
    if (l.from === '' || l.to === '') problems.push(problem(EDIFACT_CODES.missing, `flight ${l.carrier}${l.flight}: no departure or arrival airport (LOC 125/87)`, at(l.at, l.number), ref));
  }
  for (const c of options.ignoreCounts ? [] : counts) {
    const role = c.qualifier === '41' ? ['crew', 'transit-crew'] : c.qualifier === '42' ? ['passenger', 'transit-passenger'] : undefined;
    if (!role) continue;
    const found = drafts.filter((d) => role.includes(d.role)).length;
    if (found !== c.value) {
      problems.push(problem(EDIFACT_CODES.count, `CNT ${c.qualifier} counts ${c.value} ${c.qualifier === '41' ? 'crew' : 'passengers'}, the message lists ${found}`, at(c.at, c.number, 1, 2), ref));
    }
  }
  const placed = problems.length === 0 ? placeOnLegs(legs, options.airportPosts) : undefined;
  if (problems.length === 0 && !placed) problems.push(problem(EDIFACT_CODES.missing, 'the flight has no departure or arrival time (DTM 189/232)', at(legs[0]!.at, legs[0]!.number), ref));
  if (problems.length > 0 || !placed) return { events: [], rejectedTravellers: [], problems };

  const crossingLeg = legs[placed.leg]!;
  const events: Crossing[] = [];
  const rejectedTravellers: MessageMapping['rejectedTravellers'] = [];
  for (const d of drafts) {
    const doc = d.docs.find((x) => x.type.value.startsWith('P')) ?? d.docs[0];
    if (doc) {
      d.draft.documentType = doc.type;
      d.draft.documentNumber = doc.number;
      if (doc.expiry) d.draft.documentExpiry = doc.expiry;
      if (doc.issuer) d.draft.issuingState = { value: stateCode(doc.issuer.value) ?? doc.issuer.value, at: doc.issuer.at };
    }
    const api: Api = {
      role: d.role,
      carrier: crossingLeg.carrier,
      flight: crossingLeg.flight,
      origin: crossingLeg.from,
      destination: crossingLeg.to,
      ...(crossingLeg.departure && { departure: crossingLeg.departure }),
      ...(crossingLeg.arrival && { arrival: crossingLeg.arrival }),
      ...d.extra,
    };
    const dayOfFlight = (crossingLeg.departure ?? crossingLeg.arrival ?? '').slice(0, 10).replace(/-/g, '');
    const eventId = `paxlst-${crossingLeg.carrier}${crossingLeg.flight}-${dayOfFlight}-${crossingLeg.from}${crossingLeg.to}-${digest(
      d.role,
      doc?.type.value ?? '',
      doc?.number.value ?? '',
      d.draft.familyName?.value ?? '',
      d.draft.givenNames?.value ?? '',
      d.draft.dateOfBirth?.value ?? '',
    )}`;
    const source = {
      format: 'paxlst' as const,
      version: `${message.version}${message.release}`.slice(0, 12),
      messageRef: ref,
      ...(message.interchange?.controlRef && { interchangeRef: message.interchange.controlRef }),
      ...(message.interchange?.sender && { sender: message.interchange.sender }),
      segment: d.draft.start.segment,
    };
    const done = finishCrossing(d.draft, { eventId, place: placed.place, source, api }, ref);
    if ('event' in done) events.push(done.event);
    else rejectedTravellers.push({ traveller: d.draft.label, problems: done.problems });
  }
  return { events, rejectedTravellers, problems: [] };
}

/** A DTM date read as ISO, or the draft given a problem naming where. */
function dateRead(read: Read, century: 'past' | 'future', referenceYear: number, draft: TravellerDraft, ref: string): Read | undefined {
  const value = isoDate(read.value, century, referenceYear);
  if (value === undefined) {
    draft.problems.push(problem(EDIFACT_CODES.invalid, `traveller ${draft.label}: ${JSON.stringify(read.value)} is not a date (YYMMDD or CCYYMMDD)`, read.at, ref));
    return undefined;
  }
  return { value, at: read.at };
}

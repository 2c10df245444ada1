import type { Api, MessageSource, Pnr } from '../model/air-records.ts';
import type { Crossing, Itinerary } from '../model/crossing.ts';
import { validateEvent } from '../model/event.ts';
import { EDIFACT_CODES, type EdifactPosition, type EdifactProblem } from './edifact-error.ts';
import type { Segment } from './tokenise.ts';

/** A value read from a message, with where it was read. */
export interface Read {
  value: string;
  at: EdifactPosition;
}

/** What a message says of one traveller, before it becomes a crossing. */
export interface TravellerDraft {
  /** Where the traveller's data begins (NAD or TIF). */
  start: EdifactPosition;
  /** The traveller as people read it in a rejection: `O'BRIEN, SEAN`. */
  label: string;
  familyName?: Read;
  givenNames?: Read;
  dateOfBirth?: Read;
  sex?: Read;
  nationality?: Read;
  documentType?: Read;
  documentNumber?: Read;
  documentExpiry?: Read;
  issuingState?: Read;
  /** Problems found while reading (a date that is no date): they reject the traveller. */
  problems: EdifactProblem[];
}

/** Where the crossing happened and when, worked out from the flight. */
export interface CrossingPlace {
  post: string;
  direction: 'entry' | 'exit';
  eventTime: string;
}

export interface DraftParts {
  eventId: string;
  place: CrossingPlace;
  source: MessageSource;
  itinerary?: Itinerary;
  api?: Api;
  pnr?: Pnr;
}

/** The position of segment `segment` (number `number` in its message), element and component given. */
export function at(segment: Segment, number: number, element?: number, component?: number): EdifactPosition {
  return { offset: segment.offset, segment: number, tag: segment.tag, ...(element === undefined ? {} : { element }), ...(component === undefined ? {} : { component }) };
}

export function problem(code: EdifactProblem['code'], message: string, position: EdifactPosition, messageRef: string): EdifactProblem {
  return { code, message, position, messageRef };
}

/** The draft field a path of the event schema comes from, so that a schema issue names the segment. */
function fieldOf(draft: TravellerDraft, path: string): Read | undefined {
  const map: Record<string, Read | undefined> = {
    'traveller.familyName': draft.familyName,
    'traveller.givenNames': draft.givenNames,
    'traveller.dateOfBirth': draft.dateOfBirth,
    'traveller.sex': draft.sex,
    'traveller.nationality': draft.nationality,
    'document.type': draft.documentType,
    'document.number': draft.documentNumber,
    'document.expiry': draft.documentExpiry,
    'document.issuingState': draft.issuingState,
  };
  return map[path];
}

const SEXES: Readonly<Record<string, 'F' | 'M' | 'X'>> = { F: 'F', M: 'M', X: 'X', U: 'X', FI: 'F', MI: 'M' };

/** Document type codes (PAXLST DOC 1001, SSR DOCS) as the event schema names them. */
export function documentType(code: string): Crossing['document']['type'] {
  const c = code.toUpperCase();
  if (c === 'AC') return 'crew-certificate';
  if (c === 'S' || c === 'SI') return 'seafarer-id';
  if (c === 'PR' || c === 'T' || c === 'R') return 'refugee-travel-document';
  if (c.startsWith('P')) return 'passport';
  if (c === 'I' || c === 'A' || c === 'C' || c === 'ID' || c === 'IP') return 'id-card';
  return 'other';
}

/**
 * Builds the crossing of a draft, or the problems that reject the traveller: a field the
 * event schema requires and the message does not give, or a value the schema refuses,
 * each named by segment, tag and element.
 */
export function finishCrossing(draft: TravellerDraft, parts: DraftParts, messageRef: string): { event: Crossing } | { problems: EdifactProblem[] } {
  const problems = [...draft.problems];
  const need = (read: Read | undefined, what: string): string => {
    if (read === undefined || read.value === '') {
      problems.push(problem(EDIFACT_CODES.missing, `traveller ${draft.label}: no ${what}`, read?.at ?? draft.start, messageRef));
      return '';
    }
    return read.value;
  };
  const familyName = need(draft.familyName, 'family name');
  const dateOfBirth = need(draft.dateOfBirth, 'date of birth');
  const sexCode = need(draft.sex, 'gender');
  const nationality = need(draft.nationality, 'nationality');
  const typeCode = need(draft.documentType, 'travel document (type)');
  const number = need(draft.documentNumber, 'travel document number');
  const expiry = need(draft.documentExpiry, 'document expiry date');
  const issuingState = need(draft.issuingState, 'document issuing state');
  const sex = SEXES[sexCode.toUpperCase()];
  if (sexCode !== '' && sex === undefined) problems.push(problem(EDIFACT_CODES.invalid, `traveller ${draft.label}: gender ${JSON.stringify(sexCode)} is not M, F, U or X`, draft.sex!.at, messageRef));
  if (problems.length > 0) return { problems };
  const candidate: Crossing = {
    schemaVersion: 1,
    kind: 'crossing',
    eventId: parts.eventId,
    eventTime: parts.place.eventTime,
    post: parts.place.post,
    direction: parts.place.direction,
    mode: 'air',
    traveller: { familyName, givenNames: draft.givenNames?.value ?? '', dateOfBirth, sex: sex!, nationality },
    document: { type: documentType(typeCode), number, issuingState, expiry },
    ...(parts.itinerary && { itinerary: parts.itinerary }),
    ...(parts.api && { api: parts.api }),
    ...(parts.pnr && { pnr: parts.pnr }),
    source: parts.source,
  };
  const result = validateEvent(candidate);
  if (result.success) return { event: result.event as Crossing };
  return {
    problems: result.issues.map((issue) =>
      problem(EDIFACT_CODES.invalid, `traveller ${draft.label}: ${issue.path}: ${issue.message}`, fieldOf(draft, issue.path)?.at ?? draft.start, messageRef),
    ),
  };
}

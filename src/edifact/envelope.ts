import { EDIFACT_CODES, type EdifactCode, type EdifactProblem } from './edifact-error.ts';
import { componentOf, DEFAULT_LIMITS, type Delimiters, type ReadLimits, type Segment, tokenise } from './tokenise.ts';

/** The interchange header (UNB) a message came in, as evidence of where it came from. */
export interface InterchangeHeader {
  /** S002 0004, the sender identification. */
  sender: string;
  /** S003 0010, the recipient identification. */
  recipient: string;
  /** S004: date (YYMMDD) and time (HHMM) of preparation. */
  preparedDate: string;
  preparedTime: string;
  /** 0020, the interchange control reference. */
  controlRef: string;
}

/** One message, UNH to UNT inclusive, with the envelope it came in. */
export interface EdifactMessage {
  /** UNH 0062, the message reference number. */
  ref: string;
  /** S009: message type (PAXLST, PNRGOV), version, release, controlling agency, association code. */
  type: string;
  version: string;
  release: string;
  agency: string;
  association: string;
  /** UNH to UNT inclusive; `segments[k]` is segment number k + 1 (UNT's count). */
  segments: Segment[];
  interchange: InterchangeHeader | undefined;
  /** UNG 0048, when the message came in a functional group. */
  groupRef: string | undefined;
  /** Envelope problems: any one rejects the whole message. */
  problems: EdifactProblem[];
  /** Envelope disagreements let through by `envelope: 'lenient'`, kept as evidence. */
  warnings: EdifactProblem[];
}

/** How strictly the envelope is held. */
export interface ReadOptions {
  /** Size bounds; any not given take `DEFAULT_LIMITS`. */
  limits?: Partial<ReadLimits>;
  /**
   * `strict` rejects a message whose UNT, UNE or UNZ count or reference disagrees, or
   * whose UNE or UNZ is missing (ISO 9735-1 §6). `lenient` reads it and keeps each
   * disagreement as a warning: for loading archives and test sets whose trailers were
   * edited by hand (the public GTAS samples). A message without UNT is rejected either way.
   * @default 'strict'
   */
  envelope?: 'strict' | 'lenient';
}

const LENIENT_CODES: ReadonlySet<string> = new Set([EDIFACT_CODES.count, EDIFACT_CODES.reference, EDIFACT_CODES.missingTrailer]);

export interface ReadResult {
  delimiters: Delimiters;
  messages: EdifactMessage[];
  /** Problems outside any message (a segment between messages, a UNZ without UNB). */
  problems: EdifactProblem[];
}

interface OpenInterchange {
  header: InterchangeHeader;
  unb: Segment;
  messages: EdifactMessage[];
  groups: number;
}

interface OpenGroup {
  ref: string;
  ung: Segment;
  messages: EdifactMessage[];
}

function problemAt(code: EdifactCode, message: string, segment: Segment, number: number, element?: number, messageRef?: string): EdifactProblem {
  const position = { offset: segment.offset, segment: number, tag: segment.tag, ...(element === undefined ? {} : { element }) };
  return { code, message, position, ...(messageRef === undefined ? {} : { messageRef }) };
}

function count(text: string): number | undefined {
  return /^[0-9]{1,10}$/.test(text) ? Number(text) : undefined;
}

/**
 * Reads an input of one or more interchanges (UNB…UNZ, ISO 9735-1 §6) into messages,
 * checking each envelope: UNT's segment count and reference against its UNH, UNE's
 * message count and reference against its UNG, UNZ's count (groups, or messages when
 * there are none) and reference against its UNB. A message whose envelope disagrees, or
 * whose UNT is missing, carries the problem and is to be rejected whole; an interchange
 * fault (UNZ count or reference, no UNZ) is given to each of its messages. A bare
 * UNH…UNT without UNB is read (some gateways strip the interchange). Throws only
 * `EdifactError`, when the input has no segment structure or passes a size bound.
 */
export function readInterchange(text: string, options: ReadOptions = {}): ReadResult {
  const limits: ReadLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const { delimiters, segments, trailing } = tokenise(text, limits);
  const messages: EdifactMessage[] = [];
  const problems: EdifactProblem[] = trailing ? [trailing] : [];
  let interchange: OpenInterchange | undefined;
  let group: OpenGroup | undefined;
  let message: EdifactMessage | undefined;

  const closeMessage = (why: string | undefined, at: Segment): void => {
    if (!message) return;
    if (why !== undefined) message.problems.push(problemAt(EDIFACT_CODES.envelope, why, at, message.segments.length + 1, undefined, message.ref));
    message = undefined;
  };
  const rejectAll = (list: readonly EdifactMessage[], problem: EdifactProblem): void => {
    for (const m of list) m.problems.push({ ...problem, messageRef: m.ref });
  };
  const closeGroup = (at: Segment, une: Segment | undefined): void => {
    if (!group) return;
    if (une === undefined) {
      rejectAll(group.messages, problemAt(EDIFACT_CODES.missingTrailer, `functional group ${group.ref} has no UNE`, at, at.index));
    } else {
      const stated = count(componentOf(une, 1));
      if (stated !== group.messages.length) {
        rejectAll(group.messages, problemAt(EDIFACT_CODES.count, `UNE counts ${JSON.stringify(componentOf(une, 1))} messages, the group holds ${group.messages.length}`, une, une.index, 1));
      }
      if (componentOf(une, 2) !== group.ref) {
        rejectAll(group.messages, problemAt(EDIFACT_CODES.reference, `UNE reference ${JSON.stringify(componentOf(une, 2))} differs from UNG's ${JSON.stringify(group.ref)}`, une, une.index, 2));
      }
    }
    group = undefined;
  };
  const closeInterchange = (at: Segment, unz: Segment | undefined): void => {
    if (!interchange) return;
    const ref = interchange.header.controlRef;
    if (unz === undefined) {
      rejectAll(interchange.messages, problemAt(EDIFACT_CODES.missingTrailer, `interchange ${ref} has no UNZ`, at, at.index));
    } else {
      const expected = interchange.groups > 0 ? interchange.groups : interchange.messages.length;
      const what = interchange.groups > 0 ? 'groups' : 'messages';
      const stated = count(componentOf(unz, 1));
      if (stated !== expected) {
        rejectAll(interchange.messages, problemAt(EDIFACT_CODES.count, `UNZ counts ${JSON.stringify(componentOf(unz, 1))} ${what}, the interchange holds ${expected}`, unz, unz.index, 1));
      }
      if (componentOf(unz, 2) !== ref) {
        rejectAll(interchange.messages, problemAt(EDIFACT_CODES.reference, `UNZ reference ${JSON.stringify(componentOf(unz, 2))} differs from UNB's ${JSON.stringify(ref)}`, unz, unz.index, 2));
      }
    }
    interchange = undefined;
  };

  for (const segment of segments) {
    switch (segment.tag) {
      case 'UNB': {
        if (message) closeMessage('message has no UNT before the next UNB', segment);
        if (group) closeGroup(segment, undefined);
        if (interchange) closeInterchange(segment, undefined);
        interchange = {
          header: {
            sender: componentOf(segment, 2),
            recipient: componentOf(segment, 3),
            preparedDate: componentOf(segment, 4, 1),
            preparedTime: componentOf(segment, 4, 2),
            controlRef: componentOf(segment, 5),
          },
          unb: segment,
          messages: [],
          groups: 0,
        };
        break;
      }
      case 'UNG': {
        if (message) closeMessage('message has no UNT before the next UNG', segment);
        if (group) closeGroup(segment, undefined);
        group = { ref: componentOf(segment, 5), ung: segment, messages: [] };
        if (interchange) interchange.groups++;
        break;
      }
      case 'UNH': {
        if (message) closeMessage('message has no UNT before the next UNH', segment);
        message = {
          ref: componentOf(segment, 1),
          type: componentOf(segment, 2, 1),
          version: componentOf(segment, 2, 2),
          release: componentOf(segment, 2, 3),
          agency: componentOf(segment, 2, 4),
          association: componentOf(segment, 2, 5),
          segments: [segment],
          interchange: interchange?.header,
          groupRef: group?.ref,
          problems: [],
          warnings: [],
        };
        if (message.ref === '') message.problems.push(problemAt(EDIFACT_CODES.envelope, 'UNH has no message reference (0062)', segment, 1, 1));
        messages.push(message);
        interchange?.messages.push(message);
        group?.messages.push(message);
        break;
      }
      case 'UNT': {
        if (!message) {
          problems.push(problemAt(EDIFACT_CODES.envelope, 'UNT outside a message', segment, segment.index));
          break;
        }
        message.segments.push(segment);
        const number = message.segments.length;
        const stated = count(componentOf(segment, 1));
        if (stated !== number) {
          message.problems.push(problemAt(EDIFACT_CODES.count, `UNT counts ${JSON.stringify(componentOf(segment, 1))} segments, the message has ${number} (UNH to UNT)`, segment, number, 1, message.ref));
        }
        if (componentOf(segment, 2) !== message.ref) {
          message.problems.push(problemAt(EDIFACT_CODES.reference, `UNT reference ${JSON.stringify(componentOf(segment, 2))} differs from UNH's ${JSON.stringify(message.ref)}`, segment, number, 2, message.ref));
        }
        closeMessage(undefined, segment);
        break;
      }
      case 'UNE': {
        if (message) closeMessage('message has no UNT before UNE', segment);
        if (!group) problems.push(problemAt(EDIFACT_CODES.envelope, 'UNE without UNG', segment, segment.index));
        else closeGroup(segment, segment);
        break;
      }
      case 'UNZ': {
        if (message) closeMessage('message has no UNT before UNZ', segment);
        if (group) closeGroup(segment, undefined);
        if (!interchange) problems.push(problemAt(EDIFACT_CODES.envelope, 'UNZ without UNB', segment, segment.index));
        else closeInterchange(segment, segment);
        break;
      }
      default: {
        if (!message) {
          problems.push(problemAt(EDIFACT_CODES.envelope, `segment ${segment.tag} outside a message (no UNH before it)`, segment, segment.index));
          break;
        }
        message.segments.push(segment);
        if (message.segments.length === limits.maxMessageSegments + 1) {
          message.problems.push(problemAt(EDIFACT_CODES.messageTooLarge, `message has more than ${limits.maxMessageSegments} segments`, segment, message.segments.length, undefined, message.ref));
        }
      }
    }
  }
  const last = segments[segments.length - 1]!;
  if (message) closeMessage('message has no UNT', last);
  if (group) closeGroup(last, undefined);
  if (interchange) closeInterchange(last, undefined);
  if (options.envelope === 'lenient') {
    for (const m of messages) {
      m.warnings = m.problems.filter((p) => LENIENT_CODES.has(p.code));
      m.problems = m.problems.filter((p) => !LENIENT_CODES.has(p.code));
    }
  }
  return { delimiters, messages, problems };
}

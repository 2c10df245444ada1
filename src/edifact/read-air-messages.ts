import type { Crossing } from '../model/crossing.ts';
import { EDIFACT_CODES, EdifactError, type EdifactProblem } from './edifact-error.ts';
import { type EdifactMessage, type ReadOptions, readInterchange } from './envelope.ts';
import { type MapOptions, type MessageMapping, mapPaxlst } from './paxlst.ts';
import { mapPnrgov } from './pnrgov.ts';

/** What could not be read, and at which level: the whole input, one message, or one traveller. */
export interface AirRejection {
  scope: 'input' | 'message' | 'traveller';
  /** UNH 0062 of the message, when inside one. */
  messageRef?: string;
  /** The traveller, for a traveller's rejection: `O'BRIEN, SEAN (segment 12)`. */
  traveller?: string;
  problems: EdifactProblem[];
}

export interface AirReadResult {
  events: Crossing[];
  rejections: AirRejection[];
  /** Disagreements let through by a lenient envelope, kept as evidence. */
  warnings: EdifactProblem[];
  /** Messages found in the input, read or not. */
  messages: number;
}

export type AirReadOptions = ReadOptions & Partial<MapOptions>;

/** The message types and versions read (docs/api-pnr.md). */
function mapperOf(message: EdifactMessage): ((m: EdifactMessage, o: MapOptions) => MessageMapping) | string {
  if (message.type === 'PAXLST') {
    const version = `${message.version}${message.release}`;
    return version === 'D02B' || version === 'D05B' ? mapPaxlst : `PAXLST ${version} is not read (D02B and D05B are)`;
  }
  if (message.type === 'PNRGOV') {
    const major = Number(message.version);
    return Number.isFinite(major) && major >= 10 ? mapPnrgov : `PNRGOV ${message.version}.${message.release} is not read (10.1 and later are)`;
  }
  return `message type ${JSON.stringify(message.type)} is not read (PAXLST and PNRGOV are)`;
}

/**
 * Reads airline messages (PAXLST, PNRGOV) from the text of one transmission or file into
 * crossing events. Nothing is dropped without a word: an input that cannot be split into
 * segments, a message whose envelope disagrees, a message of another type, and each
 * traveller that cannot become a valid crossing come back as rejections naming message
 * reference, segment number and tag, and element position. Never throws.
 */
export function readAirMessages(text: string, options: AirReadOptions = {}): AirReadResult {
  const mapOptions: MapOptions = { airportPosts: options.airportPosts ?? new Map() };
  const result: AirReadResult = { events: [], rejections: [], warnings: [], messages: 0 };
  let read: ReturnType<typeof readInterchange>;
  try {
    read = readInterchange(text, options);
  } catch (error) {
    if (error instanceof EdifactError) {
      result.rejections.push({ scope: 'input', problems: [error.problem] });
      return result;
    }
    throw error;
  }
  if (read.problems.length > 0) result.rejections.push({ scope: 'input', problems: read.problems });
  result.messages = read.messages.length;
  for (const message of read.messages) {
    result.warnings.push(...message.warnings);
    if (message.problems.length > 0) {
      result.rejections.push({ scope: 'message', messageRef: message.ref, problems: message.problems });
      continue;
    }
    const mapper = mapperOf(message);
    if (typeof mapper === 'string') {
      const unh = message.segments[0]!;
      result.rejections.push({
        scope: 'message',
        messageRef: message.ref,
        problems: [{ code: EDIFACT_CODES.unsupported, message: mapper, position: { offset: unh.offset, segment: 1, tag: 'UNH', element: 2 }, messageRef: message.ref }],
      });
      continue;
    }
    const mapped = mapper(message, mapOptions);
    if (mapped.problems.length > 0) {
      if (options.envelope === 'lenient') {
        const counts = mapped.problems.filter((p) => p.code === EDIFACT_CODES.count);
        if (counts.length === mapped.problems.length) {
          // Only control totals disagree: read as the envelope is read, leniently.
          result.warnings.push(...counts);
          const again = mapper(message, { ...mapOptions, ignoreCounts: true });
          collect(result, message, again);
          continue;
        }
      }
      result.rejections.push({ scope: 'message', messageRef: message.ref, problems: mapped.problems });
      continue;
    }
    collect(result, message, mapped);
  }
  return result;
}

function collect(result: AirReadResult, message: EdifactMessage, mapped: MessageMapping): void {
  result.events.push(...mapped.events);
  for (const t of mapped.rejectedTravellers) result.rejections.push({ scope: 'traveller', messageRef: message.ref, traveller: t.traveller, problems: t.problems });
  if (mapped.problems.length > 0) result.rejections.push({ scope: 'message', messageRef: message.ref, problems: mapped.problems });
}

/** The name of the reference list of airport posts, `POST:IATA` values (`rules/lists/post-airports.yaml`). */
export const AIRPORT_POSTS_LIST = 'post-airports';

/** IATA airport → post id from `POST:IATA` values such as `KZ-ALA:ALA` (any case). */
export function airportPostsFrom(values: Iterable<string>): Map<string, string> {
  const posts = new Map<string, string>();
  for (const value of values) {
    const m = /^([A-Za-z]{2}-[A-Za-z0-9-]+):([A-Za-z]{3})$/.exec(value.trim());
    if (m) posts.set(m[2]!.toUpperCase(), m[1]!.toUpperCase());
  }
  return posts;
}

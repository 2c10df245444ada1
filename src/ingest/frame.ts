import { describeProblem } from '../edifact/edifact-error.ts';
import { type AirReadOptions, readAirMessages } from '../edifact/read-air-messages.ts';
import { arrayElementTexts, compactKeyCount } from './element-texts.ts';

/**
 * One event-sized piece of a frame: a parsed JSON value, or why it could not be parsed.
 * `text` is the value's JSON text as received, when it is compact (no whitespace between
 * tokens, no number written at length): it parses to exactly `value`, so the journal can
 * keep it as it is once `keys`, the object keys written in it, are found to be the value's
 * own (a key given twice is written twice but parsed once). Undefined: serialise the value.
 */
export type Candidate =
  | { ok: true; value: unknown; text: string | undefined; keys: number }
  | { ok: false; message: string; raw: string };

/**
 * Splits one WebSocket frame into candidate events. A frame holds one JSON event,
 * a JSON array of events, or NDJSON (one event per line). A frame that is not JSON
 * as a whole but has several lines is read as NDJSON, so one bad line costs only
 * itself.
 */
export function parseFrame(text: string, air: AirReadOptions = {}): Candidate[] {
  if (EDIFACT_START.test(text)) return parseEdifact(text, air);
  const trimmed = text.trim();
  if (trimmed === '') return [{ ok: false, message: 'empty frame', raw: text }];
  try {
    const value: unknown = JSON.parse(trimmed);
    if (!Array.isArray(value)) return [asReceived(value, trimmed)];
    if (value.length === 0) return [{ ok: false, message: 'empty array: a frame must hold at least one event', raw: text }];
    const { texts, keys } = arrayElementTexts(trimmed, value.length);
    const candidates: Candidate[] = new Array<Candidate>(value.length);
    for (let i = 0; i < value.length; i++) candidates[i] = { ok: true, value: value[i] as unknown, text: texts[i], keys: keys[i]! };
    return candidates;
  } catch (thrown) {
    if (!trimmed.includes('\n')) return [{ ok: false, message: invalidJson(thrown), raw: text }];
  }
  const candidates: Candidate[] = [];
  for (const line of trimmed.split('\n')) {
    const content = line.trim();
    if (content === '') continue;
    try {
      candidates.push(asReceived(JSON.parse(content) as unknown, content));
    } catch (thrown) {
      candidates.push({ ok: false, message: invalidJson(thrown), raw: line });
    }
  }
  return candidates;
}

/** A parsed value with its text, when the text is compact. */
function asReceived(value: unknown, text: string): Candidate {
  const keys = compactKeyCount(text);
  return keys < 0 ? { ok: true, value, text: undefined, keys: 0 } : { ok: true, value, text, keys };
}

function invalidJson(thrown: unknown): string {
  return `invalid JSON: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
}

/** A frame that starts like a UN/EDIFACT interchange (UNA, UNB) or message (UNH): never JSON. */
const EDIFACT_START = /^\uFEFF?\s*UN[ABH]/;

/** Problems named per rejection in the reply; the rest are counted. */
const MAX_PROBLEMS = 10;
/** Characters of the message kept in the dead letter of a rejected traveller or message. */
const EXCERPT = 2000;

/**
 * An airline message frame (PAXLST, PNRGOV; docs/api-pnr.md): one candidate per traveller
 * read, and one rejected candidate per traveller, message or input that could not be,
 * naming message reference, segment, tag and element.
 */
function parseEdifact(text: string, air: AirReadOptions): Candidate[] {
  let result: ReturnType<typeof readAirMessages>;
  try {
    result = readAirMessages(text, air);
  } catch (thrown) {
    // The reader answers bad input with rejections; a throw is a fault of the program, and
    // must cost this frame only, never the stream.
    return [{ ok: false, message: `airline message could not be read: ${thrown instanceof Error ? thrown.message : String(thrown)}`, raw: text.slice(0, EXCERPT) }];
  }
  const candidates: Candidate[] = result.events.map((event) => ({ ok: true, value: event, text: undefined, keys: 0 }));
  for (const rejection of result.rejections) {
    const named = rejection.problems.slice(0, MAX_PROBLEMS).map(describeProblem);
    if (rejection.problems.length > MAX_PROBLEMS) named.push(`and ${rejection.problems.length - MAX_PROBLEMS} more problems`);
    const from = rejection.problems[0]?.position.offset ?? 0;
    const raw = rejection.scope === 'traveller' ? text.slice(from, from + EXCERPT) : text.slice(0, EXCERPT);
    candidates.push({ ok: false, message: `${rejection.scope} rejected: ${named.join('; ')}`, raw });
  }
  if (candidates.length === 0) candidates.push({ ok: false, message: 'airline message frame with no traveller in it', raw: text.slice(0, EXCERPT) });
  return candidates;
}

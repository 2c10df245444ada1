import { map, type OperatorFunction } from 'rxjs';
import { toError } from '../errors.ts';
import { type BorderEvent, type EventIssue, validateEvent } from '../model/event.ts';
import { keysIn } from '../ingest/element-texts.ts';
import type { Candidate } from '../ingest/frame.ts';
import type { ParsedFrame } from '../ingest/parse-frames.ts';
import type { IngestFrame } from '../ingest/protocol.ts';
import { boundIssues } from './bound-issues.ts';
import { isPlainCargo } from './plain-cargo.ts';
import { isPlainCrossing } from './plain-crossing.ts';
import { MAX_KEPT_DEPTH, storablePayload } from './storable-payload.ts';

/**
 * A candidate event after validation: the typed event, or everything wrong with it. `text`
 * is the event's JSON text as received when the event is the very object that text parsed
 * to (the plain checks keep it; zod's output is a copy, which may differ), for the journal,
 * and holds nothing but that event: see `textAsChecked`.
 */
export type Checked =
  | { ok: true; event: BorderEvent; text: string | undefined }
  | { ok: false; issues: EventIssue[]; payload: unknown; eventId?: string };

export interface ValidatedFrame {
  frame: IngestFrame;
  checked: Checked[];
}

/** Validate stage: every candidate through zod, but for plain crossings and cargo, which checks of their own accept as they are. */
export function validateFrames(): OperatorFunction<ParsedFrame, ValidatedFrame> {
  return map(({ frame, candidates }) => ({
    frame,
    checked: candidates.map((candidate): Checked => {
      if (!candidate.ok) return { ok: false, issues: [{ path: '', message: candidate.message }], payload: candidate.raw };
      const result = isPlainCrossing(candidate.value) || isPlainCargo(candidate.value) ? { success: true as const, event: candidate.value } : safeValidate(candidate.value);
      if (result.success) {
        if (frame.posts === undefined || frame.posts.has(result.event.post)) return { ok: true, event: result.event, text: result.event === candidate.value ? textAsChecked(candidate, result.event) : undefined };
        return { ok: false, issues: [postNotAllowed(result.event.post, frame.posts)], payload: candidate.value, eventId: result.event.eventId };
      }
      const eventId = eventIdOf(candidate.value);
      // Only rejected events are measured, so a valid event costs nothing more.
      const { payload, cut } = storablePayload(candidate.value);
      // Bounded, since the ack and the dead letter repeat them: an event can have thousands.
      const bounded = boundIssues(result.issues);
      const issues = cut ? [...bounded, { path: '', message: `nested deeper than ${MAX_KEPT_DEPTH} levels; the dead letter keeps the first ${MAX_KEPT_DEPTH}` }] : bounded;
      return eventId === undefined ? { ok: false, issues, payload } : { ok: false, issues, payload, eventId };
    }),
  }));
}

/** A producer's token names the posts it sends for; an event for any other is refused before it is journaled. */
function postNotAllowed(post: string, posts: ReadonlySet<string>): EventIssue {
  return { path: 'post', message: `this producer's token may send for ${[...posts].join(', ')} only, not ${post}` };
}

/** Validation must answer every candidate, so even a fault inside the parser becomes a rejection. */
function safeValidate(value: unknown): ReturnType<typeof validateEvent> {
  try {
    return validateEvent(value);
  } catch (thrown) {
    return { success: false, issues: [{ path: '', message: `could not be validated: ${toError(thrown).message}` }] };
  }
}

/** The event id of an invalid event, when it has a usable one, so the producer can match the rejection. */
function eventIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, 'eventId')) return undefined;
  const id = (value as { eventId: unknown }).eventId;
  return typeof id === 'string' && id.length <= 128 ? id : undefined;
}

/**
 * The text an event came in, when it holds exactly what was checked: compact, and with no
 * key the event lacks. Text that parses to the event may still hold more (a repeated key
 * whose first value was never validated, padding, a number written at length); such an
 * event is serialised for the journal instead.
 */
function textAsChecked(candidate: Candidate & { ok: true }, event: BorderEvent): string | undefined {
  return candidate.text !== undefined && candidate.keys === keysIn(event) ? candidate.text : undefined;
}

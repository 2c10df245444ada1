import { Observable, type OperatorFunction } from 'rxjs';
import type { BorderEvent, EventIssue } from '../model/event.ts';
import type { Metrics } from '../kernel/metrics.ts';
import type { ValidatedFrame } from '../validate/validate-frames.ts';
import type { DeadLetterSink, RejectedPayload } from './dead-letter-sink.ts';
import type { EventLog } from './event-log.ts';
import { type EventResult, EventStatus, type IngestFrame, type IngestReply } from '../ingest/protocol.ts';

/** An event that is on disk in the journal, with its record number. */
export interface JournaledEvent {
  n: number;
  event: BorderEvent;
}

/**
 * Ingest stage: journals valid events, dead-letters invalid ones, answers the
 * producer once both are durable, and passes accepted events on in journal order
 * (so replaying the journal reproduces what the live pipeline saw).
 *
 * While `refuse()` gives a reason (the alert database cannot be written, say), valid
 * events are not journaled but answered `failed` with that reason, so that nothing is
 * accepted that the processor could not carry through.
 */
export function recordEvents(
  journal: EventLog,
  deadLetters: DeadLetterSink,
  metrics: Metrics,
  refuse: () => string | undefined = () => undefined,
): OperatorFunction<ValidatedFrame, JournaledEvent> {
  return (source) =>
    new Observable<JournaledEvent>((subscriber) =>
      source.subscribe({
        next({ frame, checked }) {
          metrics.frames += 1;
          const receivedAt = isoTime(frame.receivedAt);
          const results: EventResult[] = new Array<EventResult>(checked.length);
          const accepted: JournaledEvent[] = [];
          let duplicates = 0;
          let rejected = 0;
          let failed = 0;
          const refusal = refuse();
          const producer = frame.producer ?? frame.connection;
          for (let i = 0; i < checked.length; i++) {
            const item = checked[i]!;
            if (!item.ok) {
              rejected += 1;
              const letter = { at: receivedAt, connection: frame.connection, frame: frame.frame, index: i, issues: item.issues, payload: item.payload };
              const issues = keepLetter(deadLetters, item.eventId === undefined ? letter : { ...letter, eventId: item.eventId }, producer);
              results[i] = item.eventId === undefined
                ? { i, status: EventStatus.rejected, issues }
                : { i, eventId: item.eventId, status: EventStatus.rejected, issues };
              continue;
            }
            const owner = journal.owner(item.event.eventId);
            if (owner !== undefined && owner !== item.event.post) {
              // Not a resend: answering `duplicate` would drop another post's event in silence, so
              // that one producer could suppress the events of posts it may not send for.
              rejected += 1;
              const issues = keepLetter(deadLetters, { at: receivedAt, connection: frame.connection, frame: frame.frame, index: i, eventId: item.event.eventId, issues: [idTaken(item.event.eventId)], payload: item.event }, producer);
              results[i] = { i, eventId: item.event.eventId, status: EventStatus.rejected, issues };
            } else if (refusal !== undefined && owner === undefined) {
              failed += 1;
              results[i] = { i, eventId: item.event.eventId, status: EventStatus.failed, issues: [{ path: '', message: `not recorded: ${refusal}; resend` }] };
            } else if (owner !== undefined) {
              duplicates += 1;
              results[i] = { i, eventId: item.event.eventId, status: EventStatus.duplicate };
            } else {
              accepted.push({ n: journal.append(item.event, receivedAt, item.text), event: item.event });
              results[i] = { i, eventId: item.event.eventId, status: EventStatus.accepted };
            }
          }
          metrics.duplicates += duplicates;
          metrics.rejected += rejected;
          metrics.failed += failed;

          // A frame with no rejection waits for the journal only; one with rejections for the dead letters too.
          // The callbacks are inline, not named closures: tsx gives every named closure its name as it is made, once per frame.
          let waiting = rejected > 0 ? 2 : 1;
          // A duplicate of an event still in flight must not be acknowledged before it is on disk,
          // so every frame waits for the journal, not only frames that appended to it.
          journal.whenDurable((error) => {
            if (error) {
              // A duplicate of an event still in flight cannot be vouched for either: it is
              // reported failed too, and a resend is answered as a duplicate if the original made it.
              const notRecorded = failRecorded(results, error);
              failed += notRecorded.accepted + notRecorded.duplicates;
              duplicates -= notRecorded.duplicates;
              metrics.duplicates -= notRecorded.duplicates;
              metrics.failed += notRecorded.accepted + notRecorded.duplicates;
              journal.forget(accepted.map((a) => a.event.eventId));
            } else {
              metrics.accepted += accepted.length;
              for (const event of accepted) subscriber.next(event);
            }
            if (--waiting === 0) answer(frame, results, accepted.length, duplicates, rejected, failed);
          });
          if (rejected > 0) {
            deadLetters.whenDurable((error) => {
              // The rejection stands, but the producer must know its copy was not kept.
              if (error) noteLettersLost(results, error);
              if (--waiting === 0) answer(frame, results, accepted.length, duplicates, rejected, failed);
            });
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}

let lastTime = Number.NaN;
let lastIso = '';

/** `new Date(ms).toISOString()`, made once per millisecond: frames that arrive together share it. */
function isoTime(ms: number): string {
  if (ms !== lastTime) {
    lastIso = new Date(ms).toISOString();
    lastTime = ms;
  }
  return lastIso;
}

/** Keeps a rejection's dead letter if the bounds allow; the issues to answer with either way. */
function keepLetter(deadLetters: DeadLetterSink, letter: RejectedPayload, producer: string): EventIssue[] {
  const notKept = deadLetters.append(letter, producer);
  return notKept === undefined ? letter.issues : [...letter.issues, { path: '', message: `dead letter not kept: ${notKept}` }];
}

/** Marks the accepted and duplicate results failed, since the journal's batch did not reach the disk; how many of each. */
function failRecorded(results: EventResult[], error: Error): { accepted: number; duplicates: number } {
  const counted = { accepted: 0, duplicates: 0 };
  for (let i = 0; i < results.length; i++) {
    const result = results[i]!;
    if (result.status === EventStatus.accepted) counted.accepted += 1;
    else if (result.status === EventStatus.duplicate) counted.duplicates += 1;
    else continue;
    results[i] = { ...result, status: EventStatus.failed, issues: [{ path: '', message: `not recorded: ${error.message}; resend` }] };
  }
  return counted;
}

/** Adds to every rejection that its dead letter was not kept. */
function noteLettersLost(results: EventResult[], error: Error): void {
  for (let i = 0; i < results.length; i++) {
    const result = results[i]!;
    if (result.status !== EventStatus.rejected) continue;
    results[i] = { ...result, issues: [...(result.issues ?? []), { path: '', message: `dead letter not kept: ${error.message}` }] };
  }
}

/** The frame's one reply, once the journal (and the dead letters, if it had rejections) have answered. */
function answer(frame: IngestFrame, results: EventResult[], accepted: number, duplicates: number, rejected: number, failed: number): void {
  const reply: IngestReply = { type: 'ack', frame: frame.frame, accepted: failed > 0 ? 0 : accepted, duplicates, rejected, failed, results };
  frame.respond(reply);
}

/**
 * Why an event is refused whose id another post's event holds. It says that the id is
 * taken, not by which post, and the same whatever that post is.
 */
function idTaken(eventId: string): EventIssue {
  return { path: 'eventId', message: `event id ${eventId} is already used by another post's event: ids must be unique across posts (prefix them with the post, for instance); not journaled` };
}

import { type JetStreamManager, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { BorderEvent } from '../model/event.ts';

/** The stream of accepted events: `events.<kind>.<post>`. */
export const EVENTS_STREAM = 'EVENTS';
/** The stream of raised alerts: `alerts.<severity>`, the alert id as message id. */
export const ALERTS_STREAM = 'ALERTS';

/** Partitioned instances' rule hits per batch of events (`hits.<instance>`), joined by instance 0. */
export const HITS_STREAM = 'HITS';
/** Hits older than this are of no use to the joiner (it reads them from its last acknowledged event on). @default a day */
export const HITS_MAX_AGE_MS = 86_400_000;

/**
 * How long JetStream remembers a message id and drops a resend of it (an event whose ack
 * a producer did not get, an alert raised again after a crash). Behind it, the processor
 * keeps its own duplicate check on event ids and the alert database on alert ids, which
 * have no window. @default 10 minutes
 */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

/** A subject token from a post or kind: NATS subjects may not hold `.`, `*`, `>` or white space. */
function token(text: string): string {
  return text.replace(/[.*>\s]/g, '_') || '_';
}

export function eventSubject(event: BorderEvent): string {
  return `events.${event.kind}.${token(event.post)}`;
}

/**
 * The event's message id: its id scoped by its post. Ids are unique across posts (ingest
 * refuses a second post's event under a taken id), so this dedupes exactly what the
 * journal's duplicate check does.
 */
export function eventMessageId(event: BorderEvent): string {
  return `${event.post}/${event.eventId}`;
}

export function alertSubject(severity: string): string {
  return `alerts.${token(severity)}`;
}

/** Creates the stream, or brings an existing one's subjects, sources and window up to date. */
export async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  const wanted: Partial<StreamConfig> & { name: string } = { retention: RetentionPolicy.Limits, storage: StorageType.File, duplicate_window: nanos(DUPLICATE_WINDOW_MS), ...config };
  try {
    const info = await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, { ...info.config, ...wanted });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.streams.add(wanted);
  }
}

export function isNotFound(error: unknown): boolean {
  const e = error as { code?: unknown; api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === 10059 || e?.api_error?.err_code === 10014 || /not found/i.test(String(e?.message));
}

/** Both streams, for a processor or a gateway on a broker. */
export async function ensureStreams(jsm: JetStreamManager, sources?: readonly string[]): Promise<void> {
  await ensureStream(jsm, {
    name: EVENTS_STREAM,
    // With sources (border posts' leaf nodes), the centre's stream takes their events as well as its own.
    subjects: ['events.>'],
    ...(sources && sources.length > 0 && { sources: sources.map((domain) => ({ name: EVENTS_STREAM, external: { api: `$JS.${domain}.API`, deliver: '' } })) }),
  });
  await ensureStream(jsm, { name: ALERTS_STREAM, subjects: ['alerts.>'] });
  await ensureStream(jsm, { name: HITS_STREAM, subjects: ['hits.>'], max_age: nanos(HITS_MAX_AGE_MS) });
}

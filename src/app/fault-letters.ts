import type { DeadLetterSink } from '../journal/dead-letter-sink.ts';
import type { FaultHandler } from '../kernel/safe-map.ts';

/**
 * A fault in a stage (a bug, a rule that throws on an odd event) is logged and its event
 * kept as a dead letter with the stage and the error, so it can be inspected and
 * replayed; the stream goes on.
 */
export function faultsToDeadLetters(deadLetters: Pick<DeadLetterSink, 'append'>, log: (line: string) => void, now: () => number): FaultHandler {
  return (stage, error, item) => {
    const eventId = (item as { event?: { eventId?: string } } | undefined)?.event?.eventId;
    log(`fault in ${stage}${eventId ? ` for event ${eventId}` : ''}: ${error.message}`);
    deadLetters.append({
      at: new Date(now()).toISOString(),
      connection: 'pipeline',
      frame: 0,
      index: 0,
      ...(eventId === undefined ? {} : { eventId }),
      issues: [{ path: '', message: `processing fault in ${stage}: ${error.message}` }],
      payload: (item as { event?: unknown } | undefined)?.event ?? null,
    });
  };
}

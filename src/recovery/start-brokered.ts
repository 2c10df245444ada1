import type { Broker, StreamEvent } from '../broker/broker.ts';
import { toError } from '../errors.ts';
import { StateEngine } from '../indicators/state-engine.ts';
import type { DeadLetterSink } from '../journal/dead-letter-sink.ts';
import { type Pipeline, type PipelineParts, type RestoredState, restoreState, startPipeline } from '../pipeline/pipeline.ts';
import type { RecoveredPipeline } from './start-recovered.ts';
import type { RecoveryReport } from './recover.ts';
import { listSnapshots, readSnapshot, removeUnfinished } from './snapshot-file.ts';

type BrokeredParts = Omit<PipelineParts, 'engine' | 'grouping' | 'processedUpTo' | 'journal' | 'store' | 'sinks' | 'assessIngested'>;

/**
 * Starts a processor instance on a broker (`serve --nats`): ingest records to the EVENTS
 * stream and only answers; this instance assesses the stream with its durable consumer
 * and keeps its alerts on the ALERTS stream. State comes back from the newest snapshot
 * that the consumer's acknowledgements cover, plus the stream after it (read quietly up
 * to the last acknowledged event, whose alerts are on the alerts stream already); the
 * consumer then goes on from there. Not the file journal: the stream is the log.
 */
export async function startBrokered(parts: BrokeredParts, broker: Broker, options: { snapshotsDir: string | undefined; now: () => number; log: (line: string) => void }): Promise<RecoveredPipeline> {
  const { log, now } = options;
  const started = performance.now();
  const floor = await broker.ackFloor();
  const refused: RecoveryReport['refused'] = [];
  const chosen = options.snapshotsDir === undefined ? undefined : newestUsable(options.snapshotsDir, floor, parts.ruleSet(), refused, log);
  const restored = chosen?.restored;
  const pipeline = startPipeline({
    ...parts,
    journal: broker.eventLog,
    store: broker.alertLog,
    sinks: [],
    assessIngested: false,
    engine: restored?.engine ?? new StateEngine(),
    ...(restored && { grouping: restored.grouping, processedUpTo: restored.processedUpTo }),
  });
  const from = chosen?.record ?? 0;
  const assess = assessor(pipeline, parts.deadLetters, parts.metrics, now, `nats ${broker.eventsStream}`);
  let alerts = 0;
  const replayed = await broker.readEvents(from + 1, floor, (event) => {
    alerts += assess(event, floor);
  });
  const recovery: RecoveryReport = {
    from: chosen ? 'snapshot' : 'journal',
    snapshot: chosen ? { file: chosen.file, record: chosen.record } : null,
    refused,
    replayed,
    afterCheckpoint: 0,
    alerts,
    snapshotMs: 0,
    ms: Math.round(performance.now() - started),
  };
  if (replayed > 0 || chosen) log(`recovered state from ${chosen ? `snapshot at stream sequence ${chosen.record}` : 'the start of the stream'} plus ${replayed} event(s) of ${broker.eventsStream} up to ${floor}, the last this instance acknowledged, in ${(recovery.ms / 1000).toFixed(2)} s`);
  await broker.consumeEvents(floor, async (batch) => {
    for (const event of batch) assess(event, 0);
    await broker.alertLog.flush();
    await new Promise<void>((resolve, reject) => parts.deadLetters.whenDurable((error) => (error ? reject(error) : resolve())));
  });
  return { pipeline, recovery, from };
}

/**
 * One stream event into the pipeline, synchronously: an invalid message becomes a dead
 * letter (and is acknowledged with its batch, never delivered for ever), an event id seen
 * before is a duplicate the stream's window let through, anything else is assessed.
 * Returns the alerts it raised.
 */
function assessor(pipeline: Pipeline, deadLetters: DeadLetterSink, metrics: BrokeredParts['metrics'], now: () => number, connection: string): (event: StreamEvent, quietUpTo: number) => number {
  const seen = new Set<string>();
  return (item, quietUpTo) => {
    if (!item.ok) {
      metrics.rejected += 1;
      deadLetters.append({ at: new Date(now()).toISOString(), connection, frame: item.seq, index: 0, issues: item.issues, payload: item.payload }, connection);
      return 0;
    }
    const id = `${item.event.post}/${item.event.eventId}`;
    if (seen.has(id)) {
      metrics.duplicates += 1;
      return 0;
    }
    seen.add(id);
    if (item.seq > quietUpTo) metrics.accepted += 1;
    return pipeline.replay([{ n: item.seq, event: item.event }], quietUpTo).alerts;
  };
}

/** The newest snapshot the consumer's acknowledgements cover; a later one may hold state whose alerts never reached the stream. */
function newestUsable(dir: string, floor: number, ruleSet: ReturnType<BrokeredParts['ruleSet']>, refused: RecoveryReport['refused'], log: (line: string) => void): { file: string; record: number; restored: RestoredState } | undefined {
  for (const name of removeUnfinished(dir)) log(`recovery: removed ${name}, a snapshot whose write a stop cut short`);
  for (const { file, record } of listSnapshots(dir)) {
    const refuse = (reason: string): void => {
      refused.push({ file, reason });
      log(`recovery: snapshot ${file} not used: ${reason}`);
    };
    if (record > floor) {
      refuse(`it goes up to stream sequence ${record}, past ${floor}, the last event this instance acknowledged`);
      continue;
    }
    const read = readSnapshot(file);
    if (!read.ok) {
      refuse(read.reason);
      continue;
    }
    try {
      return { file, record, restored: restoreState(read.state, ruleSet) };
    } catch (thrown) {
      refuse(`its state does not restore: ${toError(thrown).message}`);
    }
  }
  return undefined;
}

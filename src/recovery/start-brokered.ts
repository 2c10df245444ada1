import type { Broker, StreamEvent } from '../broker/broker.ts';
import { toError } from '../errors.ts';
import { RecentIds } from '../kernel/recent-ids.ts';
import { type EventHits, joiningPartition, reportingPartition, ruleShare } from '../indicators/partition.ts';
import { StateEngine } from '../indicators/state-engine.ts';
import type { DeadLetterSink } from '../journal/dead-letter-sink.ts';
import { type Pipeline, type PipelineParts, type RestoredState, restoreState, startPipeline } from '../pipeline/pipeline.ts';
import type { RecoveredPipeline } from './start-recovered.ts';
import type { RecoveryReport } from './recover.ts';
import { listSnapshots, readSnapshot, removeUnfinished } from './snapshot-file.ts';

type BrokeredParts = Omit<PipelineParts, 'engine' | 'grouping' | 'processedUpTo' | 'journal' | 'store' | 'sinks' | 'assessIngested' | 'partition'>;

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
  const from = chosen?.record ?? 0;
  const { index, count } = broker.instance;
  const share = ruleShare(index, count);
  // Instance 0 of several joins the others' hits; the others report theirs, a batch at a time.
  const collector = count > 1 && index === 0 ? await broker.followHits(from) : undefined;
  let reported: EventHits[] = [];
  const partition = count === 1 ? undefined : collector ? joiningPartition(share, (seq) => collector.take(seq)) : reportingPartition(share, (hits) => reported.push(hits));
  const pipeline = startPipeline({
    ...(partition && { partition }),
    ...parts,
    journal: broker.eventLog,
    store: broker.alertLog,
    sinks: [],
    assessIngested: false,
    engine: restored?.engine ?? new StateEngine(),
    ...(restored && { grouping: restored.grouping, processedUpTo: restored.processedUpTo }),
  });
  const assess = assessor(pipeline, parts.deadLetters, parts.metrics, now, `nats ${broker.eventsStream}`);
  let alerts = 0;
  await collector?.until(floor);
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
  // Reported before this start, when these events were first assessed.
  reported = [];
  // A batch whose handling failed after its events were assessed (a dead letter not synced)
  // comes again: its events are in the state already and are not assessed twice.
  let assessed = floor;
  await broker.consumeEvents(floor, async (batch) => {
    await collector?.until(batch[batch.length - 1]!.seq);
    for (const event of batch) if (event.seq > assessed) assess(event, 0);
    assessed = Math.max(assessed, batch[batch.length - 1]!.seq);
    if (partition && !collector) {
      const hits = reported;
      reported = [];
      // Published until JetStream has it: the batch's state changes are made, so it is not assessed again.
      for (let failures = 0; ; failures++) {
        try {
          await broker.publishHits({ from: batch[0]!.seq, to: batch[batch.length - 1]!.seq, hits });
          break;
        } catch (error) {
          if (failures === 0) log(`broker: hits of events ${batch[0]!.seq}-${batch[batch.length - 1]!.seq} not acknowledged (${toError(error).message}); publishing them again`);
          if (broker.stopped) throw error;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    }
    await broker.alertLog.flush();
    await new Promise<void>((resolve, reject) => parts.deadLetters.whenDurable((error) => (error ? reject(error) : resolve())));
  });
  return { pipeline, recovery, from };
}

/**
 * One stream event into the pipeline, synchronously: an invalid message becomes a dead
 * letter (and is acknowledged with its batch, never delivered for ever), an event id seen
 * before (among the newest one to two million) is a duplicate the stream's window let
 * through, anything else is assessed. Returns the alerts it raised.
 */
function assessor(pipeline: Pipeline, deadLetters: DeadLetterSink, metrics: BrokeredParts['metrics'], now: () => number, connection: string): (event: StreamEvent, quietUpTo: number) => number {
  const seen = new RecentIds<true>();
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
    seen.set(id, true);
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

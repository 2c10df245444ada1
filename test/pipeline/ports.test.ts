import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { StateEngine } from '../../src/indicators/state-engine.ts';
import type { DeadLetterSink, RejectedPayload } from '../../src/journal/dead-letter-sink.ts';
import { DeadLetters } from '../../src/journal/dead-letters.ts';
import type { EventLog } from '../../src/journal/event-log.ts';
import type { DurableCallback } from '../../src/journal/group-commit-log.ts';
import { Journal } from '../../src/journal/journal.ts';
import { createMetrics } from '../../src/kernel/metrics.ts';
import type { BorderEvent } from '../../src/model/event.ts';
import { type Pipeline, type PipelineParts, startPipeline } from '../../src/pipeline/pipeline.ts';
import type { AlertLog, StoredAlert } from '../../src/store/alert-log.ts';
import { AlertStore } from '../../src/store/alert-store.ts';
import { NEW_TRIAGE } from '../../src/triage/triage.ts';
import { generated, shippedRules, tempDir } from '../helpers.ts';
import { InMemorySource } from './in-memory-source.ts';

/**
 * An event log held in memory, as a broker's event stream would stand behind the port:
 * durable once the test says so (`failNext` makes the next batch fail, as a broker that
 * refuses a publish would).
 */
class MemoryEventLog implements EventLog {
  readonly records: { n: number; receivedAt: string; event: BorderEvent }[] = [];
  readonly forgotten: string[] = [];
  failNext: Error | undefined;
  private readonly owners = new Map<string, string>();
  private last = 0;
  private pending = 0;

  owner(eventId: string): string | undefined {
    return this.owners.get(eventId);
  }

  append(event: BorderEvent, receivedAt: string): number {
    const n = ++this.last;
    this.pending += 1;
    this.records.push({ n, receivedAt, event });
    this.owners.set(event.eventId, event.post);
    return n;
  }

  whenDurable(callback: DurableCallback): void {
    const error = this.failNext ?? null;
    this.failNext = undefined;
    // A batch that failed is not in the log; its numbers are not given again.
    if (error) this.records.splice(this.records.length - this.pending);
    this.pending = 0;
    queueMicrotask(() => callback(error));
  }

  forget(eventIds: readonly string[]): void {
    for (const id of eventIds) {
      this.owners.delete(id);
      this.forgotten.push(id);
    }
  }
}

class MemoryDeadLetters implements DeadLetterSink {
  readonly letters: RejectedPayload[] = [];
  append(letter: RejectedPayload): string | undefined {
    this.letters.push(letter);
    return undefined;
  }
  whenDurable(callback: DurableCallback): void {
    queueMicrotask(() => callback(null));
  }
}

/** An alert log held in memory: sequence numbers from 1, an alert id kept once; `full` makes it refuse as a full disk would. */
class MemoryAlertLog implements AlertLog {
  readonly file = 'memory';
  readonly alerts: StoredAlert[] = [];
  full = false;
  private readonly ids = new Set<string>();

  get lastSeq(): number {
    return this.alerts.length;
  }

  append(alert: Alert): StoredAlert | undefined {
    if (this.full) throw Object.assign(new Error('no space left'), { code: 'ENOSPC' });
    if (this.ids.has(alert.alertId)) return undefined;
    this.ids.add(alert.alertId);
    const seq = this.alerts.length + 1;
    const stored: StoredAlert = { seq, alert, triage: NEW_TRIAGE, message: JSON.stringify({ type: 'alert', seq, alert }) };
    this.alerts.push(stored);
    return stored;
  }
}

/**
 * An alert log that keeps a turn's alerts in one write, all or none, as the alert database
 * does with a transaction; `faultyAt` makes the first write of several alerts throw for the
 * alert at that position (not a disk failure: a fault of that alert's).
 */
class BatchingAlertLog extends MemoryAlertLog {
  readonly writes: number[] = [];
  faultyAt: number | undefined = 1;
  faulty: string | undefined;

  appendAll(alerts: readonly Alert[]): (StoredAlert | undefined)[] {
    if (this.faultyAt !== undefined && alerts.length > this.faultyAt) {
      this.faulty = alerts[this.faultyAt]!.alertId;
      this.faultyAt = undefined;
    }
    if (alerts.some((a) => a.alertId === this.faulty)) throw new Error('cannot encode this alert');
    this.writes.push(alerts.length);
    return alerts.map((alert) => this.append(alert));
  }

  override append(alert: Alert): StoredAlert | undefined {
    if (alert.alertId === this.faulty) throw new Error('cannot encode this alert');
    return super.append(alert);
  }
}

const started: Pipeline[] = [];
const closing: (() => unknown)[] = [];
afterAll(async () => {
  for (const pipeline of started) pipeline.stop();
  for (const close of closing) await close();
});

/** The real pipeline over the given ports, with the shipped rules, fed by a `InMemorySource`. */
function pipelineOver(ports: Pick<PipelineParts, 'journal' | 'deadLetters' | 'store'>): { source: InMemorySource; published: StoredAlert[]; faults: string[]; pipeline: Pipeline } {
  const published: StoredAlert[] = [];
  const faults: string[] = [];
  const set = shippedRules();
  const pipeline = startPipeline({
    ...ports,
    ruleSet: () => set,
    engine: new StateEngine(),
    sinks: [{ publish: (stored) => void published.push(stored) }],
    metrics: createMetrics(),
    onFault: (stage, error) => void faults.push(`${stage}: ${error.message}`),
  });
  started.push(pipeline);
  const source = new InMemorySource();
  pipeline.attach(source);
  return { source, published, faults, pipeline };
}

const framesOf = (events: readonly BorderEvent[], size = 50): string[] => {
  const frames: string[] = [];
  for (let i = 0; i < events.length; i += size) frames.push(JSON.stringify(events.slice(i, i + size)));
  return frames;
};

const generatedEvents = generated(700, { seed: 23, plantRate: 0.1 }).map((g) => g.event);
const traffic = generatedEvents.slice(0, 600);
const later = generatedEvents.slice(600);

describe('the pipeline over ports held in memory', () => {
  it('records accepted events in the event log in order and stores and pushes their alerts through the alert log', async () => {
    const log = new MemoryEventLog();
    const alerts = new MemoryAlertLog();
    const { source, published, faults, pipeline } = pipelineOver({ journal: log, deadLetters: new MemoryDeadLetters(), store: alerts });
    const replies = await source.send(framesOf(traffic));
    expect(replies.reduce((n, r) => n + r.accepted, 0)).toBe(traffic.length);
    expect(log.records.map((r) => r.event.eventId)).toEqual(traffic.map((e) => e.eventId));
    expect(log.records.map((r) => r.n)).toEqual(traffic.map((_, i) => i + 1));
    expect(pipeline.processed()).toBe(traffic.length);
    expect(alerts.alerts.length).toBeGreaterThan(0);
    expect(published.map((s) => s.seq)).toEqual(alerts.alerts.map((_, i) => i + 1));
    // An alert points at the record number the event log gave its event.
    const numberOf = new Map(log.records.map((r) => [r.event.eventId, r.n]));
    for (const { alert } of alerts.alerts) expect(alert.journalRecord).toBe(numberOf.get(alert.eventId));
    expect(faults).toEqual([]);
  });

  it('raises the same alerts, in the same order, as the file journal and the alert database', async () => {
    const dir = tempDir('border-risk-ports-');
    const journal = Journal.open(dir, { fsync: false });
    const deadLetters = new DeadLetters(dir, { fsync: false });
    const store = new AlertStore(path.join(dir, 'alerts.db'));
    closing.push(() => journal.close(), () => deadLetters.close(), () => store.close());
    const onFiles = pipelineOver({ journal, deadLetters, store });
    const alerts = new MemoryAlertLog();
    const inMemory = pipelineOver({ journal: new MemoryEventLog(), deadLetters: new MemoryDeadLetters(), store: alerts });
    const broken = '{"kind":"crossing","eventId":"broken"}';
    const [fileReplies, memoryReplies] = [await onFiles.source.send([...framesOf(traffic), broken]), await inMemory.source.send([...framesOf(traffic), broken])];
    expect(memoryReplies).toEqual(fileReplies);
    expect(alerts.alerts.length).toBeGreaterThan(0);
    expect(alerts.alerts.map((s) => [s.seq, s.alert.alertId, s.alert.journalRecord])).toEqual(onFiles.published.map((s) => [s.seq, s.alert.alertId, s.alert.journalRecord]));
    expect(store.lastSeq).toBe(alerts.lastSeq);
  });

  it('stores the alerts of one turn in one write, and a fault of one alert in it costs that alert only', async () => {
    const plain = new MemoryAlertLog();
    await pipelineOver({ journal: new MemoryEventLog(), deadLetters: new MemoryDeadLetters(), store: plain }).source.send(framesOf(traffic));
    const batching = new BatchingAlertLog();
    const { source, published, faults, pipeline } = pipelineOver({ journal: new MemoryEventLog(), deadLetters: new MemoryDeadLetters(), store: batching });
    // A frame at a time, so that each frame's alerts are a turn's.
    for (const frame of framesOf(traffic)) await source.send([frame]);
    await expect.poll(() => pipeline.processed()).toBe(traffic.length);
    expect(batching.faulty).toBeDefined();
    expect(faults).toEqual(['store: cannot encode this alert']);
    // Every other alert is stored, in the order raised, numbered without a gap, and pushed after.
    expect(batching.alerts.map((s) => s.alert.alertId)).toEqual(plain.alerts.map((s) => s.alert.alertId).filter((id) => id !== batching.faulty));
    expect(published.map((s) => s.seq)).toEqual(batching.alerts.map((_, i) => i + 1));
    // Fewer writes than alerts: the alerts of a frame's events share one.
    expect(batching.writes.length).toBeLessThan(batching.alerts.length);
    expect(Math.max(...batching.writes)).toBeGreaterThan(1);
  });

  it('answers failed when the event log cannot make a batch durable, assesses none of it, and accepts the resend', async () => {
    const log = new MemoryEventLog();
    const deadLetters = new MemoryDeadLetters();
    const alerts = new MemoryAlertLog();
    const { source, pipeline } = pipelineOver({ journal: log, deadLetters, store: alerts });
    const batch = traffic.slice(0, 100);
    log.failNext = new Error('stream unavailable');
    const [failed] = await source.send([JSON.stringify(batch)]);
    expect(failed).toMatchObject({ accepted: 0, failed: batch.length });
    expect(failed!.results.every((r) => r.status === 'failed' && r.issues?.[0]?.message.includes('stream unavailable'))).toBe(true);
    expect(log.forgotten).toEqual(batch.map((e) => e.eventId));
    expect(pipeline.processed()).toBe(0);
    expect(alerts.alerts).toEqual([]);

    const [again] = await source.send([JSON.stringify(batch)]);
    expect(again).toMatchObject({ accepted: batch.length, failed: 0, duplicates: 0 });
    expect(log.records.map((r) => r.event.eventId)).toEqual(batch.map((e) => e.eventId));
    expect(pipeline.processed()).toBe(log.records.at(-1)!.n);
    expect(deadLetters.letters).toEqual([]);
  });

  it('holds alerts while the alert log cannot be written, refuses new events meanwhile, and stores them in order once it can', async () => {
    const alerts = new MemoryAlertLog();
    const outcomes: (string | null)[] = [];
    const log = new MemoryEventLog();
    const set = shippedRules();
    const published: StoredAlert[] = [];
    const pipeline = startPipeline({
      journal: log,
      deadLetters: new MemoryDeadLetters(),
      store: alerts,
      ruleSet: () => set,
      engine: new StateEngine(),
      sinks: [{ publish: (stored) => void published.push(stored) }],
      metrics: createMetrics(),
      onFault: () => undefined,
      onStoreOutcome: (failure) => void outcomes.push(failure),
    });
    started.push(pipeline);
    const source = new InMemorySource();
    pipeline.attach(source);
    alerts.full = true;
    const replies = await source.send(framesOf(traffic));
    expect(replies.reduce((n, r) => n + r.accepted, 0)).toBe(traffic.length);
    await expect.poll(() => pipeline.heldAlerts()).toBeGreaterThan(0);
    expect(outcomes[0]).toContain('disk full (ENOSPC) writing memory');
    expect(published).toEqual([]);
    expect(pipeline.processed()).toBeLessThan(traffic.length);
    const [refused] = await source.send([JSON.stringify(later)]);
    expect(refused).toMatchObject({ accepted: 0, failed: later.length });
    expect(refused!.results[0]!.issues?.[0]?.message).toContain('disk full (ENOSPC) writing memory');
    expect(log.records.length).toBe(traffic.length);
    const held = pipeline.heldAlerts();
    alerts.full = false;
    await expect.poll(() => pipeline.heldAlerts(), { timeout: 10_000 }).toBe(0);
    expect(outcomes.at(-1)).toBeNull();
    expect(alerts.alerts.length).toBe(held);
    expect(published.map((s) => s.seq)).toEqual(alerts.alerts.map((_, i) => i + 1));
    expect(pipeline.processed()).toBe(log.records.at(-1)!.n);
  });
});

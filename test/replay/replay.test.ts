import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { AlertHasher } from '../../src/backtest/alert-hash.ts';
import { backtest } from '../../src/backtest/backtest.ts';
import type { IngestReply } from '../../src/ingest/protocol.ts';
import type { BorderEvent } from '../../src/model/event.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { readRecording } from '../../src/record/read-recording.ts';
import type { RecordedEvent } from '../../src/record/recorded-event.ts';
import { openLiveRecording } from '../../src/record/live-recording.ts';
import { produce } from '../../src/generate/producer.ts';
import { serveControl } from '../../src/replay/control-server.ts';
import { IngestSink, type ReplaySink } from '../../src/replay/ingest-sink.ts';
import { Replayer, type ReplayStatus } from '../../src/replay/replayer.ts';
import { RULES_DIR, STREAMS_DIR, shippedRules, TestClient, tempDir } from '../helpers.ts';
import { recordedTraffic } from '../record/helpers.ts';

const traffic = recordedTraffic(2500, 31, 0.05);
const recording = path.join(tempDir(), 'rec');
let events: RecordedEvent[] = [];
const running: Processor[] = [];
afterAll(() => Promise.all(running.map((p) => p.close())));

/** Subscribes to a processor's /alerts and, once every stored alert has arrived, hashes them (seq excluded). */
async function hashAlerts(processor: Processor, subscriber: TestClient): Promise<{ hash: string; count: number }> {
  const health = (await (await fetch(`${processor.url.replace(/^ws:/, 'http:')}/health`)).json()) as { alerts: { lastSeq: number } };
  const received = (): Alert[] => subscriber.messages.flatMap((m) => ((m as { type: string }).type === 'alert' ? [(m as { alert: Alert }).alert] : []));
  await subscriber.until(() => received().length >= health.alerts.lastSeq);
  subscriber.close();
  const hasher = new AlertHasher();
  for (const alert of received()) hasher.update(alert);
  return { hash: hasher.digest(), count: hasher.count };
}

let live: { hash: string; count: number };
beforeAll(async () => {
  // Recorded live: a processor with a recorder fed from its journal, as `serve --record-dir` runs it.
  const dataDir = tempDir();
  const { recorder } = openLiveRecording(recording, dataDir, { flushMs: 0 });
  const processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, fsync: false, watchRules: false, log: () => {}, onJournaled: (j) => recorder.append(j) });
  const subscriber = new TestClient(`${processor.url}/alerts`);
  await subscriber.opened();
  await produce(traffic.map((r) => r.event)[Symbol.iterator](), { url: `${processor.url}/ingest`, batch: 50 });
  live = await hashAlerts(processor, subscriber);
  await processor.close();
  recorder.close();
  events = [...readRecording(recording)];
});

/** Replays into a fresh processor and hashes the alerts a subscriber to /alerts receives. */
async function replayAndHash(drive: (replayer: Replayer) => void, speed: number | 'max'): Promise<{ hash: string; alerts: number; final: ReplayStatus }> {
  const processor = await startProcessor({ port: 0, dataDir: tempDir(), rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, fsync: false, watchRules: false, log: () => {} });
  running.push(processor);
  const subscriber = new TestClient(`${processor.url}/alerts`);
  await subscriber.opened();
  const sink = await IngestSink.connect(`${processor.url}/ingest`);
  const replayer = new Replayer(events, sink, { speed, frameEvents: 200 });
  drive(replayer);
  const final = await replayer.run();
  await sink.close();
  const { hash, count } = await hashAlerts(processor, subscriber);
  expect(sink.totals.accepted).toBe(events.length);
  return { hash, alerts: count, final };
}

describe('replay into a processor', () => {
  it('gives the alerts of the live run, at a high multiple of real time then max speed as at max speed throughout (and as a backtest)', async () => {
    expect(events.length).toBe(traffic.length);
    const span = Date.parse(events.at(-1)!.event.eventTime) - Date.parse(events[0]!.event.eventTime);
    // Paced for 400 ms at a speed that would take about 2 s for the whole recording, then max.
    let switchedAt = -1;
    const paced = await replayAndHash((replayer) => {
      setTimeout(() => {
        switchedAt = replayer.status().position;
        replayer.setSpeed('max');
      }, 400);
    }, span / 2_000);
    expect(switchedAt).toBeGreaterThan(0);
    expect(switchedAt).toBeLessThan(events.length);
    const fastest = await replayAndHash(() => {}, 'max');
    expect(paced.final).toMatchObject({ state: 'done', position: events.length });
    expect(fastest.alerts).toBeGreaterThan(30);
    expect(paced.alerts).toBe(fastest.alerts);
    expect(paced.hash).toBe(fastest.hash);
    expect(fastest.hash).toBe(live.hash);
    // A fresh processor numbers its journal as the live one did, so the backtest's stream is the same too.
    expect(backtest({ ruleSet: shippedRules(), recordings: [recording] }).hash).toBe(fastest.hash);
  });
});

/** A sink that acknowledges every frame at once and keeps what it got. */
class MemorySink implements ReplaySink {
  readonly frames: BorderEvent[][] = [];
  inFlight = 0;
  send(frame: readonly BorderEvent[]): Promise<IngestReply> {
    this.frames.push([...frame]);
    return Promise.resolve({ type: 'ack', frame: this.frames.length, accepted: frame.length, duplicates: 0, rejected: 0, failed: 0, results: [] });
  }
  sent(): string[] {
    return this.frames.flat().map((e) => e.eventId);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('replay controls', () => {
  it('paces events by event time at a multiple of real time', async () => {
    const some = events.slice(0, 60);
    const span = Date.parse(some.at(-1)!.event.eventTime) - Date.parse(some[0]!.event.eventTime);
    const sink = new MemorySink();
    const started = performance.now();
    const final = await new Replayer(some, sink, { speed: span / 500 }).run();
    const took = performance.now() - started;
    expect(final.state).toBe('done');
    expect(sink.sent()).toEqual(some.map((e) => e.event.eventId));
    expect(took).toBeGreaterThan(400);
    expect(took).toBeLessThan(2_000);
    expect(sink.frames.length).toBeGreaterThan(10);
  });

  it('resumes a paused replay that was left waiting', async () => {
    const sink = new MemorySink();
    const replayer = new Replayer(events.slice(0, 300), sink, { speed: 'max', paused: true });
    const done = replayer.run();
    await new Promise((resolve) => setTimeout(resolve, 30));
    replayer.setSpeed('max');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sink.sent()).toEqual([]);
    replayer.resume();
    expect(await done).toMatchObject({ state: 'done', position: 300 });
    expect(sink.sent().length).toBe(300);
  });

  it('pauses, steps, seeks, changes speed and reports status through JSON messages on the control WebSocket', async () => {
    const sink = new MemorySink();
    const replayer = new Replayer(events, sink, { speed: 1, paused: true });
    const control = await serveControl(replayer);
    const trainer = new TestClient(control.url);
    await trainer.opened();
    const done = replayer.run();
    const statuses = (): ReplayStatus[] => trainer.messages.filter((m) => (m as { type: string }).type === 'status') as ReplayStatus[];
    await trainer.until(() => statuses().length > 0);
    expect(statuses()[0]).toMatchObject({ state: 'paused', position: 0, total: events.length, speed: 1 });

    trainer.send(JSON.stringify({ type: 'step', count: 3 }));
    await trainer.until(() => statuses().some((s) => s.position === 3));
    expect(sink.sent()).toEqual(events.slice(0, 3).map((e) => e.event.eventId));

    // Seek forward to the 1,000th event's time: the events between are skipped.
    const target = events[1000]!.event.eventTime;
    const firstAtOrAfter = events.findIndex((e) => Date.parse(e.event.eventTime) >= Date.parse(target));
    trainer.send(JSON.stringify({ type: 'seek', to: target }));
    trainer.send(JSON.stringify({ type: 'step' }));
    await trainer.until(() => sink.sent().length === 4);
    expect(sink.sent()[3]).toBe(events[firstAtOrAfter]!.event.eventId);
    expect(statuses().at(-1)!.simulatedTime).toBe(new Date(Date.parse(events[firstAtOrAfter]!.event.eventTime)).toISOString());

    trainer.send(JSON.stringify({ type: 'speed', speed: 'fast' }));
    await trainer.until(() => trainer.messages.some((m) => (m as { type: string }).type === 'error'));
    expect(trainer.messages.find((m) => (m as { type: string }).type === 'error')).toMatchObject({ message: 'invalid control message', issues: [{ path: 'speed' }] });

    trainer.send(JSON.stringify({ type: 'speed', speed: 'max' }));
    trainer.send(JSON.stringify({ type: 'resume' }));
    const final = await done;
    await trainer.until(() => statuses().some((s) => s.state === 'done'));
    expect(final).toMatchObject({ state: 'done', position: events.length, speed: 'max' });
    expect(sink.sent().length).toBe(4 + events.length - firstAtOrAfter - 1);
    trainer.close();
    await control.close();
  });
});

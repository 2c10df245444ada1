import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Processor, startProcessor } from '../../src/processor.ts';
import type { AlertSink } from '../../src/push/alert-sink.ts';
import type { StoredAlert } from '../../src/store/alert-log.ts';
import { generated, RULES_DIR, STREAMS_DIR, tempDir } from '../helpers.ts';
import { InMemorySource } from './in-memory-source.ts';

const source = new InMemorySource();
const stored: StoredAlert[] = [];
/** A sink as a broker publisher would be: it gets what the hub gets; a second one throws on every alert. */
const published: StoredAlert[] = [];
const sink: AlertSink = { publish: (s) => void published.push(s) };
const broken: AlertSink = {
  publish() {
    throw new Error('the broker is away');
  },
};
const faults: string[] = [];
let processor: Processor;

beforeAll(async () => {
  processor = await startProcessor({ port: 0, dataDir: tempDir(), rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, fsync: false, log: (line) => void (line.startsWith('fault in push') && faults.push(line)), sources: [source], sinks: [broken, sink] });
  processor.alerts.subscribe((a) => stored.push(a));
});
afterAll(() => processor.close());

describe('an event source other than the WebSocket ingest', () => {
  it('is started with the processor and its frames are answered in order and assessed like a producer’s', async () => {
    expect(source.session).toBeDefined();
    const traffic = generated(400, { seed: 11, plantRate: 0.1 });
    const frames = [];
    for (let i = 0; i < traffic.length; i += 50) frames.push(JSON.stringify(traffic.slice(i, i + 50).map((g) => g.event)));
    frames.push('{"kind":"crossing","eventId":"broken"}');
    const replies = await source.send(frames);
    expect(replies.map((r) => r.frame)).toEqual(frames.map((_, i) => i + 1));
    expect(replies.slice(0, -1).reduce((n, r) => n + r.accepted, 0)).toBe(400);
    expect(replies.at(-1)).toMatchObject({ accepted: 0, rejected: 1 });
    const planted = traffic.filter((g) => g.label).map((g) => g.event.eventId);
    expect(planted.length).toBeGreaterThan(0);
    await expect.poll(() => stored.filter((s) => planted.includes(s.alert.eventId)).length).toBeGreaterThan(0);
  });

  it('hands every stored alert to an alert sink in sequence order, even when another sink throws', async () => {
    await expect.poll(() => published.length).toBe(stored.length);
    expect(published.map((s) => s.seq)).toEqual(stored.map((s) => s.seq));
    expect(published.map((s) => s.seq)).toEqual([...published.map((s) => s.seq)].sort((a, b) => a - b));
    expect(faults.length).toBe(stored.length);
    expect(faults[0]).toContain('the broker is away');
  });

  it('is stopped when the processor closes', async () => {
    await processor.close();
    expect(source.stopped).toBe(true);
  });
});

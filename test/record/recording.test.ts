import fs from 'node:fs';
import path from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { readRecording, readSegment, segmentFiles, summariseRecording } from '../../src/record/read-recording.ts';
import { BatchEncoder, END_OF_STREAM } from '../../src/record/encode-events.ts';
import { Recorder, type RecorderOptions } from '../../src/record/recorder.ts';
import { tempDir } from '../helpers.ts';
import { recordedTraffic } from './helpers.ts';

const traffic = recordedTraffic(3000);
const canonical = (xs: unknown[]): string[] => xs.map((x) => JSON.stringify(x));

function write(dir: string, events = traffic, options: RecorderOptions = {}): void {
  const recorder = Recorder.open(dir, { flushMs: 0, segmentEvents: 1000, batchEvents: 250, log: () => {}, ...options });
  for (const e of events) recorder.append(e);
  recorder.close();
}

describe('recordings', () => {
  it('gives back every event byte for byte, in order, with its record number and label', () => {
    const dir = tempDir();
    write(dir);
    expect(segmentFiles(dir).map((f) => path.basename(f))).toEqual(['events-000000000001.arrows', 'events-000000001001.arrows', 'events-000000002001.arrows']);
    const back = [...readRecording(dir)];
    expect(canonical(back)).toEqual(canonical(traffic));
    expect(back.filter((r) => r.label).length).toBe(traffic.filter((r) => r.label).length);
    expect(back.filter((r) => r.label).length).toBeGreaterThan(50);
  });

  it('gives back names in any script as they were written, ASCII or not, in dictionary columns', () => {
    const names = ['Öztürk', 'Сидоров', 'محمدی', 'Karimov', 'Ñúñez-Łukasz', '王'];
    const events = traffic.slice(0, 60).map((r, i) => {
      if (r.event.kind !== 'crossing') return r;
      const familyName = names[i % names.length]!;
      return { ...r, event: { ...r.event, traveller: { ...r.event.traveller, familyName } } };
    });
    const dir = tempDir();
    write(dir, events);
    expect(canonical([...readRecording(dir)])).toEqual(canonical(events));
    const read = new Set([...readRecording(dir)].flatMap((r) => (r.event.kind === 'crossing' ? [r.event.traveller.familyName] : [])));
    for (const name of names) expect(read.has(name), name).toBe(true);
  });

  it('starts a new segment once one reaches its byte limit', () => {
    const dir = tempDir();
    write(dir, traffic.slice(0, 1000), { segmentEvents: 100_000, segmentBytes: 100_000, batchEvents: 100 });
    const files = segmentFiles(dir);
    expect(files.length).toBeGreaterThan(2);
    for (const file of files.slice(0, -1)) expect(fs.statSync(file).size).toBeGreaterThanOrEqual(100_000);
    expect([...readRecording(dir)].map((r) => r.n)).toEqual(traffic.slice(0, 1000).map((r) => r.n));
  });

  it('keeps the complete batches of a segment a crash cut short, and the recorder repairs it and carries on after them', () => {
    const dir = tempDir();
    write(dir, traffic.slice(0, 1000));
    const [file] = segmentFiles(dir);
    const bytes = fs.readFileSync(file!);
    // Cut inside the last batch: three complete batches of 250 remain.
    fs.writeFileSync(file!, bytes.subarray(0, bytes.length - 5_000));
    const segment = readSegment(file!);
    expect(segment.complete).toBe(false);
    expect(segment.problem).toMatch(/cut short/);
    expect(segment.events).toBe(750);
    const seen: string[] = [];
    expect([...readRecording(dir, { onIncomplete: (s) => seen.push(s.file) })].length).toBe(750);
    expect(seen).toEqual([file]);

    const notes: string[] = [];
    const recorder = Recorder.open(dir, { flushMs: 0, log: (line) => notes.push(line) });
    expect(notes.join('\n')).toMatch(/cut short.*kept its 750 events/);
    expect(recorder.lastRecorded).toBe(750);
    expect(readSegment(file!).complete).toBe(true);
    // Catch-up from the journal re-records what the cut lost; what is already there is skipped.
    expect(recorder.catchUp(traffic.slice(0, 1000))).toBe(250);
    recorder.close();
    // The journal carries no labels: the re-recorded events have none.
    const expected = traffic.slice(0, 1000).map((r) => (r.n <= 750 ? r : { n: r.n, event: r.event }));
    expect(canonical([...readRecording(dir)])).toEqual(canonical(expected));
  });

  it('removes a segment a crash left with its schema and no batch, and reads one that ends there as empty', () => {
    const dir = tempDir();
    write(dir, traffic.slice(0, 500));
    const header = new BatchEncoder().header;
    // The recorder writes a new segment's schema and its first batch in two writes: a crash can come between.
    const empty = path.join(dir, 'events-000000000501.arrows');
    fs.writeFileSync(empty, header);
    expect(readSegment(empty)).toMatchObject({ complete: false, events: 0, batches: [] });
    expect([...readRecording(dir)]).toHaveLength(500);
    const notes: string[] = [];
    const recorder = Recorder.open(dir, { flushMs: 0, log: (line) => notes.push(line) });
    expect(recorder.lastRecorded).toBe(500);
    recorder.close();
    expect(fs.existsSync(empty)).toBe(false);
    expect(notes.join('\n')).toMatch(/removed .*cut short before its first complete batch/);
    // Ended without a batch: complete, and nothing in it.
    fs.writeFileSync(empty, Buffer.concat([header, END_OF_STREAM]));
    expect(readSegment(empty)).toMatchObject({ complete: true, events: 0, batches: [] });
    expect([...readRecording(dir)]).toHaveLength(500);
  });

  it('reports a segment without its end-of-stream marker as incomplete, and refuses a file that is not a recording', () => {
    const dir = tempDir();
    write(dir, traffic.slice(0, 500));
    const [file] = segmentFiles(dir);
    const bytes = fs.readFileSync(file!);
    fs.writeFileSync(file!, bytes.subarray(0, bytes.length - 8));
    expect(readSegment(file!)).toMatchObject({ complete: false, events: 500, problem: expect.stringMatching(/end-of-stream/) });
    const foreign = path.join(dir, 'notes.arrows');
    fs.writeFileSync(foreign, 'not arrow at all, just text\n');
    expect(() => readSegment(foreign)).toThrow(expect.objectContaining({ code: 'ERR_REPLAY_FORMAT' }));
  });

  it('stops recording on a failed write without throwing, and the next open catches up from where the files end', () => {
    const dir = tempDir();
    const notes: string[] = [];
    const recorder = Recorder.open(dir, { flushMs: 0, batchEvents: 100, log: (line) => notes.push(line) });
    // Another file already holds the name of the first segment: opening it fails.
    fs.writeFileSync(path.join(dir, 'events-000000000001.arrows.lock'), '');
    fs.renameSync(path.join(dir, 'events-000000000001.arrows.lock'), path.join(dir, 'events-000000000001.arrows'));
    expect(() => {
      for (const e of traffic.slice(0, 300)) recorder.append(e);
    }).not.toThrow();
    expect(recorder.error?.message).toMatch(/EEXIST/);
    expect(notes.join('\n')).toMatch(/recording to .* stopped: .*EEXIST.*the journal keeps every event/);
    recorder.close();
  });

  it('summarises a recording: events, record numbers and event-time span', () => {
    const dir = tempDir();
    write(dir);
    const summary = summariseRecording(dir);
    const times = traffic.map((r) => Date.parse(r.event.eventTime));
    expect(summary).toMatchObject({ segments: 3, incomplete: [], events: 3000, firstN: 1, lastN: 3000, firstTimeMs: Math.min(...times), lastTimeMs: Math.max(...times) });
  });
});

describe('a recording read by Polars (an independent Arrow implementation)', () => {
  it('opens with the documented schema and the recorded values', () => {
    const dir = tempDir();
    write(dir);
    const [file] = segmentFiles(dir);
    // Polars' own IPC stream reader, not apache-arrow's.
    const df = pl.readIPCStream(fs.readFileSync(file!));
    expect(df.height).toBe(1000);
    expect(df.columns).toEqual(['n', 'time', 'kind', 'eventId', 'eventTime', 'post', 'direction', 'crossing', 'cargo', 'planted', 'class']);
    const types = Object.fromEntries(Object.entries(df.schema).map(([k, v]) => [k, String(v).replace(/^DataType\((.*)\)$/, "$1")]));
    expect(types).toMatchObject({ n: 'Int64', time: 'Datetime(ms,UTC)', kind: 'Categorical', eventId: 'String', eventTime: 'String', post: 'Categorical', direction: 'Categorical' });
    expect(types.crossing).toMatch(/^Struct\(Field\("mode", DataType\(Categorical\)\),Field\("traveller", DataType\(Struct\(Field\("familyName"/);
    expect(types.crossing).toContain('Field("dateOfBirth", DataType(Date))');
    expect(types.crossing).toContain('Field("mrz", DataType(List(DataType(String))))');
    expect(types.cargo).toContain('Field("items", DataType(List(DataType(Struct(Field("hsCode", DataType(Categorical))');
    expect(types.planted).toBe('Struct(Field("case", DataType(Categorical)),Field("indicators", DataType(List(DataType(Categorical)))))');

    const first = traffic.slice(0, 1000);
    expect(df.getColumn('n').toArray().map(Number)).toEqual(first.map((r) => r.n));
    expect(df.getColumn('eventId').toArray()).toEqual(first.map((r) => r.event.eventId));
    expect(df.getColumn('post').toArray()).toEqual(first.map((r) => r.event.post));
    expect((df.getColumn("time").toArray() as unknown as Date[]).map((d) => d.getTime())).toEqual(first.map((r) => Date.parse(r.event.eventTime)));
    const familyNames = df.getColumn('crossing').struct.field('traveller').struct.field('familyName').toArray();
    expect(familyNames).toEqual(first.map((r) => (r.event.kind === 'crossing' ? r.event.traveller.familyName : null)));
    const items = df.select(pl.col('cargo').struct.field('items').alias('items')).explode('items').unnest('items');
    expect(items.getColumn('grossKg').toArray().filter((x) => x !== null)).toEqual(first.flatMap((r) => (r.event.kind === 'cargo' ? r.event.items.map((i) => i.grossKg) : [])));
    expect(df.getColumn('planted').struct.field('case').toArray()).toEqual(first.map((r) => r.label?.case ?? null));
  });
});

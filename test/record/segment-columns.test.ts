import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBatch } from '../../src/record/decode-batch.ts';
import { readRecording, readSegment, segmentFiles } from '../../src/record/read-recording.ts';
import type { RecordedEvent } from '../../src/record/recorded-event.ts';
import { Recorder } from '../../src/record/recorder.ts';
import { plainSegmentBatches } from '../../src/record/segment-columns.ts';
import { tempDir } from '../helpers.ts';
import { recordedTraffic } from './helpers.ts';

const names = ['Öztürk', 'Сидоров', 'محمدی', 'Karimov', 'Ñúñez-Łukasz', '王'];
// Crossings and cargo, planted labels, optional parts present and absent, names in several scripts, some unlabelled by class.
const traffic: RecordedEvent[] = recordedTraffic(2500, 13, 0.1).map((r, i) => {
  const classed = i % 3 === 0 ? r : { ...r, trafficClass: i % 2 === 0 ? 'bus' : 'rail-cargo' };
  if (r.event.kind !== 'crossing' || i % 7 !== 0) return classed;
  return { ...classed, event: { ...r.event, traveller: { ...r.event.traveller, familyName: names[i % names.length]! } } };
});

function write(dir: string): string[] {
  const recorder = Recorder.open(dir, { flushMs: 0, segmentEvents: 1000, batchEvents: 300, log: () => {} });
  for (const e of traffic) recorder.append(e);
  recorder.close();
  return segmentFiles(dir);
}

const json = (events: readonly RecordedEvent[]): string[] => events.map((e) => JSON.stringify(e));

describe("a segment's columns read without apache-arrow's vectors", () => {
  it('decodes every batch to the events apache-arrow’s reader gives, from aligned and unaligned bytes', () => {
    const files = write(tempDir());
    expect(files.length).toBe(3);
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      const expected = readSegment(file).batches.map((b) => json(decodeBatch(b)));
      // The same bytes one byte off an 8-byte boundary: views that cannot be aligned are copied.
      const shifted = new Uint8Array(bytes.length + 1).subarray(1);
      shifted.set(bytes);
      for (const source of [bytes, shifted]) {
        const batches = plainSegmentBatches(source);
        expect(batches).not.toBeNull();
        expect(batches!.map((b) => json(decodeBatch(b)))).toEqual(expected);
      }
    }
    const all = files.flatMap((f) => plainSegmentBatches(fs.readFileSync(f))!.flatMap((b) => json(decodeBatch(b))));
    expect(all).toEqual(json(traffic));
  });

  it('leaves a segment cut short, or not a recording, to apache-arrow’s reader, which reports it as before', () => {
    const [file] = write(tempDir());
    const bytes = fs.readFileSync(file!);
    expect(plainSegmentBatches(bytes.subarray(0, bytes.length - 8))).toBeNull();
    expect(plainSegmentBatches(bytes.subarray(0, Math.floor(bytes.length / 2)))).toBeNull();
    expect(plainSegmentBatches(Buffer.from('not an arrow stream at all'))).toBeNull();

    const dir = tempDir();
    fs.writeFileSync(`${dir}/events-000000000001.arrows`, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const incomplete: string[] = [];
    const back = [...readRecording(dir, { onIncomplete: (s) => incomplete.push(s.problem ?? '') })];
    expect(incomplete).toHaveLength(1);
    expect(incomplete[0]).toMatch(/cut short/);
    expect(back.length).toBeGreaterThan(0);
    expect(json(back)).toEqual(json(traffic.slice(0, back.length)));
  });
});

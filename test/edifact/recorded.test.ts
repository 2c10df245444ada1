import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAirMessages } from '../../src/edifact/read-air-messages.ts';
import { readRecording } from '../../src/record/read-recording.ts';
import { Recorder } from '../../src/record/recorder.ts';
import { tempDir } from '../helpers.ts';

const GUIDE = path.join(import.meta.dirname, '../fixtures/edifact/guide');
const airportPosts = new Map([['ALA', 'KZ-ALA'], ['TAS', 'UZ-TAS']]);

describe('crossings read from airline messages in a recording', () => {
  it('come back byte for byte, with their API, PNR and source parts, and an older recording still reads', () => {
    const events = ['paxlst-d05b-passengers.edi', 'paxlst-d02b-crew.edi', 'pnrgov-13-1-two-bookings.edi'].flatMap(
      (f) => readAirMessages(fs.readFileSync(path.join(GUIDE, f), 'utf8'), { airportPosts }).events,
    );
    expect(events.some((e) => e.pnr?.history.length)).toBe(true);
    const dir = tempDir();
    const recorder = Recorder.open(dir, { flushMs: 0, log: () => {} });
    for (const [i, event] of events.entries()) recorder.append({ n: i + 1, event });
    recorder.close();
    expect([...readRecording(dir)].map((r) => JSON.stringify(r.event))).toEqual(events.map((e) => JSON.stringify(e)));
    // The shipped recording was made before these columns existed.
    const shipped = path.join(import.meta.dirname, '../../replay-data/afghan-border-week');
    const first = readRecording(shipped).next();
    expect(first.done).toBe(false);
    expect(first.value!.event).not.toHaveProperty('api');
  });
});

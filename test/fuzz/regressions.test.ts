import { describe, expect, it } from 'vitest';
import { readDeadLetters } from '../../src/journal/dead-letters.ts';
import { readJournal } from '../../src/journal/journal.ts';
import { validateEvent } from '../../src/model/event.ts';
import { nestedText, validEvents } from './hostile.ts';
import { IngestHarness } from './ingest-harness.ts';

// Plain tests for what the fuzz suite found, each with its shrunk counterexample.

describe('ingest regressions found by fuzzing', () => {
  it('answers a frame of 100,000 nested arrays and keeps serving (it used to overflow the stack writing the dead letter and end the process)', async () => {
    const harness = new IngestHarness();
    try {
      const reply = await harness.send(nestedText(100_000, 'array'));
      expect(reply).toMatchObject({ rejected: 1, results: [{ i: 0, status: 'rejected' }] });
      const next = await harness.send(JSON.stringify(validEvents(1, 'after-deep')[0]));
      expect(next).toMatchObject({ accepted: 1 });
      expect(harness.escaped).toEqual([]);
      const letter = readDeadLetters(harness.dataDir)[0]!;
      expect(letter.issues.map((i) => i.message)).toContain('nested deeper than 100 levels; the dead letter keeps the first 100');
    } finally {
      await harness.close();
    }
  });

  it('reads -0 as 0, so the journaled event is the one processed (JSON writes -0 as 0)', async () => {
    const crossing = validEvents(200, 'negzero').find((e) => e.kind === 'crossing' && e.itinerary !== undefined)!;
    const text = JSON.stringify(crossing).replace(/"bagCount":\d+/, '"bagCount":-0').replace(/"bagWeightKg":[\d.]+/, '"bagWeightKg":-0.0');
    const result = validateEvent(JSON.parse(text));
    expect(result.success).toBe(true);
    const itinerary = result.success && result.event.kind === 'crossing' ? result.event.itinerary! : undefined;
    expect(Object.is(itinerary?.bagCount, 0) && Object.is(itinerary?.bagWeightKg, 0)).toBe(true);

    const cargo = validEvents(20, 'negzero-cargo').find((e) => e.kind === 'cargo')!;
    const harness = new IngestHarness();
    try {
      await harness.send(JSON.stringify(cargo).replace(/"amount":[\d.]+/, '"amount":-0'));
      const [record] = readJournal(harness.journal.path);
      expect(harness.passedOn[0]!.event).toEqual(record!.event);
    } finally {
      await harness.close();
    }
  });
});

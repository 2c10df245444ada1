import { validateEvent } from '../../src/model/event.ts';
import type { RecordedEvent } from '../../src/record/recorded-event.ts';
import { generated } from '../helpers.ts';

/** Seeded traffic as /ingest would accept it (validated, so in the schema's key order), numbered from 1, with labels. */
export function recordedTraffic(count: number, seed = 7, plantRate = 0.05): RecordedEvent[] {
  return generated(count, { seed, plantRate }).map((g, i) => {
    const checked = validateEvent(JSON.parse(JSON.stringify(g.event)) as unknown);
    if (!checked.success) throw new Error(`generated an invalid event: ${JSON.stringify(checked.issues)}`);
    return g.label ? { n: i + 1, event: checked.event, label: g.label } : { n: i + 1, event: checked.event };
  });
}

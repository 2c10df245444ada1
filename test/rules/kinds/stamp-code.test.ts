import { describe, expect, it } from 'vitest';
import { eventTimeMs } from '../../../src/enrich/event-time.ts';
import { stampOf, stampText } from '../../../src/rules/kinds/window/stamp-code.ts';

describe('window record event times', () => {
  it('keeps the offset alone for the two shapes events carry, and writes the same text back', () => {
    for (const text of ['2026-11-02T05:00:11.617+05:00', '2026-11-02T00:00:11.617Z', '2026-11-02T05:00:11.617-03:30', '2026-11-02T05:00:11.617+00:00', '2024-02-29T23:59:59.999+14:00', '1969-12-31T23:59:59.999-01:00']) {
      const t = eventTimeMs(text);
      const stamp = stampOf(text, t);
      expect(typeof stamp).toBe('number');
      expect(stampText(stamp, t)).toBe(text);
    }
  });

  it('keeps as written a time the offset cannot give back: another shape, -00:00, a day past the month, or not the time in ms', () => {
    for (const text of ['2026-11-02T05:00:11+05:00', '2026-11-02T05:00:11.617-00:00', '2026-02-30T05:00:11.617+05:00', '2026-11-02 05:00:11.617+05:00']) {
      expect(stampOf(text, eventTimeMs(text))).toBe(text);
    }
    expect(stampOf('2026-11-02T05:00:11.617+05:00', 0)).toBe('2026-11-02T05:00:11.617+05:00');
  });
});

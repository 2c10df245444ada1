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

  it('writes back every instant in every offset the same text as the event carried', () => {
    const pad = (n: number): string => String(n).padStart(2, '0');
    let state = 11;
    const next = (below: number): number => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) % below;
    const differing: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const t = Date.UTC(1900, 0, 1) + next(2_000_000_000) * 4_000 + next(1000);
      const minutes = next(2) === 0 ? 0 : (next(2) === 0 ? -1 : 1) * next(24 * 60);
      const text = next(5) === 0 ? new Date(t).toISOString() : `${new Date(t + minutes * 60_000).toISOString().slice(0, 23)}${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
      const stamp = stampOf(text, eventTimeMs(text));
      if (typeof stamp !== 'number' || stampText(stamp, eventTimeMs(text)) !== text) differing.push(text);
    }
    expect(differing).toEqual([]);
  });
});

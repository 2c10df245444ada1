import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentIds } from '../../src/kernel/recent-ids.ts';

describe('RecentIds: a duplicate check bounded in two generations', () => {
  it('always holds the newest `generation` keys with their values, and never more than twice that', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 300 }), (generation, keys) => {
        const ids = new RecentIds<number>(generation);
        keys.forEach((k, i) => {
          ids.set(`id${k}`, i);
          expect(ids.size).toBeLessThanOrEqual(2 * generation);
          // The newest `generation` distinct sets are all held, each with its last value.
          const newest = new Map<string, number>();
          for (let j = i; j >= 0 && newest.size < generation; j--) if (!newest.has(`id${keys[j]}`)) newest.set(`id${keys[j]}`, j);
          for (const [key, at] of newest) expect(ids.get(key)).toBe(at);
        });
      }),
    );
  });

  it('forgets the oldest keys once two generations are full, and deletes from both', () => {
    const ids = new RecentIds<true>(2);
    for (const k of ['a', 'b', 'c', 'd', 'e']) ids.set(k, true);
    expect(['a', 'b', 'c', 'd', 'e'].filter((k) => ids.has(k))).toEqual(['c', 'd', 'e']);
    ids.delete('c');
    ids.delete('e');
    expect(ids.has('c') || ids.has('e')).toBe(false);
    expect(ids.get('d')).toBe(true);
  });
});

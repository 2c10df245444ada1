import { describe, expect, it } from 'vitest';
import { flat } from '../../src/kernel/flat-string.ts';
import { StringPool } from '../../src/kernel/string-pool.ts';

describe('the string pool', () => {
  it('gives an equal string for every value, empty ones and ropes included', () => {
    const pool = new StringPool(4);
    for (const text of ['', 'ivanov', `${'iva'}${'nov'}`, 'ИВАНОВ', 'a'.repeat(1000)]) expect(pool.of(text)).toBe(text);
    expect(flat('')).toBe('');
  });

  it('hands out the copy it first kept while it holds it, and holds no more than its capacity', () => {
    const pool = new StringPool(3);
    const first = pool.of(['kar', 'imov'].join(''));
    // The same text made again is answered with the kept copy (equal either way: strings are values).
    expect(pool.of(['kari', 'mov'].join(''))).toBe(first);
    expect((pool as unknown as { strings: Map<string, string> }).strings.size).toBe(1);
    for (const name of ['a', 'b', 'c', 'd', 'e']) pool.of(name);
    // Full at three: it started afresh and holds at most three.
    expect((pool as unknown as { strings: Map<string, string> }).strings.size).toBeLessThanOrEqual(3);
    expect(pool.of('karimov')).toBe('karimov');
  });
});

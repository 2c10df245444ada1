import { describe, expect, it } from 'vitest';
import { KeyTable } from '../../src/state/key-table.ts';

/** A slot whose value is the newest event time it saw, idle once older than the watermark minus `reach`. */
const timeSlot = (table: KeyTable, reach: number) => table.slot<number>(reach, (newest, watermark) => newest < watermark - reach);

describe('key table', () => {
  it('keeps one entry per key with a slot per rule, each rule seeing only its own', () => {
    const table = new KeyTable();
    const a = timeSlot(table, 10);
    const b = timeSlot(table, 10);
    table.relayout([a, b]);
    a.set('doc-1', {}, 1);
    expect([a.get('doc-1', {}), b.get('doc-1', {}), a.get('doc-2', {})]).toEqual([1, undefined, undefined]);
    b.set('doc-1', {}, 2);
    b.set('doc-2', {}, 3);
    expect([a.get('doc-1', {}), b.get('doc-1', {}), b.get('doc-2', {}), a.size, b.size, table.size]).toEqual([1, 2, 3, 1, 2, 2]);
  });

  it('on a new layout moves kept slots, starts new ones empty and forgets dropped ones', () => {
    const table = new KeyTable();
    const [a, b, c] = [timeSlot(table, 10), timeSlot(table, 10), timeSlot(table, 10)];
    table.relayout([a, b, c]);
    a.set('doc-1', {}, 1);
    b.set('doc-1', {}, 2);
    c.set('doc-1', {}, 3);
    c.set('doc-2', {}, 4);
    const d = timeSlot(table, 10);
    table.relayout([c, d, a]);
    expect([c.get('doc-1', {}), d.get('doc-1', {}), a.get('doc-1', {}), c.get('doc-2', {}), a.get('doc-2', {})]).toEqual([3, undefined, 1, 4, undefined]);
    table.relayout([d]);
    expect(table.size).toBe(0);
  });

  it('drops what a rule can no longer use, and a key once no rule holds anything for it', () => {
    const table = new KeyTable();
    const short = timeSlot(table, 10);
    const long = timeSlot(table, 100);
    table.relayout([short, long]);
    short.set('doc-1', {}, 0);
    long.set('doc-1', {}, 0);
    short.set('doc-2', {}, 0);
    table.sweep(10); // nothing is older than its reach yet
    expect([short.size, long.size, table.size]).toEqual([2, 1, 2]);
    table.sweep(50);
    expect([short.get('doc-1', {}), long.get('doc-1', {}), short.get('doc-2', {}), table.size]).toEqual([undefined, 0, undefined, 1]);
    table.sweep(101);
    expect(table.size).toBe(0);
  });
});

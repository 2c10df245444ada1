import fc from 'fast-check';

/** Edits of events for holding the plain validators to zod's verdicts (plain-events.test.ts, plain-air.test.ts). */

/** Every path into an object, inner nodes and leaves, with array positions. */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => pathsOf((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

/** Values that sit on a boundary of some field's rule, or break one. */
export const edgeValues: unknown[] = [
  undefined, null, true, false, 0, -0, 1, 50, 51, 1000, 1000.5, 1001, -1, 1.5, Number.MAX_SAFE_INTEGER + 1, '', ' ', 'A', 'KAZ', 'XXA', 'KZZ', 'USD', 'entry', 'exit', 'air', 'road', 'F', 'X', 'passport',
  'card', 'ALA', 'ala', 'KC', 'KC1', '1234', '12A', '12345', 'KZ-KHORGOS', 'KZ-K', 'kz-khorgos', '2024-02-29', '2023-02-29', '2024-13-01', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00+05:00',
  '2026-01-01T00:00:00', '2026-01-01T24:00:00Z', 'x'.repeat(100), 'x'.repeat(101), 'x'.repeat(20), 'x'.repeat(21), 'a\u202Eb', 'a\u200Db', 'a\tb', 'a\u0000b', 'P<KAZ', 'P'.repeat(44), '<'.repeat(36), '1'.repeat(30),
  '123456', '12345', 'KGS', 'EUR', 'usd', 'a\nb', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(200), 'x'.repeat(201), 'x'.repeat(500), 'x'.repeat(501), 5e-324, Number.MIN_VALUE / 2, 1e308,
  { amount: 10, currency: 'USD' }, { amount: -0, currency: 'USD' }, { name: 'A', country: 'KAZ' }, ['KAZ'], Array(51).fill('KAZ'), Array(101).fill('KAZ'),
  [], ['ALA'], Array(21).fill('ALA'), ['P'.repeat(44), 'P'.repeat(44)], ['P'.repeat(30), 'P'.repeat(30), 'P'.repeat(30)], ['P'.repeat(44), 'P'.repeat(36)], ['P'.repeat(30), 'P'.repeat(30)], ['P'.repeat(44), 'P'.repeat(44), 'P'.repeat(44)], ['p'.repeat(44), 'P'.repeat(44)], {}, { plate: '01ABC02', country: 'KAZ' }, [1, 2],
];

/** An edit at a random path: a field replaced (by one of `values` or a random small one), deleted, given an extra key, or cut short. */
export function editOf(values: readonly unknown[]) {
  return fc.record({
    at: fc.nat(),
    how: fc.constantFrom('replace', 'delete', 'add-key', 'truncate-string'),
    value: fc.oneof(fc.constantFrom(...values), fc.string({ maxLength: 6 }), fc.integer({ min: -2, max: 60 }), fc.double({ min: -1, max: 1001, noNaN: true })),
  });
}

export const edit = editOf(edgeValues);

export function applyEdit(event: Record<string, unknown>, change: { at: number; how: string; value: unknown }): void {
  const paths = pathsOf(event).filter((p) => p.length > 0);
  const path = paths[change.at % paths.length]!;
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, event);
  const key = path.at(-1)!;
  if (change.how === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (change.how === 'add-key' && typeof parent[key] === 'object' && parent[key] !== null && !Array.isArray(parent[key])) {
    (parent[key] as Record<string, unknown>).extra = structuredClone(change.value);
  } else if (change.how === 'truncate-string' && typeof parent[key] === 'string') {
    parent[key] = (parent[key] as string).slice(1);
  } else {
    // A copy: the edge values are shared, and a later edit must not change (or loop into) one.
    parent[key] = structuredClone(change.value);
  }
}

import fc from 'fast-check';
import type { z } from 'zod';
import { CargoSchema } from '../../src/model/cargo.ts';
import { CrossingSchema } from '../../src/model/crossing.ts';
import type { BorderEvent } from '../../src/model/event.ts';
import { generated } from '../helpers.ts';

/**
 * Shared pieces of the fuzz suite (`test/fuzz/`): run settings, hostile values and
 * events mutated into near-misses.
 *
 * Runs are kept modest so the suite stays well under a minute in CI. For a longer
 * local run set FUZZ_RUNS (a multiplier would hide which property got how many):
 *
 *   FUZZ_RUNS=5000 npx vitest run test/fuzz
 *
 * When a property fails, fast-check prints `{ seed: S, path: "P" }` with the shrunk
 * counterexample; replay exactly that case with
 *
 *   FUZZ_SEED=S FUZZ_PATH="P" npx vitest run test/fuzz/<file> -t '<test name>'
 */
export function fuzzParams(defaultRuns: number): fc.Parameters<unknown> {
  const runs = Number(process.env.FUZZ_RUNS ?? defaultRuns);
  const seed = process.env.FUZZ_SEED;
  const path = process.env.FUZZ_PATH;
  return {
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns,
    ...(seed === undefined ? {} : { seed: Number(seed) }),
    ...(path === undefined ? {} : { path }),
  };
}

/** Test timeout for a property: vitest's default in CI, an hour when FUZZ_RUNS asks for a long run. */
export function fuzzTimeout(): number {
  return process.env.FUZZ_RUNS === undefined ? 30_000 : 3_600_000;
}

/** Keys that change prototypes or constructors when code copies objects carelessly. */
export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
export const pollutionKey = fc.constantFrom(...POLLUTION_KEYS);

/** Object.prototype and Array.prototype as they are now, to compare with after hostile input. */
export function prototypeSnapshot(): string {
  return JSON.stringify([Object.getOwnPropertyNames(Object.prototype).sort(), Object.getOwnPropertyNames(Array.prototype).sort()]);
}
export function polluted(before: string): string | undefined {
  if (({} as Record<string, unknown>).polluted !== undefined) return 'Object.prototype.polluted is set';
  if (([] as unknown as Record<string, unknown>).polluted !== undefined) return 'Array.prototype.polluted is set';
  return prototypeSnapshot() === before ? undefined : 'Object.prototype or Array.prototype gained keys';
}

/** An object with an own key, even `__proto__` (which plain assignment would turn into a prototype). */
export function withOwnKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

/** JSON text of `depth` nested arrays or objects around `inner`. */
export function nestedText(depth: number, shape: 'array' | 'object', inner = '1'): string {
  return shape === 'array' ? `${'['.repeat(depth)}${inner}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`;
}

/** Strings a validator might trip over: empty, control characters, lone surrogates, number look-alikes, huge. */
export const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '\udfff', 'NaN', 'Infinity', '-Infinity', '-0', '1e400', 'null', 'undefined', 'true', '__proto__', '<script>', '%s%n', '\u202e', 'A'.repeat(129)),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

/** Numbers at the edges: -0, the largest and smallest doubles, beyond 2^53. */
export const edgeNumber = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 2, -(2 ** 53) - 2, 1e-320),
  fc.integer(),
);

/** Any JSON-able value, including nested garbage and pollution keys; nesting stays under 300 levels so that fast-check can print a counterexample (deeper cases are plain tests). */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    edgeNumber,
    fc.constantFrom(null, true, false),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), pollutionKey), tie('value'), { maxKeys: 4 }),
    fc.tuple(pollutionKey, tie('value')).map(([k, v]) => withOwnKey({}, k, v)),
    fc.tuple(fc.integer({ min: 10, max: 300 }), fc.constantFrom('array' as const, 'object' as const)).map(([d, s]) => JSON.parse(nestedText(d, s)) as unknown),
  ),
})).value;

/** A pool of valid events from the seeded generator, crossings and cargo. */
export function validEvents(count: number, idPrefix: string): BorderEvent[] {
  return generated(count, { seed: 8, plantRate: 0.1, idPrefix }).map((g) => JSON.parse(JSON.stringify(g.event)) as BorderEvent);
}

/** Every place in a value: the paths of its objects' keys and arrays' elements. */
export function placesIn(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  const entries = Array.isArray(value) ? value.entries() : typeof value === 'object' && value !== null ? Object.entries(value) : [];
  for (const [k, v] of entries) {
    out.push([...at, k]);
    placesIn(v, [...at, k], out);
  }
  return out;
}

/** The objects (not arrays) inside a value, by path, the root included. */
export function objectsIn(value: unknown): (string | number)[][] {
  return [[], ...placesIn(value)].filter((p) => {
    const v = at(value, p);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  });
}

export function at(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const k of path) v = (v as Record<string | number, unknown>)[k];
  return v;
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): void {
  const parent = at(root, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path.at(-1)!] = value;
}

/** A JSON value of another type than `like`: null, or a value of a different JSON type. */
function otherType(like: unknown, pick: number): unknown {
  const kind = Array.isArray(like) ? 'array' : like === null ? 'null' : typeof like;
  const options: [string, unknown][] = [['string', 'NaN'], ['number', -1], ['boolean', true], ['object', { polluted: true }], ['array', [[]]], ['null', null]];
  const others = options.filter(([k]) => k !== kind);
  return others[pick % others.length]![1];
}

/**
 * A mutation that must make any valid event invalid: a value of the wrong JSON type
 * anywhere, a key the schema does not know (pollution keys included) in any object,
 * or a string longer than any string field allows.
 */
export type Breaking =
  | { kind: 'wrong-type'; place: number; pick: number }
  | { kind: 'extra-key'; place: number; key: string; value: unknown }
  | { kind: 'huge-string'; place: number; length: number };

export const breaking: fc.Arbitrary<Breaking> = fc.oneof(
  fc.record({ kind: fc.constant('wrong-type' as const), place: fc.nat(), pick: fc.nat() }),
  fc.record({ kind: fc.constant('extra-key' as const), place: fc.nat(), key: fc.oneof(pollutionKey, fc.constantFrom('polluted', 'eventid', 'Kind'), fc.string({ minLength: 1 })), value: hostileValue }),
  fc.record({ kind: fc.constant('huge-string' as const), place: fc.nat(), length: fc.integer({ min: 1_000, max: 300_000 }) }),
);

/** Applies a breaking mutation to a copy of a valid event; the result is a plain JSON-able value. */
export function breakEvent(event: BorderEvent, m: Breaking): unknown {
  const copy = structuredClone(event) as unknown;
  if (m.kind === 'extra-key') {
    const objects = objectsIn(copy);
    const target = at(copy, objects[m.place % objects.length]!) as Record<string, unknown>;
    // A key the schema knows is not extra; shift it so the mutation stays breaking.
    const key = Object.hasOwn(target, m.key) ? `${m.key}_` : m.key;
    withOwnKey(target, key, m.value);
    return copy;
  }
  const places = placesIn(copy);
  if (m.kind === 'wrong-type') {
    const place = places[m.place % places.length]!;
    setAt(copy, place, otherType(at(copy, place), m.pick));
    return copy;
  }
  const strings = places.filter((p) => typeof at(copy, p) === 'string');
  setAt(copy, strings[m.place % strings.length]!, 'Z'.repeat(m.length));
  return copy;
}

/**
 * A mutation that may or may not leave the event valid: a field removed, replaced by
 * any hostile value or an edge number. Whatever the verdict, it must be consistent.
 */
export type Mutation = { kind: 'drop'; place: number } | { kind: 'replace'; place: number; value: unknown };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), place: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), place: fc.nat(), value: fc.oneof(hostileValue, edgeNumber) }),
);

export function mutateEvent(event: BorderEvent, m: Mutation): unknown {
  const copy = structuredClone(event) as unknown;
  const places = placesIn(copy);
  const place = places[m.place % places.length]!;
  if (m.kind === 'drop') {
    const parent = at(copy, place.slice(0, -1));
    if (Array.isArray(parent)) parent.splice(place.at(-1) as number, 1);
    else delete (parent as Record<string, unknown>)[place.at(-1) as string];
  } else {
    setAt(copy, place, m.value);
  }
  return copy;
}

type AnySchema = z.core.$ZodType;

/** Keys anywhere in `value` that its schema does not declare, own or inherited (`a.b`, `items[0].x`). */
export function keysOutsideSchema(value: unknown, schema: AnySchema = schemaOf(value), where = ''): string[] {
  const def = schema._zod.def as unknown as { type: string; shape?: Record<string, AnySchema>; element?: AnySchema; innerType?: AnySchema; in?: AnySchema };
  if (def.innerType) return keysOutsideSchema(value, def.innerType, where);
  if (def.type === 'pipe' && def.in) return keysOutsideSchema(value, def.in, where);
  if (def.type === 'array' && Array.isArray(value) && def.element) return value.flatMap((v, i) => keysOutsideSchema(v, def.element!, `${where}[${i}]`));
  if (def.type !== 'object' || typeof value !== 'object' || value === null) return [];
  const out: string[] = [];
  if (Object.getPrototypeOf(value) !== Object.prototype) out.push(`${where || '(root)'}: prototype is not Object.prototype`);
  // for-in walks inherited enumerable keys too.
  for (const key in value) {
    const child = def.shape?.[key];
    if (!child || !Object.hasOwn(def.shape!, key)) out.push(`${where}${where ? '.' : ''}${key}`);
    else out.push(...keysOutsideSchema((value as Record<string, unknown>)[key], child, `${where}${where ? '.' : ''}${key}`));
  }
  for (const key of POLLUTION_KEYS) if (Object.hasOwn(value, key)) out.push(`${where}${where ? '.' : ''}${key} (own)`);
  return out;
}

function schemaOf(value: unknown): AnySchema {
  return (value as { kind?: unknown }).kind === 'cargo' ? CargoSchema : CrossingSchema;
}

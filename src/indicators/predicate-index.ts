import type { CompiledRule } from '../rules/rule-set.ts';
import type { IndexTest, IndexValue } from '../rules/cel/index-tests.ts';
import type { Scope } from '../state/condition.ts';

/**
 * A filter index over the rules of one event kind, as Esper's: each plain-condition rule
 * is filed under one test its condition cannot be true without (an equality, an `in`
 * list or a range on one field, `CompiledRule.indexTests`), and an event is offered only
 * to the rules whose test it passes, plus the rules that have no such test (stateful and
 * kind rules, conditions without an indexable conjunct). Each indexed field is read once
 * per event, whatever number of rules test it; the candidates keep rule-set order, so the
 * rules that fire, and the alerts, are those of evaluating every rule.
 */
export interface PredicateIndex {
  /**
   * Points `selected` at the positions (in the rule array) of the rules the event may
   * fire, ascending, and returns how many. The buffer is reused by the next call.
   */
  select(scope: Scope): number;
  readonly selected: Int32Array;
}

type Read = (s: Scope) => unknown;

interface Ranges {
  /** Bounds ascending, with the rule position of each. */
  bounds: Float64Array;
  positions: Int32Array;
}

/** A node of the filter tree: rules filed here, and rules filed further by the value of a field. */
interface Node {
  /** Rules with no further test at this node, ascending. */
  rules: Int32Array;
  fields: NodeField[];
}

interface NodeField {
  /** Which of the index's fields (each read at most once per event). */
  field: number;
  /** Equality and list tests: the node of the rules whose test the value passes. */
  equal: Map<IndexValue, Node>;
  /** Rules testing `field > bound`, `>=`, `<`, `<=` (always last on a rule's path). */
  above: Ranges | undefined;
  atLeast: Ranges | undefined;
  below: Ranges | undefined;
  atMost: Ranges | undefined;
}

/**
 * A field is worth a lookup when this many rules test it; a test few rules share is left
 * to those rules' own generated code, which reads the field about as fast. The shipped
 * pack (no field tested by more than three of its rules) is thus evaluated as before.
 */
const MIN_RULES_PER_FIELD = 8;
/** At most this many tests on a rule's path: two equalities pick out a profile of nationality and post. */
const MAX_DEPTH = 3;
/** A rule with list tests is filed under every combination of their values; past this many it stops going deeper. */
const MAX_PLACES = 4096;

const indexes = new WeakMap<readonly CompiledRule[], PredicateIndex>();

/** The index of a rule array (a rule set's `byKind` entry), built on first use and kept while the array lives. */
export function predicateIndex(rules: readonly CompiledRule[]): PredicateIndex {
  let index = indexes.get(rules);
  if (!index) indexes.set(rules, (index = buildIndex(rules)));
  return index;
}

interface Building {
  rules: number[];
  fields: Map<number, { equal: Map<IndexValue, Building>; ranges: Record<'<' | '<=' | '>' | '>=', [number, number][]> }>;
}

function buildIndex(rules: readonly CompiledRule[]): PredicateIndex {
  const { paths, fieldKeys } = choosePaths(rules);
  const root: Building = { rules: [], fields: new Map() };
  const file = (node: Building, position: number, path: readonly IndexTest[], at: number): void => {
    const test = path[at];
    if (!test) {
      node.rules.push(position);
      return;
    }
    const id = fieldKeys.indexOf(test.field.join('.'));
    let entry = node.fields.get(id);
    if (!entry) node.fields.set(id, (entry = { equal: new Map(), ranges: { '<': [], '<=': [], '>': [], '>=': [] } }));
    if (test.op !== 'in') {
      entry.ranges[test.op].push([test.bound, position]);
      return;
    }
    for (const value of new Set(test.values)) {
      let child = entry.equal.get(value);
      if (!child) entry.equal.set(value, (child = { rules: [], fields: new Map() }));
      file(child, position, path, at + 1);
    }
  };
  for (let position = 0; position < rules.length; position++) file(root, position, paths[position]!, 0);
  const freeze = (node: Building): Node => ({
    rules: Int32Array.from(node.rules),
    fields: [...node.fields].map(([field, { equal, ranges }]) => ({
      field,
      equal: new Map([...equal].map(([value, child]) => [value, freeze(child)])),
      above: sortedRanges(ranges['>']),
      atLeast: sortedRanges(ranges['>=']),
      below: sortedRanges(ranges['<']),
      atMost: sortedRanges(ranges['<=']),
    })),
  });
  const tree = freeze(root);
  const always = tree.rules;
  if (tree.fields.length === 0) return { selected: always, select: () => always.length };
  const merged = new Int32Array(rules.length);

  const reads = fieldKeys.map((key) => reader(key.split('.')));
  // Each field's value for the event being selected for, read on first use.
  const values: unknown[] = fieldKeys.map(() => undefined);
  const readFor = new Int32Array(fieldKeys.length);
  let turn = 0;
  // The rules filed below the root that the event reaches, before they are merged in order with the root's.
  const matched = new Int32Array(rules.length);
  let m = 0;

  const visit = (node: Node, scope: Scope, top: boolean): void => {
    if (!top) for (let i = 0; i < node.rules.length; i++) matched[m++] = node.rules[i]!;
    const fields = node.fields;
    for (let f = 0; f < fields.length; f++) {
      const index = fields[f]!;
      const id = index.field;
      let value: unknown;
      if (readFor[id] === turn) value = values[id];
      else {
        value = values[id] = reads[id]!(scope);
        readFor[id] = turn;
      }
      const child = index.equal.get(value as IndexValue);
      if (child !== undefined) visit(child, scope, false);
      if (typeof value !== 'number' || Number.isNaN(value)) continue;
      // `field > bound` holds for the bounds below the value, `field < bound` for those above.
      if (index.above) m = copyRange(index.above, 0, firstAtLeast(index.above.bounds, value), matched, m);
      if (index.atLeast) m = copyRange(index.atLeast, 0, firstAbove(index.atLeast.bounds, value), matched, m);
      if (index.below) m = copyRange(index.below, firstAbove(index.below.bounds, value), index.below.bounds.length, matched, m);
      if (index.atMost) m = copyRange(index.atMost, firstAtLeast(index.atMost.bounds, value), index.atMost.bounds.length, matched, m);
    }
  };

  const index = {
    selected: always,
    select(scope: Scope): number {
      turn = turn === 0x7fffffff ? 1 : turn + 1;
      if (turn === 1) readFor.fill(0);
      m = 0;
      visit(tree, scope, true);
      if (m === 0) {
        index.selected = always;
        return always.length;
      }
      index.selected = merged;
      return merge(m);
    },
  };
  const merge = (m: number): number => {
    sortPrefix(matched, m);
    // Merge the two ascending runs; each rule is in exactly one of them, once.
    let a = 0;
    let b = 0;
    let n = 0;
    const alwaysCount = always.length;
    while (a < alwaysCount && b < m) merged[n++] = always[a]! < matched[b]! ? always[a++]! : matched[b++]!;
    while (a < alwaysCount) merged[n++] = always[a++]!;
    while (b < m) merged[n++] = matched[b++]!;
    return n;
  };
  return index;
}

/**
 * For each rule, the tests it is filed under, in order: of its condition's tests on fields
 * that enough rules test, the equality and list tests expected to pass the fewest events
 * first (a field many rules compare with many values has small buckets), then at most one
 * range test. A rule is filed under each value of a list test, so that one event, whose
 * field holds one value, reaches it at most once.
 */
function choosePaths(rules: readonly CompiledRule[]): { paths: IndexTest[][]; fieldKeys: string[] } {
  const distinct = new Map<string, Set<IndexValue>>();
  const testedBy = new Map<string, number>();
  for (const rule of rules) {
    for (const key of new Set(indexable(rule).map((t) => t.field.join('.')))) testedBy.set(key, (testedBy.get(key) ?? 0) + 1);
    for (const test of indexable(rule)) {
      if (test.op !== 'in') continue;
      const key = test.field.join('.');
      let values = distinct.get(key);
      if (!values) distinct.set(key, (values = new Set()));
      for (const v of test.values) values.add(v);
    }
  }
  const score = (test: IndexTest): number => distinct.get(test.field.join('.'))!.size / Math.max((test as { values: readonly IndexValue[] }).values.length, 0.5);
  const fieldKeys: string[] = [];
  const paths = rules.map((rule) => {
    const tests = indexable(rule).filter((t) => testedBy.get(t.field.join('.'))! >= MIN_RULES_PER_FIELD);
    const path: IndexTest[] = [];
    const used = new Set<string>();
    let places = 1;
    for (const test of tests.filter((t) => t.op === 'in').sort((a, b) => score(b) - score(a))) {
      const key = test.field.join('.');
      if (path.length === MAX_DEPTH || used.has(key) || places * test.values.length > MAX_PLACES) continue;
      path.push(test);
      used.add(key);
      places *= Math.max(test.values.length, 1);
    }
    const range = tests.find((t) => t.op !== 'in' && !used.has(t.field.join('.')));
    if (range && path.length < MAX_DEPTH) path.push(range);
    for (const t of path) if (!fieldKeys.includes(t.field.join('.'))) fieldKeys.push(t.field.join('.'));
    return path;
  });
  return { paths, fieldKeys };
}

/** Only plain conditions are filed: a kind's or a stateful rule's condition may not be the one its tests came from. */
function indexable(rule: CompiledRule): readonly IndexTest[] {
  return rule.kind === undefined && rule.stateful === undefined ? (rule.indexTests ?? []) : [];
}

/**
 * Reads a field as the generated conditions do (a non-object on the way, or an absent
 * field, is no value), as a function of its own so that V8 keeps each read monomorphic.
 * Only `event` or `derived` and property names, quoted by JSON.stringify, go into the text.
 */
function reader(field: readonly string[]): Read {
  const [root, ...keys] = field as [string, ...string[]];
  const steps = keys.map((k) => `if (v === null || typeof v !== 'object') return undefined; v = v[${JSON.stringify(k)}];`).join(' ');
  return new Function('s', `let v = s.${root === 'event' ? 'event' : 'derived'}; ${steps} return v;`) as Read;
}

function sortedRanges(entries: [number, number][]): Ranges | undefined {
  if (entries.length === 0) return undefined;
  entries.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return { bounds: Float64Array.from(entries, (e) => e[0]), positions: Int32Array.from(entries, (e) => e[1]) };
}

/** The first index whose bound is ≥ value. */
function firstAtLeast(bounds: Float64Array, value: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bounds[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose bound is > value. */
function firstAbove(bounds: Float64Array, value: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bounds[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function copyRange(ranges: Ranges, from: number, to: number, out: Int32Array, at: number): number {
  let n = at;
  for (let i = from; i < to; i++) out[n++] = ranges.positions[i]!;
  return n;
}

/** Insertion sort for the few candidates of a typical event; a typed-array sort past that. */
function sortPrefix(values: Int32Array, count: number): void {
  if (count > 32) {
    values.subarray(0, count).sort();
    return;
  }
  for (let i = 1; i < count; i++) {
    const v = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > v) {
      values[j + 1] = values[j]!;
      j -= 1;
    }
    values[j + 1] = v;
  }
}

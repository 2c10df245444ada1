import type { ReferenceList, ReferenceLists } from './lists.ts';
import { type Condition, OPERATORS, type Operator, type Predicate, type Scalar } from './rule-schema.ts';

/** One value a rule looked at: the field, the comparison, what it was compared with, and what it held. */
export interface Evidence {
  field: string;
  op: string;
  expected?: unknown;
  actual: unknown;
}

/**
 * What a condition reads. At the top level this is the enriched event itself
 * (`event`, `derived`); inside `anyItem` it adds the current cargo item.
 */
export interface Scope {
  event: unknown;
  derived: unknown;
  item?: unknown;
  itemDerived?: unknown;
  itemIndex?: number;
  /** In a sequence's `then`, the earlier event that matched `first`. */
  first?: unknown;
}

/**
 * A condition compiled once into closures. `test` is the hot path and allocates
 * nothing; `explain` runs only for rules that fired (or when asked why not) and
 * records every value that decided the outcome.
 */
export interface CompiledCondition {
  test(scope: Scope): boolean;
  explain(scope: Scope, out: Evidence[]): boolean;
}

/** A problem found while compiling, with the path inside the condition. */
export interface CompileProblem {
  path: (string | number)[];
  message: string;
}

export interface CompileContext {
  lists: ReferenceLists;
  /** Field paths valid at the top level and inside `anyItem`. */
  fields: { event: ReadonlySet<string>; item: ReadonlySet<string> };
  problems: CompileProblem[];
}

type Getter = (scope: Scope) => unknown;
type Test = (actual: unknown) => boolean;

const NEVER: CompiledCondition = { test: () => false, explain: () => false };

export function compileCondition(
  condition: Condition,
  context: CompileContext,
  path: (string | number)[] = ['when'],
  inItem = false,
): CompiledCondition {
  if ('all' in condition) {
    const parts = condition.all.map((c, i) => compileCondition(c, context, [...path, 'all', i], inItem));
    return {
      test: (s) => {
        for (const p of parts) if (!p.test(s)) return false;
        return true;
      },
      explain: (s, out) => {
        for (const p of parts) if (!p.explain(s, out)) return false;
        return true;
      },
    };
  }
  if ('any' in condition) {
    const parts = condition.any.map((c, i) => compileCondition(c, context, [...path, 'any', i], inItem));
    return {
      test: (s) => {
        for (const p of parts) if (p.test(s)) return true;
        return false;
      },
      explain: (s, out) => {
        // Keep the evidence of the branches that held; the failed ones are noise.
        let held = false;
        for (const p of parts) {
          const mark = out.length;
          if (p.explain(s, out)) held = true;
          else out.length = mark;
        }
        return held;
      },
    };
  }
  if ('not' in condition) {
    const inner = compileCondition(condition.not, context, [...path, 'not'], inItem);
    return {
      test: (s) => !inner.test(s),
      explain: (s, out) => {
        const mark = out.length;
        const held = inner.explain(s, out);
        for (let i = mark; i < out.length; i++) out[i] = { ...out[i]!, op: `not ${out[i]!.op}` };
        return !held;
      },
    };
  }
  if ('anyItem' in condition) {
    if (inItem) {
      context.problems.push({ path: [...path, 'anyItem'], message: 'anyItem cannot be nested' });
      return NEVER;
    }
    return compileAnyItem(compileCondition(condition.anyItem, context, [...path, 'anyItem'], true));
  }
  return compilePredicate(condition, context, path, inItem);
}

function compileAnyItem(inner: CompiledCondition): CompiledCondition {
  // One scope object per compiled node, reused for every item: no allocation per item.
  const itemScope: Scope = { event: undefined, derived: undefined, item: undefined, itemDerived: undefined, itemIndex: 0 };
  const visit = (s: Scope, body: (scope: Scope) => boolean): boolean => {
    const items = (s.event as { items?: unknown[] }).items;
    const derivedItems = (s.derived as { items?: unknown[] }).items;
    if (!Array.isArray(items)) return false;
    itemScope.event = s.event;
    itemScope.derived = s.derived;
    for (let i = 0; i < items.length; i++) {
      itemScope.item = items[i];
      itemScope.itemDerived = derivedItems?.[i];
      itemScope.itemIndex = i;
      if (body(itemScope)) return true;
    }
    return false;
  };
  return {
    test: (s) => visit(s, inner.test),
    explain: (s, out) =>
      visit(s, (scope) => {
        const mark = out.length;
        if (inner.explain(scope, out)) return true;
        out.length = mark;
        return false;
      }),
  };
}

function compilePredicate(p: Predicate, context: CompileContext, path: (string | number)[], inItem: boolean): CompiledCondition {
  const op = OPERATORS.find((o) => p[o] !== undefined) as Operator;
  const expected = p[op];
  const fields = Array.isArray(p.field) ? p.field : [p.field];
  const known = inItem ? context.fields.item : context.fields.event;
  for (const f of fields) {
    if (known.has(f)) continue;
    const hint = !inItem && /^item(Derived)?\./.test(f) ? ' (item fields need anyItem)' : '';
    context.problems.push({ path: [...path, 'field'], message: `unknown field "${f}"${hint}` });
  }
  const getter = fields.length === 1 ? compileGetter(fields[0]!) : compileCompositeGetter(fields.map(compileGetter));
  const check = compileTest(op, expected, context, [...path, op]);
  const label = (s: Scope): string => fields.map((f) => labelOf(f, s)).join(' : ');
  return {
    test: (s) => check(getter(s)),
    explain: (s, out) => {
      const actual = getter(s);
      const held = check(actual);
      out.push({ field: label(s), op, expected, actual: actual ?? null });
      return held;
    },
  };
}

/** Names an item field by its place in the event, so evidence reads `event.items[2].hsCode`. */
function labelOf(field: string, s: Scope): string {
  if (field.startsWith('item.')) return `event.items[${s.itemIndex}]${field.slice(4)}`;
  if (field.startsWith('itemDerived.')) return `derived.items[${s.itemIndex}]${field.slice(11)}`;
  return field;
}

function compileGetter(field: string): Getter {
  const keys = field.split('.');
  const root = keys[0] as keyof Scope;
  const rest = keys.slice(1);
  // Unrolled for the common depths: a loop over keys costs noticeably more per event.
  if (rest.length === 1) {
    const [a] = rest as [string];
    return (s) => (s[root] as Record<string, unknown> | undefined)?.[a];
  }
  if (rest.length === 2) {
    const [a, b] = rest as [string, string];
    return (s) => ((s[root] as Record<string, Record<string, unknown> | undefined> | undefined)?.[a])?.[b];
  }
  return (s) => {
    let value: unknown = s[root];
    for (const k of rest) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[k];
    }
    return value;
  };
}

function compileCompositeGetter(getters: Getter[]): Getter {
  return (s) => {
    let key = '';
    for (let i = 0; i < getters.length; i++) {
      const v = getters[i]!(s);
      if (v === undefined || v === null) return undefined;
      key += i === 0 ? String(v) : `:${String(v)}`;
    }
    return key;
  };
}

function compileTest(op: Operator, expected: unknown, context: CompileContext, path: (string | number)[]): Test {
  const present = (v: unknown): boolean => v !== undefined && v !== null;
  switch (op) {
    case 'equals':
      return expected === null ? (v) => !present(v) : (v) => v === expected;
    case 'notEquals':
      return expected === null ? present : (v) => present(v) && v !== expected;
    case 'lessThan':
      return (v) => typeof v === 'number' && v < (expected as number);
    case 'lessThanOrEqual':
      return (v) => typeof v === 'number' && v <= (expected as number);
    case 'greaterThan':
      return (v) => typeof v === 'number' && v > (expected as number);
    case 'greaterThanOrEqual':
      return (v) => typeof v === 'number' && v >= (expected as number);
    case 'between': {
      const [lo, hi] = expected as [number, number];
      if (lo > hi) context.problems.push({ path, message: `between needs [low, high], got [${lo}, ${hi}]` });
      return (v) => typeof v === 'number' && v >= lo && v <= hi;
    }
    case 'in': {
      const set = new Set(expected as Scalar[]);
      return (v) => present(v) && set.has(v as Scalar);
    }
    case 'notIn': {
      const set = new Set(expected as Scalar[]);
      return (v) => present(v) && !set.has(v as Scalar);
    }
    case 'inList':
    case 'notInList':
    case 'anyInList': {
      const list = context.lists.get(expected as string);
      if (!list) {
        context.problems.push({ path, message: `unknown list "${String(expected)}"; lists are ${[...context.lists.keys()].join(', ')}` });
        return () => false;
      }
      const has = listLookup(list);
      if (op === 'inList') return (v) => present(v) && has(v);
      if (op === 'notInList') return (v) => present(v) && !has(v);
      return (v) => Array.isArray(v) && v.some(has);
    }
    case 'matches': {
      try {
        const re = new RegExp(`^(?:${expected as string})$`, 'i');
        return (v) => typeof v === 'string' && re.test(v);
      } catch (thrown) {
        context.problems.push({ path, message: `invalid regular expression: ${thrown instanceof Error ? thrown.message : String(thrown)}` });
        return () => false;
      }
    }
    case 'exists':
      return expected === true ? present : (v) => !present(v);
  }
}

function listLookup(list: ReferenceList): (v: unknown) => boolean {
  if (!list.caseInsensitive) return (v) => list.keys.has(String(v));
  return (v) => list.keys.has(String(v).trim().toLowerCase());
}

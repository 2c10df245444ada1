import type { ASTNode } from '@marcbachmann/cel-js';
import type { ReferenceLists } from '../../enrich/lists.ts';

/** A literal an equality or membership test compares a field with. */
export type IndexValue = string | number | boolean | null;

/**
 * A test on one field of the event that a condition cannot be true without: the
 * predicate index (src/indicators/predicate-index.ts) reads the field once per event
 * and evaluates only the rules whose test it passes.
 *
 * - `in`: the field's value is one of `values` (`===`; `x == "A"` is `in ["A"]`, a bare
 *   boolean field is `in [true]`);
 * - a range: the field's value is a number and `value op bound` holds.
 */
export type IndexTest =
  | { field: readonly string[]; op: 'in'; values: readonly IndexValue[] }
  | { field: readonly string[]; op: '<' | '<=' | '>' | '>='; bound: number };

/** Case-sensitive lists up to this many keys are indexed as `in` tests; bigger ones are left to the rule. */
const MAX_LIST_KEYS = 1024;

const FLIPPED = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

/**
 * The tests a condition cannot be true without: its top-level conjuncts that compare a
 * field of `event` or `derived` with literals. Sound by CEL's rules as the generated code
 * runs them: `a && b` is true only when both are exactly true, an absent field is an
 * error (never true), `==` with a primitive literal is `===`, `in` a list of primitive
 * literals is `===` with one of them, and an ordering with a number literal is false or an
 * error unless the field holds a number. Anything else yields no test, never a wrong one.
 */
export function indexTests(ast: ASTNode, lists: ReferenceLists): IndexTest[] {
  const out: IndexTest[] = [];
  const visit = (node: ASTNode): void => {
    if (node.op === '&&') {
      visit(node.args[0]);
      visit(node.args[1]);
      return;
    }
    const test = leafTest(node, lists) ?? disjunction(node, lists);
    if (test) out.push(test);
  };
  visit(ast);
  return out;
}

/** `x == "A" || x == "B" || x in [...]` on one field: one membership test. */
function disjunction(node: ASTNode, lists: ReferenceLists): IndexTest | undefined {
  if (node.op !== '||') return undefined;
  const parts = [node.args[0], node.args[1]].map((n) => leafTest(n, lists) ?? disjunction(n, lists));
  const [a, b] = parts;
  if (a?.op !== 'in' || b?.op !== 'in' || !sameField(a.field, b.field)) return undefined;
  return { field: a.field, op: 'in', values: [...a.values, ...b.values] };
}

function leafTest(node: ASTNode, lists: ReferenceLists): IndexTest | undefined {
  switch (node.op) {
    case '.': {
      // A bare field as a condition holds only when it is `true`.
      const field = fieldPath(node);
      return field && { field, op: 'in', values: [true] };
    }
    case '!_': {
      const field = fieldPath(node.args);
      return field && { field, op: 'in', values: [false] };
    }
    case '==': {
      const [a, b] = node.args;
      const field = fieldPath(a) ?? fieldPath(b);
      const value = fieldPath(a) ? literal(b) : literal(a);
      return field && value !== undefined ? { field, op: 'in', values: [value] } : undefined;
    }
    case 'in': {
      const [a, b] = node.args;
      const field = fieldPath(a);
      if (!field || b.op !== 'list') return undefined;
      const values = b.args.map(literal);
      return values.every((v) => v !== undefined) ? { field, op: 'in', values: values as IndexValue[] } : undefined;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const [a, b] = node.args;
      const left = fieldPath(a);
      const right = fieldPath(b);
      if (left) {
        const bound = literal(b);
        return typeof bound === 'number' ? { field: left, op: node.op, bound } : undefined;
      }
      const bound = literal(a);
      return right && typeof bound === 'number' ? { field: right, op: FLIPPED[node.op], bound } : undefined;
    }
    case 'call': {
      const [name, args] = node.args;
      if (name !== 'inList' || args.length !== 2) return undefined;
      const field = fieldPath(args[0]!);
      const listName = args[1]!;
      const list = listName.op === 'value' && typeof listName.args === 'string' ? lists.get(listName.args) : undefined;
      // A case-insensitive list folds the value first; only exact-key lists are a membership test.
      if (!field || !list || list.caseInsensitive || list.keys.size > MAX_LIST_KEYS) return undefined;
      return { field, op: 'in', values: [...list.keys] };
    }
    default:
      return undefined;
  }
}

/** `event.a.b` → `['event', 'a', 'b']`; undefined unless a member chain on `event` or `derived`. */
function fieldPath(node: ASTNode): string[] | undefined {
  const keys: string[] = [];
  let current = node;
  while (current.op === '.') {
    keys.unshift(current.args[1]);
    current = current.args[0];
  }
  if (keys.length === 0 || current.op !== 'id' || (current.args !== 'event' && current.args !== 'derived')) return undefined;
  return [current.args, ...keys];
}

/** A primitive literal as the generated code holds it (ints as numbers); undefined for anything else. */
function literal(node: ASTNode): IndexValue | undefined {
  if (node.op === '-_') {
    const inner = literal(node.args);
    return typeof inner === 'number' ? -inner : undefined;
  }
  if (node.op !== 'value') return undefined;
  const v = node.args;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
  return undefined;
}

function sameField(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

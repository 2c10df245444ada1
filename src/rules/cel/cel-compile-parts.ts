import type { ASTNode } from '@marcbachmann/cel-js';
import type { ReferenceLists } from '../../enrich/lists.ts';
import { ProcessorError } from '../../errors.ts';
import type { Evidence, Scope } from '../../state/condition.ts';
import { ERROR } from './cel-values.ts';

export type Eval = (s: Scope) => unknown;

/** A node the closure compiler does not handle; the condition then runs on the library's evaluator. */
export class UnsupportedCel extends ProcessorError {
  constructor(what: string) {
    super('ERR_CEL_UNSUPPORTED', what);
  }
}

export interface CelCompileContext {
  lists: ReferenceLists;
  /** Problems the type checker cannot see, such as an unknown list name. */
  problems: { message: string }[];
}

export interface Binding {
  slot: number;
  /** Source text of the range the variable iterates, for evidence labels (`event.items[2]`). */
  range: string;
}

export interface State {
  context: CelCompileContext;
  bindings: Map<string, Binding>;
  values: unknown[];
  indexes: number[];
  /** Where leaves write evidence while `explain` runs; null on the hot path. */
  recorder: { out: Evidence[] | null };
}

/** The source text of a node. */
export function source(node: ASTNode): string {
  return node.input.slice(node.start, node.end);
}

/** Names a field inside a macro by its place: `d.valueRatio` → `derived.items[1].valueRatio`. */
export function labeller(node: ASTNode, state: State): () => string {
  const text = source(node);
  const head = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text)?.[0];
  const binding = head === undefined ? undefined : state.bindings.get(head);
  if (!binding || head === undefined) return () => text;
  const rest = text.slice(head.length);
  return () => `${binding.range}[${state.indexes[binding.slot]}]${rest}`;
}

/** `event.itinerary.paymentForm` → root `event`, keys `[itinerary, paymentForm]`. */
export function memberChain(node: ASTNode): { root: ASTNode; keys: string[] } | undefined {
  const keys: string[] = [];
  let current: ASTNode = node;
  while (current.op === '.') {
    keys.unshift(current.args[1]);
    current = current.args[0];
  }
  return current.op === 'id' ? { root: current, keys } : undefined;
}

/** A comparison with a literal as one closure over the other operand. */
export function literalTest(op: string, c: string | number | boolean): (l: unknown) => unknown {
  switch (op) {
    case '==':
      return (l) => l === c;
    case '!=':
      return (l) => l !== c;
    case '<':
      return (l) => (typeof l === 'number' ? l < (c as number) : ERROR);
    case '<=':
      return (l) => (typeof l === 'number' ? l <= (c as number) : ERROR);
    case '>':
      return (l) => (typeof l === 'number' ? l > (c as number) : ERROR);
    default:
      return (l) => (typeof l === 'number' ? l >= (c as number) : ERROR);
  }
}

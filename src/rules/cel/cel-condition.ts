import type { Environment } from '@marcbachmann/cel-js';
import type { EventKind } from '../../model/event.ts';
import type { CompiledCondition, Scope } from '../compile-condition.ts';
import type { ReferenceLists } from '../lists.ts';
import { celEnvironment } from './cel-environment.ts';
import { type CelSchema, DERIVED_CEL, EVENT_CEL } from './cel-types.ts';
import { compileCel, UnsupportedCel } from './compile-cel.ts';

export interface CelCondition extends CompiledCondition {
  /** False when the expression uses something the closure compiler does not handle and runs on the library's evaluator. */
  compiled: boolean;
}

export interface CelResult {
  condition?: CelCondition;
  problems: string[];
}

const environments = new WeakMap<ReferenceLists, Map<EventKind, Environment>>();

/** The library's environment for a kind, built once per set of lists. */
export function environmentFor(kind: EventKind, lists: ReferenceLists): Environment {
  let byKind = environments.get(lists);
  if (!byKind) environments.set(lists, (byKind = new Map()));
  let env = byKind.get(kind);
  if (!env) byKind.set(kind, (env = celEnvironment(kind, lists)));
  return env;
}

/**
 * Parses and type-checks a CEL condition against the event schema of every kind it
 * applies to, then compiles it once into closures (or, for the rare construct the
 * compiler lacks, wraps the library's evaluator).
 */
export function compileCelCondition(source: string, kinds: readonly EventKind[], lists: ReferenceLists): CelResult {
  const problems: string[] = [];
  for (const kind of kinds) {
    const checked = environmentFor(kind, lists).check(source);
    if (!checked.valid) problems.push(`${describeError(checked.error)} (for ${kind} events)`);
    else if (checked.type !== 'bool' && checked.type !== 'dyn') problems.push(`a condition must be a bool, this is a ${String(checked.type)} (for ${kind} events)`);
  }
  if (problems.length > 0 || kinds.length === 0) return { problems };
  const kind = kinds[0]!;
  const parsed = environmentFor(kind, lists).parse(source);
  const compileProblems: { message: string }[] = [];
  try {
    const condition = compileCel(parsed.ast, { lists, problems: compileProblems });
    return compileProblems.length > 0 ? { problems: compileProblems.map((p) => p.message) } : { condition: { ...condition, compiled: true }, problems };
  } catch (thrown) {
    if (!(thrown instanceof UnsupportedCel)) throw thrown;
  }
  const evaluate = (s: Scope): boolean => {
    try {
      return parsed(celContext(s.event, s.derived, (s.event as { kind: EventKind }).kind)) === true;
    } catch {
      return false;
    }
  };
  return {
    condition: {
      compiled: false,
      test: evaluate,
      explain: (s, out) => {
        const held = evaluate(s);
        out.push({ field: source, op: 'is', expected: true, actual: held });
        return held;
      },
    },
    problems,
  };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const [first] = error.message.split('\n');
  const at = (error as { node?: { pos?: number }; pos?: number }).node?.pos ?? (error as { pos?: number }).pos;
  return `${first ?? error.message}${typeof at === 'number' ? ` (at column ${at + 1})` : ''}`;
}

/**
 * The values the library's evaluator expects: CEL ints as BigInt where the schema says
 * `int`. Used by the fallback path and by the tests that hold the closures to the library.
 */
export function celContext(event: unknown, derived: unknown, kind: EventKind): { event: unknown; derived: unknown } {
  return { event: convert(EVENT_CEL[kind], event), derived: convert(DERIVED_CEL[kind], derived) };
}

function convert(schema: CelSchema, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (typeof schema === 'string') {
    if (schema === 'int') return typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value;
    if (schema === 'list<int>' && Array.isArray(value)) return value.map((v) => convert('int', v));
    return value;
  }
  if (typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = key in schema ? convert(schema[key]!, v) : v;
  return out;
}

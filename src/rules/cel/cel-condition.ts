import type { Environment } from '@marcbachmann/cel-js';
import type { EventKind } from '../../model/event.ts';
import type { CompiledCondition, Scope } from '../condition.ts';
import type { ReferenceLists } from '../lists.ts';
import { celEnvironment } from './cel-environment.ts';
import { type CelSchema, DERIVED_CEL, EVENT_CEL } from './cel-types.ts';
import { compileCel, compileCelValue, UnsupportedCel } from './compile-cel.ts';
import { generateCelTest, generateCelValue } from './generate-cel.ts';
import { regexProblems } from './safe-regex.ts';

export interface CelCondition extends CompiledCondition {
  /** False when the expression uses something the closure compiler does not handle and runs on the library's evaluator. */
  compiled: boolean;
}

export interface CelResult {
  condition?: CelCondition;
  problems: string[];
}

const environments = new WeakMap<ReferenceLists, Map<string, Environment>>();

/** The library's environment for a kind (and optionally a sequence's `first`), built once per set of lists. */
export function environmentFor(kind: EventKind, lists: ReferenceLists, withFirst = false): Environment {
  let byKind = environments.get(lists);
  if (!byKind) environments.set(lists, (byKind = new Map()));
  const name = `${kind}${withFirst ? '+first' : ''}`;
  let env = byKind.get(name);
  if (!env) byKind.set(name, (env = celEnvironment(kind, lists, withFirst)));
  return env;
}

export interface CelOptions {
  /** The expression may read `first`, the earlier event of a sequence. */
  withFirst?: boolean;
}

function typeCheck(source: string, kinds: readonly EventKind[], lists: ReferenceLists, accept: (type: string) => boolean, expected: string, withFirst: boolean): string[] {
  const problems: string[] = [];
  for (const kind of kinds) {
    const checked = environmentFor(kind, lists, withFirst).check(source);
    if (!checked.valid) problems.push(`${describeError(checked.error)} (for ${kind} events)`);
    else if (!accept(String(checked.type))) problems.push(`this must be ${expected}, it is a ${String(checked.type)} (for ${kind} events)`);
  }
  return problems;
}

/** Compiles a CEL expression that yields a key or a number for stateful indicators. */
export function compileCelExpression(
  source: string,
  kinds: readonly EventKind[],
  lists: ReferenceLists,
  expected: 'string' | 'number' | 'any' | 'strings' | 'numbers',
): { evaluate?: (s: Scope) => unknown; problems: string[] } {
  const strings = ['string', 'dyn'];
  const numbers = ['int', 'double', 'dyn'];
  const ACCEPT: Record<typeof expected, [(t: string) => boolean, string]> = {
    string: [(t) => strings.includes(t), 'a string'],
    number: [(t) => numbers.includes(t), 'a number'],
    any: [() => true, 'a value'],
    // The checker types a `map` macro's result as a bare `list`; its elements are checked per observation.
    strings: [(t) => strings.includes(t) || t === 'list' || strings.some((x) => t === `list<${x}>`), 'a string or a list of strings'],
    numbers: [(t) => numbers.includes(t) || t === 'list' || numbers.some((x) => t === `list<${x}>`), 'a number or a list of numbers'],
  };
  const [accept, description] = ACCEPT[expected];
  const problems = typeCheck(source, kinds, lists, accept, description, false);
  if (problems.length > 0 || kinds.length === 0) return { problems };
  const kind = kinds[0]!;
  const parsed = environmentFor(kind, lists).parse(source);
  const unsafe = regexProblems(parsed.ast);
  if (unsafe.length > 0) return { problems: unsafe };
  const compileProblems: { message: string }[] = [];
  try {
    const evaluate = compileCelValue(parsed.ast, { lists, problems: compileProblems });
    if (compileProblems.length > 0) return { problems: compileProblems.map((p) => p.message) };
    return { evaluate: generated(() => generateCelValue(parsed.ast, lists)) ?? evaluate, problems };
  } catch (thrown) {
    if (!(thrown instanceof UnsupportedCel)) throw thrown;
  }
  return {
    evaluate: (s) => {
      try {
        const v: unknown = parsed(celContext(s.event, s.derived, (s.event as { kind: EventKind }).kind));
        return typeof v === 'bigint' ? Number(v) : v;
      } catch {
        return undefined;
      }
    },
    problems,
  };
}

/**
 * Parses and type-checks a CEL condition against the event schema of every kind it
 * applies to, then compiles it once into closures (or, for the rare construct the
 * compiler lacks, wraps the library's evaluator).
 */
export function compileCelCondition(source: string, kinds: readonly EventKind[], lists: ReferenceLists, options: CelOptions = {}): CelResult {
  const withFirst = options.withFirst ?? false;
  const problems = typeCheck(source, kinds, lists, (t) => t === 'bool' || t === 'dyn', 'a bool (a condition)', withFirst);
  if (problems.length > 0 || kinds.length === 0) return { problems };
  const kind = kinds[0]!;
  const parsed = environmentFor(kind, lists, withFirst).parse(source);
  const unsafe = regexProblems(parsed.ast);
  if (unsafe.length > 0) return { problems: unsafe };
  const compileProblems: { message: string }[] = [];
  try {
    const condition = compileCel(parsed.ast, { lists, problems: compileProblems });
    if (compileProblems.length > 0) return { problems: compileProblems.map((p) => p.message) };
    // The hot path runs generated code; `explain` keeps the closures, which record evidence.
    const test = generated(() => generateCelTest(parsed.ast, lists)) ?? condition.test;
    return { condition: { test, explain: condition.explain, compiled: true }, problems };
  } catch (thrown) {
    if (!(thrown instanceof UnsupportedCel)) throw thrown;
  }
  const evaluate = (s: Scope): boolean => {
    try {
      const kind = (s.event as { kind: EventKind }).kind;
      const context = celContext(s.event, s.derived, kind);
      return parsed(withFirst ? { ...context, first: celContext(s.first, undefined, kind).event } : context) === true;
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

/** Generated code for the hot path, or undefined where the generator lacks a construct the closures have. */
function generated<T>(generate: () => T): T | undefined {
  try {
    return generate();
  } catch (thrown) {
    if (thrown instanceof UnsupportedCel) return undefined;
    throw thrown;
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // The library's parser and checker recurse; thousands of nested or chained terms exhaust the stack.
  if (error instanceof RangeError) return 'too deeply nested or too many chained terms to check; split the condition, or put long value lists in rules/lists/ and use inList()';
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

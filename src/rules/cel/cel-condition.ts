import type { Environment } from '@marcbachmann/cel-js';
import type { EventKind } from '../../model/event.ts';
import type { CompiledCondition, Scope } from '../../state/condition.ts';
import type { ReferenceLists } from '../../enrich/lists.ts';
import { celEnvironment } from './cel-environment.ts';
import { type CelSchema, CelListOf, DERIVED_CEL, EVENT_CEL } from './cel-types.ts';
import { UnsupportedCel } from './cel-compile-parts.ts';
import { compileCel, compileCelValue } from './compile-cel.ts';
import { generateCelTest, generateCelValue } from './generate-cel.ts';
import { regexProblems } from './safe-regex.ts';
import { type IndexTest, indexTests } from './index-tests.ts';

export interface CelCondition extends CompiledCondition {
  /** False when the expression uses something the closure compiler does not handle and runs on the library's evaluator. */
  compiled: boolean;
  /** Field tests the condition cannot be true without, for the predicate index (compiled conditions only). */
  tests?: readonly IndexTest[];
}

/** A problem with a CEL expression; `offset` is where in the expression's text it is, when known. */
export interface CelProblem {
  message: string;
  offset?: number;
}

export interface CelResult {
  condition?: CelCondition;
  problems: CelProblem[];
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

function typeCheck(source: string, kinds: readonly EventKind[], lists: ReferenceLists, accept: (type: string) => boolean, expected: string, withFirst: boolean): CelProblem[] {
  const problems: CelProblem[] = [];
  for (const kind of kinds) {
    const checked = environmentFor(kind, lists, withFirst).check(source);
    if (!checked.valid) {
      const { message, offset } = describeError(checked.error);
      problems.push({ message: `${message} (for ${kind} events)`, ...(offset === undefined ? {} : { offset }) });
    } else if (!accept(String(checked.type))) problems.push({ message: `this must be ${expected}, it is a ${String(checked.type)} (for ${kind} events)` });
  }
  return problems;
}

/** Compiles a CEL expression that yields a key or a number for stateful indicators. */
export function compileCelExpression(
  source: string,
  kinds: readonly EventKind[],
  lists: ReferenceLists,
  expected: 'string' | 'number' | 'any' | 'strings' | 'numbers',
): { evaluate?: (s: Scope) => unknown; problems: CelProblem[] } {
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
  if (unsafe.length > 0) return { problems: unsafe.map((message) => ({ message })) };
  const compileProblems: { message: string }[] = [];
  try {
    const evaluate = compileCelValue(parsed.ast, { lists, problems: compileProblems });
    if (compileProblems.length > 0) return { problems: compileProblems };
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
  if (unsafe.length > 0) return { problems: unsafe.map((message) => ({ message })) };
  const compileProblems: { message: string }[] = [];
  try {
    const condition = compileCel(parsed.ast, { lists, problems: compileProblems });
    if (compileProblems.length > 0) return { problems: compileProblems };
    // The hot path runs generated code; `explain` keeps the closures, which record evidence.
    const test = generated(() => generateCelTest(parsed.ast, lists)) ?? condition.test;
    return { condition: { test, explain: condition.explain, compiled: true, tests: indexTests(parsed.ast, lists) }, problems };
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

/** The library's error in one line, and where in the expression it is (the rule file turns that into a line and column). */
function describeError(error: unknown): CelProblem {
  if (!(error instanceof Error)) return { message: String(error) };
  // The library's parser and checker recurse; thousands of nested or chained terms exhaust the stack.
  if (error instanceof RangeError) return { message: 'too deeply nested or too many chained terms to check; split the condition, or put long value lists in rules/lists/ and use inList()' };
  const located = error as { summary?: string; node?: { pos?: number }; range?: { start?: number }; pos?: number };
  const message = located.summary ?? error.message.split('\n')[0] ?? error.message;
  const at = located.node?.pos ?? located.range?.start ?? located.pos;
  return { message, ...(typeof at === 'number' ? { offset: at } : {}) };
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
  if (schema instanceof CelListOf) return Array.isArray(value) ? value.map((v) => convert(schema.element, v)) : value;
  if (typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = key in schema ? convert(schema[key]!, v) : v;
  return out;
}

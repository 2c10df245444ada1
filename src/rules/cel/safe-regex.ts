import type { ASTNode } from '@marcbachmann/cel-js';

/**
 * `matches()` runs on JavaScript's backtracking regular expressions, where a pattern
 * such as `^(a+)+$` takes exponential time on a 30-character field: one rule could
 * stall the pipeline for everyone. Node has no linear-time engine built in, and the
 * input cannot be bounded enough (2^40 steps is already hours), so the patterns that
 * can backtrack exponentially are refused at load instead:
 *
 * - a repeated group that holds a repetition, `(a+)+`, `(\w*\s?)*`, `((ab)*c)+`;
 * - a repeated group that holds an alternation, `(a|ab)*` (write a character class,
 *   `[ab]*`, or spell the repetitions out);
 * - back-references, `(a)\1`, `\k<name>`.
 *
 * What remains (no nested repetition) runs in polynomial time, and fields are short.
 * The pattern must be a literal, so that a producer cannot send one inside an event.
 */
export function regexProblems(ast: ASTNode): string[] {
  const problems: string[] = [];
  walk(ast, (node) => {
    if (node.op !== 'rcall' && node.op !== 'call') return;
    const [name, ...rest] = node.args as [string, ...unknown[]];
    if (name !== 'matches') return;
    const args = (node.op === 'rcall' ? rest[1] : rest[0]) as ASTNode[];
    const pattern = args[args.length - 1];
    if (pattern?.op !== 'value' || typeof pattern.args !== 'string') {
      problems.push('matches() takes a pattern written in quotes, not one read from the event');
      return;
    }
    const problem = unsafePattern(pattern.args);
    if (problem !== undefined) problems.push(`matches("${pattern.args}"): ${problem}; see "Regular expressions" in docs/rules.md`);
  });
  return problems;
}

function walk(node: unknown, visit: (node: ASTNode) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (typeof node !== 'object' || node === null || !('op' in node)) return;
  visit(node as ASTNode);
  walk((node as ASTNode).args, visit);
}

interface Group {
  repeats: boolean;
  alternates: boolean;
}

/** Why a pattern can backtrack exponentially, or undefined when it cannot. */
export function unsafePattern(source: string): string | undefined {
  const stack: Group[] = [{ repeats: false, alternates: false }];
  // The group that just closed, while a quantifier may still follow it.
  let closed: Group | undefined;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const quantifier = quantifierAt(source, i);
    if (quantifier) {
      if (quantifier.repeats) {
        if (closed?.repeats) return 'a repeated group holds a repetition (nested quantifiers backtrack exponentially)';
        if (closed?.alternates) return 'a repeated group holds an alternation (it can backtrack exponentially)';
        stack.at(-1)!.repeats = true;
      }
      closed = undefined;
      i = quantifier.end - 1;
      continue;
    }
    closed = undefined;
    if (c === '\\') {
      const next = source[i + 1];
      if (next !== undefined && (/[1-9]/.test(next) || next === 'k')) return 'back-references are not allowed';
      i += 1;
    } else if (c === '[') {
      i = classEnd(source, i);
    } else if (c === '(') {
      stack.push({ repeats: false, alternates: false });
    } else if (c === ')' && stack.length > 1) {
      closed = stack.pop()!;
      // What a group holds, its enclosing groups hold too.
      const parent = stack.at(-1)!;
      parent.repeats ||= closed.repeats;
      parent.alternates ||= closed.alternates;
    } else if (c === '|') {
      stack.at(-1)!.alternates = true;
    }
  }
  return undefined;
}

/** A quantifier starting at `i`: `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` (and its lazy `?`); `repeats` when it allows more than one. */
function quantifierAt(source: string, i: number): { repeats: boolean; end: number } | undefined {
  const c = source[i];
  let end: number;
  let repeats: boolean;
  if (c === '*' || c === '+' || c === '?') {
    end = i + 1;
    repeats = c !== '?';
  } else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (!m) return undefined;
    end = i + m[0].length;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
    repeats = max > 1;
  } else {
    return undefined;
  }
  if (source[end] === '?') end += 1;
  return { repeats, end };
}

/** Index of the `]` closing the character class opened at `i` (escapes and a leading `]` inside). */
function classEnd(source: string, i: number): number {
  let j = i + 1;
  if (source[j] === '^') j += 1;
  if (source[j] === ']') j += 1;
  for (; j < source.length; j++) {
    if (source[j] === '\\') j += 1;
    else if (source[j] === ']') return j;
  }
  return source.length;
}

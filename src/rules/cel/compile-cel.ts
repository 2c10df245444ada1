import type { ASTNode } from '@marcbachmann/cel-js';
import type { CompiledCondition, Scope } from '../../state/condition.ts';
import { type CelCompileContext, type Eval, labeller, literalTest, memberChain, source, type State, UnsupportedCel } from './cel-compile-parts.ts';
import { listContains } from './cel-environment.ts';
import { arithmetic, COMPARE, ERROR, field, size, STRING_METHODS } from './cel-values.ts';

/**
 * Compiles a type-checked CEL AST into closures, once. The closures follow CEL's
 * semantics (errors absorbed by `&&` and `||`, heterogeneous numeric equality) over
 * plain JSON values, with JS numbers for both int and double. Every comparison and
 * list lookup records its operands when asked to explain.
 */
export function compileCel(ast: ASTNode, context: CelCompileContext): CompiledCondition {
  const state: State = { context, bindings: new Map(), values: [], indexes: [], recorder: { out: null } };
  const root = compile(ast, state, true);
  return {
    test: (s) => root(s) === true,
    explain: (s, out) => {
      state.recorder.out = out;
      try {
        return root(s) === true;
      } finally {
        state.recorder.out = null;
      }
    },
  };
}

/**
 * Compiles a CEL expression that yields a value (a window key, a distinct or summed
 * value) rather than a decision; an evaluation error yields `undefined`.
 */
export function compileCelValue(ast: ASTNode, context: CelCompileContext): (s: Scope) => unknown {
  const state: State = { context, bindings: new Map(), values: [], indexes: [], recorder: { out: null } };
  const root = compile(ast, state);
  return (s) => {
    const v = root(s);
    return v === ERROR ? undefined : v;
  };
}

function compile(node: ASTNode, state: State, condition = false): Eval {
  const evaluate = compileValue(node, state);
  if (!condition || !(node.op === '.' || node.op === 'id' || node.op === '[]')) return evaluate;
  // A bare boolean field used as a condition is evidence too.
  const label = labeller(node, state);
  return (s) => {
    const value = evaluate(s);
    state.recorder.out?.push({ field: label(), op: 'is', expected: true, actual: value === ERROR ? 'error' : value });
    return value;
  };
}

function compileValue(node: ASTNode, state: State): Eval {
  switch (node.op) {
    case 'value': {
      const v = node.args;
      if (typeof v === 'bigint') {
        const n = Number(v);
        return () => n;
      }
      if (v !== null && typeof v === 'object') throw new UnsupportedCel('bytes or uint literal');
      return () => v;
    }
    case 'id': {
      const name = node.args;
      const binding = state.bindings.get(name);
      if (binding) {
        const { slot } = binding;
        return () => state.values[slot];
      }
      if (name === 'event') return (s) => s.event;
      if (name === 'derived') return (s) => s.derived;
      if (name === 'first') return (s) => s.first ?? ERROR;
      throw new UnsupportedCel(`identifier ${name}`);
    }
    case '.': {
      const chain = memberChain(node);
      if (chain) return compileChain(chain.root, chain.keys, state);
      const [target, key] = node.args;
      const object = compile(target, state);
      return (s) => field(object(s), key);
    }
    case '[]': {
      const [target, index] = node.args;
      const object = compile(target, state);
      const key = compile(index, state);
      return (s) => {
        const o = object(s);
        const k = key(s);
        if (Array.isArray(o)) return typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < o.length ? o[k] : ERROR;
        return typeof k === 'string' ? field(o, k) : ERROR;
      };
    }
    case '&&':
    case '||': {
      const [a, b] = node.args;
      const left = compile(a, state, true);
      const right = compile(b, state, true);
      const absorbing = node.op === '||';
      return (s) => {
        const l = left(s);
        if (l === absorbing) return absorbing;
        const r = right(s);
        if (r === absorbing) return absorbing;
        return l === !absorbing && r === !absorbing ? !absorbing : ERROR;
      };
    }
    case '!_': {
      const inner = compile(node.args, state, true);
      return (s) => {
        const v = inner(s);
        return typeof v === 'boolean' ? !v : ERROR;
      };
    }
    case '-_': {
      const inner = compile(node.args, state);
      return (s) => {
        const v = inner(s);
        return typeof v === 'number' ? -v : ERROR;
      };
    }
    case '?:': {
      const [c, a, b] = node.args.map((n) => compile(n, state));
      return (s) => {
        const v = c!(s);
        return v === true ? a!(s) : v === false ? b!(s) : ERROR;
      };
    }
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case 'in':
      return compileComparison(node.op, node.args, state);
    case '+':
    case '-':
    case '*': {
      const [a, b] = node.args.map((n) => compile(n, state));
      const op = node.op;
      return (s) => arithmetic(op, a!(s), b!(s));
    }
    case 'list': {
      const items = node.args.map((n) => compile(n, state));
      return (s) => {
        const out = items.map((item) => item(s));
        return out.includes(ERROR) ? ERROR : out;
      };
    }
    case 'call':
      return compileCall(node.args[0], node.args[1], state);
    case 'rcall':
      return compileMethod(node.args[0], node.args[1], node.args[2], state);
    default:
      throw new UnsupportedCel(node.op);
  }
}

/**
 * A member chain as one closure with the reads unrolled: a nested closure per `.`
 * cost about a third of the rule loop.
 */
function compileChain(root: ASTNode, keys: string[], state: State): Eval {
  const base = compileValue(root, state);
  if (keys.length === 1) {
    const [a] = keys as [string];
    return (s) => field(base(s), a);
  }
  if (keys.length === 2) {
    const [a, b] = keys as [string, string];
    return (s) => field(field(base(s), a), b);
  }
  if (keys.length === 3) {
    const [a, b, c] = keys as [string, string, string];
    return (s) => field(field(field(base(s), a), b), c);
  }
  return (s) => {
    let v = base(s);
    for (const k of keys) v = field(v, k);
    return v;
  };
}

function compileComparison(op: string, [a, b]: [ASTNode, ASTNode], state: State): Eval {
  const left = compile(a, state);
  const right = compile(b, state);
  const compare = COMPARE[op]!;
  const label = labeller(a, state);
  const literal = b.op === 'value' || b.op === 'list';
  const constant = b.op === 'value' && (typeof b.args === 'string' || typeof b.args === 'boolean' || typeof b.args === 'bigint' || typeof b.args === 'number')
    ? (typeof b.args === 'bigint' ? Number(b.args) : b.args)
    : undefined;
  if (constant !== undefined && (op === '==' || op === '!=' || (typeof constant === 'number' && op !== 'in'))) {
    // A field against a literal, the commonest leaf: no call through the operator table.
    const test = literalTest(op, constant);
    return (s) => {
      const l = left(s);
      const result = l === ERROR ? ERROR : test(l);
      const out = state.recorder.out;
      if (out) out.push({ field: label(), op, expected: constant, actual: l === ERROR ? 'error' : l });
      return result;
    };
  }
  return (s) => {
    const l = left(s);
    const r = right(s);
    const result = l === ERROR || r === ERROR ? ERROR : compare(l, r);
    const out = state.recorder.out;
    if (out) out.push({ field: label(), op, expected: literal ? r : r === ERROR ? 'error' : r, actual: l === ERROR ? 'error' : l });
    return result;
  };
}

function compileCall(name: string, args: ASTNode[], state: State): Eval {
  if (name === 'has' && args.length === 1 && args[0]!.op === '.') {
    const [target, key] = args[0]!.args as [ASTNode, string];
    const object = compile(target, state);
    const label = labeller(args[0]!, state);
    return (s) => {
      const o = object(s);
      const result = o === ERROR || o === null || typeof o !== 'object' ? ERROR : Object.hasOwn(o, key) && (o as Record<string, unknown>)[key] !== undefined;
      state.recorder.out?.push({ field: label(), op: 'has', expected: true, actual: result === ERROR ? 'error' : result });
      return result;
    };
  }
  if (name === 'size' && args.length === 1) {
    const inner = compile(args[0]!, state);
    return (s) => size(inner(s));
  }
  if (name === 'double' && args.length === 1) {
    const inner = compile(args[0]!, state);
    return (s) => {
      const v = inner(s);
      return typeof v === 'number' ? v : ERROR;
    };
  }
  if ((name === 'inList' || name === 'anyInList') && args.length === 2) {
    const nameNode = args[1]!;
    if (nameNode.op !== 'value' || typeof nameNode.args !== 'string') {
      state.context.problems.push({ message: `${name} needs a list name as a string literal` });
      return () => ERROR;
    }
    const list = state.context.lists.get(nameNode.args);
    if (!list) {
      state.context.problems.push({ message: `unknown list "${nameNode.args}"; lists are ${[...state.context.lists.keys()].join(', ')}` });
      return () => ERROR;
    }
    const value = compile(args[0]!, state);
    const label = labeller(args[0]!, state);
    const any = name === 'anyInList';
    return (s) => {
      const v = value(s);
      const result = v === ERROR ? ERROR : any ? Array.isArray(v) && v.some((x) => listContains(list, x)) : listContains(list, v);
      state.recorder.out?.push({ field: label(), op: name, expected: list.name, actual: v === ERROR ? 'error' : v });
      return result;
    };
  }
  throw new UnsupportedCel(`function ${name}`);
}

function compileMethod(name: string, target: ASTNode, args: ASTNode[], state: State): Eval {
  if ((name === 'exists' || name === 'all' || name === 'exists_one') && args.length === 2 && args[0]!.op === 'id') {
    return compileMacro(name, target, args[0]!.args as string, args[1]!, state);
  }
  if (name === 'map' && args.length === 2 && args[0]!.op === 'id') return compileMap(target, args[0]!.args as string, args[1]!, state);
  const receiver = compile(target, state);
  if (name === 'size' && args.length === 0) return (s) => size(receiver(s));
  if (name === 'lowerAscii' && args.length === 0) {
    return (s) => {
      const v = receiver(s);
      // As the reference evaluator does (cel-js 8 lower-cases all letters, not only ASCII).
      return typeof v === 'string' ? v.toLowerCase() : ERROR;
    };
  }
  const method = STRING_METHODS[name];
  if (method && args.length === 1) {
    const arg = compile(args[0]!, state);
    const label = labeller(target, state);
    return (s) => {
      const v = receiver(s);
      const a = arg(s);
      const result = typeof v === 'string' && typeof a === 'string' ? method(v, a) : ERROR;
      state.recorder.out?.push({ field: label(), op: name, expected: a, actual: v === ERROR ? 'error' : v });
      return result;
    };
  }
  if (name === 'matches' && args.length === 1 && args[0]!.op === 'value' && typeof args[0]!.args === 'string') {
    let re: RegExp;
    try {
      re = new RegExp(args[0]!.args);
    } catch (thrown) {
      state.context.problems.push({ message: `invalid regular expression: ${thrown instanceof Error ? thrown.message : String(thrown)}` });
      return () => ERROR;
    }
    const label = labeller(target, state);
    return (s) => {
      const v = receiver(s);
      const result = typeof v === 'string' ? re.test(v) : ERROR;
      state.recorder.out?.push({ field: label(), op: 'matches', expected: re.source, actual: v === ERROR ? 'error' : v });
      return result;
    };
  }
  throw new UnsupportedCel(`method ${name}`);
}

/** Compiles a macro's body with its variable bound to a fresh slot. */
function bindVariable(target: ASTNode, variable: string, body: ASTNode, state: State, condition: boolean): { slot: number; body: Eval } {
  const slot = state.values.length;
  state.values.push(undefined);
  state.indexes.push(0);
  const outer = state.bindings.get(variable);
  state.bindings.set(variable, { slot, range: source(target) });
  const compiled = compile(body, state, condition);
  if (outer) state.bindings.set(variable, outer);
  else state.bindings.delete(variable);
  return { slot, body: compiled };
}

/** `list.map(x, expr)`: a new list, or an error if the range or any element's value is one. */
function compileMap(target: ASTNode, variable: string, body: ASTNode, state: State): Eval {
  const range = compile(target, state);
  const { slot, body: transform } = bindVariable(target, variable, body, state, false);
  return (s) => {
    const items = range(s);
    if (!Array.isArray(items)) return ERROR;
    const out: unknown[] = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) {
      state.values[slot] = items[i];
      state.indexes[slot] = i;
      const v = transform(s);
      if (v === ERROR) return ERROR;
      out[i] = v;
    }
    return out;
  };
}

function compileMacro(name: string, target: ASTNode, variable: string, body: ASTNode, state: State): Eval {
  const range = compile(target, state);
  const { slot, body: predicate } = bindVariable(target, variable, body, state, true);
  return (s) => {
    const r = range(s);
    const items = Array.isArray(r) ? r : r !== null && typeof r === 'object' ? Object.keys(r) : null;
    if (items === null) return ERROR;
    let errored = false;
    let count = 0;
    for (let i = 0; i < items.length; i++) {
      state.values[slot] = items[i];
      state.indexes[slot] = i;
      const out = state.recorder.out;
      const mark = out?.length ?? 0;
      const v = predicate(s);
      // Keep the evidence of the element that decided, drop the rest.
      const decisive = name === 'all' ? v === false : v === true;
      if (out && !decisive) out.length = mark;
      if (v === ERROR || typeof v !== 'boolean') errored = true;
      else if (name === 'exists' && v) return true;
      else if (name === 'all' && !v) return false;
      else if (name === 'exists_one' && v) count += 1;
    }
    if (errored) return ERROR;
    return name === 'exists' ? false : name === 'all' ? true : count === 1;
  };
}

import type { ASTNode } from '@marcbachmann/cel-js';
import type { Scope } from '../../state/condition.ts';
import type { ReferenceList, ReferenceLists } from '../../enrich/lists.ts';
import { listContains } from './cel-environment.ts';
import { arithmetic, COMPARE, ERROR, size, STRING_METHODS } from './cel-values.ts';
import { UnsupportedCel } from './cel-compile-parts.ts';

/**
 * Generates one JavaScript function per rule for the hot path (`test`), from the same
 * type-checked AST the closure compiler reads.
 *
 * Why not only closures: closures made by the same compiler function share V8's type
 * feedback, so in a pack of thirty rules every field read and every call between
 * closures went megamorphic (measured 40–200 ns per rule on one-field conditions that
 * cost 5 ns alone). A generated function per rule keeps its own feedback and lets V8
 * inline the whole condition. The closure tree stays for `explain`, which records
 * evidence, and tests hold the two to each other and to the library's evaluator.
 *
 * Safety: the generated text contains only operators written here, temporaries and
 * parameters named here, and literals passed through JSON.stringify or the constants
 * array; nothing from a rule file is spliced in as code.
 */
export function generateCelTest(ast: ASTNode, lists: ReferenceLists): (s: Scope) => boolean {
  return build(ast, lists, (expression) => `return (${expression}) === true;`) as (s: Scope) => boolean;
}

/** The same for a value (a window key, a summed amount): an evaluation error yields `undefined`. */
export function generateCelValue(ast: ASTNode, lists: ReferenceLists): (s: Scope) => unknown {
  return build(ast, lists, (expression) => `const v = ${expression}; return v === E ? undefined : v;`) as (s: Scope) => unknown;
}

/** The run-time helpers generated code calls for what is not worth inlining. */
const HELPERS = {
  compare: COMPARE,
  arithmetic,
  size,
  contains: listContains,
  anyIn: (list: ReferenceList, v: unknown): boolean => Array.isArray(v) && v.some((x) => listContains(list, x)),
  index(o: unknown, k: unknown): unknown {
    if (Array.isArray(o)) return typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < o.length ? o[k] : ERROR;
    if (typeof k !== 'string' || o === null || typeof o !== 'object') return ERROR;
    const v = (o as Record<string, unknown>)[k];
    return v === undefined ? ERROR : v;
  },
  list: (items: unknown[]): unknown => (items.includes(ERROR) ? ERROR : items),
  string(name: string, v: unknown, a: unknown): unknown {
    return typeof v === 'string' && typeof a === 'string' ? STRING_METHODS[name]!(v, a) : ERROR;
  },
  /** exists, all and exists_one over a list (or a map's keys), with CEL's error rules; map over a list. */
  quantify(name: string, range: unknown, predicate: (x: unknown) => unknown): unknown {
    if (name === 'map') {
      if (!Array.isArray(range)) return ERROR;
      const out: unknown[] = new Array<unknown>(range.length);
      for (let i = 0; i < range.length; i++) {
        const v = predicate(range[i]);
        if (v === ERROR) return ERROR;
        out[i] = v;
      }
      return out;
    }
    const items = Array.isArray(range) ? range : range !== null && typeof range === 'object' ? Object.keys(range) : null;
    if (items === null) return ERROR;
    let errored = false;
    let count = 0;
    for (let i = 0; i < items.length; i++) {
      const v = predicate(items[i]);
      if (typeof v !== 'boolean') errored = true;
      else if (name === 'exists' && v) return true;
      else if (name === 'all' && !v) return false;
      else if (name === 'exists_one' && v) count += 1;
    }
    if (errored) return ERROR;
    return name === 'exists' ? false : name === 'all' ? true : count === 1;
  },
};

interface Frame {
  /** Temporaries of the function being written (the rule's, or a macro predicate's). */
  temps: string[];
}

class Generator {
  readonly constants: unknown[] = [];
  private readonly bindings = new Map<string, string>();
  private names = 0;
  frame: Frame = { temps: [] };

  constructor(private readonly lists: ReferenceLists) {}

  constant(value: unknown): string {
    this.constants.push(value);
    return `K[${this.constants.length - 1}]`;
  }

  /** A fresh temporary, unique in the whole generated function so nested ones never clash. */
  temp(): string {
    const name = `t${this.names++}`;
    this.frame.temps.push(name);
    return name;
  }

  declare(frame: Frame): string {
    return frame.temps.length === 0 ? '' : `let ${frame.temps.join(', ')};`;
  }

  expression(node: ASTNode): string {
    switch (node.op) {
      case 'value':
        return this.literal(node.args);
      case 'id': {
        const bound = this.bindings.get(node.args);
        if (bound) return bound;
        if (node.args === 'event') return 's.event';
        if (node.args === 'derived') return 's.derived';
        if (node.args === 'first') return '(s.first ?? E)';
        throw new UnsupportedCel(`identifier ${node.args}`);
      }
      case '.': {
        const [target, key] = node.args;
        const t = this.temp();
        // A field of a non-object, or a field that is absent, is CEL's error value.
        return `((${t} = ${this.expression(target)}) === null || typeof ${t} !== 'object' || (${t} = ${t}[${JSON.stringify(key)}]) === undefined ? E : ${t})`;
      }
      case '[]':
        return `H.index(${this.expression(node.args[0])}, ${this.expression(node.args[1])})`;
      case '&&':
      case '||': {
        const absorbing = node.op === '||';
        const [l, r] = [this.temp(), this.temp()];
        return `((${l} = ${this.expression(node.args[0])}) === ${absorbing} ? ${absorbing} : (${r} = ${this.expression(node.args[1])}) === ${absorbing} ? ${absorbing} : ${l} === ${!absorbing} && ${r} === ${!absorbing} ? ${!absorbing} : E)`;
      }
      case '!_': {
        const t = this.temp();
        return `(typeof (${t} = ${this.expression(node.args)}) === 'boolean' ? !${t} : E)`;
      }
      case '-_': {
        const t = this.temp();
        return `(typeof (${t} = ${this.expression(node.args)}) === 'number' ? -${t} : E)`;
      }
      case '?:': {
        const t = this.temp();
        const [c, a, b] = node.args;
        return `((${t} = ${this.expression(c)}) === true ? ${this.expression(a)} : ${t} === false ? ${this.expression(b)} : E)`;
      }
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=':
      case 'in':
        return this.comparison(node.op, node.args);
      case '+':
      case '-':
      case '*': {
        const [a, b] = [this.temp(), this.temp()];
        return `(${a} = ${this.expression(node.args[0])}, ${b} = ${this.expression(node.args[1])}, typeof ${a} === 'number' && typeof ${b} === 'number' ? ${a} ${node.op} ${b} : H.arithmetic(${JSON.stringify(node.op)}, ${a}, ${b}))`;
      }
      case 'list':
        return `H.list([${node.args.map((n) => this.expression(n)).join(', ')}])`;
      case 'call':
        return this.call(node.args[0], node.args[1]);
      case 'rcall':
        return this.method(node.args[0], node.args[1], node.args[2]);
      default:
        throw new UnsupportedCel(node.op);
    }
  }

  private literal(v: unknown): string {
    if (typeof v === 'bigint') return String(Number(v));
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : this.constant(v);
    if (typeof v === 'string' || typeof v === 'boolean' || v === null) return JSON.stringify(v);
    throw new UnsupportedCel('bytes or uint literal');
  }

  /** As the closure compiler does: a field against a primitive literal is tested inline. */
  private comparison(op: string, [a, b]: [ASTNode, ASTNode]): string {
    const c = b.op === 'value' && ['string', 'boolean', 'bigint', 'number'].includes(typeof b.args) ? (typeof b.args === 'bigint' ? Number(b.args) : b.args) : undefined;
    const l = this.temp();
    const left = this.expression(a);
    if (c !== undefined && (op === '==' || op === '!=')) {
      return `((${l} = ${left}) === E ? E : ${l} ${op === '==' ? '===' : '!=='} ${this.literal(c)})`;
    }
    if (typeof c === 'number' && op !== 'in') return `(typeof (${l} = ${left}) === 'number' ? ${l} ${op} ${this.literal(c)} : E)`;
    const r = this.temp();
    return `(${l} = ${left}, ${r} = ${this.expression(b)}, ${l} === E || ${r} === E ? E : H.compare[${JSON.stringify(op)}](${l}, ${r}))`;
  }

  private call(name: string, args: ASTNode[]): string {
    if (name === 'has' && args.length === 1 && args[0]!.op === '.') {
      const [target, key] = args[0]!.args as [ASTNode, string];
      const t = this.temp();
      const k = JSON.stringify(key);
      return `((${t} = ${this.expression(target)}) === null || typeof ${t} !== 'object' ? E : Object.hasOwn(${t}, ${k}) && ${t}[${k}] !== undefined)`;
    }
    if (name === 'size' && args.length === 1) return `H.size(${this.expression(args[0]!)})`;
    if (name === 'double' && args.length === 1) {
      const t = this.temp();
      return `(typeof (${t} = ${this.expression(args[0]!)}) === 'number' ? ${t} : E)`;
    }
    if ((name === 'inList' || name === 'anyInList') && args.length === 2) {
      const nameNode = args[1]!;
      const list = nameNode.op === 'value' && typeof nameNode.args === 'string' ? this.lists.get(nameNode.args) : undefined;
      // The closure compiler has already reported a bad list name as a problem.
      if (!list) throw new UnsupportedCel(`${name} without a known list`);
      const t = this.temp();
      return `((${t} = ${this.expression(args[0]!)}) === E ? E : H.${name === 'inList' ? 'contains' : 'anyIn'}(${this.constant(list)}, ${t}))`;
    }
    throw new UnsupportedCel(`function ${name}`);
  }

  private method(name: string, target: ASTNode, args: ASTNode[]): string {
    if ((name === 'exists' || name === 'all' || name === 'exists_one' || name === 'map') && args.length === 2 && args[0]!.op === 'id') {
      return this.macro(name, target, args[0]!.args as string, args[1]!);
    }
    const receiver = this.expression(target);
    if (name === 'size' && args.length === 0) return `H.size(${receiver})`;
    if (name === 'lowerAscii' && args.length === 0) {
      const t = this.temp();
      // As the reference evaluator does (cel-js 8 lower-cases all letters, not only ASCII).
      return `(typeof (${t} = ${receiver}) === 'string' ? ${t}.toLowerCase() : E)`;
    }
    if (STRING_METHODS[name] && args.length === 1) return `H.string(${JSON.stringify(name)}, ${receiver}, ${this.expression(args[0]!)})`;
    if (name === 'matches' && args.length === 1 && args[0]!.op === 'value' && typeof args[0]!.args === 'string') {
      let re: RegExp;
      try {
        re = new RegExp(args[0]!.args);
      } catch {
        throw new UnsupportedCel('invalid regular expression');
      }
      const t = this.temp();
      return `(typeof (${t} = ${receiver}) === 'string' ? ${this.constant(re)}.test(${t}) : E)`;
    }
    throw new UnsupportedCel(`method ${name}`);
  }

  /** The predicate becomes an arrow function of its own, with its own temporaries. */
  private macro(name: string, target: ASTNode, variable: string, body: ASTNode): string {
    const range = this.expression(target);
    const parameter = `p${this.names++}`;
    const outerBinding = this.bindings.get(variable);
    const outerFrame = this.frame;
    this.bindings.set(variable, parameter);
    const frame: Frame = { temps: [] };
    this.frame = frame;
    let predicate: string;
    try {
      const expression = this.expression(body);
      predicate = `(${parameter}) => { ${this.declare(frame)} return ${expression}; }`;
    } finally {
      this.frame = outerFrame;
      if (outerBinding) this.bindings.set(variable, outerBinding);
      else this.bindings.delete(variable);
    }
    return `H.quantify(${JSON.stringify(name)}, ${range}, ${predicate})`;
  }
}

function build(ast: ASTNode, lists: ReferenceLists, body: (expression: string) => string): unknown {
  const generator = new Generator(lists);
  const root = generator.frame;
  const expression = generator.expression(ast);
  const source = `return function generated(s) { ${generator.declare(root)} ${body(expression)} };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('E', 'H', 'K', source)(ERROR, HELPERS, generator.constants);
}

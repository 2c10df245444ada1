/**
 * CEL's value semantics over plain JSON values, shared by the closure compiler and
 * the code generator: the error value, field reads, equality, ordering, arithmetic.
 * Both int and double are JS numbers.
 */

/** CEL's error value (no such key, wrong type at run time): absorbed by `&&`/`||` as the spec says. */
export const ERROR: unique symbol = Symbol('cel error');

export function field(object: unknown, key: string): unknown {
  if (object === null || typeof object !== 'object') return ERROR;
  // Keys come from type-checked paths over validated (strict, JSON) events, so a plain
  // read is safe; Object.hasOwn here cost a fifth of the whole rule loop.
  const value = (object as Record<string, unknown>)[key];
  return value === undefined ? ERROR : value;
}

export const COMPARE: Record<string, (l: unknown, r: unknown) => unknown> = {
  '==': (l, r) => equal(l, r),
  '!=': (l, r) => !equal(l, r),
  '<': (l, r) => order(l, r, (c) => c < 0),
  '<=': (l, r) => order(l, r, (c) => c <= 0),
  '>': (l, r) => order(l, r, (c) => c > 0),
  '>=': (l, r) => order(l, r, (c) => c >= 0),
  in: (l, r) => {
    if (Array.isArray(r)) return r.some((item) => equal(l, item));
    if (r !== null && typeof r === 'object') return typeof l === 'string' && Object.hasOwn(r, l);
    return ERROR;
  },
};

export function equal(l: unknown, r: unknown): boolean {
  if (l === r) return true;
  if (Array.isArray(l) && Array.isArray(r)) return l.length === r.length && l.every((x, i) => equal(x, r[i]));
  if (l !== null && r !== null && typeof l === 'object' && typeof r === 'object' && !Array.isArray(l) && !Array.isArray(r)) {
    const keys = Object.keys(l);
    return keys.length === Object.keys(r).length && keys.every((k) => Object.hasOwn(r, k) && equal((l as Record<string, unknown>)[k], (r as Record<string, unknown>)[k]));
  }
  return false;
}

export function order(l: unknown, r: unknown, holds: (c: number) => boolean): unknown {
  if (typeof l === 'number' && typeof r === 'number') return holds(l < r ? -1 : l > r ? 1 : 0);
  if (typeof l === 'string' && typeof r === 'string') return holds(l < r ? -1 : l > r ? 1 : 0);
  if (typeof l === 'boolean' && typeof r === 'boolean') return holds(Number(l) - Number(r));
  return ERROR;
}

export function arithmetic(op: string, l: unknown, r: unknown): unknown {
  if (typeof l === 'number' && typeof r === 'number') return op === '+' ? l + r : op === '-' ? l - r : l * r;
  if (op === '+' && typeof l === 'string' && typeof r === 'string') return l + r;
  if (op === '+' && Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
  return ERROR;
}

export function size(v: unknown): unknown {
  if (typeof v === 'string') return /[\uD800-\uDFFF]/.test(v) ? [...v].length : v.length;
  if (Array.isArray(v)) return v.length;
  if (v !== null && typeof v === 'object') return Object.keys(v).length;
  return ERROR;
}

export const STRING_METHODS: Record<string, (s: string, arg: string) => boolean> = {
  startsWith: (s, a) => s.startsWith(a),
  endsWith: (s, a) => s.endsWith(a),
  contains: (s, a) => s.includes(a),
};

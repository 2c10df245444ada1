/**
 * How deep a rejected payload is kept in the dead letters. An event is at most five
 * levels deep (`items[i].value.amount`); `JSON.parse` accepts any depth, but
 * `JSON.stringify` recurses and overflows the stack somewhere past a few thousand
 * levels, so a frame of 100,000 nested brackets (200 kB, well under the frame limit)
 * would crash the dead-letter write.
 */
export const MAX_KEPT_DEPTH = 100;

const CUT = `[cut: nested deeper than ${MAX_KEPT_DEPTH} levels]`;

/** The payload of a rejected event as it can be written: itself, or a copy cut off at `MAX_KEPT_DEPTH`. */
export function storablePayload(value: unknown): { payload: unknown; cut: boolean } {
  if (depthAtMost(value, MAX_KEPT_DEPTH)) return { payload: value, cut: false };
  return { payload: cutAt(value, MAX_KEPT_DEPTH), cut: true };
}

/** Whether `value` nests at most `limit` arrays or objects deep; iterative, so any depth is safe. */
function depthAtMost(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [v, depth] = top;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= limit) return false;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return true;
}

/** A copy of `value` with everything below `levels` replaced by a marker (recursion bounded by `levels`). */
function cutAt(value: unknown, levels: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (levels === 0) return CUT;
  if (Array.isArray(value)) return value.map((v: unknown) => cutAt(v, levels - 1));
  const out: Record<string, unknown> = {};
  // defineProperty, so that an own `__proto__` key stays a key and does not become the copy's prototype.
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: cutAt(v, levels - 1), enumerable: true, writable: true, configurable: true });
  return out;
}

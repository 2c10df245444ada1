import { createHash, type Hash } from 'node:crypto';
import type { Alert } from '../alert/alert.ts';

/**
 * JSON with every object's keys sorted, recursively: the same alert gives the same text
 * whatever order its fields were built in. Values are serialised as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Built by concatenation, not map/flatMap/join: the backtest hashes every alert, and the
  // arrays those made per object were most of this function's cost.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // A hole stays empty, as `map` then `join` left it.
      if (!(i in value)) continue;
      const v: unknown = value[i];
      out += v === undefined ? 'null' : canonicalJson(v);
    }
    return `${out}]`;
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  let first = true;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

/**
 * SHA-256 of an alert stream: the canonical JSON of each alert, in order, one per line.
 * Alerts as raised (no `seq`: the store numbers them, and a subscriber's numbers depend on
 * what else the store held), so a backtest, a live run and a replay can be compared.
 */
export class AlertHasher {
  private readonly hash: Hash = createHash('sha256');
  count = 0;

  update(alert: Alert): this {
    this.hash.update(canonicalJson(alert));
    this.hash.update('\n');
    this.count += 1;
    return this;
  }

  /** The hex digest; the hasher cannot be used after. */
  digest(): string {
    return this.hash.digest('hex');
  }
}

export function alertStreamHash(alerts: Iterable<Alert>): string {
  const hasher = new AlertHasher();
  for (const alert of alerts) hasher.update(alert);
  return hasher.digest();
}

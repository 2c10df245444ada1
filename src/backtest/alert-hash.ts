import { createHash, type Hash } from 'node:crypto';
import type { Alert } from '../alert/alert.ts';

/**
 * JSON with every object's keys sorted, recursively: the same alert gives the same text
 * whatever order its fields were built in. Values are serialised as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .flatMap((key) => {
      const v = (value as Record<string, unknown>)[key];
      return v === undefined ? [] : [`${JSON.stringify(key)}:${canonicalJson(v)}`];
    });
  return `{${entries.join(',')}}`;
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

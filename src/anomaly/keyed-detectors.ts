/**
 * One detector per key (a post, a consignee, a route), bounded two ways: a key idle for
 * longer than `ttlMs` of event time is forgotten, and beyond `maxKeys` the least recently
 * updated key is evicted. Keys sit in a doubly linked list in update order, so both
 * bounds are met from its head in O(1) per update; a Map gives the lookup.
 */
import { ConfigError } from '../errors.ts';
import { createDetector, type Detector, type DetectorSnapshot, type Reading } from './detector.ts';
import type { DetectorSpec } from './detector-spec.ts';
import { flat } from '../kernel/flat-string.ts';

export interface KeyedDetectorsOptions {
  /** The detector every key gets (parsed, defaults applied). */
  spec: DetectorSpec;
  /** Event time a key may stay idle before it is forgotten, ms. */
  ttlMs: number;
  /** Keys held at most; the least recently updated goes first. */
  maxKeys: number;
}

export interface KeyedSnapshot {
  version: 1;
  /** The latest event time seen, ms (null before any update). */
  watermarkMs: number | null;
  /** Least recently updated first, so that restoring keeps the eviction order. */
  keys: { key: string; lastTimeMs: number; detector: DetectorSnapshot }[];
}

class Entry {
  prev: Entry | null = null;
  next: Entry | null = null;
  constructor(
    readonly key: string,
    readonly detector: Detector,
    public lastTimeMs: number,
  ) {}
}

export class KeyedDetectors {
  private readonly entries = new Map<string, Entry>();
  /** Least recently updated. */
  private head: Entry | null = null;
  /** Most recently updated. */
  private tail: Entry | null = null;
  private watermarkMs = Number.NEGATIVE_INFINITY;
  private readonly spec: DetectorSpec;
  private readonly ttlMs: number;
  private readonly maxKeys: number;
  /** Keys forgotten for idleness so far. */
  expired = 0;
  /** Keys evicted to stay within maxKeys so far. */
  evicted = 0;

  constructor({ spec, ttlMs, maxKeys }: KeyedDetectorsOptions) {
    if (!(ttlMs > 0)) throw new ConfigError(`ttlMs must be positive, got ${ttlMs}`);
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new ConfigError(`maxKeys must be a positive integer, got ${maxKeys}`);
    this.spec = spec;
    this.ttlMs = ttlMs;
    this.maxKeys = maxKeys;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Updates the key's detector (created on first sight, or afresh when the key had been
   * idle for longer than the TTL) and returns its reading, which the next update of that
   * key overwrites (see Detector.update).
   */
  update(key: string, timeMs: number, value: number): Reading {
    if (timeMs > this.watermarkMs) {
      this.watermarkMs = timeMs;
      this.expire();
    }
    let entry = this.entries.get(flat(key));
    if (entry === undefined) {
      entry = new Entry(key, createDetector(this.spec), timeMs);
      this.entries.set(key, entry);
      this.append(entry);
      if (this.entries.size > this.maxKeys) {
        this.remove(this.head!);
        this.evicted += 1;
      }
    } else {
      if (entry !== this.tail) {
        this.unlink(entry);
        this.append(entry);
      }
      if (timeMs > entry.lastTimeMs) entry.lastTimeMs = timeMs;
    }
    return entry.detector.update(timeMs, value);
  }

  /** Whether the key currently has a detector. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  snapshot(): KeyedSnapshot {
    const keys: KeyedSnapshot['keys'] = [];
    for (let e = this.head; e !== null; e = e.next) keys.push({ key: e.key, lastTimeMs: e.lastTimeMs, detector: e.detector.snapshot() });
    return { version: 1, watermarkMs: Number.isFinite(this.watermarkMs) ? this.watermarkMs : null, keys };
  }

  /** Replaces every key with those of the snapshot, which continue exactly where they were saved. */
  restore(snapshot: KeyedSnapshot): void {
    if (snapshot.version !== 1) throw new ConfigError(`unknown keyed detector snapshot version ${String(snapshot.version)}`);
    this.entries.clear();
    this.head = this.tail = null;
    this.watermarkMs = snapshot.watermarkMs ?? Number.NEGATIVE_INFINITY;
    for (const k of snapshot.keys) {
      const entry = new Entry(k.key, createDetector(this.spec, k.detector), k.lastTimeMs);
      this.entries.set(k.key, entry);
      this.append(entry);
    }
    while (this.entries.size > this.maxKeys) this.remove(this.head!);
  }

  /**
   * Forgets keys idle for longer than the TTL. The list is in update order, which is
   * event-time order unless events arrive late; a key updated late sits behind newer
   * ones and goes when it reaches the head, so expiry may lag for it, never run early.
   */
  private expire(): void {
    const cutoff = this.watermarkMs - this.ttlMs;
    while (this.head !== null && this.head.lastTimeMs < cutoff) {
      this.remove(this.head);
      this.expired += 1;
    }
  }

  private remove(entry: Entry): void {
    this.unlink(entry);
    this.entries.delete(entry.key);
  }

  private append(entry: Entry): void {
    entry.prev = this.tail;
    entry.next = null;
    if (this.tail) this.tail.next = entry;
    else this.head = entry;
    this.tail = entry;
  }

  private unlink(entry: Entry): void {
    if (entry.prev) entry.prev.next = entry.next;
    else this.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.tail = entry.prev;
    entry.prev = entry.next = null;
  }
}

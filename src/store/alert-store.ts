import type { Alert } from '../alert/alert.ts';

/** An alert with its place in the alert sequence. */
export interface StoredAlert {
  seq: number;
  alert: Alert;
  /** The alert's wire message, serialised once however many subscribers receive it. */
  message: string;
}

/**
 * Where alerts are kept before they are pushed. Sequence numbers start at 1 and
 * increase by one per alert, so a subscriber can tell a gap from a quiet period.
 */
export interface AlertStore {
  append(alert: Alert): StoredAlert;
  /** Alerts with `seq > since`, oldest first, as far back as the store holds. */
  since(since: number): StoredAlert[];
  readonly lastSeq: number;
  /** Oldest sequence number still held (lastSeq + 1 when empty). */
  readonly firstSeq: number;
}

export interface MemoryAlertStoreOptions {
  /** @default 10_000 */
  capacity?: number;
}

/**
 * A bounded in-memory store: the newest `capacity` alerts. It lets a subscriber that
 * reconnects quickly catch up; alerts do not survive a restart (the durable SQLite
 * store replaces it behind the same interface).
 */
export class MemoryAlertStore implements AlertStore {
  private readonly capacity: number;
  private readonly ring: StoredAlert[] = [];
  private head = 0;
  private seq = 0;

  constructor(options: MemoryAlertStoreOptions = {}) {
    const { capacity = 10_000 } = options;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.capacity = capacity;
  }

  get lastSeq(): number {
    return this.seq;
  }

  get firstSeq(): number {
    return this.seq - this.ring.length + 1;
  }

  append(alert: Alert): StoredAlert {
    this.seq += 1;
    const stored: StoredAlert = { seq: this.seq, alert, message: alertMessage(this.seq, alert) };
    if (this.ring.length < this.capacity) this.ring.push(stored);
    else {
      this.ring[this.head] = stored;
      this.head = (this.head + 1) % this.capacity;
    }
    return stored;
  }

  since(since: number): StoredAlert[] {
    const out: StoredAlert[] = [];
    const n = this.ring.length;
    for (let i = 0; i < n; i++) {
      const stored = this.ring[(this.head + i) % n]!;
      if (stored.seq > since) out.push(stored);
    }
    return out;
  }
}

export function alertMessage(seq: number, alert: Alert): string {
  return JSON.stringify({ type: 'alert', seq, alert });
}

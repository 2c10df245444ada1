import { toError } from '../errors.ts';

/** How often the last fully processed journal record is noted in the alert store. @default 500 */
const CHECKPOINT_MS = 500;

export interface CheckpointParts {
  /** The journal record number of the last event whose processing is complete. */
  processed(): number;
  /** Where the checkpoint is kept (the alert store, so it commits with the alerts). */
  store: { processedRecord: number; readonly file: string };
  log: (line: string) => void;
}

/**
 * Notes, every half second and when asked, how far processing has got, so that a restart
 * replays only the journal after it. On a full disk the last checkpoint stands: replaying
 * a little more after a crash is safe.
 */
export class Checkpoints {
  private readonly parts: CheckpointParts;
  private noted = 0;
  private failing = false;
  private readonly timer: NodeJS.Timeout;

  constructor(parts: CheckpointParts, everyMs = CHECKPOINT_MS) {
    this.parts = parts;
    this.note();
    this.timer = setInterval(() => this.note(), everyMs);
    this.timer.unref();
  }

  note(): void {
    const { processed, store, log } = this.parts;
    const record = processed();
    if (record === this.noted) return;
    try {
      store.processedRecord = record;
      this.noted = record;
      this.failing = false;
    } catch (error) {
      if (!this.failing) log(`checkpoint not noted in ${store.file}: ${toError(error).message}; a restart meanwhile would replay more of the journal (safely)`);
      this.failing = true;
    }
  }

  /** Stops the timer; `note()` still works (the last checkpoint at shutdown). */
  stop(): void {
    clearInterval(this.timer);
  }
}

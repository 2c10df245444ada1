import fs from 'node:fs';

export const CHUNK_BYTES = 1 << 20;

/**
 * Cuts newline-terminated records out of a file read chunk by chunk: a record split
 * across two chunks is carried over to the next. Counts the bytes of complete records.
 */
export class LineSplitter {
  /** Byte length of the complete lines seen so far. */
  completeBytes = 0;
  private carry: Buffer = Buffer.alloc(0);

  /** The complete lines `chunk` ends (blank ones skipped); read them all before the chunk's buffer is reused. */
  *push(chunk: Buffer): Generator<string> {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      if (nl > start) yield data.toString('utf8', start, nl);
      this.completeBytes += nl + 1 - start;
      start = nl + 1;
    }
    this.carry = Buffer.from(data.subarray(start));
  }
}

/**
 * Yields every complete line of a newline-terminated record file, read in 1 MiB
 * chunks, so that a large journal is never held in memory whole. The generator's
 * return value is the byte length of the complete lines, so that a caller can cut
 * off a record a crash left half-written.
 */
export function* linesSync(path: string): Generator<string, number> {
  if (!fs.existsSync(path)) return 0;
  const fd = fs.openSync(path, 'r');
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  const lines = new LineSplitter();
  try {
    for (;;) {
      const read = fs.readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      yield* lines.push(chunk.subarray(0, read));
    }
  } finally {
    fs.closeSync(fd);
  }
  return lines.completeBytes;
}

/** Calls `onLine` for every complete line; returns the byte length of the complete lines. */
export function forEachLineSync(path: string, onLine: (line: string) => void): number {
  const lines = linesSync(path);
  for (;;) {
    const next = lines.next();
    if (next.done) return next.value;
    onLine(next.value);
  }
}

import fs from 'node:fs';

const CHUNK_BYTES = 1 << 20;

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
  let carry: Buffer = Buffer.alloc(0);
  let completeBytes = 0;
  try {
    for (;;) {
      const read = fs.readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        if (nl > start) yield data.toString('utf8', start, nl);
        completeBytes += nl + 1 - start;
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
    }
  } finally {
    fs.closeSync(fd);
  }
  return completeBytes;
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

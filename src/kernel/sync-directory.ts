import fs from 'node:fs';

/** fsyncs a directory, so that a file renamed into it survives a power cut. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

import { toError } from '../errors.ts';

/** One thing to let go of at shutdown: what it is (for the log) and how. */
export type Release = readonly [what: string, release: () => unknown];

/**
 * Runs every step in order, logging each that fails, so that no file or watcher is left
 * open to keep the process alive when one before it failed (a full disk, say); resolves
 * with the first failure, if any.
 */
export async function releaseAll(log: (line: string) => void, steps: readonly Release[]): Promise<Error | undefined> {
  let first: Error | undefined;
  for (const [what, release] of steps) {
    try {
      await release();
    } catch (thrown) {
      const error = toError(thrown);
      first ??= error;
      log(`closing ${what} failed: ${error.message}`);
    }
  }
  return first;
}

import fs from 'node:fs';
import { makeToken, readTokenFileOrEmpty, type StoredToken, writeTokenFile } from './token-file.ts';

/** The names of the in-process producers' tokens; each start replaces its own. */
export const DEMO_PRODUCER_NAME = 'demo producer (serve --demo)';

/**
 * A first start has no tokens file and so no way in: make one with an administrator
 * token, whose secret the caller prints once. Undefined when the file exists.
 */
export function firstAdminToken(file: string): { token: StoredToken; secret: string } | undefined {
  if (fs.existsSync(file)) return undefined;
  const made = makeToken({ role: 'admin', name: 'administrator (made at first start)' });
  writeTokenFile(file, { version: 1, tokens: [made.token] });
  return made;
}

/**
 * A fresh producer token for an in-process traffic source (the demo generator, a
 * replay), in place of the previous run's (whose secret nobody kept): it is a producer
 * like any other, limited to the posts it sends for.
 */
export function inProcessProducerToken(file: string, name: string, posts: readonly string[]): string {
  const tokens = readTokenFileOrEmpty(file);
  const made = makeToken({ role: 'producer', name, posts });
  const others = tokens.tokens.filter((t) => !(t.role === 'producer' && t.name === name));
  writeTokenFile(file, { ...tokens, tokens: [...others, made.token] });
  return made.secret;
}

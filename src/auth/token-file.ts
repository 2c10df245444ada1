import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { formatPath } from '../model/event.ts';
import { PostIdSchema } from '../model/common.ts';
import { type Role, ROLES } from './roles.ts';

/**
 * One token as the tokens file holds it. Only the SHA-256 of the secret is kept: the
 * secrets are 256 random bits, so a fast hash is as good as a slow one here (nothing
 * to brute-force), and the file can be read by an operator without exposing them.
 */
export const StoredTokenSchema = z
  .strictObject({
    id: z.string().regex(/^tok-[0-9a-f]{8,32}$/, 'must look like tok-3f9a2c1b'),
    name: z.string().trim().min(1, 'must name who holds the token').max(100),
    role: z.enum(ROLES),
    posts: z.array(PostIdSchema).min(1).optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the hex SHA-256 of the secret (64 hex digits)'),
    created: z.iso.datetime({ offset: true }),
    revoked: z.iso.datetime({ offset: true }).nullable().default(null),
  })
  .superRefine((token, ctx) => {
    if (token.role === 'producer' && token.posts === undefined) ctx.addIssue({ code: 'custom', path: ['posts'], message: 'a producer token needs the border posts it may send for' });
    if (token.role !== 'producer' && token.posts !== undefined) ctx.addIssue({ code: 'custom', path: ['posts'], message: `only producer tokens have posts (this one is ${token.role})` });
  });
export type StoredToken = z.infer<typeof StoredTokenSchema>;

export const TokenFileSchema = z
  .strictObject({
    version: z.literal(1),
    tokens: z.array(StoredTokenSchema),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.tokens.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['tokens', i, 'id'], message: `token id ${t.id} appears twice` });
      seen.add(t.id);
    });
  });
export type TokenFile = z.infer<typeof TokenFileSchema>;

/** Prefix of every secret, so that a leaked one is recognisable (secret scanners, logs). */
export const SECRET_PREFIX = 'brk_';

export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Reads and checks a tokens file; every problem is a ConfigError naming the file and where. */
export function readTokenFile(file: string): TokenFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code;
    throw new ConfigError(code === 'ENOENT' ? `no tokens file at ${file}; create a token with: border-risk tokens create --role admin --name NAME --tokens ${file}` : `cannot read tokens file ${file}: ${(thrown as Error).message}`, { cause: thrown });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (thrown) {
    throw new ConfigError(`tokens file ${file} is not valid JSON: ${(thrown as Error).message}`, { cause: thrown });
  }
  const parsed = TokenFileSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${formatPath(i.path) || '(file)'}: ${i.message}`);
    throw new ConfigError(`tokens file ${file} has ${problems.length} problem(s):\n${problems.join('\n')}`);
  }
  return parsed.data;
}

/** An empty tokens file when there is none yet; anything else as `readTokenFile`. */
export function readTokenFileOrEmpty(file: string): TokenFile {
  return fs.existsSync(file) ? readTokenFile(file) : { version: 1, tokens: [] };
}

/**
 * Replaces the tokens file atomically (write beside it, fsync, rename), readable by its
 * owner only, so a running server never reads half a file.
 */
export function writeTokenFile(file: string, tokens: TokenFile): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(tokens, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}

export interface NewToken {
  role: Role;
  name: string;
  posts?: readonly string[];
}

/** Makes a token: the stored record (hash only) and the secret, which exists nowhere else. */
export function makeToken(input: NewToken, now = new Date()): { token: StoredToken; secret: string } {
  const secret = SECRET_PREFIX + crypto.randomBytes(32).toString('base64url');
  const candidate = {
    id: `tok-${crypto.randomBytes(4).toString('hex')}`,
    name: input.name,
    role: input.role,
    ...(input.posts !== undefined && { posts: [...input.posts] }),
    sha256: hashSecret(secret),
    created: now.toISOString(),
    revoked: null,
  };
  const parsed = StoredTokenSchema.safeParse(candidate);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${formatPath(i.path) || 'token'}: ${i.message}`).join('; '));
  return { token: parsed.data, secret };
}

/** Adds a new token to the file (creating it) and returns its secret. */
export function createToken(file: string, input: NewToken): { token: StoredToken; secret: string } {
  const tokens = readTokenFileOrEmpty(file);
  const made = makeToken(input);
  writeTokenFile(file, { ...tokens, tokens: [...tokens.tokens, made.token] });
  return made;
}

/** Marks a token revoked (kept in the file, so the audit log's ids still name someone). */
export function revokeToken(file: string, id: string, now = new Date()): StoredToken {
  const tokens = readTokenFile(file);
  const token = tokens.tokens.find((t) => t.id === id);
  if (!token) throw new ConfigError(`no token ${id} in ${file}; 'border-risk tokens list' shows the ids`);
  if (token.revoked !== null) throw new ConfigError(`token ${id} (${token.name}) was already revoked at ${token.revoked}`);
  const revoked = { ...token, revoked: now.toISOString() };
  writeTokenFile(file, { ...tokens, tokens: tokens.tokens.map((t) => (t.id === id ? revoked : t)) });
  return revoked;
}

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { toError } from '../errors.ts';
import type { Role } from './roles.ts';
import { readTokenFile, type StoredToken } from './token-file.ts';

/** Who a connection or request is: what the audit log records and the role table decides on. */
export interface Identity {
  tokenId: string;
  name: string;
  role: Role;
  /** A producer's border posts; undefined for other roles. */
  posts?: ReadonlySet<string>;
}

export type Authentication =
  | { ok: true; identity: Identity }
  | { ok: false; reason: 'missing' | 'unknown' | 'revoked' };

export interface AuthenticatorOptions {
  /** Told when the file changed and was read, or could not be (the previous tokens stay). */
  log?: (line: string) => void;
  /** Told of tokens revoked (or removed from the file) since the last read, so their connections can be closed. */
  onRevoked?: (tokenIds: readonly string[]) => void;
}

/** Changes to the file within this long are read once. */
const DEBOUNCE_MS = 50;

/**
 * The tokens file as the running server sees it: read at start (a bad file stops the
 * start with a ConfigError), then again whenever it changes, so that a new or revoked
 * token takes effect without a restart. A file broken by a hand edit leaves the last
 * good tokens in force and says so in the log.
 */
export class Authenticator {
  readonly file: string;
  private tokens: StoredToken[];
  private readonly digests: Buffer[];
  private watcher: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly log: (line: string) => void;
  private readonly onRevoked: (tokenIds: readonly string[]) => void;

  constructor(file: string, options: AuthenticatorOptions = {}) {
    this.file = path.resolve(file);
    // Without a log or a revocation listener, nothing is told.
    this.log = options.log ?? (() => undefined);
    this.onRevoked = options.onRevoked ?? (() => undefined);
    this.tokens = readTokenFile(this.file).tokens;
    this.digests = this.tokens.map((t) => Buffer.from(t.sha256, 'hex'));
  }

  /** Active tokens by role, for the startup line. */
  get active(): number {
    return this.tokens.filter((t) => t.revoked === null).length;
  }

  /**
   * Finds the token a secret belongs to. The secret's hash is compared with every stored
   * hash in constant time, so neither the match nor its position leaks through timing.
   */
  authenticate(secret: string | undefined): Authentication {
    if (secret === undefined || secret === '') return { ok: false, reason: 'missing' };
    const digest = crypto.createHash('sha256').update(secret, 'utf8').digest();
    let found: StoredToken | undefined;
    for (let i = 0; i < this.tokens.length; i++) {
      if (crypto.timingSafeEqual(digest, this.digests[i]!)) found = this.tokens[i];
    }
    if (!found) return { ok: false, reason: 'unknown' };
    if (found.revoked !== null) return { ok: false, reason: 'revoked' };
    return { ok: true, identity: identityOf(found) };
  }

  /** Whether a token authenticated earlier is still in force. */
  isActive(tokenId: string): boolean {
    return this.tokens.some((t) => t.id === tokenId && t.revoked === null);
  }

  /** Watches the file's directory (an atomic replace is a rename, which a watch on the file itself would lose). */
  watch(): void {
    if (this.watcher) return;
    const base = path.basename(this.file);
    this.watcher = fs.watch(path.dirname(this.file), (_event, name) => {
      if (name === null || name === base) this.schedule();
    });
    this.watcher.on('error', (error) => this.log(`tokens file ${this.file} is no longer watched: ${error.message}; restart to pick up changes`));
  }

  /** Reads the file again now; returns whether the new tokens are in force. */
  reload(): boolean {
    let tokens: StoredToken[];
    try {
      tokens = readTokenFile(this.file).tokens;
    } catch (thrown) {
      this.log(`tokens file not reloaded, the previous tokens stay in force: ${toError(thrown).message}`);
      return false;
    }
    const active = new Set(tokens.filter((t) => t.revoked === null).map((t) => t.id));
    const gone = this.tokens.filter((t) => t.revoked === null && !active.has(t.id)).map((t) => t.id);
    this.tokens = tokens;
    this.digests.splice(0, this.digests.length, ...tokens.map((t) => Buffer.from(t.sha256, 'hex')));
    this.log(`tokens reloaded from ${this.file}: ${active.size} active${gone.length > 0 ? `, revoked: ${gone.join(', ')}` : ''}`);
    if (gone.length > 0) this.onRevoked(gone);
    return true;
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (fs.existsSync(this.file)) this.reload();
    }, DEBOUNCE_MS);
    this.timer.unref();
  }
}

function identityOf(token: StoredToken): Identity {
  return { tokenId: token.id, name: token.name, role: token.role, ...(token.posts && { posts: new Set(token.posts) }) };
}

import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';

/** The directory the page is served from: this file's own folder. */
const ROOT = fs.realpathSync(import.meta.dirname);

/**
 * Modules the page shares with the server, outside this folder, at the URL a module of
 * the page reaches them by (`../kernel/close-codes.js` from `/console/connection.js`).
 */
const SHARED: Readonly<Record<string, string>> = {
  '/kernel/close-codes.js': fs.realpathSync(path.join(import.meta.dirname, '..', 'kernel', 'close-codes.js')),
};

/** URL prefix of the page's static files; `/` itself is the page. */
export const CONSOLE_PREFIX = '/console/';

/**
 * Only these kinds of file are served, so the server's own sources (`.ts`) and the
 * type-check project (`tsconfig.json`) beside them stay private.
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The page talks only to its own origin (`connect-src 'self'` covers `ws:` to the same
 * host in CSP 3), loads nothing from elsewhere, and builds its DOM without inline
 * scripts or style attributes, so the policy can be strict.
 */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * Serves the analysts' console: `GET /` is the page, `GET /console/<file>` its scripts,
 * styles and images from `src/console/`. Returns false for anything else (other paths,
 * other methods, files that do not exist or are not of a served kind, paths that try to
 * leave the folder) so that the caller can go on to its own routes or its 404.
 */
export function serveConsole(request: http.IncomingMessage, response: http.ServerResponse): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const file = resolveFile(request.url ?? '/');
  if (file === undefined) return false;
  const stat = statFile(file);
  if (stat === undefined) return false;

  // Revalidate on every load (the files are small and edited in place during development).
  const etag = `"${stat.size.toString(36)}-${Math.trunc(stat.mtimeMs).toString(36)}"`;
  const headers = {
    ...SECURITY_HEADERS,
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
    etag,
  };
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, headers);
    response.end();
    return true;
  }
  response.writeHead(200, { ...headers, 'content-length': stat.size });
  if (request.method === 'HEAD') {
    response.end();
    return true;
  }
  fs.createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
  return true;
}

/** The file a request path names, or undefined when it names none of the page's files. */
export function resolveFile(requestUrl: string): string | undefined {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl, 'http://localhost').pathname);
  } catch {
    return undefined;
  }
  if (pathname === '/' || pathname === '/index.html') return path.join(ROOT, 'index.html');
  // The joint border cooperation centre's page (docs/exchange.md).
  if (pathname === '/joint') return path.join(ROOT, 'joint.html');
  // The supervisors' dashboard (docs/console.md).
  if (pathname === '/dashboard') return path.join(ROOT, 'dashboard.html');
  if (Object.hasOwn(SHARED, pathname)) return SHARED[pathname];
  if (!pathname.startsWith(CONSOLE_PREFIX)) return undefined;
  const relative = pathname.slice(CONSOLE_PREFIX.length);
  // The URL parser already folds `..` segments, but a decoded `%2e%2e%2f` or a backslash would not be.
  if (relative === '' || relative.includes('\0') || relative.includes('\\') || relative.split('/').some((s) => s === '..' || s === '.' || s === '')) return undefined;
  if (!(path.extname(relative) in CONTENT_TYPES)) return undefined;
  const file = path.resolve(ROOT, relative);
  return file.startsWith(ROOT + path.sep) ? file : undefined;
}

function statFile(file: string): fs.Stats | undefined {
  try {
    // A symbolic link that points outside the folder is refused like a `..`.
    const real = fs.realpathSync(file);
    if (!real.startsWith(ROOT + path.sep) && !Object.values(SHARED).includes(real)) return undefined;
    const stat = fs.statSync(real);
    return stat.isFile() ? stat : undefined;
  } catch {
    return undefined;
  }
}

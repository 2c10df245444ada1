import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveConsole } from '../../src/console/serve-console.ts';

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    if (serveConsole(request, response)) return;
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not the console');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends a request line as written, so that paths the URL parser would fold reach the server unchanged. */
function raw(path: string, method = 'GET'): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1', () => {
      socket.write(`${method} ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    });
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('end', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), head, body });
    });
    socket.on('error', reject);
  });
}

describe('serveConsole', () => {
  it('serves the page at / as HTML with a strict content security policy', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).toContain('<title>Border risk · live alerts</title>');
    expect(html).toContain('src="/console/main.js"');
  });

  it('serves the scripts, styles and icon under /console/ with their content types', async () => {
    const types = await Promise.all(
      ['main.js', 'console.css', 'favicon.svg'].map(async (file) => {
        const response = await fetch(`${base}/console/${file}`);
        await response.arrayBuffer();
        return [response.status, response.headers.get('content-type')];
      }),
    );
    expect(types).toEqual([
      [200, 'text/javascript; charset=utf-8'],
      [200, 'text/css; charset=utf-8'],
      [200, 'image/svg+xml'],
    ]);
  });

  it('serves the close-code table it shares with the server where the page imports it from, and nothing else of src/kernel', async () => {
    const response = await fetch(`${base}/kernel/close-codes.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('unauthenticated: 4401');
    for (const other of ['/kernel/close-codes.d.ts', '/kernel/metrics.ts', '/kernel/safe-map.js']) expect((await raw(other)).status).toBe(404);
  });

  it('answers a repeated request with 304 when the file has not changed, and HEAD without a body', async () => {
    const first = await fetch(`${base}/console/console.css`);
    const etag = first.headers.get('etag');
    await first.arrayBuffer();
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(`${base}/console/console.css`, { headers: { 'if-none-match': etag ?? '' } });
    expect(again.status).toBe(304);
    const head = await raw('/console/console.css', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.head).toMatch(/content-length: [1-9]\d*/i);
    expect(head.body).toBe('');
  });

  it('leaves the server’s own sources, unknown files and other methods to the caller', async () => {
    const paths = ['/console/serve-console.ts', '/console/tsconfig.json', '/console/missing.js', '/console/', '/console', '/health', '/console.css', '/main.js'];
    const statuses = await Promise.all(paths.map(async (p) => (await fetch(`${base}${p}`)).status));
    expect(statuses).toEqual(paths.map(() => 404));
    const post = await fetch(`${base}/`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(404);
  });

  it('refuses every way of climbing out of its folder', async () => {
    const attempts = [
      '/console/../processor.ts',
      '/console/../../package.json',
      '/console/%2e%2e/processor.ts',
      '/console/%2e%2e%2fprocessor.ts',
      '/console/..%2f..%2fpackage.json',
      '/console/..%5c..%5cpackage.json',
      '/console/%2e%2e%2f%2e%2e%2fREADME.md',
      '/console//etc/passwd',
      '/console/%00main.js',
      '/console/%zz',
    ];
    for (const path of attempts) {
      const response = await raw(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(response.body).toContain('not the console');
    }
  });
});

import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ConnectionModule, type ConnectionState, consoleModule, type SocketLike } from './console-modules.ts';

let backoffDelay: ConnectionModule['backoffDelay'];
let Connection: ConnectionModule['Connection'];
beforeAll(async () => {
  ({ backoffDelay, Connection } = await consoleModule<ConnectionModule>('connection.js'));
});

type Listener = (event: { data?: unknown; code?: number; reason?: string }) => void;

/** A WebSocket stand-in the test opens, feeds and closes by hand. */
class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  closedWith: number | undefined;
  readonly #listeners = new Map<string, Listener[]>();
  addEventListener(type: string, listener: Listener): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.#emit('open', {});
  }
  message(data: string): void {
    this.#emit('message', { data });
  }
  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.#emit('close', { code, reason });
  }
  #emit(type: string, event: Parameters<Listener>[0]): void {
    for (const listener of this.#listeners.get(type) ?? []) listener(event);
  }
}

function setup(online = true) {
  const sockets: FakeSocket[] = [];
  const states: { state: ConnectionState; retryAt?: number }[] = [];
  const messages: string[] = [];
  let opened = 0;
  const connection = new Connection({
    url: 'ws://console.test/alerts',
    onOpen: () => opened++,
    onMessage: (data) => messages.push(data),
    onState: (state, detail) => states.push({ state, ...(detail.retryAt !== undefined && { retryAt: detail.retryAt }) }),
    createSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket;
    },
    random: () => 0.5,
    now: () => Date.now(),
    silenceMs: 45_000,
    online: () => online,
  });
  return { connection, sockets, states, messages, opened: () => opened };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the console’s connection', () => {
  it('backs off from half a second, doubling, to 30 s, with ±20 % jitter', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 30].map((n) => backoffDelay(n, 0.5))).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(backoffDelay(0, 0)).toBe(400);
    expect(backoffDelay(0, 0.999_999)).toBe(600);
    expect(backoffDelay(10, 0)).toBe(24_000);
  });

  it('reconnects by itself, waiting longer after each failure, and says offline after five', () => {
    const { connection, sockets, states } = setup();
    connection.start();
    sockets[0]!.open();
    expect(connection.state).toBe('connected');
    sockets[0]!.drop();
    expect(states.at(-1)).toMatchObject({ state: 'reconnecting', retryAt: Date.now() + 500 });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      const before = sockets.length;
      const started = Date.now();
      while (sockets.length === before) vi.advanceTimersByTime(100);
      waits.push(Date.now() - started);
      sockets.at(-1)!.drop();
    }
    expect(waits).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(states.map((s) => s.state)).toEqual(['connected', 'reconnecting', 'reconnecting', 'reconnecting', 'reconnecting', 'reconnecting', 'offline', 'offline']);
    // Trying at once on request, and a message from the server starts the backoff afresh.
    connection.retryNow();
    sockets.at(-1)!.open();
    sockets.at(-1)!.message('{"type":"welcome"}');
    sockets.at(-1)!.drop();
    expect(states.at(-1)).toMatchObject({ state: 'reconnecting', retryAt: Date.now() + 500 });
  });

  it('says offline at once when the browser has no network', () => {
    const { connection, sockets, states } = setup(false);
    connection.start();
    sockets[0]!.drop();
    expect(states.at(-1)?.state).toBe('offline');
  });

  it('resumes at once when cut off for being slow (4008)', () => {
    const { connection, sockets } = setup();
    connection.start();
    sockets[0]!.open();
    sockets[0]!.drop(4008, 'too slow; resume with since=42');
    vi.advanceTimersByTime(0);
    expect(sockets).toHaveLength(2);
  });

  it('treats a socket silent for 45 s as lost, and passes messages on while it talks', () => {
    const { connection, sockets, messages } = setup();
    connection.start();
    sockets[0]!.open();
    vi.advanceTimersByTime(30_000);
    sockets[0]!.message('{"type":"heartbeat"}');
    vi.advanceTimersByTime(30_000);
    expect(sockets[0]!.closedWith).toBeUndefined();
    expect(connection.send({ type: 'subscribe' })).toBe(true);
    expect(sockets[0]!.sent).toEqual(['{"type":"subscribe"}']);
    vi.advanceTimersByTime(15_000);
    expect(sockets[0]!.closedWith).toBe(1000);
    expect(connection.state).toBe('reconnecting');
    expect(connection.send({ type: 'subscribe' })).toBe(false);
    expect(messages).toEqual(['{"type":"heartbeat"}']);
  });

  it('stops for good when stopped', () => {
    const { connection, sockets } = setup();
    connection.start();
    sockets[0]!.open();
    connection.stop();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.closedWith).toBe(1000);
  });
});

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Alert } from '../../src/alert/alert.ts';
import type { SubscriptionFilter } from '../../src/push/subscription.ts';
import type { TriageState } from '../../src/triage/triage.ts';
import { ROOT } from '../helpers.ts';

/**
 * The page's modules are browser JavaScript checked by their own project
 * (`tsc -p src/console`); the root project does not read JavaScript, so tests load them
 * by URL and describe here the part of each they use.
 */
export async function consoleModule<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(path.join(ROOT, 'src', 'console', file)).href)) as T;
}

export interface FilterState {
  minSeverity: Alert['severity'] | null;
  kinds: Alert['kind'][];
  posts: string[];
  rules: string[];
  tags: string[];
  text: string;
  repeats: boolean;
}

export interface FilterModule {
  emptyFilter(): FilterState;
  compileFilter(filter: SubscriptionFilter): (alert: Alert) => boolean;
  covers(wide: SubscriptionFilter, narrow: SubscriptionFilter): boolean;
  decidable(filter: SubscriptionFilter): boolean;
  foldSearch(text: string): string | null;
  toSubscription(state: FilterState): SubscriptionFilter;
  filterIssues(state: FilterState): { field: keyof FilterState; message: string }[];
  parseList(text: string, options?: { upper?: boolean }): string[];
  toQuery(state: FilterState): URLSearchParams;
  fromQuery(params: URLSearchParams): FilterState;
}

export interface HeldAlert {
  seq: number;
  alert: Alert;
  triage: TriageState;
}

export interface AlertModel {
  readonly size: number;
  readonly newestSeq: number;
  version: number;
  seen: { posts: Set<string>; rules: Map<string, string>; tags: Set<string> };
  put(seq: number, alert: Alert, triage?: TriageState): boolean;
  setTriage(seq: number, triage: TriageState): boolean;
  get(seq: number): HeldAlert | undefined;
  at(index: number): HeldAlert | undefined;
  indexOf(seq: number): number;
  retain(keep: (alert: Alert) => boolean): void;
  dropThrough(seq: number): void;
  clear(): void;
  hourly(min: number, max: number): { start: number; counts: number[] }[];
}

export interface AlertModelModule {
  AlertModel: new (options?: { maxHeld?: number }) => AlertModel;
}

export type TriageOutcome = { ok: true } | { ok: false; message: string };

export interface Feed {
  readonly newestSeq: number;
  readonly position: number | null;
  live: boolean;
  opened(): void;
  closed(): void;
  setFilter(filter: SubscriptionFilter): void;
  receive(data: string): void;
  triage(request: { seq: number; action: string; by: string; assignee?: string; reason?: string; note?: string }): Promise<TriageOutcome>;
}

export interface FeedModule {
  Feed: new (options: {
    model: AlertModel;
    send: (message: unknown) => boolean;
    history?: number;
    onChange?: () => void;
    onNotice?: (level: string, text: string) => void;
    onFilterRefused?: (message: string, issues: { path: string; message: string }[]) => void;
    requestTimeoutMs?: number;
  }) => Feed;
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** What `Connection` needs of a WebSocket. */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: { data?: unknown; code?: number; reason?: string }) => void): void;
}

export interface ConnectionModule {
  backoffDelay(attempt: number, random: number): number;
  Connection: new (options: {
    url: string;
    onOpen: () => void;
    onMessage: (data: string) => void;
    onState: (state: ConnectionState, detail: { retryAt?: number; reason?: string }) => void;
    createSocket?: (url: string) => SocketLike;
    random?: () => number;
    now?: () => number;
    silenceMs?: number;
    offlineAfter?: number;
    online?: () => boolean;
  }) => { state: ConnectionState; start(): void; send(message: unknown): boolean; retryNow(): void; stop(): void };
}

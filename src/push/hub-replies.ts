import type { z } from 'zod';
import { formatPath } from '../model/event.ts';

/** A request's `requestId`, echoed in its reply so that a client can match answers to requests. */
export function requestIdOf(value: unknown): string | undefined {
  const id = (value as { requestId?: unknown } | null)?.requestId;
  return typeof id === 'string' ? id : undefined;
}

/** Zod's issues as the protocol's `issues`: a path and a message each. */
export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

/** Close reasons are limited to 123 bytes by RFC 6455. */
export function truncate(reason: string): string {
  return Buffer.byteLength(reason) <= 123 ? reason : `${Buffer.from(reason).subarray(0, 120).toString('utf8')}...`;
}

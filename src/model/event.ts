import { z } from 'zod';
import { CargoSchema } from './cargo.ts';
import { CrossingSchema } from './crossing.ts';

export const EventSchema = z.discriminatedUnion('kind', [CrossingSchema, CargoSchema]);
export type BorderEvent = z.infer<typeof EventSchema>;
export type EventKind = BorderEvent['kind'];
export const EVENT_KINDS = ['crossing', 'cargo'] as const satisfies readonly EventKind[];

/** One reason an event was rejected: where in the event, and what is wrong there. */
export interface EventIssue {
  path: string;
  message: string;
}

export type ValidationResult =
  | { success: true; event: BorderEvent }
  | { success: false; issues: EventIssue[] };

/**
 * Validates one candidate event. zod v4 compiles object schemas to straight-line
 * code on first use, so this is the hot-path parser; unknown keys are rejected
 * because the schema version is the contract with producers.
 */
export function validateEvent(input: unknown): ValidationResult {
  const result = EventSchema.safeParse(input);
  if (result.success) return { success: true, event: result.data };
  return { success: false, issues: result.error.issues.map(toEventIssue) };
}

function toEventIssue(issue: z.core.$ZodIssue): EventIssue {
  return { path: formatPath(issue.path), message: issue.message };
}

/** `['items', 2, 'hsCode']` → `items[2].hsCode`; the root is the empty string. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

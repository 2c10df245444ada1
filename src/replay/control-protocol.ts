import { z } from 'zod';
import { formatPath } from '../model/event.ts';
import type { Replayer } from './replayer.ts';

/** A trainer's screen drives a replay with these messages (docs/recordings.md). */
export const ControlMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('pause') }),
  z.strictObject({ type: z.literal('resume') }),
  z.strictObject({ type: z.literal('step'), count: z.int().min(1).max(100_000).default(1) }),
  z.strictObject({ type: z.literal('seek'), to: z.iso.datetime({ offset: true }) }),
  z.strictObject({ type: z.literal('speed'), speed: z.union([z.number().positive().max(1_000_000), z.literal('max')]) }),
  z.strictObject({ type: z.literal('status') }),
  z.strictObject({ type: z.literal('stop') }),
]);

export type ControlResult = { ok: true } | { ok: false; message: string; issues: { path: string; message: string }[] };

/** Parses one control message and applies it to the replay; a bad message changes nothing. */
export function applyControl(replayer: Replayer, text: string): ControlResult {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (thrown) {
    return { ok: false, message: 'invalid JSON', issues: [{ path: '', message: (thrown as Error).message }] };
  }
  const parsed = ControlMessageSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: 'invalid control message', issues: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  const message = parsed.data;
  switch (message.type) {
    case 'pause': replayer.pause(); break;
    case 'resume': replayer.resume(); break;
    case 'step': replayer.step(message.count); break;
    case 'seek': replayer.seek(Date.parse(message.to)); break;
    case 'speed': replayer.setSpeed(message.speed); break;
    case 'stop': replayer.stop(); break;
    case 'status': break;
  }
  return { ok: true };
}

import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type RuleProblem, RuleLoadError, toError } from '../errors.ts';
import { MAX_RULE_FILE_BYTES, readRuleFile } from '../kernel/read-rule-file.ts';
import { parseYamlSource } from '../kernel/yaml-source.ts';
import { DurationSchema } from './duration.ts';

/** {@link StreamSchema}'s `idleSourceAfter` when a stream does not set it: two hours. */
export const DEFAULT_IDLE_SOURCE_AFTER_MS = 2 * 3_600_000;

/** A declared input stream: which events it carries and how their time is read. */
export const StreamSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  kind: z.enum(['crossing', 'cargo']),
  description: z.string().default(''),
  source: z.strictObject({ type: z.literal('websocket'), path: z.string().startsWith('/') }),
  eventTimeField: z.literal('eventTime'),
  /** Milliseconds once parsed. */
  allowedLateness: DurationSchema,
  /**
   * How far (in event time) a source's newest event may fall behind the stream's newest
   * before the source counts as idle and stops holding the watermark back: a post cut off
   * for less than this is assessed normally when it catches up; one cut off for longer, or
   * closed, holds the other posts' windows open this long at most. Milliseconds once parsed.
   * @default 2h
   */
  idleSourceAfter: DurationSchema.default(DEFAULT_IDLE_SOURCE_AFTER_MS),
  /** Field path whose value partitions the stream's state (used by windowed rules). */
  partitionKey: z.string().min(1),
});
export type StreamDef = z.infer<typeof StreamSchema>;

/** Loads every `*.yaml` in the streams directory, reporting all problems together. */
export function loadStreams(dir: string): StreamDef[] {
  const problems: RuleProblem[] = [];
  const streams: StreamDef[] = [];
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch (thrown) {
    throw new RuleLoadError([{ file: dir, path: '', message: `cannot read streams directory: ${toError(thrown).message}` }]);
  }
  for (const name of files) {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = readRuleFile(file, MAX_RULE_FILE_BYTES);
    } catch (thrown) {
      if (!(thrown instanceof RuleLoadError)) throw thrown;
      problems.push(...thrown.problems);
      continue;
    }
    const source = parseYamlSource(file, text);
    problems.push(...source.problems);
    if (source.problems.length > 0) continue;
    const parsed = StreamSchema.safeParse(source.value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(source.problemAt(issue.path, issue.message));
      continue;
    }
    if (streams.some((s) => s.name === parsed.data.name)) {
      problems.push(source.problemAt(['name'], `stream "${parsed.data.name}" is defined twice`));
    }
    streams.push(parsed.data);
  }
  if (streams.length === 0) problems.push({ file: dir, path: '', message: 'no stream definitions found' });
  if (problems.length > 0) throw new RuleLoadError(problems);
  return streams;
}

import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, toError } from '../errors.ts';
import { formatPath } from '../model/event.ts';

export const PlantedCaseSchema = z.strictObject({
  /** Stable id within the exercise, e.g. `case-007`. */
  id: z.string().min(1),
  /** The kind of case (see `generate --list-cases`). */
  case: z.string().min(1),
  /** The event that completes the case: its alert is about this event. */
  eventId: z.string().min(1),
  eventTime: z.iso.datetime({ offset: true }),
  post: z.string().min(1),
  /** Indicators the alert must name. */
  indicators: z.array(z.string().min(1)).min(1),
  /** The id the alert gets (`alert:<eventId>` for alerts raised on the event). */
  expectedAlertId: z.string().min(1),
  /** For the trainer: what the trainee should notice. */
  note: z.string().optional(),
});
export type PlantedCase = z.infer<typeof PlantedCaseSchema>;

/** `manifest.json` beside a recording's segments: what the exercise is and what it should raise. */
export const ManifestSchema = z.strictObject({
  manifestVersion: z.literal(1),
  title: z.string().min(1),
  description: z.string().min(1),
  /** The recording, relative to the manifest's directory. */
  recording: z.string().min(1),
  /** Event time span of the recording. */
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  events: z.int().min(0),
  posts: z.array(z.string()),
  /** How the recording was made (generator, seed, options), for whoever rebuilds it. */
  source: z.record(z.string(), z.unknown()).optional(),
  plantedCases: z.array(PlantedCaseSchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export const MANIFEST_FILE = 'manifest.json';

/** Reads and checks a manifest (a file, or a directory holding `manifest.json`); every problem is reported. */
export function readManifest(file: string): { manifest: Manifest; recordingPath: string } {
  const manifestFile = fs.existsSync(file) && fs.statSync(file).isDirectory() ? path.join(file, MANIFEST_FILE) : file;
  let input: unknown;
  try {
    input = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch (thrown) {
    throw new ConfigError(`cannot read manifest ${manifestFile}: ${toError(thrown).message}`, { cause: thrown });
  }
  const parsed = ManifestSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(`manifest ${manifestFile} is not valid:\n  ${parsed.error.issues.map((i) => `${formatPath(i.path) || '(manifest)'}: ${i.message}`).join('\n  ')}`);
  }
  return { manifest: parsed.data, recordingPath: path.resolve(path.dirname(manifestFile), parsed.data.recording) };
}

export function writeManifest(file: string, manifest: Manifest): void {
  fs.writeFileSync(file, `${JSON.stringify(ManifestSchema.parse(manifest), null, 2)}\n`);
}

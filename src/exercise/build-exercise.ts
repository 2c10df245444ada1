import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, InternalError } from '../errors.ts';
import type { ListedPerson } from '../generate/listed-people.ts';
import { type PlantContext, PLANTED_CASES, type PlantedCaseName, type PlantedLabel } from '../generate/planted.ts';
import { Random } from '../generate/random.ts';
import { generateTraffic } from '../generate/traffic.ts';
import { trafficReference } from '../generate/traffic-reference.ts';
import { type BorderEvent, validateEvent } from '../model/event.ts';
import { Recorder } from '../record/recorder.ts';
import type { ReferenceLists } from '../enrich/lists.ts';
import { type Manifest, MANIFEST_FILE, type PlantedCase, writeManifest } from './manifest.ts';

export interface ExerciseOptions {
  /** Directory to write the recording's segments and manifest.json into. */
  out: string;
  lists: ReferenceLists;
  /** Listed individuals for the watchlist-name case (`listedPeopleIn(rulesDir)`). */
  listedPeople?: readonly ListedPerson[];
  title: string;
  description: string;
  /** @default 1 */
  seed?: number;
  /** @default '2026-11-02T00:00:00+05:00' */
  start?: string;
  /** @default 7 */
  days?: number;
  /** Posts whose traffic is kept (their whole traffic, so volumes and baselines stay real). */
  posts: readonly string[];
  /** Single-event cases planted into kept events, drawn in turn where the event fits. */
  cases: readonly PlantedCaseName[];
  /** Share of kept events turned into a planted case. @default 0.006 */
  plantRate?: number;
  /** Cases the generator itself plants (multi-event ones, whose posts must all be kept). */
  generatorCases?: readonly PlantedCaseName[];
  /** Share of all generated events that start a generator case. @default 0.00002 */
  generatorPlantRate?: number;
}

/** Whether a single-event case can be planted on this event (kind, post and direction as the case requires). */
function fits(name: PlantedCaseName, event: BorderEvent): boolean {
  const spec: { kind: string; posts?: readonly string[]; direction?: string; then?: unknown; surge?: unknown } = PLANTED_CASES[name];
  if (spec.then || spec.surge) return false;
  if (spec.kind !== event.kind) return false;
  if (spec.posts && !spec.posts.includes(event.post)) return false;
  if (spec.direction && spec.direction !== event.direction) return false;
  if (name === 'mrz-check-digit' || name === 'mrz-substituted-page') return event.kind === 'crossing' && event.document.type === 'passport';
  return true;
}

/**
 * Builds an exercise: a stretch of seeded traffic at a few posts with planted cases
 * spread across the indicators, recorded with its labels, and its manifest. The
 * generator's own traffic is kept whole at the chosen posts; single-event cases are then
 * planted into some of those events, in turn, so that every kind of case appears.
 */
export function buildExercise(options: ExerciseOptions): Manifest {
  const { out, lists, title, description, seed = 1, start = '2026-11-02T00:00:00+05:00', days = 7, posts, cases, plantRate = 0.006, generatorCases = [], generatorPlantRate = 0.00002 } = options;
  const reference = trafficReference(lists);
  const traffic = generateTraffic({ seed, start, plantRate: generatorCases.length > 0 ? generatorPlantRate : 0, cases: generatorCases, idPrefix: `ex${seed}`, ...reference });
  const endMs = Date.parse(start) + days * 86_400_000;
  const keep = new Set(posts);
  const rng = new Random(seed + 7919);
  const listedPeople = options.listedPeople ?? [];
  if (cases.includes('watchlist-name') && listedPeople.length === 0) throw new ConfigError('the watchlist-name case needs listed people (a rules directory with watchlists/)');
  const ctx: PlantContext = { rng, stolenDocuments: reference.stolenDocuments ?? [], listedPeople };
  fs.mkdirSync(out, { recursive: true });
  const recorder = Recorder.open(out, { flushMs: 0, batchEvents: 5_000, log: () => undefined }); // the exercise reports its own summary
  const planted: PlantedCase[] = [];
  const plantedSoFar = new Map<PlantedCaseName, number>(cases.map((c) => [c, 0]));
  let n = 0;
  let first: string | undefined;
  let last = '';
  for (;;) {
    const { event, label: generatorLabel, trafficClass } = traffic.next().value;
    if (Date.parse(event.eventTime) >= endMs) break;
    if (!keep.has(event.post)) continue;
    let label: PlantedLabel | undefined = generatorLabel;
    if (!label && rng.chance(plantRate)) {
      // The fitting case planted least so far, so that every kind appears about equally often.
      let name: PlantedCaseName | undefined;
      for (const candidate of cases) if (fits(candidate, event) && (name === undefined || plantedSoFar.get(candidate)! < plantedSoFar.get(name)!)) name = candidate;
      if (name !== undefined) {
        (PLANTED_CASES[name].apply as (e: BorderEvent, c: PlantContext) => void)(event, ctx);
        label = { eventId: event.eventId, eventTime: event.eventTime, post: event.post, case: name, indicators: [...PLANTED_CASES[name].indicators] };
        plantedSoFar.set(name, plantedSoFar.get(name)! + 1);
      }
    }
    const checked = validateEvent(JSON.parse(JSON.stringify(event)) as unknown);
    if (!checked.success) throw new InternalError(`exercise event ${event.eventId} is invalid: ${checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    n += 1;
    recorder.append(label ? { n, event: checked.event, label, trafficClass } : { n, event: checked.event, trafficClass });
    first ??= checked.event.eventTime;
    last = checked.event.eventTime;
    if (label) {
      planted.push({
        id: `case-${String(planted.length + 1).padStart(3, '0')}`,
        case: label.case,
        eventId: label.eventId,
        eventTime: label.eventTime,
        post: label.post,
        indicators: label.indicators,
        expectedAlertId: `alert:${label.eventId}`,
      });
    }
  }
  recorder.close();
  const manifest: Manifest = {
    manifestVersion: 1,
    title,
    description,
    recording: '.',
    from: first ?? start,
    to: last || start,
    events: n,
    posts: [...posts],
    source: { generator: 'border-risk exercise build', seed, start, days, posts: [...posts], cases: [...cases], plantRate, generatorCases: [...generatorCases], generatorPlantRate },
    plantedCases: planted,
  };
  writeManifest(path.join(out, MANIFEST_FILE), manifest);
  return manifest;
}

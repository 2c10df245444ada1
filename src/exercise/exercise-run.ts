import fs from 'node:fs';
import path from 'node:path';
import { faultsToDeadLetters } from '../app/fault-letters.ts';
import { logRuleErrorsOnce } from '../app/rule-errors.ts';
import { ConfigError } from '../errors.ts';
import { StateEngine } from '../indicators/state-engine.ts';
import type { EventSource } from '../ingest/event-source.ts';
import { DeadLetters } from '../journal/dead-letters.ts';
import { JOURNAL_FILE, Journal } from '../journal/journal.ts';
import { createMetrics } from '../kernel/metrics.ts';
import { startPipeline } from '../pipeline/pipeline.ts';
import type { AlertSink } from '../push/alert-sink.ts';
import type { RuleSet } from '../rules/rule-set.ts';
import type { AlertLog } from '../store/alert-log.ts';
import type { AlertStore } from '../store/alert-store.ts';

/** An exercise run beside live traffic (`replay --serve --exercise`, docs/casework.md#exercises). */
export interface ExerciseOptions {
  /** The exercise's scope: its alerts carry it, trainees work in it, `exercise report --exercise ID` reads it. */
  id: string;
  /** Where its events come from: a replay of the exercise's recording, in process. */
  source: EventSource;
}

export interface ExerciseRun {
  readonly id: string;
  /** Stops the source and the pipeline, and flushes the exercise's journal and dead letters. */
  close(): Promise<void>;
}

/** Letters, digits, `.`, `_` and `-`: it names a directory and appears in messages. */
const EXERCISE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The directory an exercise's journal and dead letters are kept in, under the processor's data directory. */
export function exerciseDir(dataDir: string, id: string): string {
  return path.join(dataDir, 'exercises', id);
}

/** Refuses an exercise id that cannot name a directory, or one that already ran here: checked before the processor opens anything. */
export function checkExercise(dataDir: string, id: string): void {
  if (!EXERCISE_ID.test(id)) throw new ConfigError(`exercise id "${id}" must be letters, digits, '.', '_' or '-' (at most 64), starting with a letter or digit`);
  if (fs.existsSync(path.join(exerciseDir(dataDir, id), JOURNAL_FILE))) throw new ConfigError(`exercise ${id} already ran in ${dataDir} (its alerts are kept for exercise report); give this session another id`);
}

/**
 * Starts an exercise inside a running processor: a pipeline of its own (its own journal
 * and dead letters under `<dataDir>/exercises/ID/`, its own window and baseline state, no
 * analysts' non-matches), so that recorded traffic never enters the live state or the
 * live journal; its alerts go into the same alert database, marked with the exercise's
 * scope, and to the subscribers' hub only (never to notifications or partner agencies).
 * One sequence of alert numbers serves both, so that a seq names one alert and the server
 * can refuse a trainee's triage of a live one by its number.
 */
export function startExercise(options: ExerciseOptions, parts: { dataDir: string; store: AlertStore; hub: AlertSink; ruleSet: () => RuleSet; fsync: boolean; now: () => number; log: (line: string) => void }): ExerciseRun {
  const { id, source } = options;
  checkExercise(parts.dataDir, id);
  const dir = exerciseDir(parts.dataDir, id);
  const { store, log } = parts;
  const journal = Journal.open(dir, { fsync: parts.fsync });
  const deadLetters = new DeadLetters(dir, { fsync: parts.fsync, log });
  const scoped: AlertLog = {
    file: store.file,
    get lastSeq() {
      return store.lastSeq;
    },
    append: (alert) => store.append(alert, id),
    appendAll: (alerts) => store.appendAll(alerts, id),
  };
  const pipeline = startPipeline({
    journal,
    deadLetters,
    store: scoped,
    sinks: [parts.hub],
    ruleSet: parts.ruleSet,
    engine: new StateEngine(),
    metrics: createMetrics(),
    onFault: faultsToDeadLetters(deadLetters, (line) => log(`exercise ${id}: ${line}`), parts.now),
    onRuleError: logRuleErrorsOnce((line) => log(`exercise ${id}: ${line}`)),
  });
  const started = pipeline.attach(source);
  log(`exercise ${id}: its events are assessed apart from live traffic; trainees see and triage its alerts (journal in ${dir})`);
  return {
    id,
    async close() {
      // As the processor closes: no new frames, then the journal's last group commit (whose
      // events are assessed as it makes them durable), then the pipeline.
      await started.stop();
      await journal.close();
      await deadLetters.close();
      pipeline.stop();
    },
  };
}

import fs from 'node:fs';
import { RuleLoadError, type RuleProblem, toError } from '../errors.ts';
import { loadRuleSet, type RuleSet, type RuleSetSources } from './rule-set.ts';

/** What happened when the rule files changed. */
export type ReloadOutcome =
  | { status: 'loaded'; previous: string; version: string; rules: number }
  /** `fixed`: the files load again after a rejected edit, and they are the running set's own. */
  | { status: 'unchanged'; version: string; fixed?: true }
  | { status: 'rejected'; version: string; problems: RuleProblem[] };

export interface RuleWatcherOptions {
  /** Wait this long after the last change before reloading, so that an editor's save is one reload. @default 200 */
  debounceMs?: number;
  onReload: (outcome: ReloadOutcome) => void;
}

/**
 * Keeps the current rule set and replaces it when the rule or stream files change.
 * The new set is loaded and compiled aside; only a set that loads completely replaces
 * the running one, in one assignment, so the pipeline (which reads `current()` once per
 * event) switches between two events and a broken file never stops it.
 */
export class RuleWatcher {
  private set: RuleSet;
  private readonly sources: RuleSetSources;
  private readonly watchers: fs.FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly debounceMs: number;
  private readonly onReload: (outcome: ReloadOutcome) => void;
  /** The last reload was rejected: the next one that loads says the problems are gone, even when nothing else changed. */
  private broken = false;

  constructor(initial: RuleSet, sources: RuleSetSources, options: RuleWatcherOptions) {
    this.set = initial;
    this.sources = sources;
    this.debounceMs = options.debounceMs ?? 200;
    this.onReload = options.onReload;
  }

  current(): RuleSet {
    return this.set;
  }

  /** Starts watching both directories (recursively). */
  watch(): void {
    for (const dir of [this.sources.rulesDir, this.sources.streamsDir]) {
      const watcher = fs.watch(dir, { recursive: true }, () => this.schedule());
      watcher.on('error', () => {
        // A directory that disappears is reported at the next reload; the running set stays.
      });
      this.watchers.push(watcher);
    }
  }

  /** Loads the files now; the running set is replaced only if they load without problems. */
  reload(): ReloadOutcome {
    let outcome: ReloadOutcome;
    try {
      const next = loadRuleSet(this.sources);
      if (next.version === this.set.version) outcome = { status: 'unchanged', version: next.version, ...(this.broken && { fixed: true as const }) };
      else {
        outcome = { status: 'loaded', previous: this.set.version, version: next.version, rules: next.rules.length };
        this.set = next;
      }
    } catch (thrown) {
      const problems = thrown instanceof RuleLoadError ? [...thrown.problems] : [{ file: this.sources.rulesDir, path: '', message: toError(thrown).message }];
      outcome = { status: 'rejected', version: this.set.version, problems };
    }
    this.broken = outcome.status === 'rejected';
    this.onReload(outcome);
    return outcome;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const watcher of this.watchers) watcher.close();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reload(), this.debounceMs);
    this.timer.unref();
  }
}

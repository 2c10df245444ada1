import type { AlertHub } from '../push/alert-hub.ts';
import type { ReloadOutcome } from '../rules/watch-rules.ts';

/**
 * What a rule reload tells: a log line (with every problem of a rejected set, at its
 * file, line and path) and a `rules` notice to subscribers. `onLoaded` runs after a new
 * set took over.
 */
export function reportReloads(log: (line: string) => void, hub: Pick<AlertHub, 'broadcast'>, onLoaded: () => void): (outcome: ReloadOutcome) => void {
  return (outcome) => {
    if (outcome.status === 'loaded') {
      log(`rules reloaded: rule set ${outcome.previous} → ${outcome.version} (${outcome.rules} indicators)`);
      onLoaded();
    }
    if (outcome.status === 'rejected') {
      log(`rules not reloaded, rule set ${outcome.version} keeps running: ${outcome.problems.length} problem(s)`);
      for (const p of outcome.problems) log(`  ${p.file}${p.line === undefined ? '' : `:${p.line}`}${p.line !== undefined && p.column !== undefined ? `:${p.column}` : ''}${p.path ? ` ${p.path}` : ''}: ${p.message}`);
    }
    // Silence here read as "still broken": a fix that returns to the running files says so.
    if (outcome.status === 'unchanged' && outcome.fixed) log(`rules fixed: the files load again and are those of rule set ${outcome.version}, which kept running; nothing to reload`);
    // Problem messages may quote a broken file's lines (a watchlist's names): roles that see
    // no personal data get where the problems are, not what they say.
    if (outcome.status === 'rejected') hub.broadcast({ type: 'rules', ...outcome }, { type: 'rules', ...outcome, problems: outcome.problems.map((p) => ({ file: p.file, ...(p.line !== undefined && { line: p.line }), path: p.path, message: 'see the server log' })) });
    else if (outcome.status !== 'unchanged' || outcome.fixed) hub.broadcast({ type: 'rules', ...outcome });
  };
}

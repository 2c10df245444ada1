import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import type { SessionAlert } from '../../src/exercise/session-alerts.ts';
import { quantile, traineeScores } from '../../src/exercise/trainee-scores.ts';
import type { TriageEntry } from '../../src/triage/triage.ts';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();

function session(seq: number, entries: TriageEntry[]): SessionAlert {
  return { seq, createdAt: at(0), alert: { alertId: `alert:e${seq}`, eventId: `e${seq}` } as Alert, triage: entries.length === 0 ? null : { status: 'new', history: entries } };
}

describe('trainee scores', () => {
  it('scores each trainee on their own calls: right and wrong escalations and dismissals, the cases they never touched, and their time to triage', () => {
    const alerts = [
      // Planted case A: Aida escalates (right); Bek dismisses it as a false positive (wrong).
      session(1, [{ action: 'escalate', by: 'Aida', at: at(30) }, { action: 'dismiss', reason: 'false-positive', by: 'Bek', at: at(90) }]),
      // Planted case B: only Aida, who acknowledges then dismisses as a true hit (right).
      session(2, [{ action: 'acknowledge', by: 'Aida', at: at(10) }, { action: 'dismiss', reason: 'true-hit', by: 'Aida', at: at(20) }]),
      // No planted case: Aida dismisses as a false positive (right), Bek escalates (wrong).
      session(3, [{ action: 'dismiss', reason: 'false-positive', by: 'Aida', at: at(50) }, { action: 'escalate', by: 'Bek', at: at(60) }]),
      // Planted case C, raised, untouched by anyone.
      session(4, []),
    ];
    const scores = traineeScores(alerts, new Map([[1, 'case-a'], [2, 'case-b'], [4, 'case-c']]), ['case-a', 'case-b', 'case-c']);
    expect(scores).toEqual([
      { by: 'Aida', triaged: 3, correctEscalations: 2, wrongEscalations: 0, correctDismissals: 1, wrongDismissals: 0, missed: 1, missedCases: ['case-c'], timeToTriage: { medianMs: 30_000, p90Ms: 50_000, maxMs: 50_000 } },
      { by: 'Bek', triaged: 2, correctEscalations: 0, wrongEscalations: 1, correctDismissals: 0, wrongDismissals: 1, missed: 2, missedCases: ['case-b', 'case-c'], timeToTriage: { medianMs: 60_000, p90Ms: 90_000, maxMs: 90_000 } },
    ]);
  });

  it('takes quantiles by nearest rank', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(quantile([5], 0.9)).toBe(5);
  });
});

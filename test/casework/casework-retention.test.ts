import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Casework } from '../../src/casework/casework.ts';
import { forgetCasework, REMOVED_BY_RETENTION } from '../../src/casework/casework-retention.ts';
import { AlertStore } from '../../src/store/alert-store.ts';
import { tempDir } from '../helpers.ts';

const DAY = 86_400_000;
const SUBJECT = 'document KAZ:N9990001';

describe('retention of casework (forgetCasework)', () => {
  it('removes the free text and subjects of casework untouched since the cut-off, and keeps what was decided and what is in force', () => {
    let clock = Date.parse('2026-01-10T08:00:00Z');
    const store = new AlertStore(path.join(tempDir(), 'alerts.db'), { now: () => clock });
    const casework = new Casework(store, { now: () => clock });
    // Old: a closed case with a note, a silence that ended, a non-match revoked.
    const old = casework.cases.create({ title: 'UMAROV and the blue van', seqs: [], note: 'brother-in-law drives it', by: 'Aigerim' });
    casework.cases.update(old.id, { status: 'closed', outcome: 'released' }, 'Aigerim');
    const ended = casework.silences.create({ subject: SUBJECT, post: 'KZ-KHORGOS' }, 'known commuter', DAY, 'Aigerim');
    const revoked = casework.nonMatches.confirm({ entry: 'un:QDi.290', subject: SUBJECT, reason: 'different father name', by: 'Aigerim', fromSeq: 1, ruleId: null });
    casework.nonMatches.revoke(revoked.id, 'Bakyt');
    // Thirty days on: a case worked today, a silence and a non-match in force.
    clock += 30 * DAY;
    const recent = casework.cases.create({ title: 'IVANOV at two posts', seqs: [], note: 'same plate', by: 'Bakyt' });
    const standing = casework.silences.create({ subject: SUBJECT }, 'training exercise', 7 * DAY, 'Bakyt');
    const inForce = casework.nonMatches.confirm({ entry: 'un:QDi.290', subject: SUBJECT, reason: 'different date of birth', by: 'Bakyt', fromSeq: 2, ruleId: null });

    const before = new Date(clock - 10 * DAY).toISOString();
    const forgotten = forgetCasework(store.database, before);
    expect(forgotten.cases).toBe(1);
    expect(forgotten.subjects).toBe(2);
    expect(forgotten.logEntries).toBeGreaterThanOrEqual(4);

    const oldCase = casework.cases.get(old.id)!;
    expect(oldCase).toMatchObject({ title: REMOVED_BY_RETENTION, status: 'closed', outcome: 'released' });
    expect(oldCase.notes.map((n) => n.note)).toEqual([REMOVED_BY_RETENTION]);
    expect(casework.cases.get(recent.id)).toMatchObject({ title: 'IVANOV at two posts', notes: [{ note: 'same plate' }] });
    expect(casework.silences.get(ended.id)).toMatchObject({ matchers: { subject: REMOVED_BY_RETENTION, post: 'KZ-KHORGOS' }, reason: REMOVED_BY_RETENTION });
    expect(casework.silences.get(standing.id)!.reason).toBe('training exercise');
    expect(casework.silences.get(standing.id)!.matchers).toEqual({ subject: SUBJECT });
    expect(casework.nonMatches.get(revoked.id)).toMatchObject({ entry: 'un:QDi.290', subject: REMOVED_BY_RETENTION, revokedBy: 'Bakyt' });
    expect(casework.nonMatches.get(inForce.id)).toMatchObject({ subject: SUBJECT, reason: 'different date of birth' });
    // The log keeps who did what and when; only the old entries' detail is gone.
    const log = store.database.prepare('SELECT at, detail FROM casework_log ORDER BY id').all() as { at: string; detail: string | null }[];
    expect(log.filter((e) => e.at < before).every((e) => e.detail === null)).toBe(true);
    expect(log.filter((e) => e.at >= before).every((e) => e.detail !== null)).toBe(true);
    expect(JSON.stringify(log)).not.toContain('UMAROV');
    // A second run finds nothing more to do.
    expect(forgetCasework(store.database, before)).toEqual({ cases: 0, subjects: 0, logEntries: 0 });
    store.close();
  });
});

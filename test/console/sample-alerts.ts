import type { Alert, FiredIndicator } from '../../src/alert/alert.ts';
import { Random } from '../../src/generate/random.ts';
import { generated } from '../helpers.ts';

const POSTS = ['KZ-KHORGOS', 'UZ-TAS', 'KG-DOSTUK', 'TJ-PANJIPOYON', 'KZ-ALA'] as const;
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const RULES: readonly Omit<FiredIndicator, 'evidence' | 'severity' | 'weight' | 'version'>[] = [
  { id: 'crossing.mrz-check-digit', title: 'MRZ check digit fails', tags: ['document', 'mrz'] },
  { id: 'crossing.one-way-ticket', title: 'One-way ticket', tags: ['pnr'] },
  { id: 'crossing.conflict-zone-routing', title: 'Routing through a transit hub next to a conflict zone', tags: ['pnr', 'ftf'] },
  { id: 'cargo.undervalued', title: 'Declared value far below the norm', tags: ['valuation'] },
  { id: 'cargo.precursor-routing', title: 'Drug precursor moving through a higher-risk route', tags: ['precursor', 'drugs'] },
];
const NAMES = ['KARIMOVA Gulnoza', 'SEITKALIYEV Daulet', 'Bukhara Commerce LLC', 'HUANG Tao', 'Dashoguz Trade'];

/**
 * Varied alerts of the real shape, from a seed: every severity, kind, post, rule and
 * tag, some repeats of a group, for tests of the page's own logic.
 */
export function sampleAlerts(count: number, seed = 1): Alert[] {
  const rng = new Random(seed);
  const event = generated(1, { seed })[0]!.event;
  return Array.from({ length: count }, (_, i) => {
    const kind = rng.chance(0.5) ? 'crossing' : 'cargo';
    const fired = RULES.filter((r) => r.id.startsWith(kind) && rng.chance(0.6));
    const indicators: FiredIndicator[] = (fired.length > 0 ? fired : [RULES.find((r) => r.id.startsWith(kind))!]).map((r) => ({
      ...r,
      version: 1,
      weight: 30,
      severity: rng.pick(SEVERITIES),
      evidence: [{ field: 'derived.x', op: '==', expected: true, actual: true }],
    }));
    const eventId = `s${seed}-${String(i + 1).padStart(6, '0')}`;
    const repeat = rng.chance(0.2) ? rng.int(2, 4) : 1;
    const post = rng.pick(POSTS);
    const minute = i * 7;
    return {
      alertId: `alert:${eventId}`,
      eventId,
      kind,
      post,
      eventTime: new Date(Date.UTC(2026, 10, 2, 0, minute)).toISOString().replace('Z', '+00:00'),
      journalRecord: i + 1,
      subject: `${rng.pick(NAMES)} ${kind === 'crossing' ? 'passport' : 'declaration'} ${rng.digits(8)}`,
      score: rng.int(50, 180),
      threshold: 50,
      severity: rng.pick(SEVERITIES),
      ruleSetVersion: 'abcdef123456',
      indicators,
      shadowIndicators: [],
      trigger: 'event',
      ...(repeat > 1 && { group: { id: 'alert:first', count: repeat, subject: 'document KAZ:N1' } }),
      event: { ...event, eventId, post },
    } satisfies Alert;
  });
}

import { beforeAll, describe, expect, it } from 'vitest';
import { consoleModule, type AlertModelModule } from './console-modules.ts';
import { sampleAlerts } from './sample-alerts.ts';

let AlertModel: AlertModelModule['AlertModel'];
beforeAll(async () => {
  ({ AlertModel } = await consoleModule<AlertModelModule>('alert-model.js'));
});

const alerts = sampleAlerts(60, 3);
const seqsOf = (model: InstanceType<typeof AlertModel>): number[] => Array.from({ length: model.size }, (_, i) => model.at(i)!.seq);

describe('the alerts the page holds', () => {
  it('lists newest first whatever order alerts arrive in, once each', () => {
    const model = new AlertModel();
    for (const seq of [5, 6, 9, 2, 7, 6]) model.put(seq, alerts[seq]!);
    expect(seqsOf(model)).toEqual([9, 7, 6, 5, 2]);
    expect(model.indexOf(7)).toBe(1);
    expect(model.indexOf(3)).toBe(-1);
    expect(model.newestSeq).toBe(9);
  });

  it('keeps the newest when it holds more than its limit', () => {
    const model = new AlertModel({ maxHeld: 10 });
    for (let seq = 1; seq <= 25; seq++) model.put(seq, alerts[seq]!);
    expect(seqsOf(model)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
    expect(model.get(15)).toBeUndefined();
  });

  it('replaces an alert’s triage in place, and refuses one it does not hold', () => {
    const model = new AlertModel();
    model.put(1, alerts[1]!);
    const before = model.version;
    expect(model.setTriage(1, { status: 'acknowledged', history: [{ action: 'acknowledge', by: 'Aigerim', at: '2026-11-22T10:00:00.000Z' }] })).toBe(true);
    expect(model.get(1)?.triage.status).toBe('acknowledged');
    expect(model.version).toBeGreaterThan(before);
    expect(model.setTriage(2, { status: 'dismissed', history: [] })).toBe(false);
  });

  it('drops what a filter leaves out and what falls before a sequence number', () => {
    const model = new AlertModel();
    for (let seq = 1; seq <= 40; seq++) model.put(seq, alerts[seq]!);
    model.retain((a) => a.kind === 'cargo');
    const cargo = alerts.slice(1, 41).filter((a) => a.kind === 'cargo').length;
    expect(model.size).toBe(cargo);
    expect(seqsOf(model).every((seq) => model.get(seq)!.alert.kind === 'cargo')).toBe(true);
    model.dropThrough(30);
    expect(seqsOf(model).every((seq) => seq > 30)).toBe(true);
    expect(model.size).toBe(alerts.slice(31, 41).filter((a) => a.kind === 'cargo').length);
  });

  it('counts alerts per hour of event time and severity, and forgets the counts of alerts it drops', () => {
    const model = new AlertModel();
    // Sample alerts are 7 minutes apart from 00:00 UTC: 60 alerts cover 7 hours.
    for (let seq = 0; seq < 60; seq++) model.put(seq + 1, alerts[seq]!);
    const hours = model.hourly(1, 24);
    expect(hours).toHaveLength(7);
    const perHour = [0, 0, 0, 0, 0, 0, 0];
    for (const a of alerts) perHour[new Date(a.eventTime).getUTCHours()]! += 1;
    expect(hours.map((h) => h.counts.reduce((a, n) => a + n, 0))).toEqual(perHour);
    expect(hours.map((h) => new Date(h.start).getUTCHours())).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const critical = alerts.filter((a) => a.severity === 'critical').length;
    expect(hours.reduce((a, h) => a + h.counts[3]!, 0)).toBe(critical);
    expect(model.hourly(12, 24)).toHaveLength(12);
    model.retain((a) => a.severity !== 'critical');
    expect(model.hourly(1, 24).reduce((a, h) => a + h.counts[3]!, 0)).toBe(0);
    model.clear();
    expect(model.hourly(1, 24)).toEqual([]);
  });

  it('remembers the posts, rules and tags it has seen, for suggestions', () => {
    const model = new AlertModel();
    for (let seq = 1; seq <= 30; seq++) model.put(seq, alerts[seq]!);
    expect([...model.seen.posts].sort()).toEqual([...new Set(alerts.slice(1, 31).map((a) => a.post))].sort());
    expect(model.seen.rules.get('crossing.mrz-check-digit')).toBe('MRZ check digit fails');
    expect(model.seen.tags.has('pnr')).toBe(true);
  });
});

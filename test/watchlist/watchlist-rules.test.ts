import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import type { RuleLoadError } from '../../src/errors.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { loadRuleSet } from '../../src/rules/rule-set.ts';
import { explainEvents } from '../../src/pipeline/explain.ts';
import { listedPeopleIn } from '../../src/generate/listed-people.ts';
import { td3 } from '../../src/generate/mrz.ts';
import { formatWatchlist, importWatchlist } from '../../src/watchlist/load-watchlist.ts';
import { generated, problemsOf, RULES_DIR, rulesWith, shippedRules, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

type Message = { type: string; status?: string; version?: string; problems?: { file: string; message: string }[]; alert?: Alert };

interface NameMatchActual {
  list: string;
  entryId: string;
  score: number;
  from: string;
  alignments: { query: string; listed: string; similarity: number }[];
  qualifiers: { qualifier: string; effect: number }[];
}

/** Ordinary road crossings with no indicator of their own, given the traveller asked for. */
function crossingsOf(traveller: Partial<Crossing['traveller']>[], prefix: string, mrz?: (c: Crossing) => string[]): Crossing[] {
  const base = generated(traveller.length * 40, { seed: 88, plantRate: 0, idPrefix: prefix })
    .map((g) => g.event)
    .filter((e): e is Crossing => e.kind === 'crossing' && e.mode === 'road' && e.document.issuingState === e.traveller.nationality)
    .slice(0, traveller.length);
  return base.map((e, i) => {
    const copy = structuredClone(e);
    copy.traveller = { ...copy.traveller, ...traveller[i] };
    if (mrz) copy.document.mrz = mrz(copy);
    else delete copy.document.mrz;
    return copy;
  });
}

const alertsOf = (messages: unknown[]): Alert[] => (messages as Message[]).flatMap((m) => (m.type === 'alert' && m.alert ? [m.alert] : []));
const nameMatch = (alert: Alert): NameMatchActual | undefined =>
  alert.indicators.find((i) => i.id.includes('watchlist'))?.evidence.find((e) => e.op === 'watchlist')?.actual as NameMatchActual | undefined;

const rulesDir = tempDir();
fs.cpSync(RULES_DIR, rulesDir, { recursive: true });
let processor: Processor | undefined;
afterAll(() => processor?.close());

describe('watchlist screening in the rule pack', () => {
  it('raises an alert for a listed person written in Cyrillic with a Latin passport MRZ, showing the aligned parts', async () => {
    processor = await startProcessor({ port: 0, dataDir: tempDir(), rulesDir, streamsDir: STREAMS_DIR, log: () => {} });
    const subscriber = new TestClient(`${processor.url}/alerts`);
    const producer = new TestClient(`${processor.url}/ingest`);
    await Promise.all([subscriber.opened(), producer.opened()]);

    // Doku Umarov (QDi.290) as a Russian-speaking clerk types him, his passport's MRZ in ICAO Latin;
    // and a namesake born forty years later, who must stay quiet.
    const [listed, namesake] = crossingsOf(
      [
        { familyName: 'Умаров', givenNames: 'Доку Хаматович', dateOfBirth: '1964-04-13', sex: 'M', nationality: 'RUS' },
        { familyName: 'Umarov', givenNames: 'Doku', dateOfBirth: '2004-02-01', sex: 'M', nationality: 'KGZ' },
      ],
      'wl',
      ({ traveller: t, document: d }) => td3({ issuingState: d.issuingState, familyName: t.familyName.startsWith('У') ? 'UMAROV' : t.familyName, givenNames: t.givenNames.startsWith('Д') ? 'DOKU KHAMATOVICH' : t.givenNames, number: d.number, nationality: t.nationality, dateOfBirth: t.dateOfBirth, sex: t.sex, expiry: d.expiry }),
    );
    expect(listed!.document.mrz![0]).toMatch(/^P<...UMAROV<<DOKU<KHAMATOVICH</);
    producer.send(JSON.stringify([listed, namesake]));
    await producer.until((m) => m.length === 1);
    expect(producer.messages[0]).toMatchObject({ accepted: 2 });
    await subscriber.until((m) => alertsOf(m).length >= 1);
    await new Promise((r) => setTimeout(r, 200));

    const alerts = alertsOf(subscriber.messages);
    expect(alerts.map((a) => a.eventId)).toEqual([listed!.eventId]);
    const alert = alerts[0]!;
    expect(alert.severity).toBe('critical');
    expect(alert.indicators.map((i) => i.id)).toContain('crossing.watchlist-name-match');
    const match = nameMatch(alert)!;
    expect(match).toMatchObject({ list: 'un-sc', entryId: 'UN-2960872' });
    expect(match.score).toBeGreaterThanOrEqual(0.9);
    expect(match.alignments).toEqual(
      expect.arrayContaining([
        { query: 'umarov', listed: 'umarov', similarity: 1 },
        { query: 'doku', listed: 'doku', similarity: 1 },
      ]),
    );
    expect(match.qualifiers).toContainEqual(expect.objectContaining({ qualifier: 'dateOfBirth', effect: 0.06 }));
    subscriber.close();
    producer.close();
  });

  it('reloads a watchlist edited on the running processor, and keeps the running lists when one breaks', async () => {
    const subscriber = new TestClient(`${processor!.url}/alerts`);
    const producer = new TestClient(`${processor!.url}/ingest`);
    await Promise.all([subscriber.opened(), producer.opened()]);
    const before = processor!.ruleSet().version;

    // A national list imported from CSV, and a rule that screens against it.
    const csv = path.join(tempDir(), 'kz-national.csv');
    fs.writeFileSync(csv, 'id,family_name,given_names,date_of_birth,sex,nationality\nKZ-1,Жаксыбеков,Ерлан,1984-05-12,M,KAZ\n');
    fs.writeFileSync(path.join(rulesDir, 'watchlists', 'kz-national.json'), formatWatchlist(importWatchlist(csv)));
    fs.writeFileSync(
      path.join(rulesDir, 'indicators', 'national-watchlist.yaml'),
      `id: test.national-watchlist
title: Name on the national watchlist
description: A test rule.
version: 1
owner: tests
streams: [crossings]
severity: high
weight: 80
watchlist:
  lists: [kz-national]
  threshold: 0.92
`,
    );
    await subscriber.until((m) => (m as Message[]).some((x) => x.type === 'rules' && x.status === 'loaded'));
    const after = processor!.ruleSet().version;
    expect(after).not.toBe(before);

    // The listed man as his Kazakh passport spells him, with his given name first.
    const [zhaksybekov] = crossingsOf([{ familyName: 'Erlan', givenNames: 'Zhaksybekov', dateOfBirth: '1984-05-12', sex: 'M', nationality: 'KAZ' }], 'kz');
    producer.send(JSON.stringify(zhaksybekov));
    await subscriber.until((m) => alertsOf(m).length === 1);
    const alert = alertsOf(subscriber.messages)[0]!;
    expect(alert).toMatchObject({ eventId: zhaksybekov!.eventId, ruleSetVersion: after });
    expect(nameMatch(alert)).toMatchObject({ list: 'kz-national', entryId: 'KZ-1' });

    // A broken list is reported with its file, and the running set (lists included) stays.
    fs.writeFileSync(path.join(rulesDir, 'watchlists', 'broken.json'), '{"format":"border-risk-watchlist","version":1,"list":"Bad List"');
    await subscriber.until((m) => (m as Message[]).some((x) => x.type === 'rules' && x.status === 'rejected'));
    const rejected = (subscriber.messages as Message[]).find((x) => x.status === 'rejected')!;
    expect(rejected.problems!.some((p) => p.file.endsWith('broken.json'))).toBe(true);
    expect(processor!.ruleSet().version).toBe(after);
    fs.rmSync(path.join(rulesDir, 'watchlists', 'broken.json'));
    subscriber.close();
    producer.close();
  });
});

describe('the planted watchlist case', () => {
  it('sends listed individuals across on their own passports, and the name-match indicator catches every one', () => {
    const listedPeople = listedPeopleIn(RULES_DIR);
    expect(listedPeople.length).toBeGreaterThan(300);
    const planted = generated(400, { seed: 12, plantRate: 0.5, cases: ['watchlist-name'], listedPeople }).filter((g) => g.label !== undefined);
    expect(planted.length).toBeGreaterThan(150);
    const explained = explainEvents(shippedRules(), planted.map((g) => g.event));
    const missed = explained.filter((x) => !(x.valid && x.rules.find((r) => r.id === 'crossing.watchlist-name-match')?.fired));
    expect(missed).toEqual([]);
    expect(planted.every((g) => g.label!.indicators.includes('crossing.watchlist-name-match'))).toBe(true);
  });

  it('is refused, with the reason, when there are no listed people to plant', () => {
    expect(() => generated(10, { cases: ['watchlist-name'] })).toThrow(/watchlist-name case needs listed people/);
  });
});

describe('watchlist rules that cannot load', () => {
  const problemsWith = (files: Record<string, string>, remove: string[] = []): RuleLoadError['problems'] => problemsOf(rulesWith(files, remove));
  const rule = (streams: string, lists: string): string =>
    `id: test.watchlist\ntitle: t\ndescription: d\nversion: 1\nowner: tests\nstreams: [${streams}]\nseverity: low\nweight: 10\nwatchlist:\n  lists: [${lists}]\n`;

  it('names an unknown watchlist at its path, with the lists that exist', () => {
    const problems = problemsWith({ 'indicators/test.yaml': rule('crossings', 'un-sc, uk-hmt') });
    expect(problems).toEqual([expect.objectContaining({ path: 'watchlist.lists[1]', line: 10, message: 'unknown watchlist "uk-hmt"; loaded: un-sc' })]);
  });

  it('refuses a watchlist rule on cargo, and a threshold outside (0, 1]', () => {
    const problems = problemsWith({
      'indicators/test.yaml': rule('cargo', 'un-sc'),
      'indicators/test2.yaml': `${rule('crossings', 'un-sc').replace('test.watchlist', 'test.watchlist2')}  threshold: 1.5\n`,
    });
    expect(problems.map((p) => [path.basename(p.file), p.path, p.message])).toEqual([
      ['test2.yaml', 'watchlist.threshold', expect.stringContaining('<=1')],
      ['test.yaml', 'watchlist', 'watchlist rules screen travellers: their streams must be crossing streams'],
    ]);
  });

  it('refuses two watchlist files with one list id, and watchlist rules with no watchlist at all', () => {
    const copy = fs.readFileSync(path.join(RULES_DIR, 'watchlists', 'un-sc.json'), 'utf8');
    expect(problemsWith({ 'watchlists/un-sc-2024-09.json': copy })).toEqual([
      expect.objectContaining({ path: 'list', message: expect.stringMatching(/^watchlist id "un-sc" is also the id of .*un-sc-2024-09\.json$/) }),
    ]);
    expect(problemsWith({}, ['watchlists/un-sc.json']).map((p) => p.message)).toEqual([expect.stringContaining('watchlist rules need at least one watchlist here')]);
  });

  it('leaves a crossing the strong tier takes to it alone, even when another listed person scores in the weak band', () => {
    const dir = tempDir();
    fs.cpSync(RULES_DIR, dir, { recursive: true });
    const csv = path.join(tempDir(), 'tiers.csv');
    // The same name twice: one man born on the traveller's day, one woman (sex differs: -0.1).
    fs.writeFileSync(csv, 'id,family_name,given_names,date_of_birth,sex,nationality\nT-1,Zhaksybekov,Erlan,1984-05-12,M,KAZ\nT-2,Zhaksybekov,Erlan,,F,\n');
    fs.writeFileSync(path.join(dir, 'watchlists', 'tiers.json'), formatWatchlist(importWatchlist(csv)));
    const tier = (id: string, extra: string): string =>
      `id: ${id}\ntitle: t\ndescription: d\nversion: 1\nowner: tests\nstreams: [crossings]\nseverity: low\nweight: 10\nwatchlist:\n  lists: [tiers]\n${extra}`;
    fs.writeFileSync(path.join(dir, 'indicators', 'tiers.yaml'), `rules:\n${[tier('test.strong', '  threshold: 0.94\n'), tier('test.weak', '  threshold: 0.9\n  below: 0.94\n')].map((r) => `  - ${r.replace(/\n(?=.)/g, '\n    ')}`).join('\n')}`);
    const set = loadRuleSet({ rulesDir: dir, streamsDir: STREAMS_DIR });
    const verdict = (traveller: Partial<Crossing['traveller']>) => {
      const [event] = crossingsOf([traveller], `tiers-${traveller.sex}`);
      const [explained] = explainEvents(set, [event]);
      if (!explained?.valid) throw new Error('invalid event');
      return Object.fromEntries(explained.rules.filter((r) => r.id.startsWith('test.')).map((r) => [r.id, r.fired]));
    };
    expect(verdict({ familyName: 'Zhaksybekov', givenNames: 'Erlan', dateOfBirth: '1984-05-12', sex: 'M', nationality: 'KAZ' })).toEqual({ 'test.strong': true, 'test.weak': false });
  });
});

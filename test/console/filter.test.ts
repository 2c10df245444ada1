import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { compileFilter as serverFilter, foldSearch as serverFold, type SubscriptionFilter, SubscriptionFilterSchema } from '../../src/push/subscription.ts';
import { RULES_DIR } from '../helpers.ts';
import { consoleModule, type FilterModule } from './console-modules.ts';
import { sampleAlerts } from './sample-alerts.ts';

let filter: FilterModule;
beforeAll(async () => {
  filter = await consoleModule<FilterModule>('filter.js');
});

const FILTERS: SubscriptionFilter[] = [
  {},
  { minSeverity: 'medium' },
  { minSeverity: 'critical' },
  { posts: ['KZ-KHORGOS', 'UZ-TAS'] },
  { kinds: ['cargo'] },
  { repeats: false },
  { rules: ['crossing.mrz-check-digit'] },
  { tags: ['pnr', 'drugs'] },
  { text: 'karimova' },
  { text: '  KARIMOVA  ' },
  { text: 'conflict zone' },
  { text: 's7-00001' },
  { text: 'kz-ala' },
  // Across scripts, as watchlist screening folds names.
  { text: 'КАРИМОВА' },
  { text: 'Каримов' },
  { text: 'Ахмедов' },
  { text: 'Қасымов' },
  { minSeverity: 'high', kinds: ['crossing'], tags: ['document'], repeats: false },
  { posts: ['KG-DOSTUK'], rules: ['cargo.undervalued', 'crossing.one-way-ticket'], text: 'passport' },
];

describe('the console’s filter', () => {
  it('lets through exactly the alerts the server’s subscription filter lets through', () => {
    const alerts = sampleAlerts(400, 7);
    for (const raw of FILTERS) {
      const parsed = SubscriptionFilterSchema.parse(raw);
      const server = serverFilter(parsed);
      const page = filter.compileFilter(parsed);
      const expected = alerts.filter(server).map((a) => a.eventId);
      expect({ filter: raw, ids: alerts.filter(page).map((a) => a.eventId) }).toEqual({ filter: raw, ids: expected });
    }
    // The sample is varied enough that the filters differ from each other.
    const counts = FILTERS.map((f) => alerts.filter(serverFilter(SubscriptionFilterSchema.parse(f))).length);
    expect(new Set(counts).size).toBeGreaterThan(8);
  });

  it('knows when one filter only narrows another, so held alerts need not be fetched again', () => {
    const { covers } = filter;
    expect(covers({}, { minSeverity: 'high' })).toBe(true);
    expect(covers({ minSeverity: 'medium' }, { minSeverity: 'high', posts: ['UZ-TAS'] })).toBe(true);
    expect(covers({ posts: ['UZ-TAS', 'KZ-ALA'] }, { posts: ['UZ-TAS'] })).toBe(true);
    expect(covers({ text: 'kari' }, { text: 'karimova' })).toBe(true);
    expect(covers({}, { repeats: false })).toBe(true);
    expect(covers({ minSeverity: 'high' }, { minSeverity: 'medium' })).toBe(false);
    expect(covers({ posts: ['UZ-TAS'] }, {})).toBe(false);
    expect(covers({ posts: ['UZ-TAS'] }, { posts: ['KZ-ALA'] })).toBe(false);
    expect(covers({ text: 'karimova' }, { text: 'kari' })).toBe(false);
    expect(covers({ repeats: false }, {})).toBe(false);
    expect(covers({ tags: ['pnr'] }, { tags: ['pnr', 'mrz'] })).toBe(false);
  });

  it('is never wrong when it says a filter is narrower', () => {
    const alerts = sampleAlerts(300, 11);
    for (const wide of FILTERS) {
      for (const narrow of FILTERS) {
        if (!filter.covers(wide, narrow)) continue;
        const passWide = serverFilter(SubscriptionFilterSchema.parse(wide));
        const passNarrow = serverFilter(SubscriptionFilterSchema.parse(narrow));
        expect({ wide, narrow, leaks: alerts.filter((a) => passNarrow(a) && !passWide(a)).length }).toEqual({ wide, narrow, leaks: 0 });
      }
    }
  });

  it('sends only the fields that narrow anything, and reads them back from the page URL', () => {
    const state = { ...filter.emptyFilter(), minSeverity: 'high' as const, kinds: ['cargo' as const], posts: ['UZ-TAS'], tags: ['drugs'], text: ' precursor ', repeats: false };
    expect(filter.toSubscription(state)).toEqual({ minSeverity: 'high', kinds: ['cargo'], posts: ['UZ-TAS'], tags: ['drugs'], text: 'precursor', repeats: false });
    expect(filter.toSubscription({ ...filter.emptyFilter(), minSeverity: 'low', kinds: ['crossing', 'cargo'], text: '   ' })).toEqual({});
    const query = filter.toQuery(state);
    expect(query.toString()).toBe('minSeverity=high&kind=cargo&post=UZ-TAS&tag=drugs&q=precursor&repeats=false');
    expect(filter.toSubscription(filter.fromQuery(query))).toEqual(filter.toSubscription(state));
    expect(filter.fromQuery(new URLSearchParams('minSeverity=extreme&kind=boat&post=uz-tas,kz-ala'))).toMatchObject({ minSeverity: null, kinds: [], posts: ['UZ-TAS', 'KZ-ALA'] });
  });

  it('says which field the server would refuse before anything is sent', () => {
    const issues = filter.filterIssues({ ...filter.emptyFilter(), posts: ['UZ-TAS', 'khorgos', 'X'], text: 'x'.repeat(201) });
    expect(issues.map((i) => i.field)).toEqual(['posts', 'text']);
    expect(issues[0]?.message).toContain('KHORGOS');
    expect(filter.filterIssues({ ...filter.emptyFilter(), posts: ['UZ-TAS'] })).toEqual([]);
    expect(filter.parseList(' kz-ala,, uz-tas  KZ-ALA ', { upper: true })).toEqual(['KZ-ALA', 'UZ-TAS']);
  });

  it('folds a search across scripts exactly as the server does, wherever it can fold at all', () => {
    const { foldSearch } = filter;
    expect(foldSearch('Умаров Доку')).toBe('umarov doku');
    expect(foldSearch('Қасымов Ғани')).toBe('kasymov gani');
    expect(foldSearch('Qoʻchqorov Şükrü')).toBe('qochqorov shukru');
    expect(foldSearch('محمد')).toBeNull();
    expect(filter.decidable({ text: 'محمد' })).toBe(false);
    expect(filter.covers({}, { text: 'محمد' })).toBe(false);
    // Every name on the shipped UN list (Latin, Cyrillic, Arabic and more), and the region's own spellings.
    const un = JSON.parse(fs.readFileSync(path.join(RULES_DIR, 'watchlists', 'un-sc.json'), 'utf8')) as { entries: { names: { full?: string; family?: string; given?: string }[] }[] };
    const names = un.entries.flatMap((e) => e.names.flatMap((n) => [n.full, n.family, n.given].filter((x): x is string => typeof x === 'string')));
    names.push('Абдуллаева Гүлнара', 'Ёрқинов Ўктам', 'Ҳамроҳова Зарина', 'Щербаков Юрий', 'Türkmenbaşy', 'Niyazov Öwezgeldi', 'Ғайратұлы Нұрсұлтан', 'Дҷ Ҷумъа');
    let folded = 0;
    for (const name of names) {
      const page = foldSearch(name);
      if (page === null) continue;
      folded += 1;
      expect({ name, page }).toEqual({ name, page: serverFold(name) });
    }
    expect(folded).toBeGreaterThan(names.length / 2);
  });

  it('searches, folded, only what a masked role is shown', () => {
    const [alert] = sampleAlerts(1, 3);
    const named = { ...alert!, subject: 'UMAROV Doku (RUS, 1964-04-13) passport RUS 727122288' };
    const masked = (a: typeof named) => ({ ...a, subject: a.subject.replace('UMAROV Doku', 'name#3fa9c2d1') });
    expect(serverFilter(SubscriptionFilterSchema.parse({ text: 'Умаров' }))(named)).toBe(true);
    expect(serverFilter(SubscriptionFilterSchema.parse({ text: 'Умаров' }), masked)(named)).toBe(false);
    expect(serverFilter(SubscriptionFilterSchema.parse({ text: 'umarov' }), masked)(named)).toBe(false);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { loadWatchlistDir } from '../watchlist/load-watchlist.ts';
import type { Watchlist } from '../watchlist/entry.ts';

/** A listed individual as a planted case presents them at a border: names, date of birth, sex, nationality. */
export interface ListedPerson {
  familyName: string;
  givenNames: string;
  dateOfBirth: string;
  sex?: 'F' | 'M';
  nationality?: string;
}

/**
 * Listed individuals a generator can send across a border: those with an exact date of
 * birth and a Latin primary name of two parts or more (the family part as the list tells
 * it, else the last part, as the UN list writes names given-first).
 */
export function listedPeople(watchlists: readonly Watchlist[]): ListedPerson[] {
  const out: ListedPerson[] = [];
  for (const w of watchlists) {
    for (const e of w.entries) {
      const dateOfBirth = e.datesOfBirth.find((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
      const name = e.names.find((n) => n.quality === 'primary' && n.script === undefined);
      if (e.kind !== 'individual' || dateOfBirth === undefined || name === undefined) continue;
      // Passports print Latin without diacritics or apostrophes (Júlio → Julio, U’n → Un).
      const latin = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').replace(/['’ʼ‘`]/g, '');
      const full = latin(name.full);
      const parts = full.replace(/[^A-Za-z -]/g, ' ').split(/\s+/).filter(Boolean);
      if (parts.length < 2 || parts.some((p) => p.length > 40)) continue;
      const family = name.family === undefined ? parts.at(-1)! : latin(name.family);
      const given = name.family === undefined ? parts.slice(0, -1).join(' ') : full.replace(family, '').trim();
      if (given === '' || !/^[A-Za-z -]+$/.test(family) || family.length > 100 || given.length > 100) continue;
      out.push({ familyName: family, givenNames: given, dateOfBirth, ...(e.sex && { sex: e.sex }), ...(e.nationalities[0] !== undefined && { nationality: e.nationalities[0] }) });
    }
  }
  return out;
}

/** The listed people of the watchlists in a rules directory's `watchlists/`, or none when it has none. */
export function listedPeopleIn(rulesDir: string): ListedPerson[] {
  const dir = path.join(rulesDir, 'watchlists');
  return fs.existsSync(dir) ? listedPeople(loadWatchlistDir(dir)) : [];
}

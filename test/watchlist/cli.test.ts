import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWatchlistFile } from '../../src/watchlist/load-watchlist.ts';
import { ROOT, tempDir } from '../helpers.ts';

const BIN = path.join(ROOT, 'bin', 'border-risk.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('border-risk watchlist', () => {
  it('imports a national CSV list to the JSON format and screens a traveller against it, explaining the match', () => {
    const dir = tempDir();
    const csv = path.join(dir, 'kz-national.csv');
    fs.writeFileSync(csv, 'id,family_name,given_names,date_of_birth,sex,nationality\nKZ-1,Жаксыбеков,Ерлан,1984-05-12,M,KAZ\n');
    const out = path.join(dir, 'kz-national.json');
    const imported = run(['watchlist', 'import', '--in', csv, '--out', out]);
    expect(imported.status).toBe(0);
    expect(imported.stderr).toMatch(/kz-national: 1 individuals/);
    expect(loadWatchlistFile(out).entries[0]?.id).toBe('KZ-1');

    const screened = run(['watchlist', 'screen', '--watchlists', out, '--family', 'ZHAKSYBEKOV', '--given', 'YERLAN', '--dob', '1984-05-12', '--json']);
    expect(screened.status).toBe(0);
    const { matches } = JSON.parse(screened.stdout) as { matches: { entryId: string; explanation: { parts: { query: string; entry: string }[] } }[] };
    expect(matches[0]?.entryId).toBe('KZ-1');
    expect(matches[0]?.explanation.parts[0]).toMatchObject({ query: 'zhaksybekov', entry: 'zhaksybekov' });
  });

  it('says which variant rule aligned each part of a fuzzy match against the shipped UN list', () => {
    const german = run(['watchlist', 'screen', '--family', 'Atabiew', '--given', 'Islam Seit-Umarowitsch', '--dob', '1983-09-29']);
    expect(german.status).toBe(0);
    expect(german.stdout).toMatch(/MATCH {2}ISLAM SEIT-UMAROVICH ATABIEV/);
    expect(german.stdout).toContain('umarowitsch ~ umarovich (German transliteration');
    const tajik = run(['watchlist', 'screen', '--family', 'HAQQANIZODA', '--given', 'Sayyed Mohammad', '--dob', '1965-03-02']);
    expect(tajik.stdout).toContain('haqqanizoda ~ haqqani (suffix -zoda added');
    const cyrillic = run(['watchlist', 'screen', '--family', 'Умаров', '--given', 'Доку', '--dob', '1964-13-04']);
    expect(cyrillic.stdout).toContain('read as Cyrillic (ICAO Doc 9303)');
    expect(cyrillic.stdout).toContain('listed 1964-04-13 (day/month swapped)');
  });

  it('rejects an import without --out as a configuration error', () => {
    const r = run(['watchlist', 'import', '--in', 'x.xml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ERR_CONFIG.*needs --in and --out/);
  });
});

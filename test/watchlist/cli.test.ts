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

  it('rejects an import without --out as a configuration error', () => {
    const r = run(['watchlist', 'import', '--in', 'x.xml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ERR_CONFIG.*needs --in and --out/);
  });
});

/**
 * Which b-trees a stored alert writes: `node --import tsx bench/alert-store-pages.ts`
 * stores 2,900 of the alerts `bench/alert-store.ts` caches (run that first), then 100 more
 * one per transaction with automatic checkpoints off, and counts the WAL frames of those
 * 100 by the table or index owning each page (SQLite's dbstat), per alert. Each b-tree an
 * alert touches costs about one page per transaction, however narrow.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Alert } from '../src/alert/alert.ts';
import { AlertStore } from '../src/store/alert-store.ts';

const cache = path.join(os.tmpdir(), 'border-risk-alerts-20000.json');
if (!fs.existsSync(cache)) throw new Error(`no ${cache}: run bench/alert-store.ts first`);
const alerts = (JSON.parse(fs.readFileSync(cache, 'utf8')) as Alert[]).slice(0, 3000);
const COUNTED = 100;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-store-pages-'));
const file = path.join(dir, 'alerts.db');
const store = new AlertStore(file);
const db = store.database;
db.pragma('wal_autocheckpoint = 0');
for (const alert of alerts.slice(0, -COUNTED)) store.append(alert);
db.pragma('wal_checkpoint(TRUNCATE)');
for (const alert of alerts.slice(-COUNTED)) store.append(alert);

const owner = new Map<number, string>();
for (const r of db.prepare('SELECT name, pageno, pagetype FROM dbstat').all() as { name: string; pageno: number; pagetype: string }[]) owner.set(r.pageno, `${r.name} (${r.pagetype})`);
const pageSize = db.pragma('page_size', { simple: true }) as number;
const wal = fs.readFileSync(`${file}-wal`);
const counts = new Map<string, number>();
let frames = 0;
// A WAL file: a 32-byte header, then frames of a 24-byte header (page number first) and the page.
for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
  const page = wal.readUInt32BE(at);
  const key = page === 1 ? 'page 1 (database header)' : (owner.get(page) ?? `page ${page} (freed)`);
  counts.set(key, (counts.get(key) ?? 0) + 1);
  frames += 1;
}
console.log(`${(frames / COUNTED).toFixed(2)} pages written per alert, one alert per transaction:`);
for (const [key, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${(n / COUNTED).toFixed(2)}  ${key}`);
store.close();
fs.rmSync(dir, { recursive: true, force: true });

/**
 * The dashboard's queries on a large alert database: `node --import tsx bench/dashboard.ts
 * [ALERTS] [ONE_IN_N_OPEN]` stores ALERTS live alerts (one every 30 s, so a day is 2,880),
 * leaves one in N unacknowledged, and times `readDashboard` (24-hour window) five times.
 * The inputs are written before any timing. Results: bench/RESULTS.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AlertStore } from '../src/store/alert-store.ts';
import { readDashboard } from '../src/store/dashboard.ts';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'border-risk-dashboard-'));
const store = new AlertStore(path.join(dir, 'alerts.db'));
const db = store.database;
const N = Number(process.argv[2] ?? 200000);
const open = Number(process.argv[3] ?? 10);
const now = Date.parse('2026-12-07T12:00:00Z');
const posts = ['KZ-KHORGOS', 'UZ-AYRITOM', 'TJ-PANJIPOYON', 'KG-DOSTUK', 'TM-IMAMNAZAR', 'KZ-ZHIBEK', 'UZ-TAS', 'KZ-NUR'];
const sev = ['low', 'medium', 'high', 'critical'];
const ins = db.prepare("INSERT INTO alerts (seq, alert_id, event_id, kind, post, severity, event_time, rule_set_version, created_at, alert, scope, first_action_at) VALUES (?, ?, ?, 'crossing', ?, ?, ?, 'v', ?, '{}', '', ?)");
db.transaction(() => {
  for (let i = 1; i <= N; i++) {
    const created = now - (N - i) * 30_000;
    const c = new Date(created).toISOString();
    ins.run(i, `a${i}`, `e${i}`, posts[i % posts.length], sev[i % 4], c, c, i % open === 0 ? null : new Date(created + (i % 97) * 1000).toISOString());
  }
})();
for (let k = 0; k < 5; k++) {
  const t = performance.now();
  const d = readDashboard(db, { now, windowHours: 24 });
  console.log(`${N} alerts (1 in ${open} open), 24 h window: ${(performance.now() - t).toFixed(1)} ms; open ${d.all.open}, raised ${d.all.raised}, acked ${d.all.acknowledged}, median ${d.all.medianMs}`);
}
store.close();
fs.rmSync(dir, { recursive: true, force: true });

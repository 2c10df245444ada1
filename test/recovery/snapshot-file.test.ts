import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.ts';
import { type PipelineState, stateSource } from '../../src/pipeline/pipeline.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { planRecovery } from '../../src/recovery/recover.ts';
import { listSnapshots, pruneSnapshots, readSnapshot, SNAPSHOT_DIR, snapshotName, writeSnapshot } from '../../src/recovery/snapshot-file.ts';
import { generated, RULES_DIR, shippedRules, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

const processors: Processor[] = [];
afterEach(async () => {
  for (const p of processors.splice(0)) await p.close();
});

/** A processor on `dataDir` that has processed `events` (sent in frames of 20), with its log lines. */
async function processed(dataDir: string, events: unknown[], options: Parameters<typeof startProcessor>[0] = {}): Promise<{ processor: Processor; log: string[] }> {
  const log: string[] = [];
  const processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: (line) => log.push(line), ...options });
  processors.push(processor);
  if (events.length > 0) {
    const producer = new TestClient(`${processor.url}/ingest`);
    await producer.opened();
    for (let i = 0; i < events.length; i += 20) producer.send(JSON.stringify(events.slice(i, i + 20)));
    await producer.until((m) => m.length === Math.ceil(events.length / 20), 60_000);
    producer.close();
  }
  return { processor, log };
}

async function stop(processor: Processor): Promise<void> {
  processors.splice(processors.indexOf(processor), 1);
  await processor.close();
}

/** The state a processor saves at its clean stop, as a snapshot file in its data dir. */
async function snapshotOf(count: number): Promise<{ dataDir: string; file: string }> {
  const dataDir = tempDir();
  const { processor } = await processed(dataDir, generated(count, { seed: 61, plantRate: 0.2 }).map((g) => g.event));
  await stop(processor);
  const [newest] = listSnapshots(path.join(dataDir, SNAPSHOT_DIR));
  return { dataDir, file: newest!.file };
}

describe('snapshot files', () => {
  it('write atomically and read back the state they were given', async () => {
    const dir = tempDir();
    const state: PipelineState = {
      record: 42,
      eventId: 'e-42',
      events: [[7, generated(1, { seed: 2 })[0]!.event]],
      engine: { clocks: [['crossing', 1_700_000_000_000], ['cargo', null]], sinceSweep: 3, rules: [{ id: 'r', signature: '["window"]', table: 't', state: null }], tables: [{ id: 't', rules: ['r'], table: { sweptAt: null, entries: Array.from({ length: 2_500 }, (_, i): [string, unknown[]] => [`k${i}`, [[0, 1, 2, 'e', 't']]]) } }] },
      grouping: { withinMs: 60_000, open: { generation: 1, rotatedAt: 5, slots: [['document KAZ:N1', ['alert:a', 5, 2], 1]] } },
    };
    const written = await writeSnapshot(dir, stateSource(state), { ruleSetVersion: 'abc', fsync: true });
    expect(path.basename(written.file)).toBe(snapshotName(42));
    expect(fs.readdirSync(dir)).toEqual([snapshotName(42)]);
    expect(written.bytes).toBe(fs.statSync(written.file).size);
    const read = readSnapshot(written.file);
    expect(read.ok && read.state).toEqual(state);
    expect(read.ok && read.header).toMatchObject({ format: 'border-risk-state', version: 1, record: 42, eventId: 'e-42', ruleSetVersion: 'abc' });
  });

  it('refuses a truncated, altered, foreign-format or unreadable file with the reason', async () => {
    const { file } = await snapshotOf(600);
    const text = fs.readFileSync(file);
    const variant = (name: string, bytes: Buffer | string): string => {
      const target = path.join(tempDir(), name);
      fs.writeFileSync(target, bytes);
      return target;
    };
    const flipped = Buffer.from(text);
    flipped[Math.floor(text.length / 2)]! ^= 0x01;
    const lines = text.toString('utf8').split('\n');
    const older = [JSON.stringify({ ...JSON.parse(lines[0]!), version: 0 }), ...lines.slice(1)].join('\n');
    const reasons = {
      ok: readSnapshot(file),
      missing: readSnapshot(path.join(tempDir(), 'none.snapshot')),
      truncated: readSnapshot(variant('cut.snapshot', text.subarray(0, text.length - 100))),
      cutAtLine: readSnapshot(variant('line.snapshot', `${lines.slice(0, 3).join('\n')}\n`)),
      altered: readSnapshot(variant('flip.snapshot', flipped)),
      older: readSnapshot(variant('old.snapshot', older)),
      notJson: readSnapshot(variant('junk.snapshot', `${lines[0]}\n{"events": [oops\n`)),
      empty: readSnapshot(variant('empty.snapshot', '')),
    };
    expect(reasons.ok.ok).toBe(true);
    const reason = (r: ReturnType<typeof readSnapshot>) => (r.ok ? 'read' : r.reason);
    expect(reason(reasons.missing)).toBe('no such file');
    expect(reason(reasons.truncated)).toMatch(/^truncated/);
    expect(reason(reasons.cutAtLine)).toMatch(/^truncated: it has no end line/);
    expect(reason(reasons.altered)).toMatch(/^corrupt/);
    expect(reason(reasons.older)).toBe('written in snapshot format version 0; this processor reads version 1');
    expect(reason(reasons.notJson)).toBe('corrupt: line 2 is not JSON');
    expect(reason(reasons.empty)).toBe('empty');
  });

  it('keep the newest ones when pruned', async () => {
    const dir = tempDir();
    for (const n of [5, 30, 12]) fs.writeFileSync(path.join(dir, snapshotName(n)), '');
    pruneSnapshots(dir, 2);
    expect(listSnapshots(dir).map((s) => s.record)).toEqual([30, 12]);
  });
});

describe('recovery plan', () => {
  it('falls back to the previous snapshot when the newest is corrupt, and removes an unfinished one', async () => {
    const { dataDir, file } = await snapshotOf(400);
    const snapshots = path.join(dataDir, SNAPSHOT_DIR);
    // More traffic, a second snapshot at the next clean stop, then damage to it.
    const { processor } = await processed(dataDir, generated(300, { seed: 62, plantRate: 0.2, idPrefix: 'more' }).map((g) => g.event));
    await stop(processor);
    expect(listSnapshots(snapshots).map((s) => s.record)).toEqual([700, 400]);
    const newest = listSnapshots(snapshots)[0]!.file;
    fs.truncateSync(newest, fs.statSync(newest).size - 10);
    fs.writeFileSync(path.join(snapshots, `${snapshotName(900)}.tmp`), '{"format"');
    const log: string[] = [];
    const plan = planRecovery({ snapshotsDir: snapshots, journalFile: path.join(dataDir, 'journal.ndjson'), ruleSet: shippedRules(), log: (line) => log.push(line) });
    expect(plan.snapshot?.file).toBe(file);
    expect(plan.refused).toEqual([{ file: newest, reason: expect.stringMatching(/^truncated/) }]);
    expect([...plan.tail].map((r) => r.n)).toEqual(Array.from({ length: 300 }, (_, i) => 401 + i));
    expect(log.join('\n')).toContain(`removed ${snapshotName(900)}.tmp`);
    expect(fs.readdirSync(snapshots).some((name) => name.endsWith('.tmp'))).toBe(false);
  });

  it('refuses a snapshot of another journal and replays the whole journal', async () => {
    const { file } = await snapshotOf(300);
    const dataDir = tempDir();
    const journal = Journal.open(dataDir);
    for (const g of generated(400, { seed: 63, idPrefix: 'other' })) journal.append(g.event, new Date().toISOString());
    await journal.close();
    fs.mkdirSync(path.join(dataDir, SNAPSHOT_DIR));
    fs.copyFileSync(file, path.join(dataDir, SNAPSHOT_DIR, path.basename(file)));
    const { processor, log } = await processed(dataDir, []);
    expect(processor.recovery).toMatchObject({ from: 'journal', replayed: 400, refused: [{ reason: expect.stringMatching(/^journal record 300 is event other-\S+, the snapshot's is g61-\S+: the snapshot is not of this journal$/) }] });
    expect(log.join('\n')).toMatch(/recovered state from the whole journal, 400 record\(s\) \(no usable snapshot: 1 refused\) in \d+\.\d\d s/);
  });

  it('refuses a snapshot ahead of a journal that ends before it', async () => {
    const { file } = await snapshotOf(300);
    const dataDir = tempDir();
    const journal = Journal.open(dataDir);
    for (const g of generated(100, { seed: 61, plantRate: 0.2 })) journal.append(g.event, new Date().toISOString());
    await journal.close();
    fs.mkdirSync(path.join(dataDir, SNAPSHOT_DIR));
    fs.copyFileSync(file, path.join(dataDir, SNAPSHOT_DIR, path.basename(file)));
    const { processor } = await processed(dataDir, []);
    expect(processor.recovery).toMatchObject({ from: 'journal', replayed: 100, refused: [{ reason: "the journal ends before record 300, the snapshot's last: the snapshot is not of this journal" }] });
  });

  it('with snapshots off, neither reads nor writes them', async () => {
    const { dataDir } = await snapshotOf(200);
    const before = fs.readdirSync(path.join(dataDir, SNAPSHOT_DIR));
    const { processor } = await processed(dataDir, generated(100, { seed: 64, idPrefix: 'off' }).map((g) => g.event), { snapshots: false });
    expect(processor.recovery).toMatchObject({ from: 'journal', replayed: 200, refused: [] });
    await stop(processor);
    expect(fs.readdirSync(path.join(dataDir, SNAPSHOT_DIR))).toEqual(before);
  });
});

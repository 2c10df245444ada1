import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Crossing } from '../../src/model/crossing.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { generated, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

type Message = { type: string; status?: string; version?: string; problems?: unknown[]; alert?: { eventId: string; ruleSetVersion: string; indicators: { id: string }[] } };

const rulesDir = tempDir();
fs.cpSync(RULES_DIR, rulesDir, { recursive: true });
const documentRules = path.join(rulesDir, 'indicators', 'crossing-document.yaml');
let processor: Processor;
afterAll(() => processor?.close());

/** Ordinary crossings whose only indicator is a document issued by another state. */
function refugeeCrossings(count: number, prefix: string): Crossing[] {
  return generated(count * 40, { seed: 61, plantRate: 0, idPrefix: prefix })
    .map((g) => g.event)
    .filter((e): e is Crossing => e.kind === 'crossing' && e.mode !== 'air')
    .slice(0, count)
    .map((e) => {
      const copy = structuredClone(e);
      delete copy.document.mrz;
      copy.document.type = 'passport';
      copy.document.issuingState = copy.traveller.nationality === 'TUR' ? 'DEU' : 'TUR';
      return copy;
    });
}

describe('hot reload of rule files', () => {
  it('applies an edited rule from the next event, and keeps the running set when a file breaks', async () => {
    const logged: string[] = [];
    processor = await startProcessor({ port: 0, dataDir: tempDir(), rulesDir, streamsDir: STREAMS_DIR, log: (line) => logged.push(line) });
    const before = processor.ruleSet().version;
    const subscriber = new TestClient(`${processor.url}/alerts`);
    const producer = new TestClient(`${processor.url}/ingest`);
    await Promise.all([subscriber.opened(), producer.opened()]);
    const [first, second, third] = refugeeCrossings(3, 'reload');

    producer.send(JSON.stringify(first));
    await producer.until((m) => m.length === 1);
    expect(producer.messages[0]).toMatchObject({ accepted: 1 });

    // Weight 10 → 60: the same kind of crossing now crosses the threshold of 50.
    const text = fs.readFileSync(documentRules, 'utf8');
    const edited = text.replace(/(id: crossing\.nationality-differs-from-issuer[\s\S]*?weight: )10/, '$160');
    expect(edited).not.toBe(text);
    fs.writeFileSync(documentRules, edited);
    await subscriber.until((m) => (m as Message[]).some((x) => x.type === 'rules' && x.status === 'loaded'));
    const after = processor.ruleSet().version;
    expect(after).not.toBe(before);

    producer.send(JSON.stringify(second));
    await subscriber.until((m) => (m as Message[]).some((x) => x.type === 'alert'));
    const alerts = (subscriber.messages as Message[]).filter((x) => x.type === 'alert');
    expect(alerts.map((a) => a.alert!.eventId)).toEqual([second!.eventId]);
    expect(alerts[0]!.alert).toMatchObject({ ruleSetVersion: after, indicators: [{ id: 'crossing.nationality-differs-from-issuer' }] });

    // A broken file is reported and the running set stays in place.
    fs.writeFileSync(path.join(rulesDir, 'indicators', 'broken.yaml'), 'id: test.broken\ncondition: event.nope ==\n');
    await subscriber.until((m) => (m as Message[]).some((x) => x.type === 'rules' && x.status === 'rejected'));
    const rejected = (subscriber.messages as Message[]).find((x) => x.status === 'rejected')!;
    expect(rejected.version).toBe(after);
    expect(rejected.problems!.length).toBeGreaterThan(0);
    expect(processor.ruleSet().version).toBe(after);

    producer.send(JSON.stringify(third));
    await subscriber.until((m) => (m as Message[]).filter((x) => x.type === 'alert').length === 2);
    expect(processor.metrics.processed).toBe(3);

    // Fixed by removing the broken file: the files are the running set's again, and that is said.
    fs.rmSync(path.join(rulesDir, 'indicators', 'broken.yaml'));
    await subscriber.until((m) => (m as Message[]).some((x) => x.type === 'rules' && x.status === 'unchanged'));
    expect((subscriber.messages as Message[]).find((x) => x.status === 'unchanged')).toMatchObject({ version: after, fixed: true });
    expect(logged.some((line) => line.startsWith(`rules fixed: the files load again and are those of rule set ${after}, which kept running`))).toBe(true);
    subscriber.close();
    producer.close();
  });
});

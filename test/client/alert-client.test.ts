import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertClient } from '../../src/client/alert-client.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import path from 'node:path';
import { addTokens, generated, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

let processor: Processor | undefined;
let client: AlertClient | undefined;
afterEach(async () => {
  client?.close();
  await processor?.close();
});

describe('AlertClient, the typed client for other Node programs', () => {
  it('receives alerts, triages one, and resumes after a server restart without a gap or a duplicate', async () => {
    const dataDir = tempDir();
    const start = (port = 0) => startProcessor({ port, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {} });
    processor = await start();
    const port = processor.port;
    // Cases complete in one event and strong alone, so that each event sent raises its alert.
    const planted = generated(400, { seed: 17, plantRate: 0.2, cases: ['expired-document', 'stolen-document', 'mrz-check-digit', 'unknown-hs-code', 'precursor-to-afghanistan'] }).filter((g) => g.label).map((g) => g.event);
    const send = async (events: unknown[]): Promise<void> => {
      const producer = new TestClient(`${processor!.url}/ingest`);
      await producer.opened();
      producer.send(JSON.stringify(events));
      await producer.until((m) => m.length === 1);
      producer.close();
    };

    client = new AlertClient(processor.url, { reconnectMs: 50 });
    const seen: number[] = [];
    client.on('alert', (m) => seen.push(m.seq));
    await once(client, 'connected');
    await send(planted.slice(0, 5));
    while (seen.length < 5) await once(client, 'alert');

    const triaged = once(client, 'triage');
    await expect(client.triage(seen[0]!, { action: 'dismiss', by: 'Aigerim', reason: 'true-hit' })).resolves.toBe(seen[0]);
    const [notice] = await triaged;
    expect(notice).toMatchObject({ seq: seen[0], triage: { status: 'dismissed', outcome: 'true-hit' } });
    await expect(client.triage(seen[0]!, { action: 'dismiss', by: 'Aigerim' })).rejects.toThrow(/invalid triage message/);

    await processor.close();
    processor = await start(port);
    await send(planted.slice(5, 10));
    while (seen.length < 10) await once(client, 'alert');
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  }, 60_000);

  it('presents its token, and stops with a refused event when the server will not take it', async () => {
    const dataDir = tempDir();
    const tokensFile = path.join(dataDir, 'tokens.json');
    const [analyst] = addTokens(tokensFile, [{ role: 'analyst', name: 'Aigerim' }]);
    processor = await startProcessor({ port: 0, dataDir, tokensFile, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {} });
    client = new AlertClient(processor.url, { token: analyst!.secret, reconnectMs: 50 });
    const [welcome] = await once(client, 'message');
    expect(welcome).toMatchObject({ type: 'welcome' });
    client.close();
    client = new AlertClient(processor.url, { token: 'brk_wrong', reconnectMs: 50 });
    const disconnects: number[] = [];
    client.on('disconnected', (code) => disconnects.push(code));
    expect(await once(client, 'refused')).toEqual([4401, 'unknown token']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(disconnects).toEqual([4401]);
  });
});

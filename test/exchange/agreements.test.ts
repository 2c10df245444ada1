import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAgreements, readAgreements } from '../../src/exchange/load-agreements.ts';
import { tempDir } from '../helpers.ts';

const SECRET = 'a shared secret of at least thirty-two bytes, exchanged out of band';

function agreementYaml(over: Record<string, string> = {}): string {
  const v = { partner: 'kg-border-service', url: 'ws://127.0.0.1:9/exchange', secret: 'file:kg.secret', extra: '', ...over };
  return `agreement: kz-kg-2026
us: kz-border-service
partner:
  id: ${v.partner}
  name: State Border Service of the Kyrgyz Republic
link:
  url: ${v.url}
  token: env:KG_LINK_TOKEN
keys:
  - id: k1
    secret: ${v.secret}
offer:
  watchlists: [kz-national]
  alerts: { minSeverity: high }
share:
  clear: [post, eventTime, rules, severity]
  tokens: [document, name-dob]
  onRequest: [familyName, givenNames, dateOfBirth, documentNumber]
retention: { tokens: 30d }
${v.extra}`;
}

function dirWith(files: Record<string, string>): string {
  const dir = tempDir('border-risk-exchange-');
  fs.writeFileSync(path.join(dir, 'kg.secret'), `${SECRET}\n`);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const env = { KG_LINK_TOKEN: 'brk_partner-token' };

describe('exchange agreements', () => {
  it('reads an agreement with its link token and a key derived per partner', () => {
    const [a] = loadAgreements(dirWith({ 'kg.yaml': agreementYaml() }), env);
    expect(a?.def.partner.id).toBe('kg-border-service');
    expect(a?.linkToken).toBe('brk_partner-token');
    expect(a?.keys).toHaveLength(1);
    expect(a?.keys[0]?.key).toHaveLength(32);
    expect(a?.def.retention.tokens).toBe(30 * 86_400_000);
    expect(a?.def.limits.requestsPerDay).toBe(50);
  });

  it('reports every problem with file, line and path', () => {
    const dir = dirWith({
      'a.yaml': agreementYaml({ url: 'http://x/exchange', extra: 'colour: blue\n' }),
      'b.yaml': agreementYaml({ partner: 'tj-border-service', secret: 'kz-kg-secret' }),
    });
    const { agreements, problems } = readAgreements(dir, env);
    expect(agreements).toEqual([]);
    const lines = problems.map((p) => `${path.basename(p.file)}:${p.line} ${p.path}: ${p.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^a\.yaml:7 link\.url: .*ws:\/\//),
        expect.stringMatching(/^a\.yaml:\d+ : .*colour/),
        expect.stringMatching(/^b\.yaml:11 keys\[0\]\.secret: must be env:VARIABLE or file:PATH/),
      ]),
    );
    expect(() => loadAgreements(dir, env)).toThrow(/3 problems in exchange agreements:\n.*a\.yaml:7 at link\.url/);
  });

  it('names a secret that cannot be had, and a secret too short', () => {
    const dir = dirWith({ 'kg.yaml': agreementYaml({ secret: 'file:missing.secret' }), 'tj.yaml': agreementYaml({ partner: 'tj-border-service', secret: 'env:SHORT' }) });
    const { problems } = readAgreements(dir, { KG_LINK_TOKEN: 'x', SHORT: 'too short' });
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/cannot read secret file .*missing\.secret/), 'the secret is 9 bytes; at least 32 are needed']);
    expect(readAgreements(dir, {}).problems.map((p) => p.message)).toContain('environment variable KG_LINK_TOKEN is not set');
  });

  it('leaves a revoked agreement out, and refuses two agreements with one partner', () => {
    expect(loadAgreements(dirWith({ 'kg.yaml': agreementYaml({ extra: 'revoked: true\n' }) }), env)).toEqual([]);
    const { problems } = readAgreements(dirWith({ 'a.yaml': agreementYaml(), 'b.yaml': agreementYaml() }), env);
    expect(problems).toEqual([expect.objectContaining({ path: 'partner.id', message: expect.stringMatching(/already has an agreement in .*a\.yaml/) })]);
  });
});

import { deriveKey, matchToken, nameIdentifiers } from '../src/exchange/match-tokens.ts';
import { type OfferedToken, PartnerTokens } from '../src/exchange/partner-tokens.ts';
import path from 'node:path';
import { loadLists } from '../src/enrich/lists.ts';
import { generateTraffic } from '../src/generate/traffic.ts';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import type { Crossing } from '../src/model/crossing.ts';

/**
 * What matching crossings against a partner's tokens costs per crossing (the partner-hit
 * rule's work): 10,000 flagged subjects' tokens held, generated crossings matched.
 * `node --import tsx bench/exchange-match.ts`
 */
const key = deriveKey(Buffer.from('a benchmark secret of at least thirty-two bytes'), ['a', 'b'], 'k1');
const traffic = generateTraffic({ ...trafficReference(loadLists(path.join(import.meta.dirname, '..', 'rules', 'lists'))), seed: 5 });
const crossings = Array.from({ length: 60_000 }, () => traffic.next().value.event).filter((e): e is Crossing => e.kind === 'crossing');
const tokens: OfferedToken[] = [];
for (let i = 0; i < 10_000; i++) {
  const c = crossings[(i * 7) % crossings.length]!;
  // Flagged people who share a traveller's name but were born a year earlier: tokens that look like the traffic's, and do not match it.
  const dob = `${Number(c.traveller.dateOfBirth.slice(0, 4)) - 1}${c.traveller.dateOfBirth.slice(4)}`;
  for (const id of nameIdentifiers(c.traveller.familyName, c.traveller.givenNames, dob)) tokens.push({ token: matchToken(key, id), kind: 'name-dob', ref: `f-${i.toString(16).padStart(32, '0')}`, source: 'flagged', keyId: 'k1', expiresAt: Number.POSITIVE_INFINITY });
}
const index = new PartnerTokens();
index.setPartner('b', 'B', [{ id: 'k1', key, notAfter: Number.POSITIVE_INFINITY }]);
index.replace('b', tokens);
for (const pass of ['first pass (each traveller new to the cache but for repeat crossings in the traffic)', 'second pass (every traveller seen before)']) {
  const started = process.hrtime.bigint();
  let hits = 0;
  for (const c of crossings) hits += index.match({ issuingState: c.document.issuingState, number: c.document.number, familyName: c.traveller.familyName, givenNames: c.traveller.givenNames, dateOfBirth: c.traveller.dateOfBirth }).length;
  const us = Number(process.hrtime.bigint() - started) / 1e3 / crossings.length;
  console.log(`${pass}: ${crossings.length} crossings against ${tokens.length} tokens of one partner: ${us.toFixed(1)} µs per crossing (${hits} hits)`);
}

import type { ReferenceLists } from '../rules/lists.ts';
import type { HsNormInput, TrafficOptions } from './traffic.ts';

/** The parts of the reference lists the generator draws from, so that traffic and rules agree. */
export function trafficReference(lists: ReferenceLists): Pick<TrafficOptions, 'hsNorms' | 'usdPerUnit' | 'stolenDocuments'> {
  const hsNorms = new Map<string, HsNormInput>();
  for (const [code, e] of lists.get('hs-norms')?.entries ?? []) {
    hsNorms.set(code, { kgPerPackage: Number(e['kgPerPackage']), usdPerKg: Number(e['usdPerKg']), goods: String(e['goods'] ?? code) });
  }
  const usdPerUnit = new Map<string, number>();
  for (const [currency, e] of lists.get('currency-usd-rates')?.entries ?? []) usdPerUnit.set(currency, Number(e['usdPerUnit']));
  const stolenDocuments = [...(lists.get('stolen-lost-documents')?.entries.values() ?? [])].map((e) => ({
    issuingState: String(e['issuingState']),
    number: String(e['number']),
  }));
  return { hsNorms, usdPerUnit, stolenDocuments };
}

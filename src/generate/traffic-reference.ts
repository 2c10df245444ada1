import { buildReference } from '../enrich/reference.ts';
import type { ReferenceLists } from '../enrich/lists.ts';
import type { TrafficOptions } from './traffic.ts';

/**
 * The parts of the reference lists the generator draws from: the same indexes
 * enrichment uses, so that traffic and rules agree.
 */
export function trafficReference(lists: ReferenceLists): Pick<TrafficOptions, 'hsNorms' | 'usdPerUnit' | 'stolenDocuments'> {
  const { hsNorms, usdPerUnit } = buildReference(lists);
  const stolenDocuments = [...(lists.get('stolen-lost-documents')?.entries.values() ?? [])].map((e) => ({
    issuingState: String(e.issuingState),
    number: String(e.number),
  }));
  return { hsNorms, usdPerUnit, stolenDocuments };
}

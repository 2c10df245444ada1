import { ALWAYS, formatDuration, type RuleKind } from '../rule-kind.ts';
import type { LinkDef } from './link-schema.ts';
import { linkSpec } from './link-state.ts';

/** PNR link analysis: shared contacts, card or booking with listed or alerted travellers; groups that split (docs/rules.md). */
export const linkKind: RuleKind<LinkDef> = {
  key: 'link',
  condition: 'optional',
  stateful: true,
  compile(link, { kinds, screening, condition, conditionSource, report }) {
    if (kinds.some((k) => k !== 'crossing')) {
      report(['link'], 'link rules read bookings of travellers: their streams must be crossing streams');
      return undefined;
    }
    if (conditionSource !== '' && !condition) return undefined;
    if (link.listed && !screening) return undefined; // the watchlists did not load; that problem is reported
    return {
      condition: condition ?? ALWAYS,
      stateful: linkSpec({ signature: JSON.stringify(['link', link, conditionSource, kinds]), def: link, within: formatDuration(link.within), screening }),
    };
  },
  lookBackMs: (link) => link.within,
};

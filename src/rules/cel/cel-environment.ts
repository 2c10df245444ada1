import { Environment, type ObjectSchema } from '@marcbachmann/cel-js';
import type { EventKind } from '../../model/event.ts';
import type { ReferenceList, ReferenceLists } from '../../enrich/lists.ts';
import { type CelSchema, DERIVED_CEL, EVENT_CEL, resolveCelSchema } from './cel-types.ts';
import { ConfigError } from '../../errors.ts';

/** Functions rule conditions may call besides CEL's standard ones. */
export const RULE_FUNCTIONS = {
  inList: 'inList(string, string): bool',
  anyInList: 'anyInList(list<string>, string): bool',
} as const;

const foldedVerdicts = new WeakMap<ReferenceList, Map<string, boolean>>();
const FOLDED_CACHE_SIZE = 10_000;

/**
 * Membership in a reference list, honouring the list's case-insensitive matching.
 * Case-insensitive verdicts are cached per list (bounded), because folding the same
 * goods descriptions again and again allocated a string per item per event.
 */
export function listContains(list: ReferenceList, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (!list.caseInsensitive) return list.keys.has(value);
  let cache = foldedVerdicts.get(list);
  if (!cache) foldedVerdicts.set(list, (cache = new Map()));
  let verdict = cache.get(value);
  if (verdict === undefined) {
    verdict = list.keys.has(value.trim().toLowerCase());
    if (cache.size >= FOLDED_CACHE_SIZE) cache.clear();
    cache.set(value, verdict);
  }
  return verdict;
}

/**
 * The CEL environment rules of one event kind are checked in: `event` typed from the
 * zod schema, `derived` from enrichment, and `inList`/`anyInList` over the reference
 * lists. Its evaluator is the reference the compiled closures are tested against.
 */
export function celEnvironment(kind: EventKind, lists: ReferenceLists, withFirst = false): Environment {
  const lookup = (name: string): ReferenceList => {
    const list = lists.get(name);
    if (!list) throw new ConfigError(`unknown list "${name}"`);
    return list;
  };
  const env = new Environment({ homogeneousAggregateLiterals: false });
  // Lists of objects get an element type of their own, so that macros are checked inside.
  const variable = (name: string, schema: CelSchema): void => {
    const register = (typeName: string, element: object): void => void env.registerType({ name: typeName, schema: element as ObjectSchema });
    env.registerVariable({ name, schema: resolveCelSchema(`$${name}`, schema as { [field: string]: CelSchema }, register) as ObjectSchema });
  };
  // A sequence's `then` may compare with the earlier event: `event.post != first.post`.
  if (withFirst) variable('first', EVENT_CEL[kind]);
  variable('event', EVENT_CEL[kind]);
  variable('derived', DERIVED_CEL[kind]);
  return env
    .registerFunction(RULE_FUNCTIONS.inList, (value: unknown, name: string) => listContains(lookup(name), value))
    .registerFunction(RULE_FUNCTIONS.anyInList, (values: unknown[], name: string) => {
      const list = lookup(name);
      return values.some((v) => listContains(list, v));
    });
}

import { z } from 'zod';
import { DERIVED_FIELDS } from '../enrich/enriched.ts';
import { CargoItemSchema, CargoSchema } from '../model/cargo.ts';
import { CrossingSchema } from '../model/crossing.ts';
import type { EventKind } from '../model/event.ts';

/** Roots a field path may start with; `item` and `itemDerived` only inside `anyItem`. */
export type FieldScope = 'event' | 'item';

const KIND_SCHEMAS = { crossing: CrossingSchema, cargo: CargoSchema } as const;

/**
 * Every field path a condition may name, per event kind and scope, taken from the
 * zod schemas and the derived-field lists so that a typo fails at load, not silently.
 */
export function knownFields(kind: EventKind, scope: FieldScope): ReadonlySet<string> {
  const out = new Set<string>();
  walk(KIND_SCHEMAS[kind], 'event', out);
  for (const f of kind === 'crossing' ? DERIVED_FIELDS.crossing : DERIVED_FIELDS.cargo) out.add(`derived.${f}`);
  if (scope === 'item' && kind === 'cargo') {
    walk(CargoItemSchema, 'item', out);
    for (const f of DERIVED_FIELDS.cargoItem) out.add(`itemDerived.${f}`);
  }
  return out;
}

function walk(schema: z.core.$ZodType, prefix: string, out: Set<string>): void {
  out.add(prefix);
  const def = schema._zod.def;
  if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') {
    walk((def as unknown as { innerType: z.core.$ZodType }).innerType, prefix, out);
  } else if (def.type === 'object') {
    const shape = (def as unknown as { shape: Record<string, z.core.$ZodType> }).shape;
    for (const [key, child] of Object.entries(shape)) walk(child, `${prefix}.${key}`, out);
  }
}

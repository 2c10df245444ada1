import type { z } from 'zod';
import { CargoSchema } from '../../model/cargo.ts';
import { CrossingSchema } from '../../model/crossing.ts';
import type { EventKind } from '../../model/event.ts';

/** A CEL type name, or a nested object schema in the shape `@marcbachmann/cel-js` takes. */
export type CelSchema = string | { [field: string]: CelSchema };

/**
 * The CEL type of a zod schema, so that conditions are type-checked against the very
 * schema events are validated with. Integers are `int`, other numbers `double`; lists
 * of objects are `list<map<string, dyn>>`.
 */
export function celSchemaOf(schema: z.core.$ZodType): CelSchema {
  const def = schema._zod.def as unknown as { type: string; format?: string; innerType?: z.core.$ZodType; element?: z.core.$ZodType; shape?: Record<string, z.core.$ZodType>; values?: unknown[] };
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
      return celSchemaOf(def.innerType!);
    case 'string':
    case 'enum':
      return 'string';
    case 'number':
      return def.format === 'safeint' || def.format === 'int32' ? 'int' : 'double';
    case 'boolean':
      return 'bool';
    case 'literal':
      return typeof def.values?.[0] === 'number' ? 'int' : 'string';
    case 'array': {
      const element = celSchemaOf(def.element!);
      return `list<${typeof element === 'string' ? element : 'map<string, dyn>'}>`;
    }
    case 'object':
      return Object.fromEntries(Object.entries(def.shape ?? {}).map(([k, v]) => [k, celSchemaOf(v)]));
    default:
      return 'dyn';
  }
}

const DERIVED_COMMON = { eventTimeMs: 'double', postCountry: 'dyn', postNeighbour: 'dyn', crossingPoint: 'string' } as const;

/** CEL types of what enrichment derives; fields that may be null are `dyn`. */
export const DERIVED_CEL: Record<EventKind, Record<string, CelSchema>> = {
  crossing: {
    ...DERIVED_COMMON,
    ageYears: 'int',
    documentDaysToExpiry: 'int',
    documentExpired: 'bool',
    nationalityMatchesIssuer: 'bool',
    mrzPresent: 'bool',
    mrzValid: 'dyn',
    mrzProblems: 'list<string>',
    mrzMatchesDocument: 'dyn',
    bookingLeadDays: 'dyn',
    transitCount: 'dyn',
  },
  cargo: {
    ...DERIVED_COMMON,
    totalGrossKg: 'double',
    totalValueUsd: 'dyn',
    itemCount: 'int',
    containerCount: 'int',
    sealCount: 'int',
    freightUsd: 'dyn',
    freightRatio: 'dyn',
    items: 'list<map<string, dyn>>',
  },
};

export const EVENT_CEL: Record<EventKind, CelSchema> = {
  crossing: celSchemaOf(CrossingSchema),
  cargo: celSchemaOf(CargoSchema),
};

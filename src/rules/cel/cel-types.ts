import type { z } from 'zod';
import { CargoItemSchema, CargoSchema } from '../../model/cargo.ts';
import { CrossingSchema } from '../../model/crossing.ts';
import type { EventKind } from '../../model/event.ts';

/** A CEL type name, a nested object schema in the shape `@marcbachmann/cel-js` takes, or a list of objects. */
export type CelSchema = string | CelListOf | { [field: string]: CelSchema };

/**
 * A list whose elements are objects of a known shape. The environment registers the
 * element as a type of its own, so that a macro's variable (`i` in
 * `event.items.exists(i, i.grossKg > 5000.0)`) is checked field by field rather than
 * as a `map<string, dyn>` on which any field and any comparison pass.
 */
export class CelListOf {
  constructor(readonly element: { [field: string]: CelSchema }) {}
}

/**
 * The CEL type of a zod schema, so that conditions are type-checked against the very
 * schema events are validated with. Integers are `int`, other numbers `double`; lists
 * of objects are `CelListOf` their element's shape.
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
      if (typeof element === 'string') return `list<${element}>`;
      return element instanceof CelListOf ? 'list<list<dyn>>' : new CelListOf(element);
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
    items: new CelListOf({
      item: celSchemaOf(CargoItemSchema) as { [field: string]: CelSchema },
      hsKnown: 'bool',
      hsChapter: 'string',
      kgPerPackage: 'double',
      valueUsd: 'dyn',
      usdPerKg: 'dyn',
      valueRatio: 'dyn',
      weightRatio: 'dyn',
      netExceedsGross: 'bool',
    }),
  },
};

export const EVENT_CEL: Record<EventKind, CelSchema> = {
  crossing: celSchemaOf(CrossingSchema),
  cargo: celSchemaOf(CargoSchema),
};

/**
 * A schema in the shape the CEL library takes: each list of objects becomes
 * `list<NAME>` after `register` has been called with the element's type name and
 * resolved schema (names derive from the path, `$event_items_element`).
 */
export function resolveCelSchema(name: string, schema: { [field: string]: CelSchema }, register: (typeName: string, schema: object) => void): { [field: string]: unknown } {
  const out: { [field: string]: unknown } = {};
  for (const [key, value] of Object.entries(schema)) {
    const path = `${name}.${key}`;
    if (typeof value === 'string') out[key] = value;
    else if (value instanceof CelListOf) {
      const typeName = `${path.replaceAll(".", "_")}_element`;
      register(typeName, resolveCelSchema(typeName, value.element, register));
      out[key] = `list<${typeName}>`;
    } else out[key] = resolveCelSchema(path, value, register);
  }
  return out;
}

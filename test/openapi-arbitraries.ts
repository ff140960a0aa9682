import fc from 'fast-check';
import { resolveRef, type JsonSchema } from './openapi-document';
import { stringFormats } from './openapi-formats';

/** How schemas become arbitraries. */
export interface ArbitraryOptions {
  /** The document the schemas' `$ref`s point into. */
  readonly root?: unknown;
  /**
   * Values worth drawing often for a property of this name and schema (seeded ids, say); the
   * caller returns only values valid for `schema`. The rest of the time the schema decides.
   */
  readonly known?: (name: string, schema: JsonSchema) => readonly unknown[];
  /** The time generated date-times cluster before (default: now). */
  readonly now?: number;
}

const maxDepth = 16;

/** `schema` with its `$ref`s followed and `allOf` merged in, so that its keywords can be read directly. */
export function normalize(schema: JsonSchema, root: unknown): JsonSchema {
  let out = schema;
  for (let hops = 0; out.$ref !== undefined; hops++) {
    if (hops > maxDepth) throw new Error(`${schema.$ref} is a cycle of references`);
    const { $ref, ...siblings } = out;
    out = merge(resolveRef(root, $ref) as JsonSchema, siblings);
  }
  if (out.allOf === undefined) return out;
  const { allOf, ...rest } = out;
  return allOf.reduce<JsonSchema>((acc, part) => merge(acc, normalize(part, root)), rest);
}

/** Both schemas' keywords in one: properties and required lists combined, `b` winning elsewhere. */
export function merge(a: JsonSchema, b: JsonSchema): JsonSchema {
  const properties: Record<string, JsonSchema> = { ...a.properties };
  for (const [name, schema] of Object.entries(b.properties ?? {})) {
    const before = properties[name];
    properties[name] = before === undefined ? schema : { allOf: [before, schema] };
  }
  const required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  return {
    ...a,
    ...b,
    ...(a.properties || b.properties ? { properties } : {}),
    ...(required.length > 0 ? { required } : {}),
  };
}

/** The JSON types `schema` allows, or undefined when it does not say (or allows anything). */
export function typesOf(schema: JsonSchema, root: unknown): Set<string> | undefined {
  const s = normalize(schema, root);
  if (s.const !== undefined) return new Set([jsonType(s.const)]);
  if (s.enum !== undefined) return new Set(s.enum.map(jsonType));
  const branches = s.anyOf ?? s.oneOf;
  if (branches !== undefined && s.type === undefined) {
    const all = branches.map((b) => typesOf(b, root));
    return all.some((t) => t === undefined) ? undefined : new Set(all.flatMap((t) => [...t!]));
  }
  if (s.type === undefined) return undefined;
  return new Set(typeof s.type === 'string' ? [s.type] : s.type);
}

/** JSON Schema's type name of a JSON value. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * An arbitrary of values valid for `schema` (the subset of JSON Schema 2020-12 the document
 * uses: type, properties, required, additionalProperties, enum, const, pattern, lengths, bounds,
 * items, item counts, uniqueItems, formats, anyOf/oneOf/allOf and local `$ref`s).
 * @throws Error for a cycle of references, or nesting deeper than 16.
 */
export function validArbitrary(
  schema: JsonSchema,
  options: ArbitraryOptions = {},
  depth = 0,
): fc.Arbitrary<unknown> {
  if (depth > maxDepth) throw new Error('the schema nests deeper than 16 levels');
  const s = normalize(schema, options.root);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum !== undefined) return fc.constantFrom(...s.enum);
  const branches = s.anyOf ?? s.oneOf;
  if (branches !== undefined) {
    const { anyOf: _a, oneOf: _o, ...rest } = s;
    return fc.oneof(
      ...branches.map((b) => validArbitrary(merge(rest, normalize(b, options.root)), options, depth + 1)),
    );
  }
  const types = typesOf(s, options.root) ?? new Set(inferredTypes(s));
  if (types.size === 0) return fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(...[...types].map((type) => typed(type, s, options, depth)));
}

function inferredTypes(s: JsonSchema): string[] {
  if (s.properties !== undefined || s.required !== undefined) return ['object'];
  if (s.items !== undefined) return ['array'];
  if (s.pattern !== undefined || s.format !== undefined || s.maxLength !== undefined) return ['string'];
  if (s.minimum !== undefined || s.maximum !== undefined) return ['number'];
  return [];
}

function typed(type: string, s: JsonSchema, options: ArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringArbitrary(s, options);
    case 'integer':
      return fc.integer({ min: bound(s, 'min', true), max: bound(s, 'max', true) });
    case 'number':
      return fc.double({
        noNaN: true,
        noDefaultInfinity: true,
        ...(s.minimum !== undefined ? { min: s.minimum } : {}),
        ...(s.maximum !== undefined ? { max: s.maximum } : {}),
        ...(s.exclusiveMinimum !== undefined ? { min: s.exclusiveMinimum, minExcluded: true } : {}),
        ...(s.exclusiveMaximum !== undefined ? { max: s.exclusiveMaximum, maxExcluded: true } : {}),
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return arrayArbitrary(s, options, depth);
    case 'object':
      return objectArbitrary(s, options, depth);
    default:
      throw new Error(`unknown JSON Schema type ${type}`);
  }
}

function bound(s: JsonSchema, side: 'min' | 'max', integer: boolean): number {
  const inclusive = side === 'min' ? s.minimum : s.maximum;
  const exclusive = side === 'min' ? s.exclusiveMinimum : s.exclusiveMaximum;
  const step = integer ? 1 : 0;
  if (exclusive !== undefined)
    return side === 'min' ? Math.floor(exclusive) + step : Math.ceil(exclusive) - step;
  if (inclusive !== undefined) return side === 'min' ? Math.ceil(inclusive) : Math.floor(inclusive);
  return side === 'min' ? -(2 ** 31) : 2 ** 31 - 1;
}

function stringArbitrary(s: JsonSchema, options: ArbitraryOptions): fc.Arbitrary<string> {
  const format = s.format === undefined ? undefined : stringFormats[s.format];
  const pattern = s.pattern === undefined ? undefined : new RegExp(s.pattern, 'u');
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Number.POSITIVE_INFINITY;
  const base: fc.Arbitrary<string> = format
    ? format.arbitrary(options.now ?? Date.now())
    : pattern
      ? fc.stringMatching(pattern)
      : fc.string({ minLength: min, ...(s.maxLength !== undefined ? { maxLength: s.maxLength } : {}) });
  return base.filter((v) => {
    const length = [...v].length;
    return length >= min && length <= max && (!pattern || pattern.test(v)) && (!format || format.check(v));
  });
}

function arrayArbitrary(s: JsonSchema, options: ArbitraryOptions, depth: number): fc.Arbitrary<unknown[]> {
  const item =
    s.items === undefined ? fc.jsonValue({ maxDepth: 1 }) : validArbitrary(s.items, options, depth + 1);
  const lengths = {
    minLength: s.minItems ?? 0,
    ...(s.maxItems !== undefined ? { maxLength: s.maxItems } : {}),
  };
  return s.uniqueItems
    ? fc.uniqueArray(item, { ...lengths, selector: (v) => JSON.stringify(v) })
    : fc.array(item, lengths);
}

function objectArbitrary(s: JsonSchema, options: ArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  if (s.properties === undefined && typeof s.additionalProperties === 'object') {
    const key = s.propertyNames
      ? (validArbitrary(s.propertyNames, options, depth + 1) as fc.Arbitrary<string>)
      : fc.string({ minLength: 1, maxLength: 12 });
    return fc.dictionary(key, validArbitrary(s.additionalProperties, options, depth + 1), { maxKeys: 4 });
  }
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(s.properties ?? {})) {
    const generated = validArbitrary(property, options, depth + 1);
    const known = options.known?.(name, normalize(property, options.root)) ?? [];
    model[name] =
      known.length === 0
        ? generated
        : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: generated });
  }
  for (const name of s.required ?? []) model[name] ??= fc.jsonValue({ maxDepth: 1 });
  return fc.record(model, { requiredKeys: [...(s.required ?? [])] });
}

import fc from 'fast-check';
import { merge, normalize, typesOf, validArbitrary, type ArbitraryOptions } from './openapi-arbitraries';
import type { JsonSchema } from './openapi-document';
import { stringFormats } from './openapi-formats';

const sampleOfType: Readonly<Record<string, unknown>> = {
  string: 'x',
  number: 1.5,
  integer: 7,
  boolean: true,
  null: null,
  object: {},
  array: [],
};

/**
 * An arbitrary of near-valid values that `schema` refuses: a valid value with one thing wrong —
 * a value of the wrong type, a missing required property, an extra property where none is
 * allowed, a string too long or too short or off its pattern or format, a number out of bounds
 * or not whole, an enum value not listed, too many or too few or repeated items — at the top or
 * in one nested property or item. Undefined when the schema refuses nothing it can tell (`{}`).
 * A mutation of one `anyOf`/`oneOf` branch can, rarely, satisfy another branch.
 */
export function invalidArbitrary(
  schema: JsonSchema,
  options: ArbitraryOptions = {},
  depth = 0,
): fc.Arbitrary<unknown> | undefined {
  const s = normalize(schema, options.root);
  const mutations = [...wrongType(s, options), ...ownMutations(s, options, depth)];
  return mutations.length === 0 ? undefined : fc.oneof(...mutations);
}

function wrongType(s: JsonSchema, options: ArbitraryOptions): fc.Arbitrary<unknown>[] {
  const types = typesOf(s, options.root);
  if (types === undefined) return [];
  const wrong = Object.entries(sampleOfType)
    .filter(([type]) => !types.has(type) && !(type === 'integer' && types.has('number')))
    .map(([, value]) => value);
  return wrong.length === 0 ? [] : [fc.constantFrom(...wrong)];
}

function ownMutations(s: JsonSchema, options: ArbitraryOptions, depth: number): fc.Arbitrary<unknown>[] {
  if (s.const !== undefined) return [fc.constant(unlike(s.const))];
  if (s.enum !== undefined) {
    const listed = s.enum;
    const outside = listed.map(unlike).filter((v) => !listed.includes(v));
    return outside.length === 0 ? [] : [fc.constantFrom(...outside)];
  }
  const branches = s.anyOf ?? s.oneOf;
  if (branches !== undefined) {
    const { anyOf: _a, oneOf: _o, ...rest } = s;
    // A branch's value of the wrong type would often be another branch's: the union's own types decide that.
    return branches.flatMap((b) => ownMutations(merge(rest, normalize(b, options.root)), options, depth + 1));
  }
  const types = typesOf(s, options.root);
  const valid = (type: string) => validArbitrary({ ...s, type }, options, depth);
  const out: fc.Arbitrary<unknown>[] = [];
  if (types?.has('string')) out.push(...stringMutations(s, valid('string') as fc.Arbitrary<string>));
  if (types?.has('integer') || types?.has('number')) out.push(...numberMutations(s, types));
  if (types?.has('array')) out.push(...arrayMutations(s, options, depth));
  if (types?.has('object') || (types === undefined && s.properties !== undefined))
    out.push(...objectMutations(s, valid('object') as fc.Arbitrary<Record<string, unknown>>, options, depth));
  return out;
}

/** A value close to `value` but unequal to it. */
function unlike(value: unknown): unknown {
  if (typeof value === 'string') return `${value}-unlisted`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  return 'unlisted';
}

function stringMutations(s: JsonSchema, valid: fc.Arbitrary<string>): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  if (s.maxLength !== undefined) {
    const max = s.maxLength;
    out.push(valid.map((v) => v.padEnd(max + 1, [...v].at(-1) ?? 'a')));
  }
  if (s.minLength !== undefined && s.minLength > 0) {
    const min = s.minLength;
    out.push(valid.map((v) => [...v].slice(0, min - 1).join('')));
  }
  if (s.pattern !== undefined) {
    const pattern = new RegExp(s.pattern, 'u');
    out.push(
      valid
        .map((v) => [` ${v}`, `${v} `, '', `${v}\n`, `#${v}`, `${v}\u00e9`].find((c) => !pattern.test(c)))
        .filter((v): v is string => v !== undefined),
    );
  }
  const format = s.format === undefined ? undefined : stringFormats[s.format];
  if (format) out.push(fc.constant(format.broken));
  return out;
}

function numberMutations(s: JsonSchema, types: Set<string>): fc.Arbitrary<unknown>[] {
  const out: unknown[] = [];
  const step = types.has('number') ? 0.5 : 1;
  if (s.maximum !== undefined) out.push(s.maximum + step);
  if (s.minimum !== undefined) out.push(s.minimum - step);
  if (s.exclusiveMaximum !== undefined) out.push(s.exclusiveMaximum);
  if (s.exclusiveMinimum !== undefined) out.push(s.exclusiveMinimum);
  if (!types.has('number')) out.push((s.minimum ?? s.exclusiveMinimum ?? 0) + 1.5);
  return out.length === 0 ? [] : [fc.constantFrom(...out)];
}

function arrayMutations(s: JsonSchema, options: ArbitraryOptions, depth: number): fc.Arbitrary<unknown>[] {
  const item =
    s.items === undefined ? fc.jsonValue({ maxDepth: 1 }) : validArbitrary(s.items, options, depth + 1);
  const out: fc.Arbitrary<unknown>[] = [];
  const min = s.minItems ?? 0;
  if (s.maxItems !== undefined) {
    const count = s.maxItems + 1;
    out.push(fc.array(item, { minLength: count, maxLength: count }));
  }
  if (min > 0) out.push(fc.array(item, { maxLength: min - 1 }));
  if (s.uniqueItems && s.maxItems !== 1) {
    const size = Math.max(1, min - 1);
    out.push(fc.array(item, { minLength: size, maxLength: size }).map((a) => [...a, a[0]]));
  }
  const badItem = s.items === undefined ? undefined : invalidArbitrary(s.items, options, depth + 1);
  if (badItem) {
    const rest = fc.uniqueArray(item, {
      maxLength: Math.max(min - 1, Math.min(3, (s.maxItems ?? 4) - 1), 0),
      minLength: Math.max(0, min - 1),
      selector: (v) => JSON.stringify(v),
    });
    out.push(
      fc
        .tuple(rest, badItem, fc.nat())
        .map(([a, bad, at]) => [...a.slice(0, at % (a.length + 1)), bad, ...a.slice(at % (a.length + 1))]),
    );
  }
  return out;
}

function objectMutations(
  s: JsonSchema,
  valid: fc.Arbitrary<Record<string, unknown>>,
  options: ArbitraryOptions,
  depth: number,
): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  const required = s.required ?? [];
  if (required.length > 0) {
    out.push(
      fc.tuple(valid, fc.constantFrom(...required)).map(([v, name]) => {
        const { [name]: _dropped, ...rest } = v;
        return rest;
      }),
    );
  }
  if (s.additionalProperties === false) {
    const extra = fc.stringMatching(/^x-unexpected-[a-z]{1,8}$/).filter((k) => !(k in (s.properties ?? {})));
    out.push(fc.tuple(valid, extra, fc.jsonValue({ maxDepth: 1 })).map(([v, k, x]) => ({ ...v, [k]: x })));
  }
  for (const [name, property] of Object.entries(s.properties ?? {})) {
    const bad = invalidArbitrary(property, options, depth + 1);
    if (bad) out.push(fc.tuple(valid, bad).map(([v, b]) => ({ ...v, [name]: b })));
  }
  return out;
}

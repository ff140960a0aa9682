import fc from 'fast-check';
import { validArbitrary, type ArbitraryOptions } from './openapi-arbitraries';
import type { SentRequest } from './openapi-conformance';
import type { JsonSchema, OpenApiParameter, OperationRef } from './openapi-document';
import { invalidArbitrary } from './openapi-invalid-arbitraries';
import type { OpenApiValidator } from './openapi-validator';

/** What requests are built from besides the document: the data a test seeded, the credentials it has. */
export interface RequestSeeds {
  /** Values for parameters (path or query) by name: the ids of seeded records, say. */
  readonly params: Readonly<Record<string, readonly string[]>>;
  /** Example values for body properties by name, e.g. collected from the seeding requests' bodies. */
  readonly properties: Readonly<Record<string, readonly unknown[]>>;
  /** Whole bodies by route (`POST /api/v1/vitals`), sent again as they are: replays, conflicts with what changed since. */
  readonly bodies: Readonly<Record<string, readonly unknown[]>>;
  /** Callers by the name the test knows them by, with the header each sends (none for "no credential"). */
  readonly callers: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The time generated date-times cluster before. */
  readonly now: number;
}

/** A request of `SentRequest`'s shape with its headers always present. */
export interface GeneratedRequest extends SentRequest {
  readonly headers: Readonly<Record<string, string>>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** Mostly seeded values, sometimes any valid one, sometimes one the parameter's schema refuses. */
function parameterArbitrary(
  p: OpenApiParameter,
  seeds: RequestSeeds,
  options: ArbitraryOptions,
): fc.Arbitrary<string> {
  const schema: JsonSchema = p.schema ?? { type: 'string' };
  const choices: fc.WeightedArbitrary<unknown>[] = [
    { weight: 2, arbitrary: validArbitrary(schema, options) },
  ];
  const seeded = seeds.params[p.name] ?? [];
  if (seeded.length > 0)
    choices.push({ weight: p.in === 'path' ? 12 : 8, arbitrary: fc.constantFrom(...seeded) });
  const invalid = invalidArbitrary(schema, options);
  if (invalid) choices.push({ weight: 1, arbitrary: invalid });
  // An empty path segment would name another route, not this operation.
  return fc
    .oneof(...choices)
    .map(text)
    .filter((v) => p.in !== 'path' || v !== '');
}

/**
 * Requests for `op` built from its parameters and request body schema: path ids mostly from
 * `seeds`, query parameters present or not, a body mostly valid (values of known property names
 * often seeded), sometimes near-valid but refused by the schema, sometimes a seeding body
 * again; `Prefer: respond-async` sometimes where a 202 is documented; any of the callers.
 */
export function requestArbitrary(
  op: OperationRef,
  seeds: RequestSeeds,
  validator: OpenApiValidator,
  root: unknown,
): fc.Arbitrary<GeneratedRequest> {
  const knownValid = new Map<string, readonly unknown[]>();
  const known = (name: string, schema: JsonSchema) => {
    const key = `${name} ${JSON.stringify(schema)}`;
    let values = knownValid.get(key);
    if (values === undefined) {
      const candidates = [...(seeds.properties[name] ?? []), ...(seeds.params[name] ?? [])];
      values = candidates.filter((v) => validator.errorsFor(schema, v).length === 0);
      knownValid.set(key, values);
    }
    return values;
  };
  const options: ArbitraryOptions = { root, known, now: seeds.now };
  const parameters = op.operation.parameters ?? [];
  const path = fc.record(
    Object.fromEntries(
      parameters.filter((p) => p.in === 'path').map((p) => [p.name, parameterArbitrary(p, seeds, options)]),
    ),
  );
  const query = fc.record(
    Object.fromEntries(
      parameters.filter((p) => p.in === 'query').map((p) => [p.name, parameterArbitrary(p, seeds, options)]),
    ),
    { requiredKeys: parameters.filter((p) => p.in === 'query' && p.required).map((p) => p.name) },
  );
  const bodySchema = op.operation.requestBody?.content?.['application/json']?.schema;
  const body: fc.Arbitrary<unknown> =
    bodySchema === undefined ? fc.constant(undefined) : bodyArbitrary(op, bodySchema, seeds, options);
  const prefer = '202' in op.operation.responses ? fc.boolean() : fc.constant(false);
  return fc
    .record({ path, query, body, prefer, caller: fc.constantFrom(...Object.keys(seeds.callers)) })
    .map(({ path: values, query: q, body: b, prefer: async, caller }) => {
      const filled = op.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
        encodeURIComponent(values[name] ?? ''),
      );
      const search = new URLSearchParams(q as Record<string, string>).toString();
      return {
        method: op.method,
        url: search === '' ? filled : `${filled}?${search}`,
        caller,
        headers: {
          ...seeds.callers[caller],
          ...(b === undefined ? {} : { 'content-type': 'application/json' }),
          ...(async ? { prefer: 'respond-async' } : {}),
        },
        ...(b === undefined ? {} : { body: b }),
      };
    });
}

function bodyArbitrary(
  op: OperationRef,
  schema: JsonSchema,
  seeds: RequestSeeds,
  options: ArbitraryOptions,
): fc.Arbitrary<unknown> {
  const choices: fc.WeightedArbitrary<unknown>[] = [
    { weight: 6, arbitrary: validArbitrary(schema, options) },
  ];
  const invalid = invalidArbitrary(schema, options);
  if (invalid) choices.push({ weight: 3, arbitrary: invalid });
  const again = seeds.bodies[op.route] ?? [];
  if (again.length > 0) choices.push({ weight: 1, arbitrary: fc.constantFrom(...again) });
  if (op.operation.requestBody?.required !== true)
    choices.push({ weight: 1, arbitrary: fc.constant(undefined) });
  return fc.oneof(...choices);
}

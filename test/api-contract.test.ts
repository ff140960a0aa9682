import fc from 'fast-check';
import { seedThroughApi } from './api-contract-seeds';
import { startGatewayStack, type GatewayStack } from './embedded-stack';
import { validArbitrary } from './openapi-arbitraries';
import { documentDiscrepancies, formatExchange, formatViolation } from './openapi-conformance';
import { distinctViolations, runConformance, type ConformanceReport } from './openapi-conformance-run';
import { operationsOf, resolveRef, type OpenApiDocument } from './openapi-document';
import { invalidArbitrary } from './openapi-invalid-arbitraries';
import type { RequestSeeds } from './openapi-requests';
import { describeErrors, newOpenApiValidator } from './openapi-validator';

jest.setTimeout(120_000);

/** `CONTRACT_SEED` replays another run; `CONTRACT_RUNS` sets the requests per writing operation (GETs get twice as many). */
function wholeNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(value))
    throw new Error(`${name} must be a whole number, not ${process.env[name]}`);
  return value;
}
const seed = wholeNumber('CONTRACT_SEED', 2109);
const numRuns = wholeNumber('CONTRACT_RUNS', 50);
const replay = `seed ${seed}, ${numRuns} runs per writing operation (CONTRACT_SEED=${seed} CONTRACT_RUNS=${numRuns} to replay)`;

let stack: GatewayStack | undefined;
let doc: OpenApiDocument;
let seeds: RequestSeeds;
let report: ConformanceReport;
/** The operation whose document copy lacks a property, and what a short run against that copy found. */
let drift: { readonly property: string; readonly report: ConformanceReport };

const driftRoute = 'GET /api/v1/organizations/{mspId}';
const takesAccessAway = [
  'PUT /api/v1/organizations/{mspId}',
  'DELETE /api/v1/patients/{patientId}/consents/{consentId}',
];

beforeAll(async () => {
  stack = await startGatewayStack('contract', { COMMIT_TIMEOUT_MS: '20000' });
  const served = await fetch(`${stack.gateway.url}/openapi.json`);
  doc = (await served.json()) as OpenApiDocument;
  seeds = await seedThroughApi(stack.gateway.url, stack.keys);
  // Before the full run, whose writes may change the registry (an organisation's type, and so
  // which roles its callers have).
  const { mutated, property } = withoutFirstProperty(doc, driftRoute);
  drift = {
    property,
    report: await runConformance({
      doc: mutated,
      baseUrl: stack.gateway.url,
      seeds: { ...seeds, callers: { 'hospitala-doctor': seeds.callers['hospitala-doctor']! } },
      seed,
      numRuns: 5,
      include: (o) => o.route === driftRoute,
    }),
  };
  report = await runConformance({
    doc,
    baseUrl: stack.gateway.url,
    seeds,
    seed,
    numRuns,
    last: (o) => takesAccessAway.includes(o.route),
  });
});

afterAll(async () => {
  await stack?.close();
});

/** A schema object of a copy of the document, to change. */
interface MutableSchema {
  properties?: Record<string, unknown>;
  required?: string[];
  additionalProperties?: unknown;
}

/**
 * A copy of `doc` in which the 200 body schema of `route` lacks its first required property and
 * allows no other: what a document that fell behind the API looks like.
 * @throws Error when the route has no such schema.
 */
function withoutFirstProperty(doc: OpenApiDocument, route: string) {
  const mutated = structuredClone(doc);
  const op = operationsOf(mutated).find((o) => o.route === route);
  const schema = op?.operation.responses['200']?.content?.['application/json']?.schema;
  if (schema === undefined) throw new Error(`the document has no 200 application/json schema for ${route}`);
  const target = (schema.$ref === undefined ? schema : resolveRef(mutated, schema.$ref)) as MutableSchema;
  const property = target.required?.[0];
  if (property === undefined) throw new Error(`the 200 body schema of ${route} requires nothing`);
  delete target.properties?.[property];
  target.required = target.required?.filter((p) => p !== property);
  target.additionalProperties = false;
  return { mutated, property };
}

const listed = (lines: readonly string[]) => `${replay}\n\n${lines.join('\n\n')}`;

describe('the REST API against its served OpenAPI document', () => {
  it('documents every status of every operation without a catch-all, and every 2xx body with a schema', () => {
    expect(listed(documentDiscrepancies(doc))).toBe(listed([]));
  });

  it("builds request bodies that the document's own schemas accept, and near misses they refuse", () => {
    const validator = newOpenApiValidator(doc);
    for (const op of operationsOf(doc)) {
      const schema = op.operation.requestBody?.content?.['application/json']?.schema;
      if (schema === undefined) continue;
      const options = { root: doc, now: seeds.now };
      for (const value of fc.sample(validArbitrary(schema, options), { seed, numRuns: 50 }))
        expect([op.label, describeErrors(validator.errorsFor(schema, value))]).toEqual([op.label, []]);
      for (const value of fc.sample(invalidArbitrary(schema, options)!, { seed, numRuns: 50 }))
        expect([op.label, validator.errorsFor(schema, value).length > 0]).toEqual([op.label, true]);
    }
  });

  it('reaches successes, refusals of input, credentials and permissions, unknown records and conflicts', () => {
    const seen = new Set([...report.statuses.values()].flatMap((counts) => [...counts.keys()]));
    const table = [...report.statuses].map(
      ([op, counts]) => `${op}: ${JSON.stringify(Object.fromEntries(counts))}`,
    );
    expect([[200, 201, 400, 401, 403, 404, 409].filter((s) => !seen.has(s)), table]).toEqual([[], table]);
  });

  it('answers no generated request with a 5xx other than a documented 503', () => {
    const errors = distinctViolations(report.violations.filter((v) => v.kind === 'server error'));
    expect(listed(errors.map(formatViolation))).toBe(listed([]));
  });

  it('refuses no request as LEDGER_UNAVAILABLE (retry later) while the ledger answers', async () => {
    expect((await fetch(`${stack!.gateway.url}/readyz`)).status).toBe(200);
    const unavailable = report.examples
      .filter((e) => e.code === 'LEDGER_UNAVAILABLE')
      .map(
        (e) =>
          `${e.operation} answered ${e.response.status} ${e.code}\n${formatExchange(e.request, e.response)}`,
      );
    expect(listed(unavailable)).toBe(listed([]));
  });

  it('answers every generated request with a documented status and a body its schema accepts', () => {
    expect(listed(distinctViolations(report.violations).map(formatViolation))).toBe(listed([]));
  });

  it('reports the answers of an operation once its document lacks a property they have', () => {
    const caught = drift.report.violations.filter((v) => v.status === 200 && v.kind === 'body');
    const answered = drift.report.statuses.get(caught[0]?.operation ?? '')?.get(200) ?? 0;
    expect(caught.length).toBeGreaterThan(0);
    expect(caught).toHaveLength(answered);
    expect(caught[0]!.problem).toContain(
      `must NOT have additional properties {"additionalProperty":"${drift.property}"}`,
    );
  });
});

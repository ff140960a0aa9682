import {
  checkResponse,
  documentDiscrepancies,
  formatViolation,
  type ReceivedResponse,
} from './openapi-conformance';
import { operationsOf, type JsonSchema, type OpenApiDocument } from './openapi-document';
import { newOpenApiValidator } from './openapi-validator';

const json = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });

const doc: OpenApiDocument = {
  openapi: '3.1.0',
  components: {
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        additionalProperties: false,
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            additionalProperties: false,
            properties: { code: { enum: ['NOT_FOUND', 'LEDGER_UNAVAILABLE'] }, message: { type: 'string' } },
          },
        },
      },
    },
  },
  paths: {
    '/api/v1/patients/{patientId}': {
      get: {
        operationId: 'Patients_get',
        responses: {
          200: json({
            type: 'object',
            required: ['data'],
            additionalProperties: false,
            properties: {
              data: {
                type: 'object',
                required: ['patientId', 'registeredAt'],
                additionalProperties: false,
                properties: {
                  patientId: { type: 'string' },
                  registeredAt: { type: 'string', format: 'date-time' },
                },
              },
            },
          }),
          404: json({ $ref: '#/components/schemas/Error' }),
          503: {
            ...json({ $ref: '#/components/schemas/Error' }),
            headers: { 'Retry-After': { required: true } },
          },
        },
      },
    },
    '/api/v1/organizations': {
      get: {
        responses: {
          200: { description: 'no schema' },
          default: json({ $ref: '#/components/schemas/Error' }),
        },
      },
    },
  },
};

const validator = newOpenApiValidator(doc);
const [getPatient, listOrganizations] = operationsOf(doc);
const request = { method: 'get', url: '/api/v1/patients/p-1', caller: 'hospitala-doctor' };
const patient = { data: { patientId: 'p-1', registeredAt: '2025-01-02T03:04:05.000Z' } };
const answer = (status: number, body: unknown, more: Partial<ReceivedResponse> = {}): ReceivedResponse => ({
  status,
  mediaType: 'application/json',
  headers: {},
  hasBody: true,
  body,
  ...more,
});
const check = (response: ReceivedResponse, op = getPatient!) =>
  checkResponse(validator, op, request, response).map((v) => `${v.kind}: ${v.problem}`);

describe('checkResponse', () => {
  it('finds nothing wrong with answers as documented', () => {
    expect(check(answer(200, patient))).toEqual([]);
    expect(check(answer(404, { error: { code: 'NOT_FOUND', message: 'no patient p-1' } }))).toEqual([]);
    const unavailable = { error: { code: 'LEDGER_UNAVAILABLE', message: 'retry' } };
    expect(check(answer(503, unavailable, { headers: { 'retry-after': '1' } }))).toEqual([]);
  });

  it('reports a body with a field the document does not have', () => {
    const [problem] = check(answer(200, { data: { ...patient.data, name: 'Ada' } }));
    expect(problem).toMatch(/^body: the body does not match responses\.200 application\/json:/);
    expect(problem).toContain('/data must NOT have additional properties {"additionalProperty":"name"}');
  });

  it('reports a field of the wrong type or format, and a missing one', () => {
    expect(check(answer(200, { data: { patientId: 7, registeredAt: 'yesterday' } }))).toEqual([
      expect.stringMatching(
        /\/data\/patientId must be string[\s\S]*\/data\/registeredAt must match format "date-time"/,
      ),
    ]);
    expect(check(answer(404, { error: { code: 'NOT_FOUND' } }))).toEqual([
      expect.stringContaining("/error must have required property 'message'"),
    ]);
  });

  it('reports a status the operation does not list, and a 5xx other than a documented 503', () => {
    expect(check(answer(409, { error: { code: 'CONFLICT', message: 'x' } }))).toEqual([
      'undocumented status: 409 is not documented (listed: 200, 404, 503; `default` documents none)',
    ]);
    expect(check(answer(500, { error: { code: 'INTERNAL', message: 'x' } }))).toEqual([
      'server error: answered 500; only a documented 503 may be a 5xx',
      expect.stringMatching(/^undocumented status: 500/),
    ]);
  });

  it('does not count a `default` response as documenting a status, and reports a 2xx without a schema', () => {
    expect(check(answer(404, { error: { code: 'NOT_FOUND', message: 'x' } }), listOrganizations)).toEqual([
      'undocumented status: 404 is not documented (listed: 200, default; `default` documents none)',
    ]);
    expect(check(answer(200, { data: [] }), listOrganizations)).toEqual([
      'undocumented body: responses.200 documents no body, but one came (application/json)',
    ]);
  });

  it('reports a 2xx of another content type, a body that does not parse and a missing header', () => {
    expect(check(answer(200, 'ok', { mediaType: 'text/plain' }))).toEqual([
      'content type: text/plain is not among application/json',
    ]);
    expect(check(answer(200, '{', { bodyError: 'Unexpected end of JSON input' }))).toEqual([
      'body: the application/json body does not parse: Unexpected end of JSON input',
    ]);
    expect(check(answer(503, { error: { code: 'LEDGER_UNAVAILABLE', message: 'x' } }))).toEqual([
      'missing header: responses.503 requires the header Retry-After',
    ]);
  });

  it('names the operation, the status and the request in its message', () => {
    const [violation] = checkResponse(validator, getPatient!, request, answer(409, {}));
    expect(formatViolation(violation!)).toBe(
      [
        'GET /api/v1/patients/{patientId} (Patients_get) answered 409 — undocumented status: 409 is not documented (listed: 200, 404, 503; `default` documents none)',
        '  request: GET /api/v1/patients/p-1 as hospitala-doctor',
        '  response (application/json): {}',
      ].join('\n'),
    );
  });
});

describe('documentDiscrepancies', () => {
  it('lists `default` responses and 2xx answers without a body schema', () => {
    expect(documentDiscrepancies(doc)).toEqual([
      'GET /api/v1/organizations: responses.200 documents no body',
      'GET /api/v1/organizations: has a `default` response (documents no status)',
    ]);
  });
});

import { z } from 'zod';
import { errorCatalog } from '../errors/error-catalog';
import type { RouteSpec } from '../routes/route-spec';

type JsonObject = Record<string, unknown>;

function schemaOf(schema: z.ZodType): JsonObject {
  // The document's dialect is OpenAPI 3.1's (JSON Schema 2020-12): no `$schema` per schema.
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return json;
}

function parameters(spec: RouteSpec): JsonObject[] {
  const out: JsonObject[] = [];
  for (const [location, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    if (!schema) continue;
    const json = schemaOf(schema) as { properties?: Record<string, JsonObject>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      out.push({
        name,
        in: location,
        required: location === 'path' || (json.required ?? []).includes(name),
        schema: property,
      });
    }
  }
  return out;
}

const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(errorCatalog) },
        message: { type: 'string' },
        details: {},
      },
    },
  },
};

/** The OpenAPI 3.1 document of the API, generated from the same route specs and schemas that validate requests. */
export function buildOpenApi(routes: readonly RouteSpec[], version: string): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const spec of routes) {
    const path = `/api/v1${spec.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    const responses: Record<string, JsonObject> = {
      [String(spec.status ?? 200)]: { description: 'Success: `{data, page?, meta?}`' },
      ...(spec.replayAnswers200
        ? { 200: { description: 'A replay: the stored record as `{data}`; nothing was written' } }
        : {}),
      ...(spec.intake
        ? {
            202: {
              description:
                "With `Prefer: respond-async`: on the gateway's disk, to be committed; `{meta: {submissionId, status, statusUrl}}`, `Location` the status URL",
            },
          }
        : {}),
      default: {
        description: 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    };
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      operationId: spec.transaction.replace(':', '_'),
      'x-careledger-transaction': spec.transaction,
      parameters: parameters(spec),
      ...(spec.body
        ? {
            requestBody: { required: true, content: { 'application/json': { schema: schemaOf(spec.body) } } },
          }
        : {}),
      responses,
    };
  }
  paths['/api/v1/transactions/{transactionId}'] = {
    get: {
      summary: 'Commit status of a transaction submitted with `Prefer: respond-async`',
      tags: ['Transactions'],
      parameters: [{ name: 'transactionId', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { 200: { description: 'Status' }, default: { description: 'Error' } },
    },
  };
  paths['/api/v1/submissions/{submissionId}'] = {
    get: {
      summary:
        'Status of readings accepted with `Prefer: respond-async` (queued, committed or refused); to their sender, or once committed to whoever may read them',
      tags: ['Vitals'],
      operationId: 'Submissions_get',
      parameters: [
        { name: 'submissionId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      ],
      responses: { 200: { description: 'Status' }, default: { description: 'Error' } },
    },
  };
  paths['/api/v1/events'] = {
    get: {
      summary:
        'Server-Sent Events: abnormal vitals and consent changes the caller may see; resumable with Last-Event-ID',
      tags: ['Events'],
      responses: { 200: { description: 'text/event-stream' } },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'CareLedger REST API',
      version,
      description: 'Patient data shared between hospitals, labs and pharmacies on Hyperledger Fabric.',
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }, { bearer: [] }],
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key, or a JWT when JWT_JWKS_URL is set',
        },
      },
      schemas: { Error: errorBody },
    },
    paths,
  };
}

import { z } from 'zod';
import { errorCatalog } from '../errors/error-catalog';
import type { RouteSpec } from '../routes/route-spec';

type JsonObject = Record<string, unknown>;

function schemaOf(schema: z.ZodType): JsonObject {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
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

/** A self-contained page listing the operations of the document (no external scripts). */
export function renderDocsPage(doc: JsonObject): string {
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows = Object.entries(
    doc.paths as Record<string, Record<string, { summary?: string; tags?: string[] }>>,
  )
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(
        ([method, op]) =>
          `<tr><td>${escape(op.tags?.[0] ?? '')}</td><td><code>${method.toUpperCase()}</code></td><td><code>${escape(path)}</code></td><td>${escape(op.summary ?? '')}</td></tr>`,
      ),
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CareLedger API</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:70rem}td,th{padding:.3rem .6rem;text-align:left;border-bottom:1px solid #ddd}code{font-size:13px}</style></head>
<body><h1>CareLedger REST API</h1><p>The machine-readable document is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1; load it into any OpenAPI viewer). Authenticate with <code>X-API-Key</code>. Errors are <code>{"error":{"code","message","details"}}</code>.</p>
<table><thead><tr><th>Area</th><th>Method</th><th>Path</th><th>What it does</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
}

import { z } from 'zod';
import {
  accessLogEntryRecord,
  actorRecord,
  consentRecord,
  consentVersionRecord,
  demographicsRecord,
  deviceRecord,
  dispensationRecord,
  labResultRecord,
  organizationRecord,
  patientRecord,
  prescriptionRecord,
  prescriptionVersionRecord,
  receiptRecord,
  recordResultRecord,
  vitalSignRecord,
} from '@careledger/contract';
import { errorCatalog } from '../errors/error-catalog';
import { submissionParams, transactionParams } from '../routes/route-schemas';
import type { RouteSpec } from '../routes/route-spec';
import { sessionRecord } from '../web/session-router';
import {
  errorResponse,
  errorStatuses,
  routeResponses,
  submissionRecord,
  transactionStatusRecord,
  type DocumentedResponse,
} from './openapi-responses';

type JsonObject = Record<string, unknown>;

function schemaOf(schema: z.ZodType): JsonObject {
  // The document's dialect is OpenAPI 3.1's (JSON Schema 2020-12): no `$schema` per schema.
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return json;
}

function mapValues<T, U>(o: Readonly<Record<string, T>>, f: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

function parameters(spec: Pick<RouteSpec, 'params' | 'query'>): JsonObject[] {
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

/** The records answers are made of, named in `components.schemas`. */
const recordComponents: Record<string, z.ZodType> = {
  Actor: actorRecord,
  Organization: organizationRecord,
  Patient: patientRecord,
  Demographics: demographicsRecord,
  Device: deviceRecord,
  Receipt: receiptRecord,
  VitalSign: vitalSignRecord,
  RecordResult: recordResultRecord,
  Consent: consentRecord,
  ConsentVersion: consentVersionRecord,
  LabResult: labResultRecord,
  Prescription: prescriptionRecord,
  PrescriptionVersion: prescriptionVersionRecord,
  Dispensation: dispensationRecord,
  AccessLogEntry: accessLogEntryRecord,
  TransactionStatus: transactionStatusRecord,
  Submission: submissionRecord,
};

interface Operation {
  readonly path: string;
  readonly method: string;
  readonly fields: JsonObject;
  readonly responses: Record<string, DocumentedResponse>;
}

/** Operations that are not ledger transactions of the route table. */
function otherOperations(): Operation[] {
  const reads = (names: boolean) => errorStatuses({ writes: false, takesBody: false, names });
  const errors = (names: boolean) => Object.fromEntries(reads(names).map((s) => [s, errorResponse(s)]));
  return [
    {
      path: '/api/v1/transactions/{transactionId}',
      method: 'get',
      fields: {
        summary: 'Commit status of a transaction submitted with `Prefer: respond-async`',
        tags: ['Transactions'],
        operationId: 'Transactions_status',
        parameters: parameters({ params: transactionParams }),
      },
      responses: {
        200: { description: 'Status', schema: z.strictObject({ data: transactionStatusRecord }) },
        // NOT_FOUND: no transaction of that id was submitted by this caller through this gateway.
        ...errors(true),
      },
    },
    {
      path: '/api/v1/submissions/{submissionId}',
      method: 'get',
      fields: {
        summary:
          'Status of readings accepted with `Prefer: respond-async` (queued, committed or refused); to their sender, or once committed to whoever may read them',
        tags: ['Vitals'],
        operationId: 'Submissions_get',
        parameters: parameters({ params: submissionParams }),
      },
      responses: {
        200: { description: 'Status', schema: z.strictObject({ data: submissionRecord }) },
        ...errors(true),
      },
    },
    {
      path: '/api/v1/session',
      method: 'get',
      fields: {
        summary:
          'Who the credential is (wallet identity, organisation, role), without a ledger call; what it may read is still the ledger’s answer to each read',
        tags: ['Session'],
        operationId: 'Session_get',
      },
      responses: {
        200: { description: 'The caller', schema: z.strictObject({ data: sessionRecord }) },
        ...errors(false),
      },
    },
    {
      path: '/api/v1/events',
      method: 'get',
      fields: {
        summary:
          "Server-Sent Events: abnormal vitals and consent changes the caller may see, resumable with Last-Event-ID; and ids-only notices (no id line, not replayed) of committed readings (ReadingCommitted) and alert acknowledgements (AlertAcknowledged) of the caller's own organisation, to those who hear of its alerts",
        tags: ['Events'],
        operationId: 'Events_stream',
      },
      responses: {
        200: { description: 'The event stream', contentType: 'text/event-stream' },
        ...errors(false),
      },
    },
  ];
}

function routeOperation(spec: RouteSpec): Operation {
  return {
    path: `/api/v1${spec.path.replace(/:([A-Za-z]+)/g, '{$1}')}`,
    method: spec.method,
    fields: {
      summary: spec.summary,
      tags: [spec.tag],
      operationId: spec.operationId ?? spec.transaction.replace(':', '_'),
      'x-careledger-transaction': spec.transaction,
      parameters: parameters(spec),
      ...(spec.body
        ? {
            requestBody: { required: true, content: { 'application/json': { schema: schemaOf(spec.body) } } },
          }
        : {}),
    },
    responses: routeResponses(spec),
  };
}

/**
 * The response schemas of every operation as JSON Schema: records and errors by reference to
 * `components.schemas`, each operation's envelope inline.
 */
function responseSchemas(operations: readonly Operation[]) {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(recordComponents)) registry.add(schema, { id });
  for (const status of new Set(operations.flatMap((o) => Object.keys(o.responses)))) {
    const error = Number(status) >= 400 ? errorResponse(Number(status)).schema : undefined;
    if (error && !registry.has(error)) registry.add(error, { id: `Error${status}` });
  }
  const inline = new Map<z.ZodType, string>();
  for (const op of operations) {
    for (const [status, response] of Object.entries(op.responses)) {
      if (response.schema && !registry.has(response.schema)) {
        const id = `${String(op.fields.operationId)}.${status}`;
        registry.add(response.schema, { id });
        inline.set(response.schema, id);
      }
    }
  }
  const uri = (id: string) => `#/components/schemas/${id}`;
  const { schemas } = z.toJSONSchema(registry, { uri, io: 'output', unrepresentable: 'any' });
  const json = new Map<string, JsonObject>();
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _dialect, $id: _id, ...rest } = schema as JsonObject;
    json.set(id, rest);
  }
  const schemaOfResponse = (schema: z.ZodType): JsonObject => {
    const id = inline.get(schema) ?? registry.get(schema)?.id ?? '';
    return inline.has(schema) ? (json.get(id) ?? {}) : { $ref: uri(id) };
  };
  const components = Object.fromEntries([...json].filter(([id]) => !id.includes('.')));
  return { components, schemaOfResponse };
}

/** The OpenAPI 3.1 document of the API, generated from the same route specs and schemas that validate requests. */
export function buildOpenApi(routes: readonly RouteSpec[], version: string): JsonObject {
  const operations = [...routes.map(routeOperation), ...otherOperations()];
  const { components, schemaOfResponse } = responseSchemas(operations);
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const op of operations) {
    const responses: Record<string, JsonObject> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = {
        description: r.description,
        ...(r.headers
          ? { headers: mapValues(r.headers, (h) => ({ ...h, schema: { type: 'string' } })) }
          : {}),
        content: r.schema
          ? { 'application/json': { schema: schemaOfResponse(r.schema) } }
          : { [r.contentType ?? 'application/json']: {} },
      };
    }
    (paths[op.path] ??= {})[op.method] = { ...op.fields, responses };
  }
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
      schemas: { Error: errorBody, ...components },
    },
    paths,
  };
}

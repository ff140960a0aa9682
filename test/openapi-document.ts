/** A JSON Schema as the OpenAPI 3.1 document has it (2020-12); only the keywords the tests read are typed. */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly propertyNames?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly [keyword: string]: unknown;
}

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: JsonSchema;
}

export interface OpenApiMediaType {
  readonly schema?: JsonSchema;
}

export interface OpenApiResponse {
  readonly description?: string;
  readonly headers?: Readonly<Record<string, { readonly required?: boolean; readonly schema?: JsonSchema }>>;
  readonly content?: Readonly<Record<string, OpenApiMediaType>>;
}

export interface OpenApiOperation {
  readonly operationId?: string;
  readonly summary?: string;
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: { readonly required?: boolean; readonly content?: Record<string, OpenApiMediaType> };
  readonly responses: Readonly<Record<string, OpenApiResponse>>;
}

export interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, JsonSchema>> };
}

/** One operation of the document and where it is. */
export interface OperationRef {
  readonly method: string;
  /** The path template, e.g. `/api/v1/patients/{patientId}`. */
  readonly path: string;
  /** `METHOD /path`, e.g. `POST /api/v1/vitals`. */
  readonly route: string;
  /** The route and the operationId when there is one: how messages name it. */
  readonly label: string;
  readonly operation: OpenApiOperation;
  /** JSON pointer of the operation in the document. */
  readonly pointer: string;
}

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Escapes one JSON pointer token (RFC 6901). */
export function pointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Every operation of the document, in document order. */
export function operationsOf(doc: OpenApiDocument): OperationRef[] {
  const out: OperationRef[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!methods.includes(method)) continue;
      const id = operation.operationId === undefined ? '' : ` (${operation.operationId})`;
      const route = `${method.toUpperCase()} ${path}`;
      out.push({
        method,
        path,
        route,
        label: `${route}${id}`,
        operation,
        pointer: `/paths/${pointerToken(path)}/${method}`,
      });
    }
  }
  return out;
}

/**
 * The value a local reference (`#/components/schemas/Error`) names in `doc`.
 * @throws Error when the reference is not local or names nothing.
 */
export function resolveRef(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) throw new Error(`only local references are supported, not ${ref}`);
  let node = doc;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(token in node))
      throw new Error(`${ref} names nothing in the document`);
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

import { pointerToken, type OpenApiDocument, type OperationRef, operationsOf } from './openapi-document';
import { describeErrors, type OpenApiValidator } from './openapi-validator';

/** A request as sent, for messages: enough to send it again. */
export interface SentRequest {
  readonly method: string;
  /** Path and query string, e.g. `/api/v1/patients/p-1?custodian=HospitalAMSP`. */
  readonly url: string;
  /** Who sent it (an identity's name, or how the credential is broken). */
  readonly caller: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** A response as received. */
export interface ReceivedResponse {
  readonly status: number;
  /** The media type without parameters, lower case (`application/json`), or undefined without a Content-Type. */
  readonly mediaType: string | undefined;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** False for an empty body. */
  readonly hasBody: boolean;
  /** The parsed body for JSON media types, the text for others read, undefined for a stream not read. */
  readonly body: unknown;
  /** Set when the body claims JSON but does not parse. */
  readonly bodyError?: string;
}

export type ViolationKind =
  | 'undocumented status'
  | 'server error'
  | 'content type'
  | 'body'
  | 'undocumented body'
  | 'unchecked body'
  | 'missing header';

/** One way a response differs from the document. */
export interface Violation {
  readonly operation: string;
  readonly status: number;
  readonly kind: ViolationKind;
  /** What is wrong, without the request: the same for every request that hits it. */
  readonly problem: string;
  readonly request: SentRequest;
  readonly response: ReceivedResponse;
}

const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');
const isSuccess = (status: number) => status >= 200 && status < 300;

/** The response object that documents `status` in `op`: its own code or its range (`4XX`), never `default`. */
export function documentedResponse(op: OperationRef, status: number): string | undefined {
  const responses = op.operation.responses;
  if (String(status) in responses) return String(status);
  const range = `${String(status)[0]}XX`;
  return range in responses ? range : undefined;
}

/**
 * The ways `response` (to `request`, for operation `op` of the document) breaks the document:
 * a status the operation does not list (a `default` response documents none), a 5xx other than
 * a documented 503, a 2xx of a media type not listed, a body that does not validate against its
 * status's schema (Ajv's errors), a body where none is documented, a 2xx whose body the document
 * leaves unchecked (no schema), a required header missing. Empty when it conforms.
 */
export function checkResponse(
  validator: OpenApiValidator,
  op: OperationRef,
  request: SentRequest,
  response: ReceivedResponse,
): Violation[] {
  const out: Violation[] = [];
  const { status } = response;
  const report = (kind: ViolationKind, problem: string) =>
    out.push({ operation: op.label, status, kind, problem, request, response });
  const key = documentedResponse(op, status);
  if (status >= 500 && !(status === 503 && key !== undefined))
    report('server error', `answered ${status}; only a documented 503 may be a 5xx`);
  if (key === undefined) {
    const listed = Object.keys(op.operation.responses).join(', ');
    report(
      'undocumented status',
      `${status} is not documented (listed: ${listed}; \`default\` documents none)`,
    );
    return out;
  }
  const documented = op.operation.responses[key]!;
  for (const [name, header] of Object.entries(documented.headers ?? {}))
    if (header.required && response.headers[name.toLowerCase()] === undefined)
      report('missing header', `responses.${key} requires the header ${name}`);
  const content = documented.content ?? {};
  if (!response.hasBody) return out;
  if (Object.keys(content).length === 0) {
    report(
      'undocumented body',
      `responses.${key} documents no body, but one came (${response.mediaType ?? 'no type'})`,
    );
    return out;
  }
  const mediaType = response.mediaType ?? '';
  const media = content[mediaType] ?? content[`${mediaType.split('/')[0]}/*`] ?? content['*/*'];
  if (media === undefined) {
    if (isSuccess(status) || isJson(Object.keys(content)[0] ?? ''))
      report(
        'content type',
        `${response.mediaType ?? 'no Content-Type'} is not among ${Object.keys(content).join(', ')}`,
      );
    return out;
  }
  if (!isJson(mediaType)) return out;
  if (response.bodyError !== undefined) {
    report('body', `the ${mediaType} body does not parse: ${response.bodyError}`);
    return out;
  }
  if (media.schema === undefined) {
    if (isSuccess(status)) report('unchecked body', `responses.${key} ${mediaType} has no schema`);
    return out;
  }
  const pointer = `${op.pointer}/responses/${pointerToken(key)}/content/${pointerToken(mediaType)}/schema`;
  const errors = validator.errorsAt(pointer, response.body);
  if (errors.length > 0)
    report(
      'body',
      `the body does not match responses.${key} ${mediaType}:\n    ${describeErrors(errors).join('\n    ')}`,
    );
  return out;
}

/**
 * What the document itself leaves open, whatever the API answers: operations with a `default`
 * response (a catch-all that documents no status), 2xx answers without a schema.
 */
export function documentDiscrepancies(doc: OpenApiDocument): string[] {
  const out: string[] = [];
  for (const op of operationsOf(doc)) {
    for (const [key, response] of Object.entries(op.operation.responses)) {
      if (key === 'default') out.push(`${op.label}: has a \`default\` response (documents no status)`);
      if (!/^2/.test(key)) continue;
      const content = Object.entries(response.content ?? {});
      if (content.length === 0) out.push(`${op.label}: responses.${key} documents no body`);
      for (const [mediaType, media] of content)
        if (media.schema === undefined && mediaType !== 'text/event-stream')
          out.push(`${op.label}: responses.${key} ${mediaType} has no schema`);
    }
  }
  return out;
}

const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;

/** A request and its answer as indented lines: the request, its body, the answer's body. */
export function formatExchange(request: SentRequest, response: ReceivedResponse): string {
  const headers = Object.entries(request.headers ?? {})
    .map(([k, val]) => `${k}: ${val}`)
    .join(', ');
  return [
    `  request: ${request.method.toUpperCase()} ${request.url} as ${request.caller}${headers ? ` [${headers}]` : ''}`,
    ...(request.body === undefined ? [] : [`  request body: ${clip(JSON.stringify(request.body), 600)}`]),
    `  response (${response.mediaType ?? 'no type'}): ${clip(JSON.stringify(response.body) ?? '(none)', 600)}`,
  ].join('\n');
}

/** A violation as a paragraph: operation, status and what is wrong, the request that caused it, the body that came. */
export function formatViolation(v: Violation): string {
  return `${v.operation} answered ${v.status} — ${v.kind}: ${v.problem}\n${formatExchange(v.request, v.response)}`;
}

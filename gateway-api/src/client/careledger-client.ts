import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './api-types';

export type { components, operations, paths } from './api-types';

/** A client of the REST API whose paths, parameters, bodies and answers are typed by its OpenAPI document. */
export type CareLedgerClient = Client<paths>;

export interface CareLedgerClientOptions {
  /** The gateway's origin, e.g. `http://127.0.0.1:3000`. */
  readonly baseUrl: string;
  /** Sent as `X-API-Key`. */
  readonly apiKey?: string;
  /** Sent as `Authorization: Bearer` (a JWT when the gateway is configured for them). */
  readonly bearerToken?: string;
  /** Headers on every request, e.g. `Prefer: respond-async`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A typed client (openapi-fetch over the generated `api-types.ts`): `client.GET('/api/v1/patients/{patientId}',
 * {params: {path: {patientId}}})` answers `{data, error, response}`, `data` typed by the 2xx schemas
 * and `error` by the others.
 */
export function newCareLedgerClient(options: CareLedgerClientOptions): CareLedgerClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, headers: options.headers });
  client.use({
    onRequest({ request }) {
      if (options.apiKey !== undefined) request.headers.set('x-api-key', options.apiKey);
      if (options.bearerToken !== undefined)
        request.headers.set('authorization', `Bearer ${options.bearerToken}`);
      return request;
    },
  });
  return client;
}

/** An error answer of the REST API: `{error: {code, message}}` and its HTTP status. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiProblem';
    this.status = status;
    this.code = code;
  }
}

export interface Answer<T> {
  readonly data: T;
  readonly page?: { readonly bookmark: string; readonly count: number };
}

/** The REST API as the page calls it: the caller's API key on every request, nothing else. */
export interface ApiClient {
  /** GET `/api/v1<path>`. @throws ApiProblem on an error answer, TypeError when the gateway is unreachable. */
  get<T>(path: string, query?: Readonly<Record<string, string | undefined>>): Promise<Answer<T>>;
  /** A write: POST, PUT or DELETE of `/api/v1<path>` with an optional JSON body. @throws ApiProblem */
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Answer<T>>;
  /** Every record of a paged list, following its bookmarks. */
  getAll<T>(path: string, query?: Readonly<Record<string, string | undefined>>): Promise<T[]>;
  /** The headers that authenticate a request (for the event stream). */
  readonly headers: Readonly<Record<string, string>>;
}

const prefix = '/api/v1';

export function newApiClient(apiKey: string): ApiClient {
  const headers = { 'X-API-Key': apiKey, Accept: 'application/json' };
  const answerOf = async <T>(res: Response): Promise<Answer<T>> => {
    const body = (await res.json().catch(() => ({}))) as Partial<Answer<T>> & {
      error?: { code?: string; message?: string };
    };
    if (!res.ok) {
      throw new ApiProblem(
        res.status,
        body.error?.code ?? 'HTTP_ERROR',
        body.error?.message ?? res.statusText,
      );
    }
    return body as Answer<T>;
  };
  const get = async <T>(
    path: string,
    query: Readonly<Record<string, string | undefined>> = {},
  ): Promise<Answer<T>> => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
    const search = params.size > 0 ? `?${params.toString()}` : '';
    return answerOf<T>(await fetch(`${prefix}${path}${search}`, { headers, cache: 'no-store' }));
  };
  return {
    headers,
    get,
    send: async <T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
      answerOf<T>(
        await fetch(`${prefix}${path}`, {
          method,
          headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          cache: 'no-store',
        }),
      ),
    getAll: async <T>(path: string, query: Readonly<Record<string, string | undefined>> = {}) => {
      const records: T[] = [];
      let bookmark: string | undefined;
      do {
        const answer = await get<T[]>(path, { ...query, pageSize: '200', bookmark });
        records.push(...answer.data);
        bookmark = answer.page?.bookmark || undefined;
      } while (bookmark !== undefined);
      return records;
    },
  };
}

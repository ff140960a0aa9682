import type { KeyObject } from 'node:crypto';
import { signReading, type DeviceReading } from '@careledger/contract';
import { Pool } from 'undici';
import type { Reading } from '../device/reading';
import type { LoadDriver, SendOutcome } from './load-driver';
import { parseServerTiming } from './server-timing';

export interface RestDriverOptions {
  /** Base URL of the gateway, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** One API key per device: user i authenticates as device i. */
  readonly apiKeys: readonly string[];
  /** How keys are sent: `bearer` (`Authorization: Bearer <key>`, default) or `x-api-key`. */
  readonly authScheme?: 'bearer' | 'x-api-key';
  /**
   * Device-signed readings: one private key per device (user i signs with key i, and
   * authenticates with API key i). The driver then posts `signReading(reading, key)`
   * (`{payload, signature}`) to `/api/v1/vitals/signed`, which the gateway batches with other
   * devices' readings, and reports its mode as `signed`. Each device must have enrolled its
   * key (`POST /api/v1/devices/signing-key`) first.
   */
  readonly signingKeys?: readonly KeyObject[];
  /** Path of the single-reading endpoint (default `/api/v1/vitals`, or `/api/v1/vitals/signed` with `signingKeys`). */
  readonly path?: string;
  /** Sockets in the pool (default 256). */
  readonly connections?: number;
  /** Ms to wait for an answer before counting TIMEOUT (default 30 000). */
  readonly timeoutMs?: number;
}

const networkCodes: Record<string, string> = {
  UND_ERR_HEADERS_TIMEOUT: 'TIMEOUT',
  UND_ERR_BODY_TIMEOUT: 'TIMEOUT',
  UND_ERR_CONNECT_TIMEOUT: 'CONNECT_TIMEOUT',
  ECONNREFUSED: 'CONNECTION_REFUSED',
  ECONNRESET: 'CONNECTION_RESET',
  UND_ERR_SOCKET: 'CONNECTION_RESET',
  UND_ERR_CLOSED: 'CLIENT_CLOSED',
  UND_ERR_DESTROYED: 'CLIENT_CLOSED',
};

/** The gateway's stable error code from `{ error: { code } }`, else `HTTP_<status>`. */
function errorCode(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    if (typeof parsed.error?.code === 'string') return parsed.error.code;
  } catch {
    // not JSON: fall back to the status
  }
  return `HTTP_${status}`;
}

/** `meta.transactionId` of a JSON answer, when it has one. */
function transactionIdOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { meta?: { transactionId?: unknown } } | null;
    const id = parsed?.meta?.transactionId;
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}

class RestDriver implements LoadDriver {
  readonly mode: 'rest' | 'signed';
  readonly #pool: Pool;
  readonly #options: Readonly<RestDriverOptions>;
  readonly #path: string;
  readonly #timeoutMs: number;

  constructor(options: Readonly<RestDriverOptions>) {
    const url = new URL(options.url);
    const timeout = options.timeoutMs ?? 30_000;
    this.#options = options;
    this.#timeoutMs = timeout;
    this.mode = options.signingKeys ? 'signed' : 'rest';
    const endpoint = options.path ?? (options.signingKeys ? '/api/v1/vitals/signed' : '/api/v1/vitals');
    this.#path = `${url.pathname.replace(/\/$/, '')}${endpoint}`;
    this.#pool = new Pool(url.origin, {
      connections: options.connections ?? 256,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      keepAliveTimeout: 60_000,
    });
  }

  get capacity(): number {
    return this.#options.apiKeys.length;
  }

  async send(user: number, reading: Reading): Promise<SendOutcome> {
    const key = this.#options.apiKeys[user];
    if (key === undefined) return { ok: false, code: 'NO_IDENTITY', message: `no API key for user ${user}` };
    const auth: Record<string, string> =
      this.#options.authScheme === 'x-api-key' ? { 'x-api-key': key } : { authorization: `Bearer ${key}` };
    try {
      const response = await this.#pool.request({
        method: 'POST',
        path: this.#path,
        headers: { 'content-type': 'application/json', 'idempotency-key': reading.readingId, ...auth },
        body: this.#body(user, reading),
        // undici's own timers are coarse (about a second); this one is exact.
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      const body = await response.body.text();
      if (response.statusCode >= 200 && response.statusCode < 300) {
        const breakdown = parseServerTiming(response.headers['server-timing']);
        const transactionId = transactionIdOf(body);
        return {
          ok: true,
          ...(transactionId === undefined ? {} : { transactionId }),
          ...(Object.keys(breakdown).length > 0 ? { breakdown } : {}),
        };
      }
      return { ok: false, code: errorCode(response.statusCode, body), message: body.slice(0, 200) };
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') return { ok: false, code: 'TIMEOUT' };
      const code = (error as { code?: string }).code ?? 'NETWORK_ERROR';
      return { ok: false, code: networkCodes[code] ?? code, message: (error as Error).message };
    }
  }

  /** The request body: the reading, or the reading as its device signed it. */
  #body(user: number, reading: Reading): string {
    const key = this.#options.signingKeys?.[user];
    if (key === undefined) return JSON.stringify(reading);
    // The device signs what it sends at the time it sends it, as a real monitor would: the
    // signing is part of the measured latency. A Reading is the contract's reading schema, with
    // its deviceId.
    return JSON.stringify(signReading(reading as DeviceReading, key));
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/**
 * A driver that posts each reading to the REST gateway with its device's API key; with
 * `signingKeys`, each reading signed by its device, to the batching endpoint (mode `signed`).
 * @throws RangeError without keys, or with a different number of signing keys than API keys.
 */
export function newRestDriver(options: Readonly<RestDriverOptions>): LoadDriver {
  if (options.apiKeys.length === 0) throw new RangeError('the REST driver needs at least one API key');
  if (options.signingKeys && options.signingKeys.length !== options.apiKeys.length) {
    throw new RangeError(
      `the signed REST driver needs one signing key per API key (${options.signingKeys.length} keys, ${options.apiKeys.length} API keys)`,
    );
  }
  return new RestDriver(options);
}

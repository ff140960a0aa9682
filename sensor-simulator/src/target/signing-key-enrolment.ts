import { setTimeout as sleep } from 'node:timers/promises';
import type { ProvisionedDevice } from './bench-target';

/** The REST gateway the devices enrol through. */
export interface EnrolmentGateway {
  /** Base URL, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** How API keys are sent: `bearer` (default) or `x-api-key`. */
  readonly authScheme?: 'bearer' | 'x-api-key';
}

export interface EnrolmentOptions {
  /** Enrolments in flight at once (default 32, as the embedded target's provisioning). */
  readonly concurrency?: number;
  /**
   * How long, in ms, a 401 is retried (default 10 000): the gateway accepts a freshly created API
   * key once it has reloaded its key store, within about a second.
   */
  readonly unauthorizedRetryMs?: number;
  /** Pause between two tries of a 401, ms (default 250). */
  readonly retryPauseMs?: number;
  /** Per-request timeout, ms (default 30 000). */
  readonly timeoutMs?: number;
}

const ENROL_PATH = '/api/v1/devices/signing-key';

/** `code: message` of a gateway error body, else the body's start. */
function describeError(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code === 'string')
      return `${parsed.error.code}${typeof parsed.error.message === 'string' ? `: ${parsed.error.message}` : ''}`;
  } catch {
    // not JSON
  }
  return body.slice(0, 200);
}

/**
 * Which devices have enrolled their signing key on the ledger, and the enrolment of the others:
 * each device calls `POST /api/v1/devices/signing-key` (no body) with its own API key, and the
 * gateway enrols the public key of the device's certificate (201; 200 when it already was).
 */
export class SigningKeyEnrolment {
  readonly #enrolled = new Set<string>();
  readonly #options: Readonly<EnrolmentOptions>;

  constructor(options: Readonly<EnrolmentOptions> = {}) {
    this.#options = options;
  }

  /** Whether `deviceId` enrolled its key through this object. */
  has(deviceId: string): boolean {
    return this.#enrolled.has(deviceId);
  }

  /**
   * Enrols the keys of the devices not enrolled yet, at most `concurrency` at once, retrying a
   * 401 for `unauthorizedRetryMs` and a 503 with Retry-After after it (ten times). Resolves to how many devices it enrolled now.
   * @throws Error naming the device, the status and the gateway's error code on any other
   * answer, or when a device has no API key; the devices enrolled before it stay enrolled.
   */
  async enroll(gateway: EnrolmentGateway, devices: readonly ProvisionedDevice[]): Promise<number> {
    const pending = devices.filter((d) => !this.#enrolled.has(d.deviceId));
    for (const d of pending) {
      if (!d.apiKey) throw new Error(`device ${d.deviceId} has no API key to enrol its signing key with`);
    }
    const concurrency = Math.max(1, this.#options.concurrency ?? 32);
    let next = 0;
    let failure: Error | undefined;
    const worker = async (): Promise<void> => {
      while (failure === undefined && next < pending.length) {
        const device = pending[next++]!;
        try {
          await this.#enrollOne(gateway, device.deviceId, device.apiKey!);
          this.#enrolled.add(device.deviceId);
        } catch (error) {
          failure ??= error as Error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
    if (failure) throw failure;
    return pending.length;
  }

  async #enrollOne(gateway: EnrolmentGateway, deviceId: string, apiKey: string): Promise<void> {
    const base = new URL(gateway.url);
    const url = `${base.origin}${base.pathname.replace(/\/$/, '')}${ENROL_PATH}`;
    const headers: Record<string, string> =
      gateway.authScheme === 'x-api-key' ? { 'x-api-key': apiKey } : { authorization: `Bearer ${apiKey}` };
    const deadline = Date.now() + (this.#options.unauthorizedRetryMs ?? 10_000);
    let overloaded = 0;
    for (;;) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers,
          signal: AbortSignal.timeout(this.#options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        throw new Error(
          `device ${deviceId} could not enrol its signing key: POST ${url} failed (${cause ?? (error as Error).message})`,
        );
      }
      const body = await response.text();
      if (response.status === 201 || response.status === 200) return;
      if (response.status === 401 && Date.now() < deadline) {
        await sleep(this.#options.retryPauseMs ?? 250);
        continue;
      }
      // The gateway shedding load says when to come back; ten times at most.
      const retryAfter = Number(response.headers.get('retry-after'));
      if (response.status === 503 && retryAfter > 0 && (overloaded += 1) <= 10) {
        await sleep(retryAfter * 1000);
        continue;
      }
      throw new Error(
        `device ${deviceId} could not enrol its signing key: POST ${ENROL_PATH} answered ${response.status} ${describeError(body)}`,
      );
    }
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { DeviceBinding } from '../bench/run-benchmark';

export interface RegistrationOptions {
  /** REST gateway base URL. */
  readonly url: string;
  /** API key of the identity that registers patients and devices (a nurse of their hospital). */
  readonly apiKey: string;
  /** How the key is sent: `x-api-key` (default) or `bearer`. */
  readonly authScheme?: 'bearer' | 'x-api-key';
  /** Registrations in flight at once (default 32). */
  readonly concurrency?: number;
  /**
   * How long, in ms, a 401 is retried (default 0): a key created moments ago is accepted once the
   * gateway has reloaded its key store and its connection file, within about a second each.
   */
  readonly unauthorizedRetryMs?: number;
  /** Pause between two tries of a 401, ms (default 250). */
  readonly retryPauseMs?: number;
  /** A 409 CONFLICT (the patient or device exists) counts as done: an earlier run registered it. */
  readonly existingIsDone?: boolean;
}

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
 * One provisioning write. A 503 with Retry-After (the gateway shedding load) is sent again after
 * it, ten times at most; a 401 until `unauthorizedRetryMs` has passed.
 */
async function post(options: Readonly<RegistrationOptions>, path: string, body: unknown): Promise<void> {
  const base = new URL(options.url);
  const url = `${base.origin}${base.pathname.replace(/\/$/, '')}/api/v1${path}`;
  const auth: Record<string, string> =
    options.authScheme === 'bearer'
      ? { authorization: `Bearer ${options.apiKey}` }
      : { 'x-api-key': options.apiKey };
  const deadline = Date.now() + (options.unauthorizedRetryMs ?? 0);
  for (let overloaded = 0; ;) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status === 201) return;
    if (res.status === 409 && options.existingIsDone && text.includes('"CONFLICT"')) return;
    if (res.status === 401 && Date.now() < deadline) {
      await sleep(options.retryPauseMs ?? 250);
      continue;
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    if (res.status === 503 && retryAfter > 0 && (overloaded += 1) <= 10) {
      await sleep(retryAfter * 1000);
      continue;
    }
    throw new Error(`provisioning POST /api/v1${path} answered ${res.status} ${describeError(text)}`);
  }
}

/**
 * Registers each device's patient (`POST /api/v1/patients`, generated demographics) and then the
 * device bound to it (`POST /api/v1/devices`), through the REST gateway as the given identity, at
 * most `concurrency` devices at once.
 * @throws Error naming the request, the status and the gateway's error code of the first failure;
 * the devices registered before it stay registered.
 */
export async function registerDevices(
  options: Readonly<RegistrationOptions>,
  devices: readonly (DeviceBinding & { readonly index: number })[],
): Promise<void> {
  let next = 0;
  let failure: Error | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < devices.length) {
      const d = devices[next++]!;
      try {
        await post(options, '/patients', {
          patientId: d.patientId,
          demographics: { name: `Simulated Patient ${d.index}`, birthDate: '1970-01-01', sex: 'unknown' },
        });
        await post(options, '/devices', {
          deviceId: d.deviceId,
          type: 'bedside-monitor',
          patientId: d.patientId,
        });
      } catch (error) {
        failure ??= error as Error;
      }
    }
  };
  const concurrency = Math.max(1, options.concurrency ?? 32);
  await Promise.all(Array.from({ length: Math.min(concurrency, devices.length) }, worker));
  if (failure) throw failure;
}

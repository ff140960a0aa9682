import { VirtualDevice } from '../device/virtual-device';
import type { Reading } from '../device/reading';
import type { ProvisionedDevice } from '../target/bench-target';
import type { AcknowledgedReadings } from './acknowledged-readings';

export interface DeviceLoadOptions {
  readonly devices: readonly ProvisionedDevice[];
  /** Readings per second per device. */
  readonly rate: number;
  /** Where the gateway is now (it moves when it restarts). */
  readonly gatewayUrl: () => string;
  readonly record: AcknowledgedReadings;
  /** Wait before a device sends a refused or unanswered reading again (ms). */
  readonly resendAfterMs?: number;
  /** A request's own deadline (ms). */
  readonly timeoutMs?: number;
}

type Outcome =
  | { readonly ok: true; readonly status: number; readonly statusUrl?: string }
  | { readonly ok: false; readonly code: string; readonly final: boolean };

async function post(
  url: string,
  apiKey: string,
  reading: Reading,
  async: boolean,
  timeoutMs: number,
): Promise<Outcome> {
  try {
    const res = await fetch(`${url}/api/v1/vitals`, {
      method: 'POST',
      headers: {
        'x-api-key': apiKey,
        'content-type': 'application/json',
        ...(async ? { prefer: 'respond-async' } : {}),
      },
      body: JSON.stringify(reading),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await res.json().catch(() => ({}))) as {
      error?: { code?: string };
      meta?: { statusUrl?: string };
    };
    if (res.status === 200 || res.status === 201) return { ok: true, status: res.status };
    if (res.status === 202)
      return { ok: true, status: 202, ...(body.meta?.statusUrl ? { statusUrl: body.meta.statusUrl } : {}) };
    // A 4xx will not change by sending it again; anything else may.
    return {
      ok: false,
      code: body.error?.code ?? `HTTP_${res.status}`,
      final: res.status >= 400 && res.status < 500,
    };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return {
      ok: false,
      code: (err as Error).name === 'TimeoutError' ? 'TIMEOUT' : (cause ?? 'NETWORK_ERROR'),
      final: false,
    };
  }
}

/**
 * Devices as a ward has them during a fault run: each sends `rate` readings a second, half of
 * them waiting for the commit (201) and half with `Prefer: respond-async` (202), and sends a
 * reading that was refused (5xx) or not answered again, with the same id, until the gateway
 * acknowledges it — what a device must do to lose nothing. A 4xx is final (counted, not resent).
 */
export class DeviceLoad {
  readonly #o: DeviceLoadOptions;
  #stopped = false;
  readonly #loops: Promise<void>[] = [];

  constructor(options: DeviceLoadOptions) {
    this.#o = options;
  }

  start(): void {
    const runId = `faults-${Date.now().toString(36)}`;
    this.#o.devices.forEach((d, i) => {
      const device = new VirtualDevice({
        deviceId: d.deviceId,
        patientId: d.patientId,
        seed: `faults:${i}`,
        runId,
      });
      this.#loops.push(
        this.#run(device, d.apiKey ?? '', i % 2 === 1, (i / this.#o.devices.length) * (1000 / this.#o.rate)),
      );
    });
  }

  /** Stops sending new readings; resolves once every device has its last reading acknowledged or given up. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#loops);
  }

  async #run(device: VirtualDevice, apiKey: string, async: boolean, offsetMs: number): Promise<void> {
    const intervalMs = 1000 / this.#o.rate;
    const started = performance.now() + offsetMs;
    for (let k = 0; !this.#stopped; k++) {
      const due = started + k * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (this.#stopped) break;
      // A device that could not deliver for a while catches up on what it measured meanwhile.
      await this.#deliver(device.next((due - started) / 1000), apiKey, async);
    }
  }

  /** Sends one reading until acknowledged (or refused for its content); at most 2 minutes after the stop. */
  async #deliver(reading: Reading, apiKey: string, async: boolean): Promise<void> {
    const { record } = this.#o;
    const giveUpAt = () => (this.#stopped ? performance.now() + 120_000 : Infinity);
    let deadline = giveUpAt();
    for (let attempt = 1; ; attempt++) {
      record.sent(attempt > 1);
      const outcome = await post(this.#o.gatewayUrl(), apiKey, reading, async, this.#o.timeoutMs ?? 10_000);
      if (outcome.ok) {
        record.acknowledged({
          reading,
          how: outcome.status === 202 ? 'accepted' : 'committed',
          ...(outcome.statusUrl ? { statusUrl: outcome.statusUrl } : {}),
          attempts: attempt,
        });
        return;
      }
      record.failed(outcome.code);
      if (outcome.final) return;
      if (deadline === Infinity) deadline = giveUpAt();
      if (performance.now() > deadline) {
        record.failed('GAVE_UP');
        return;
      }
      await new Promise((r) => setTimeout(r, this.#o.resendAfterMs ?? 500));
    }
  }
}

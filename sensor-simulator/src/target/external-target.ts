import type { FabricTarget } from '@careledger/fabric-toolkit';
import { newDirectDriver } from '../drivers/direct-driver';
import type { LoadDriver } from '../drivers/load-driver';
import { newRestDriver } from '../drivers/rest-driver';
import type { BenchTarget, DriverSettings, Mode, ProvisionedDevice } from './bench-target';

export interface ExternalTargetOptions {
  /** REST gateway base URL. */
  readonly url?: string;
  /** API keys used when no devices file is given: user i gets key i mod n. */
  readonly apiKeys?: readonly string[];
  readonly authScheme?: 'bearer' | 'x-api-key';
  /** Devices already registered and bound on the ledger, with their credentials. */
  readonly devices?: readonly ProvisionedDevice[];
  /** Direct mode: the network's gateway endpoint. */
  readonly fabric?: FabricTarget;
}

class ExternalTarget implements BenchTarget {
  readonly description: string;
  readonly modes: readonly Mode[];
  readonly #options: Readonly<ExternalTargetOptions>;

  constructor(options: Readonly<ExternalTargetOptions>) {
    this.#options = options;
    const parts = [
      options.url,
      options.fabric && `fabric ${options.fabric.endpoint} (${options.fabric.channel})`,
    ];
    this.description = parts.filter(Boolean).join(' + ');
    this.modes = [
      ...(options.url ? (['rest'] as const) : []),
      ...(options.fabric ? (['direct'] as const) : []),
    ];
  }

  async provision(count: number): Promise<ProvisionedDevice[]> {
    const { devices, apiKeys } = this.#options;
    if (devices) {
      if (devices.length < count)
        throw new Error(`the devices file lists ${devices.length} devices, ${count} users asked`);
      return devices.slice(0, count);
    }
    if (!apiKeys || apiKeys.length === 0)
      throw new Error('give --devices FILE, or --api-key for the REST mode');
    return Array.from({ length: count }, (_, i) => ({
      deviceId: `sim-device-${i}`,
      patientId: `sim-patient-${i}`,
      apiKey: apiKeys[i % apiKeys.length],
    }));
  }

  createDriver(mode: Mode, devices: readonly ProvisionedDevice[], settings: DriverSettings): LoadDriver {
    const { url, fabric, authScheme } = this.#options;
    if (mode === 'rest') {
      if (!url) throw new Error('the REST mode needs --url');
      const apiKeys = devices.map((d, i) => {
        if (!d.apiKey) throw new Error(`device ${i} (${d.deviceId}) has no API key`);
        return d.apiKey;
      });
      return newRestDriver({
        url,
        apiKeys,
        connections: settings.connections,
        timeoutMs: settings.timeoutMs,
        ...(authScheme ? { authScheme } : {}),
      });
    }
    if (!fabric) throw new Error('the direct mode needs --connection');
    const identities = devices.map((d, i) => {
      if (!d.identity) throw new Error(`device ${i} (${d.deviceId}) has no Fabric identity`);
      return d.identity;
    });
    return newDirectDriver({ network: fabric, identities, timeoutMs: settings.timeoutMs });
  }

  async close(): Promise<void> {}
}

/** A gateway and/or Fabric network that is already running, with devices already provisioned. */
export function newExternalTarget(options: Readonly<ExternalTargetOptions>): BenchTarget {
  if (!options.url && !options.fabric) throw new Error('an external target needs a URL or a connection');
  return new ExternalTarget(options);
}

import { createPrivateKey } from 'node:crypto';
import type { FabricTarget } from '@careledger/fabric-toolkit';
import { newDirectDriver } from '../drivers/direct-driver';
import type { LoadDriver } from '../drivers/load-driver';
import { newRestDriver } from '../drivers/rest-driver';
import type { BenchTarget, DriverSettings, Mode, ProvisionedDevice } from './bench-target';
import type { DeviceProvisioner } from './network-provisioner';
import { SigningKeyEnrolment } from './signing-key-enrolment';

export interface ExternalTargetOptions {
  /** REST gateway base URL. */
  readonly url?: string;
  /** API keys used when no devices file is given: user i gets key i mod n. */
  readonly apiKeys?: readonly string[];
  readonly authScheme?: 'bearer' | 'x-api-key';
  /** Devices already registered and bound on the ledger, with their credentials. */
  readonly devices?: readonly ProvisionedDevice[];
  /** Makes the devices instead (`--provision`): identities, patients, bindings, API keys. */
  readonly provisioner?: DeviceProvisioner;
  /** Direct mode: the network's gateway endpoint. */
  readonly fabric?: FabricTarget;
  /**
   * Which devices have enrolled their signing key (the signed mode), when known from before: the
   * embedded target shares one across the gateways it restarts. Default: none yet.
   */
  readonly signingKeys?: SigningKeyEnrolment;
  readonly log?: (message: string) => void;
}

/** What a mode needs of an external target, for the message when it is not available. */
export const modeRequirements: Readonly<Record<Mode, string>> = {
  rest: '--url',
  direct: '--connection',
  signed:
    '--url and --provision, or a --devices file whose every device has an API key and an identity (mspId, certificatePath, privateKeyPath)',
};

class ExternalTarget implements BenchTarget {
  readonly description: string;
  readonly modes: readonly Mode[];
  readonly #options: Readonly<ExternalTargetOptions>;
  readonly #signingKeys: SigningKeyEnrolment;

  constructor(options: Readonly<ExternalTargetOptions>) {
    this.#options = options;
    this.#signingKeys = options.signingKeys ?? new SigningKeyEnrolment();
    const parts = [
      options.url,
      options.fabric && `fabric ${options.fabric.endpoint} (${options.fabric.channel})`,
    ];
    this.description = parts.filter(Boolean).join(' + ');
    // Signing needs each device's own private key: only a devices file or the provisioning gives them.
    const signs =
      options.provisioner !== undefined ||
      options.devices?.every((d) => d.apiKey !== undefined && d.identity !== undefined) === true;
    this.modes = [
      ...(options.url ? (['rest'] as const) : []),
      ...(options.fabric ? (['direct'] as const) : []),
      ...(options.url && signs ? (['signed'] as const) : []),
    ];
  }

  async provision(count: number): Promise<ProvisionedDevice[]> {
    const { devices, apiKeys, provisioner } = this.#options;
    if (provisioner) return provisioner.provision(count);
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

  /** The signed mode: every device not enrolled yet enrols its signing key through the gateway. */
  async prepare(mode: Mode, devices: readonly ProvisionedDevice[]): Promise<void> {
    if (mode !== 'signed') return;
    const { url, authScheme, log } = this.#options;
    if (!url) throw new Error('the signed mode needs --url');
    const pending = devices.filter((d) => !this.#signingKeys.has(d.deviceId)).length;
    if (pending === 0) return;
    log?.(`enrolling the signing keys of ${pending} devices through ${url}`);
    await this.#signingKeys.enroll({ url, ...(authScheme ? { authScheme } : {}) }, devices);
  }

  createDriver(mode: Mode, devices: readonly ProvisionedDevice[], settings: DriverSettings): LoadDriver {
    const { url, fabric, authScheme } = this.#options;
    if (mode === 'rest' || mode === 'signed') {
      if (!url) throw new Error(`the ${mode} mode needs --url`);
      const apiKeys = devices.map((d, i) => {
        if (!d.apiKey) throw new Error(`device ${i} (${d.deviceId}) has no API key`);
        return d.apiKey;
      });
      const signingKeys =
        mode === 'signed'
          ? devices.map((d, i) => {
              if (!d.identity)
                throw new Error(`device ${i} (${d.deviceId}) has no private key to sign its readings with`);
              return createPrivateKey(d.identity.privateKeyPem);
            })
          : undefined;
      return newRestDriver({
        url,
        apiKeys,
        connections: settings.connections,
        timeoutMs: settings.timeoutMs,
        ...(authScheme ? { authScheme } : {}),
        ...(signingKeys ? { signingKeys } : {}),
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

/**
 * A gateway and/or Fabric network that is already running, with devices already provisioned
 * (a devices file, shared API keys) or provisioned by `provisioner`.
 */
export function newExternalTarget(options: Readonly<ExternalTargetOptions>): BenchTarget {
  if (!options.url && !options.fabric) throw new Error('an external target needs a URL or a connection');
  return new ExternalTarget(options);
}

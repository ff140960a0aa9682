import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  certificateSha256,
  identityNamed,
  loadConnectionFile,
  writeConnectionFile,
  type ConnectionFile,
  type ConnectionIdentity,
} from '@careledger/fabric-toolkit';
import { ApiKeyStore } from '@careledger/gateway-api';
import type { ProvisionedDevice } from './bench-target';
import { issuerOf, type DeviceIdentityIssuer } from './device-identity-issuer';
import { registerDevices } from './device-registration';
import { loadDevicesFile, saveDevicesFile, type DeviceFileEntry } from './devices-file';

/** Makes the devices a benchmark needs on a network it did not start. */
export interface DeviceProvisioner {
  readonly description: string;
  /**
   * Devices 0 … count−1 with their identities, patients, bindings and API keys: those the
   * devices file lists already, and the missing ones made now (and added to the file).
   * @throws Error naming the step and the device that failed; what was done before stays done.
   */
  provision(count: number): Promise<ProvisionedDevice[]>;
}

export interface NetworkProvisionerOptions {
  /** The running REST gateway, which must watch `connectionFile` and use `apiKeyStore`. */
  readonly url: string;
  /** The network's connection file (network.sh's `<run dir>/connection.json`), rewritten with the new identities. */
  readonly connectionFile: string;
  /** The gateway's API-key store (`npm run apikey`'s `--store`). */
  readonly apiKeyStore: string;
  /** Where the devices are kept: read when it exists, written with every device made. */
  readonly devicesFile: string;
  /** The identity that registers patients and devices: a nurse of the devices' hospital. */
  readonly provisioner: string;
  readonly authScheme?: 'bearer' | 'x-api-key';
  /** Registrations in flight (default 64). */
  readonly concurrency?: number;
  /** How identities are issued (default: found from the network's files, `issuerOf`). */
  readonly issuer?: DeviceIdentityIssuer;
  /** How long the gateway may take to accept new identities and keys, ms (default 30 000). */
  readonly acceptWithinMs?: number;
  readonly log?: (message: string) => void;
}

/** `<cryptoDir>` of a certificate in Fabric's layout, `<cryptoDir>/peerOrganizations/<domain>/…`. */
function cryptoDirOf(certPath: string): string {
  const parts = path.resolve(certPath).split(path.sep);
  const at = parts.lastIndexOf('peerOrganizations');
  if (at < 1) throw new Error(`${certPath} is not in a peerOrganizations/<domain>/ layout`);
  return parts.slice(0, at).join(path.sep) || path.sep;
}

/** The connection file with `added` among `mspId`'s identities (replacing any of the same name). */
function withIdentities(
  file: ConnectionFile,
  mspId: string,
  added: readonly ConnectionIdentity[],
): ConnectionFile {
  const names = new Set(added.map((a) => a.name));
  return {
    ...file,
    organisations: file.organisations.map((o) =>
      o.mspId === mspId
        ? { ...o, identities: [...o.identities.filter((i) => !names.has(i.name)), ...added] }
        : o,
    ),
  };
}

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

class NetworkProvisioner implements DeviceProvisioner {
  readonly description: string;
  readonly #options: Readonly<NetworkProvisionerOptions>;

  constructor(options: Readonly<NetworkProvisionerOptions>) {
    this.#options = options;
    this.description = `devices of ${options.provisioner}'s hospital through ${options.url}`;
  }

  async #existing(): Promise<{ entries: DeviceFileEntry[]; devices: ProvisionedDevice[] }> {
    const file = this.#options.devicesFile;
    if (!existsSync(file)) return { entries: [], devices: [] };
    const devices = await loadDevicesFile(file);
    const dir = path.dirname(file);
    const raw = JSON.parse(await readFile(file, 'utf8')) as DeviceFileEntry[];
    const entries = raw.map((e) => {
      if (!e.apiKey || !e.mspId) throw new Error(`${file}: device ${e.deviceId} has no API key or identity`);
      return {
        ...e,
        certificatePath: path.resolve(dir, e.certificatePath),
        privateKeyPath: path.resolve(dir, e.privateKeyPath),
      };
    });
    return { entries, devices };
  }

  /** Until the gateway accepts `apiKey` (anything but 401): it reloads keys and identities every second. */
  async #accepted(apiKey: string): Promise<void> {
    const { url, authScheme, acceptWithinMs } = this.#options;
    const headers: Record<string, string> =
      authScheme === 'bearer' ? { authorization: `Bearer ${apiKey}` } : { 'x-api-key': apiKey };
    const deadline = Date.now() + (acceptWithinMs ?? 30_000);
    for (;;) {
      const res = await fetch(new URL('/api/v1/organizations', url), { headers });
      await res.body?.cancel();
      if (res.status !== 401) return;
      if (Date.now() > deadline)
        throw new Error(
          `${url} still answers 401 to the new devices' API keys: does it watch ${this.#options.connectionFile} and use ${this.#options.apiKeyStore}?`,
        );
      await sleep(250);
    }
  }

  async provision(count: number): Promise<ProvisionedDevice[]> {
    const { entries, devices } = await this.#existing();
    if (devices.length >= count) return devices.slice(0, count);
    const o = this.#options;
    const log = o.log ?? (() => undefined);
    const connection = await loadConnectionFile(o.connectionFile);
    const registrar = identityNamed(connection, o.provisioner);
    const mspId = registrar.mspId;
    const issuer = o.issuer ?? issuerOf(cryptoDirOf(registrar.certPath), mspId);
    const from = devices.length;
    const requests = Array.from({ length: count - from }, (_, k) => {
      const deviceId = `sim-device-${from + k}`;
      return { name: deviceId, deviceId, patientId: `sim-patient-${from + k}`, index: from + k };
    });

    let started = Date.now();
    log(
      `issuing ${requests.length} device identities of ${mspId} (${from}…${count - 1}) with ${issuer.description}`,
    );
    const identities = await issuer.issue(requests);
    // One write for all: the gateway reads the file again when it changes.
    await writeConnectionFile(o.connectionFile, withIdentities(connection, mspId, identities));
    log(`issued in ${seconds(started)}; ${o.connectionFile} now lists them`);

    started = Date.now();
    const store = new ApiKeyStore(o.apiKeyStore);
    const fingerprint = (file: string): string => certificateSha256(readFileSync(file));
    const registrarKey = store.create(
      o.provisioner,
      'benchmark provisioning',
      fingerprint(registrar.certPath),
    ).key;
    // Each create rewrites the store: about 2 ms per key at a thousand keys.
    const keys = identities.map((id) => store.create(id.name, 'benchmark device', fingerprint(id.certPath)));
    log(
      `${keys.length} API keys in ${o.apiKeyStore} (${seconds(started)}); registering patients and devices as ${o.provisioner}`,
    );

    started = Date.now();
    await registerDevices(
      {
        url: o.url,
        apiKey: registrarKey,
        ...(o.authScheme ? { authScheme: o.authScheme } : {}),
        concurrency: o.concurrency ?? 64,
        unauthorizedRetryMs: o.acceptWithinMs ?? 30_000,
        existingIsDone: true,
      },
      requests,
    );
    const last = keys[keys.length - 1];
    if (last !== undefined) await this.#accepted(last.key);
    log(`registered and bound ${requests.length} devices in ${seconds(started)}`);

    const made: DeviceFileEntry[] = requests.map((r, k) => ({
      deviceId: r.deviceId,
      patientId: r.patientId,
      apiKey: keys[k]!.key,
      mspId,
      certificatePath: identities[k]!.certPath,
      privateKeyPath: identities[k]!.keyPath,
    }));
    await saveDevicesFile(o.devicesFile, [...entries, ...made]);
    log(`devices file: ${o.devicesFile} (${entries.length + made.length} devices)`);
    const fresh = await Promise.all(
      made.map(async (e) => ({
        deviceId: e.deviceId,
        patientId: e.patientId,
        apiKey: e.apiKey,
        identity: {
          mspId,
          certificatePem: await readFile(e.certificatePath, 'utf8'),
          privateKeyPem: await readFile(e.privateKeyPath, 'utf8'),
        },
      })),
    );
    return [...devices, ...fresh];
  }
}

/**
 * The benchmark's provisioning of a running network and gateway it did not start (network.sh's,
 * or any with the same layout): device identities issued into the network's crypto material and
 * added to the connection file the gateway watches, an API key each in the gateway's key store,
 * each device's patient registered and the device bound to it through the REST API — the gateway
 * takes all of it without a restart.
 */
export function newNetworkProvisioner(options: Readonly<NetworkProvisionerOptions>): DeviceProvisioner {
  return new NetworkProvisioner(options);
}

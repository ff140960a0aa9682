import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrollUser, loadConnectionFile, type Devnet } from '@careledger/devnet';
import { loadConfig, startEmbeddedNetwork, startGateway, type RunningGateway } from '@careledger/gateway-api';
import pino from 'pino';
import type { LoadDriver } from '../drivers/load-driver';
import type { BenchTarget, DriverSettings, Mode, ProvisionedDevice } from './bench-target';
import { loadFabricEndpoint } from './connection-file';
import { newExternalTarget } from './external-target';

export interface EmbeddedTargetOptions {
  readonly log: (message: string) => void;
}

/** The hospital whose devices and patients the benchmark provisions. */
const HOSPITAL = 'HospitalAMSP';
/** Provisioning requests in flight at once. */
const PROVISION_CONCURRENCY = 32;

class EmbeddedTarget implements BenchTarget {
  readonly description = 'embedded devnet + REST gateway (same process)';
  readonly modes: readonly Mode[] = ['rest', 'direct'];
  readonly #devnet: Devnet;
  readonly #gateway: RunningGateway;
  readonly #dataDir: string;
  readonly #nurseKey: string;
  readonly #log: (message: string) => void;
  readonly #devices: ProvisionedDevice[] = [];

  constructor(devnet: Devnet, gateway: RunningGateway, dataDir: string, log: (message: string) => void) {
    this.#devnet = devnet;
    this.#gateway = gateway;
    this.#dataDir = dataDir;
    this.#log = log;
    this.#nurseKey = gateway.apiKeys.create('hospitala-nurse', 'benchmark provisioning').key;
  }

  async #post(path: string, body: unknown): Promise<void> {
    const res = await fetch(`${this.#gateway.url}/api/v1${path}`, {
      method: 'POST',
      headers: { 'x-api-key': this.#nurseKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201)
      throw new Error(`provisioning ${path} answered ${res.status}: ${await res.text()}`);
  }

  /** One device: its own enrolled identity and API key, a patient, and the binding on the ledger. */
  async #provisionOne(i: number): Promise<ProvisionedDevice> {
    const deviceId = `sim-device-${i}`;
    const patientId = `sim-patient-${i}`;
    const enrolled = await enrollUser(join(this.#dataDir, 'devnet', 'crypto'), {
      mspId: HOSPITAL,
      name: deviceId,
      role: 'device',
      attrs: { deviceId },
    });
    this.#gateway.wallet.add({ ...enrolled, attrs: { ...enrolled.attrs } });
    const apiKey = this.#gateway.apiKeys.create(enrolled.name, 'benchmark device').key;
    await this.#post('/patients', {
      patientId,
      demographics: { name: `Simulated Patient ${i}`, birthDate: '1970-01-01', sex: 'unknown' },
    });
    await this.#post('/devices', { deviceId, type: 'bedside-monitor', patientId });
    return {
      deviceId,
      patientId,
      apiKey,
      identity: {
        mspId: HOSPITAL,
        certificatePem: await readFile(enrolled.certPath, 'utf8'),
        privateKeyPem: await readFile(enrolled.keyPath, 'utf8'),
      },
    };
  }

  async provision(count: number): Promise<ProvisionedDevice[]> {
    if (count > this.#devices.length) this.#log(`provisioning devices ${this.#devices.length}…${count - 1}`);
    while (this.#devices.length < count) {
      const start = this.#devices.length;
      const batch = Array.from({ length: Math.min(PROVISION_CONCURRENCY, count - start) }, (_, k) =>
        this.#provisionOne(start + k),
      );
      this.#devices.push(...(await Promise.all(batch)));
    }
    return this.#devices.slice(0, count);
  }

  createDriver(mode: Mode, devices: readonly ProvisionedDevice[], settings: DriverSettings): LoadDriver {
    return this.#external(mode).createDriver(mode, devices, settings);
  }

  #externalTarget: BenchTarget | undefined;
  #fabric: Awaited<ReturnType<typeof loadFabricEndpoint>> | undefined;

  async init(): Promise<void> {
    this.#fabric = await loadFabricEndpoint(this.#devnet.connectionFilePath);
    this.#externalTarget = newExternalTarget({
      url: this.#gateway.url,
      fabric: this.#fabric,
      authScheme: 'x-api-key',
    });
  }

  #external(_mode: Mode): BenchTarget {
    if (!this.#externalTarget) throw new Error('the embedded target is not initialised');
    return this.#externalTarget;
  }

  async close(): Promise<void> {
    await this.#gateway.close();
    await this.#devnet.stop();
    rmSync(this.#dataDir, { recursive: true, force: true });
  }
}

/**
 * Starts the embedded network and the REST gateway in this process, for one run, in a fresh
 * temporary directory; devices are enrolled (one identity each) and bound to patients on demand.
 */
export async function startEmbeddedTarget(options: Readonly<EmbeddedTargetOptions>): Promise<BenchTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'careledger-bench-'));
  const logger = pino({ level: 'warn' }, pino.destination(2));
  options.log('starting the embedded network and the REST gateway');
  const devnet = await startEmbeddedNetwork({ dataDir, logger });
  try {
    const config = loadConfig({ PORT: '0', CARELEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    const gateway = await startGateway({
      config,
      connection: await loadConnectionFile(devnet.connectionFilePath),
      logger,
    });
    const target = new EmbeddedTarget(devnet, gateway, dataDir, options.log);
    await target.init();
    return target;
  } catch (err) {
    await devnet.stop();
    throw err;
  }
}

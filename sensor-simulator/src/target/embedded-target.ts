import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  residentMemoryMB,
  targetOf,
  writeConnectionFile,
  type ConnectionFile,
  type ConnectionIdentity,
} from '@careledger/fabric-toolkit';
import {
  spawnEmbeddedNetwork,
  spawnGateway,
  type EmbeddedNetworkProcess,
  type GatewayProcess,
} from '@careledger/gateway-api';
import type { LoadDriver } from '../drivers/load-driver';
import type { BenchTarget, DriverSettings, Mode, ProvisionedDevice } from './bench-target';
import { registerDevices } from './device-registration';
import { newExternalTarget } from './external-target';
import { ServerLogs } from './server-logs';
import { SigningKeyEnrolment } from './signing-key-enrolment';

export interface EmbeddedTargetOptions {
  readonly log: (message: string) => void;
  /** Node.js flags for the network and gateway processes (e.g. heap limits). */
  readonly serverNodeArgs?: readonly string[];
  /** Where the servers' warnings and errors go: `<stem>-devnet.log`, `<stem>-gateway.log`. */
  readonly serverLogStem?: string;
  /** The run's directory (default: a fresh one under the system's temporary directory); removed at close. */
  readonly dataDir?: string;
}

/** What a fault run does to the servers of an embedded target, as a crash or an operator would. */
export interface ServerFaults {
  /** The REST gateway's current URL (it changes when the gateway starts again). */
  readonly gatewayUrl: string;
  /** An API key of a nurse of the devices' hospital, who may read every provisioned patient. */
  readonly nurseKey: string;
  /** The run's directory: the network's and the gateway's data are below it. */
  readonly dataDir: string;
  killGateway(): Promise<void>;
  /** Starts the gateway again on the same data (its intake, its API keys). */
  startGateway(): Promise<void>;
  killNetwork(): Promise<void>;
  /** Starts the network again on the same data and port. */
  startNetwork(): Promise<void>;
  /** SIGSTOP / SIGCONT of the network process. */
  pauseNetwork(): void;
  resumeNetwork(): void;
}

/** The hospital whose devices and patients the benchmark provisions. */
const HOSPITAL = 'HospitalAMSP';
/** The identity that registers patients and devices. */
const PROVISIONER = 'hospitala-nurse';
/** Enrolments and registrations in flight at once. */
const PROVISION_CONCURRENCY = 32;

interface Enrolled extends ConnectionIdentity {
  readonly deviceId: string;
  readonly patientId: string;
}

async function inBatches<T>(count: number, from: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let start = from; start < count; start += PROVISION_CONCURRENCY) {
    const size = Math.min(PROVISION_CONCURRENCY, count - start);
    out.push(...(await Promise.all(Array.from({ length: size }, (_, k) => make(start + k)))));
  }
  return out;
}

/**
 * The embedded network and the REST gateway, each in its own process as they run in
 * production, so the load generator (this process) shares no event loop with them: the
 * REST/direct comparison measures the gateway, not contention for one thread.
 */
export class EmbeddedTarget implements BenchTarget, ServerFaults {
  readonly description = 'embedded devnet + REST gateway (separate processes)';
  readonly modes: readonly Mode[] = ['rest', 'direct', 'signed'];
  #devnet: EmbeddedNetworkProcess;
  readonly #nodeArgs: readonly string[];
  readonly #logs: ServerLogs;
  readonly #dataDir: string;
  readonly #log: (message: string) => void;
  #provisionerKey = '';
  readonly #enrolled: Enrolled[] = [];
  readonly #devices: ProvisionedDevice[] = [];
  #gateway: GatewayProcess | undefined;
  #lastGatewayUrl = '';
  #target: BenchTarget | undefined;
  /** Enrolled signing keys are on the ledger: they outlive a gateway restart. */
  readonly #signingKeys = new SigningKeyEnrolment({ concurrency: PROVISION_CONCURRENCY });

  constructor(
    devnet: EmbeddedNetworkProcess,
    dataDir: string,
    log: (message: string) => void,
    servers: { readonly nodeArgs: readonly string[]; readonly logs: ServerLogs },
  ) {
    this.#devnet = devnet;
    this.#nodeArgs = servers.nodeArgs;
    this.#logs = servers.logs;
    this.#dataDir = dataDir;
    this.#log = log;
  }

  async #enroll(i: number): Promise<Enrolled> {
    const deviceId = `sim-device-${i}`;
    const [enrolled] = await this.#devnet.enrollIdentities(HOSPITAL, [
      { name: deviceId, role: 'device', attrs: { deviceId } },
    ]);
    if (enrolled === undefined) throw new Error(`device ${deviceId} was not enrolled`);
    return { ...enrolled, deviceId, patientId: `sim-patient-${i}` };
  }

  /** The devnet's connection file plus every enrolled device, which the gateway's wallet serves. */
  async #writeConnectionFile(): Promise<string> {
    const base: ConnectionFile = this.#devnet.connection;
    const devices = this.#enrolled.map(({ name, role, certPath, keyPath, attrs }) => ({
      name,
      role,
      certPath,
      keyPath,
      attrs: { ...attrs },
    }));
    const file: ConnectionFile = {
      ...base,
      organisations: base.organisations.map((o) =>
        o.mspId === HOSPITAL ? { ...o, identities: [...o.identities, ...devices] } : o,
      ),
    };
    const path = join(this.#dataDir, 'bench-connection.json');
    await writeConnectionFile(path, file);
    return path;
  }

  #running(): GatewayProcess {
    if (this.#gateway === undefined) throw new Error('the REST gateway is not running');
    return this.#gateway;
  }

  async #credentials(i: number): Promise<ProvisionedDevice> {
    const d = this.#enrolled[i];
    if (d === undefined) throw new Error(`device ${i} is not enrolled`);
    return {
      deviceId: d.deviceId,
      patientId: d.patientId,
      apiKey: await this.#running().createApiKey(d.name, 'benchmark device'),
      identity: {
        mspId: HOSPITAL,
        certificatePem: await readFile(d.certPath, 'utf8'),
        privateKeyPem: await readFile(d.keyPath, 'utf8'),
      },
    };
  }

  /**
   * Enrols the missing devices (one identity each), (re)starts the gateway so its wallet holds
   * them, then registers their patients and bindings through the REST API.
   */
  async provision(count: number): Promise<ProvisionedDevice[]> {
    if (count <= this.#devices.length) return this.#devices.slice(0, count);
    const from = this.#devices.length;
    this.#log(`enrolling devices ${from}…${count - 1}, one identity each`);
    this.#enrolled.push(...(await inBatches(count, this.#enrolled.length, (i) => this.#enroll(i))));
    await this.#writeConnectionFile();
    await this.#gateway?.stop();
    this.#gateway = undefined;
    await this.startGateway();
    this.#provisionerKey = await this.#running().createApiKey(PROVISIONER, 'benchmark provisioning');
    this.#target = newExternalTarget({
      url: this.#running().url,
      fabric: targetOf(this.#devnet.connection),
      authScheme: 'x-api-key',
      signingKeys: this.#signingKeys,
      log: this.#log,
    });
    this.#log(`registering patients and devices ${from}…${count - 1} through ${this.#running().url}`);
    await registerDevices(
      {
        url: this.#running().url,
        apiKey: this.#provisionerKey,
        authScheme: 'x-api-key',
        concurrency: PROVISION_CONCURRENCY,
      },
      this.#enrolled.slice(from, count).map((d, k) => ({ ...d, index: from + k })),
    );
    this.#devices.push(...(await inBatches(count, from, (i) => this.#credentials(i))));
    return this.#devices.slice(0, count);
  }

  /**
   * The signed mode: each device enrols its certificate's key through the gateway with its own
   * API key (the keys created moments ago are retried until the gateway has loaded them).
   */
  async prepare(mode: Mode, devices: readonly ProvisionedDevice[]): Promise<void> {
    if (this.#target === undefined) throw new Error('provision devices before preparing them');
    await this.#target.prepare?.(mode, devices);
  }

  createDriver(mode: Mode, devices: readonly ProvisionedDevice[], settings: DriverSettings): LoadDriver {
    if (this.#target === undefined) throw new Error('provision devices before creating drivers');
    return this.#target.createDriver(mode, devices, settings);
  }

  /** While the gateway is down, where it last listened (connections are refused there). */
  get gatewayUrl(): string {
    return this.#gateway?.url ?? this.#lastGatewayUrl;
  }

  get nurseKey(): string {
    return this.#provisionerKey;
  }

  get dataDir(): string {
    return this.#dataDir;
  }

  async startGateway(): Promise<void> {
    if (this.#gateway !== undefined) throw new Error('the REST gateway is running already');
    this.#gateway = await spawnGateway({
      connectionFile: join(this.#dataDir, 'bench-connection.json'),
      dataDir: join(this.#dataDir, 'gateway'),
      nodeArgs: this.#nodeArgs,
      onLog: this.#logs.sink('gateway'),
    });
    this.#lastGatewayUrl = this.#gateway.url;
  }

  async killGateway(): Promise<void> {
    await this.#running().kill();
    this.#gateway = undefined;
  }

  async killNetwork(): Promise<void> {
    await this.#devnet.kill();
  }

  async startNetwork(): Promise<void> {
    this.#devnet = await spawnEmbeddedNetwork({
      dataDir: join(this.#dataDir, 'devnet'),
      port: Number(this.#devnet.endpoint.slice(this.#devnet.endpoint.lastIndexOf(':') + 1)),
      logLevel: 'warn',
      nodeArgs: this.#nodeArgs,
      onLog: this.#logs.sink('devnet'),
    });
  }

  pauseNetwork(): void {
    process.kill(this.#devnet.pid, 'SIGSTOP');
  }

  resumeNetwork(): void {
    process.kill(this.#devnet.pid, 'SIGCONT');
  }

  serverMemoryMB(): number | undefined {
    return residentMemoryMB([this.#devnet.pid, ...(this.#gateway ? [this.#gateway.pid] : [])]);
  }

  async close(): Promise<void> {
    await this.#gateway?.stop();
    await this.#devnet.stop();
    await this.#logs.close();
    rmSync(this.#dataDir, { recursive: true, force: true });
  }
}

/**
 * Starts the embedded network (CareLedger's chaincode, the embedded default policy) in a child
 * process, for one run, in a fresh temporary directory; the REST gateway starts in a child
 * process of its own when devices are provisioned.
 */
export async function startEmbeddedTarget(options: Readonly<EmbeddedTargetOptions>): Promise<EmbeddedTarget> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'careledger-bench-'));
  options.log('starting the embedded network (its own process)');
  const logs = new ServerLogs(options.serverLogStem);
  const nodeArgs = options.serverNodeArgs ?? [];
  let devnet: EmbeddedNetworkProcess;
  try {
    devnet = await spawnEmbeddedNetwork({
      dataDir: join(dataDir, 'devnet'),
      port: 0,
      logLevel: 'warn',
      nodeArgs,
      onLog: logs.sink('devnet'),
    });
  } catch (err) {
    await logs.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return new EmbeddedTarget(devnet, dataDir, options.log, { nodeArgs, logs });
}

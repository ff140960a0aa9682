import type { DeviceBinding } from '../bench/run-benchmark';
import type { DeviceIdentity } from '../drivers/direct-driver';
import type { LoadDriver } from '../drivers/load-driver';

/**
 * `rest`: POST /api/v1/vitals with the device's API key; `direct`: Vitals:record over Fabric
 * Gateway with the device's identity; `signed`: POST /api/v1/vitals/signed, each reading signed
 * with the device's private key, batched with other devices' readings by the gateway.
 */
export const modes = ['rest', 'direct', 'signed'] as const;
export type Mode = (typeof modes)[number];

/** A device ready to send: bound to its patient on the ledger, with the credentials each mode needs. */
export interface ProvisionedDevice extends DeviceBinding {
  /** REST and signed: the device's API key. */
  readonly apiKey?: string;
  /** Direct: the device's Fabric identity; signed: its private key, which signs its readings. */
  readonly identity?: DeviceIdentity;
}

export interface DriverSettings {
  /** Sockets of the REST driver's pool. */
  readonly connections: number;
  readonly timeoutMs: number;
}

/** What a benchmark or simulation runs against: the embedded network, or a given gateway / network. */
export interface BenchTarget {
  /** Shown in reports, e.g. `embedded devnet + gateway` or `http://host:3000`. */
  readonly description: string;
  /** Modes this target can serve. */
  readonly modes: readonly Mode[];
  /**
   * Devices 0 … count−1, each with its own identity and patient (the first `count` of a fixed
   * list: asking again for more keeps the earlier ones).
   * @throws Error when the target cannot supply that many.
   */
  provision(count: number): Promise<ProvisionedDevice[]>;
  /**
   * Readies provisioned devices for a mode; called before the mode's driver is created. For
   * `signed`, each device not yet enrolled enrols its signing key on the ledger. A mode that
   * needs nothing resolves at once.
   * @throws Error naming the device that could not be readied.
   */
  prepare?(mode: Mode, devices: readonly ProvisionedDevice[]): Promise<void>;
  /** @throws Error when the devices lack the credentials the mode needs. */
  createDriver(mode: Mode, devices: readonly ProvisionedDevice[], settings: DriverSettings): LoadDriver;
  /**
   * Resident memory (MB) of the network and gateway processes, when this target runs them
   * (chaincode processes included); undefined for a target it does not run.
   */
  serverMemoryMB?(): number | undefined;
  close(): Promise<void>;
}

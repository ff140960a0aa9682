import type { DeviceBinding } from '../bench/run-benchmark';
import type { DeviceIdentity } from '../drivers/direct-driver';
import type { LoadDriver } from '../drivers/load-driver';

export const modes = ['rest', 'direct'] as const;
export type Mode = (typeof modes)[number];

/** A device ready to send: bound to its patient on the ledger, with the credentials each mode needs. */
export interface ProvisionedDevice extends DeviceBinding {
  /** REST: the device's API key. */
  readonly apiKey?: string;
  /** Direct: the device's Fabric identity. */
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
  /** @throws Error when the devices lack the credentials the mode needs. */
  createDriver(mode: Mode, devices: readonly ProvisionedDevice[], settings: DriverSettings): LoadDriver;
  /**
   * Resident memory (MB) of the network and gateway processes, when this target runs them
   * (chaincode processes included); undefined for a target it does not run.
   */
  serverMemoryMB?(): number | undefined;
  close(): Promise<void>;
}

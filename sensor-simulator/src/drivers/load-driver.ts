import type { Reading } from '../device/reading';

/** How one request ended. Drivers never throw from `send`: failures are outcomes with a code. */
export type SendOutcome =
  | {
      readonly ok: true;
      /**
       * The ledger transaction that recorded the reading, when the server reported it (REST:
       * the answer's `meta.transactionId`; direct: the proposal's). Several readings share one
       * when the gateway batches them (`signed`).
       */
      readonly transactionId?: string;
      /** Where the time went, in ms, when the server reports it (e.g. endorse, submit, commit). */
      readonly breakdown?: Readonly<Record<string, number>>;
    }
  | {
      readonly ok: false;
      /** A stable code: the gateway's error code, an HTTP status class, or a gRPC code name. */
      readonly code: string;
      readonly message?: string;
    };

/**
 * Sends readings to a ledger on behalf of one device each. `user` indexes the device
 * credentials the driver was built with, so user i always signs as device i.
 */
export interface LoadDriver {
  /** `rest`, `direct` or `signed`, shown in reports. */
  readonly mode: string;
  /** Number of distinct device identities available. */
  readonly capacity: number;
  send(user: number, reading: Reading): Promise<SendOutcome>;
  close(): Promise<void>;
}

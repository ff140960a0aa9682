import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  certificateSha256,
  nativeGatewaySigning,
  type ConnectionIdentity,
  type GatewaySigning,
} from '@careledger/fabric-toolkit';
import type { Identity } from '@hyperledger/fabric-gateway';

/** One Fabric identity the gateway may act as (a connection file's, with its MSP); its key never leaves this process. */
export type WalletEntry = Readonly<ConnectionIdentity> & { readonly mspId: string };

/** An identity ready for `connect()`: its certificate, and a native low-S signer with its hash. */
export interface LoadedIdentity extends GatewaySigning {
  readonly entry: WalletEntry;
  readonly identity: Identity;
  /** Opens the chaincode's answers sealed to this identity's certificate. */
  readonly privateKey: KeyObject;
  /**
   * SHA-256 of the certificate (`certificateSha256` of the toolkit): API keys are bound to it.
   * @throws Error when the certificate file holds no certificate.
   */
  readonly certificateSha256: string;
}

/** The identities of a connection file, by name; certificates and keys are read on first use. */
export class Wallet {
  readonly #entries = new Map<string, WalletEntry>();
  readonly #loaded = new Map<string, LoadedIdentity>();

  constructor(entries: readonly WalletEntry[]) {
    for (const e of entries) this.#entries.set(e.name, e);
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  entry(name: string): WalletEntry | undefined {
    return this.#entries.get(name);
  }

  entries(): WalletEntry[] {
    return [...this.#entries.values()];
  }

  /**
   * The identity of user `user` of organisation `mspId`: the entry named `user`, or
   * `<anything>-<user>` (the embedded network's names: `hospitala-doctor`), in that organisation.
   * Undefined when there is none or more than one.
   */
  find(mspId: string, user: string): WalletEntry | undefined {
    const inOrg = this.entries().filter((e) => e.mspId === mspId);
    const exact = inOrg.filter((e) => e.name === user);
    const matches = exact.length > 0 ? exact : inOrg.filter((e) => e.name.endsWith(`-${user}`));
    return matches.length === 1 ? matches[0] : undefined;
  }

  /**
   * Loads every identity not loaded yet, `batch` at a time with the event loop free in between,
   * so that no caller's first request pays for reading and parsing its key (about 1.5 ms each;
   * with a thousand devices that showed up in their first readings' latency). An identity whose
   * files cannot be read is reported to `onError` and left for `load` to refuse.
   */
  async warm(onError: (name: string, err: unknown) => void, batch = 50): Promise<void> {
    const names = [...this.#entries.keys()];
    for (let i = 0; i < names.length; i += batch) {
      for (const name of names.slice(i, i + batch)) {
        try {
          this.load(name);
        } catch (err) {
          onError(name, err);
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Add an identity enrolled after start (e.g. a new device). */
  add(entry: WalletEntry): void {
    this.#entries.set(entry.name, entry);
    this.#loaded.delete(entry.name);
  }

  /**
   * Takes the identities of a connection file read again (e.g. after `network.sh addUser`, or a
   * network made anew): new ones are added, missing ones removed, and every certificate and key
   * is read again on next use, since a file at the same path may hold a new certificate.
   * @returns the names added and removed.
   */
  replaceAll(entries: readonly WalletEntry[]): { added: string[]; removed: string[] } {
    const next = new Map(entries.map((e) => [e.name, e]));
    const added = [...next.keys()].filter((n) => !this.#entries.has(n));
    const removed = [...this.#entries.keys()].filter((n) => !next.has(n));
    this.#entries.clear();
    for (const [name, entry] of next) this.#entries.set(name, entry);
    this.#loaded.clear();
    return { added, removed };
  }

  /** @throws Error if the identity is unknown or its files cannot be read. */
  load(name: string): LoadedIdentity {
    const cached = this.#loaded.get(name);
    if (cached) return cached;
    const entry = this.#entries.get(name);
    if (!entry) throw new Error(`no identity '${name}' in the wallet`);
    const identity: Identity = { mspId: entry.mspId, credentials: readFileSync(entry.certPath) };
    const privateKey = createPrivateKey(readFileSync(entry.keyPath));
    let fingerprint: string | undefined;
    const loaded: LoadedIdentity = {
      entry,
      identity,
      privateKey,
      // Computed on first use (an API key check); throws for bytes that are not a certificate.
      get certificateSha256() {
        return (fingerprint ??= certificateSha256(identity.credentials));
      },
      ...nativeGatewaySigning(privateKey),
    };
    this.#loaded.set(name, loaded);
    return loaded;
  }
}

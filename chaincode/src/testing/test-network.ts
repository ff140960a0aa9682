import { Context } from 'fabric-contract-api';
import type { ClientIdentity } from 'fabric-shim';
import { peerClock } from '../proposal-time';
import { FakeLedger } from './fake-ledger';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { isSealedAnswer, openAnswer, type Sealed } from '@careledger/contract';
import { FakeStub, type FakeStubOptions } from './fake-stub';

/** A caller as the chaincode sees it: MSP ID and Fabric CA attributes. */
export interface TestIdentity {
  readonly mspId: string;
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
}

function fakeClientIdentity(identity: TestIdentity): ClientIdentity {
  const fake = {
    getMSPID: () => identity.mspId,
    getID: () => `x509::/OU=client/CN=${identity.name}::/CN=ca.${identity.mspId.toLowerCase()}`,
    getAttributeValue: (name: string) => identity.attrs[name] ?? null,
    assertAttributeValue: (name: string, value: string) => identity.attrs[name] === value,
  };
  return fake as unknown as ClientIdentity;
}

export interface TxOptions {
  readonly transient?: Record<string, string>;
  /** The organisation whose peer runs the transaction (default: the caller's own). */
  readonly at?: string;
  /** The proposal's timestamp, when the client's clock differs from the peers' (default: the network's clock). */
  readonly timestamp?: Date;
}

/** A transaction's result as its caller sees it: a sealed answer opened with the caller's key. */
export type Opened<T> = T extends Sealed<infer U> ? U : T;

export interface TxOutcome<T> {
  readonly result: Opened<T>;
  /** The answer as the chaincode returned it (sealed for reads of patient data). */
  readonly raw: T;
  readonly stub: FakeStub;
}

/** An EC key pair per caller name: the public key stands in for its certificate (`getCreator`). */
const callerKeys = new Map<string, { publicPem: string; privateKey: KeyObject }>();
export function keysOf(identity: TestIdentity): { publicPem: string; privateKey: KeyObject } {
  let keys = callerKeys.get(identity.name);
  if (!keys) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    keys = {
      publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      privateKey: pair.privateKey,
    };
    callerKeys.set(identity.name, keys);
  }
  return keys;
}

/**
 * Runs transaction functions against one in-memory ledger the way a peer would: a fresh stub per
 * transaction, its writes committed only when the function succeeds.
 */
export class TestNetwork {
  readonly ledger = new FakeLedger();
  /** The stub of the latest transaction, also when it failed (to prove it wrote nothing). */
  lastStub: FakeStub | undefined;
  #txCount = 0;
  #clock = Date.parse('2026-11-22T10:00:00.000Z');

  /** The time the next transaction carries. */
  get now(): Date {
    return new Date(this.#clock);
  }

  advance(ms: number): void {
    this.#clock += ms;
  }

  async submit<T>(
    identity: TestIdentity,
    fn: (ctx: Context) => Promise<T>,
    options: TxOptions = {},
  ): Promise<TxOutcome<T>> {
    const outcome = await this.evaluate(identity, fn, options);
    this.ledger.commit(outcome.stub.writes());
    return outcome;
  }

  /** Run without committing (what an evaluate does). */
  async evaluate<T>(
    identity: TestIdentity,
    fn: (ctx: Context) => Promise<T>,
    options: TxOptions = {},
  ): Promise<TxOutcome<T>> {
    const stub = this.stub({
      mspId: identity.mspId,
      peerMspId: options.at ?? identity.mspId,
      creatorPem: keysOf(identity).publicPem,
      timestamp: options.timestamp,
      transient: new Map(Object.entries(options.transient ?? {}).map(([k, v]) => [k, Buffer.from(v)])),
    });
    const ctx = new Context();
    ctx.stub = stub.asChaincodeStub();
    ctx.clientIdentity = fakeClientIdentity(identity);
    const raw = await fn(ctx);
    const result = (isSealedAnswer(raw) ? openAnswer(raw, keysOf(identity).privateKey) : raw) as Opened<T>;
    return { result, raw, stub };
  }

  /**
   * The next transaction's stub: the clock moves on a second, the peer's clock (`peerClock`) is
   * set to it, and the proposal carries it unless `timestamp` says otherwise. For tests that
   * drive the shim's dispatcher themselves; commit with `ledger.commit(stub.writes())`.
   */
  stub(options: Omit<FakeStubOptions, 'txId' | 'timestamp'> & { readonly timestamp?: Date }): FakeStub {
    this.#txCount += 1;
    this.#clock += 1000;
    const peerTime = this.#clock;
    peerClock.now = () => peerTime;
    const stub = new FakeStub(this.ledger, {
      ...options,
      txId: `tx${String(this.#txCount).padStart(6, '0')}`,
      timestamp: options.timestamp ?? new Date(peerTime),
    });
    this.lastStub = stub;
    return stub;
  }

  /** A snapshot of the committed ledger (public and private), to prove a failed call changed nothing. */
  snapshot(): string {
    const entries = [...this.ledger.state.entries()].map(([k, v]) => [
      k,
      v.value.toString('base64'),
      v.version,
    ]);
    const priv = [...this.ledger.privateData.entries()].map(([c, m]) => [
      c,
      [...m.entries()].map(([k, v]) => [k, v.toString('base64')]),
    ]);
    return JSON.stringify([entries, priv, [...this.ledger.validationParameters.keys()]]);
  }
}

/** The demo organisations and a caller of every role. */
export const registry = [
  { mspId: 'HospitalAMSP', type: 'hospital', name: 'Hospital A' },
  { mspId: 'HospitalBMSP', type: 'hospital', name: 'Hospital B' },
  { mspId: 'LabMSP', type: 'lab', name: 'Central Lab' },
  { mspId: 'PharmacyMSP', type: 'pharmacy', name: 'City Pharmacy' },
] as const;

export function identity(mspId: string, role: string, extra: Record<string, string> = {}): TestIdentity {
  return { mspId, name: `${role}@${mspId}`, attrs: { role, ...extra } };
}

/** A caller of each role that the contract tests use; patient p-1 and device dev-1 are Hospital A's. */
export const demoCallers = {
  adminA: identity('HospitalAMSP', 'admin'),
  nurseA: identity('HospitalAMSP', 'nurse'),
  doctorA: identity('HospitalAMSP', 'doctor'),
  deviceA: identity('HospitalAMSP', 'device', { deviceId: 'dev-1' }),
  patientA: identity('HospitalAMSP', 'patient', { patientId: 'p-1' }),
  doctorB: identity('HospitalBMSP', 'doctor'),
  technician: identity('LabMSP', 'technician'),
  pharmacist: identity('PharmacyMSP', 'pharmacist'),
};

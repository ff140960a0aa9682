import { Context } from 'fabric-contract-api';
import type { ClientIdentity } from 'fabric-shim';
import { peerClock } from '../proposal-time';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { isSealedAnswer, openAnswer, type Sealed } from '@careledger/contract';
import { InMemoryChannel, type SimulatedProposal, type WorldStateView } from '@careledger/devnet/testing';

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
  /** The transaction as simulated: its stub, event and write set. */
  readonly stub: SimulatedProposal;
}

/** What a test network's next transaction carries besides its caller. */
export interface StubOptions {
  readonly mspId: string;
  /** The caller's certificate (a PEM), as `getCreator()` returns it. */
  readonly creatorPem?: string;
  /** The invocation's arguments, function name first. */
  readonly args?: readonly string[];
  readonly transient?: ReadonlyMap<string, Uint8Array>;
  /** The organisation of the endorsing peer (default: mspId); it alone holds its implicit collection. */
  readonly peerMspId?: string;
  /** The proposal's timestamp (default: the network's clock). */
  readonly timestamp?: Date;
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
 * Runs transaction functions the way a peer would, against one in-memory channel ledger (the
 * devnet's simulator and commit rules behind fabric-shim's own stub): a fresh simulation per
 * transaction, its writes committed only when the function succeeds.
 */
export class TestNetwork {
  readonly #channel = new InMemoryChannel({
    channelId: 'healthchannel',
    chaincodeName: 'careledger',
    orgs: registry.map((org) => org.mspId),
  });
  /** The latest transaction, also when it failed (to prove it wrote nothing). */
  lastStub: SimulatedProposal | undefined;
  #txCount = 0;
  #clock = Date.parse('2026-11-22T10:00:00.000Z');

  /** The time the next transaction carries. */
  get now(): Date {
    return new Date(this.#clock);
  }

  /** The chaincode's committed world state (public state, private data, key-level policies). */
  get ledger(): WorldStateView {
    return this.#channel.worldState();
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
    await this.commit(outcome.stub);
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
    ctx.stub = stub.stub;
    ctx.clientIdentity = fakeClientIdentity(identity);
    try {
      const raw = await fn(ctx);
      const result = (isSealedAnswer(raw) ? openAnswer(raw, keysOf(identity).privateKey) : raw) as Opened<T>;
      return { result, raw, stub };
    } finally {
      stub.finish();
    }
  }

  /**
   * The next transaction: the clock moves on a second, the peer's clock (`peerClock`) is set to
   * it, and the proposal carries it unless `timestamp` says otherwise. For tests that drive the
   * shim's dispatcher themselves with its `stub`; commit it with `commit`.
   */
  stub(options: StubOptions): SimulatedProposal {
    this.#txCount += 1;
    this.#clock += 1000;
    const peerTime = this.#clock;
    peerClock.now = () => peerTime;
    const proposal = this.#channel.propose({
      txId: `tx${String(this.#txCount).padStart(6, '0')}`,
      creator: { mspId: options.mspId, idBytes: Buffer.from(options.creatorPem ?? '') },
      endorserMspId: options.peerMspId ?? options.mspId,
      args: options.args,
      transient: options.transient,
      timestamp: options.timestamp ?? new Date(peerTime),
    });
    this.lastStub = proposal;
    return proposal;
  }

  /**
   * Commits a transaction's writes in a block of its own.
   * @throws Error if the committer would not mark it VALID (an MVCC conflict).
   */
  async commit(proposal: SimulatedProposal): Promise<void> {
    const code = await this.#channel.commit(proposal);
    if (code !== 0) throw new Error(`transaction ${proposal.txId} committed with validation code ${code}`);
  }

  /** A snapshot of the committed ledger (public and private), to prove a failed call changed nothing. */
  snapshot(): string {
    const { state, privateData, validationParameters } = this.ledger;
    const entries = [...state.entries()].map(([k, v]) => [k, v.value.toString('base64'), v.version.blockNum]);
    const priv = [...privateData.entries()].map(([c, m]) => [
      c,
      [...m.entries()].map(([k, v]) => [k, v.toString('base64')]),
    ]);
    return JSON.stringify([entries, priv, [...validationParameters.keys()]]);
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

import { createPrivateKey } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  clientFor,
  GrpcConnections,
  validationCodeName,
  type FabricClient,
  type FabricTarget,
} from '@careledger/fabric-toolkit';
import type { Contract } from '@hyperledger/fabric-gateway';
import type { Reading } from '../device/reading';
import { fabricErrorCode } from './fabric-error-code';
import type { LoadDriver, SendOutcome } from './load-driver';

/** A device's Fabric identity: MSP, certificate and private key (PEM). */
export interface DeviceIdentity {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface DirectDriverOptions {
  /** The network, as its connection file describes it (`targetOf`): each device calls its organisation's peer. */
  readonly network: FabricTarget;
  /** One identity per device: user i signs as identity i. */
  readonly identities: readonly DeviceIdentity[];
  /** Per-phase deadlines in ms (default 30 000). */
  readonly timeoutMs?: number;
}

class DirectDriver implements LoadDriver {
  readonly mode = 'direct';
  /** One HTTP/2 connection per peer for all devices, as one Fabric Gateway client process would have. */
  readonly #connections: GrpcConnections;
  readonly #clients: FabricClient[];
  readonly #contracts: Contract[];
  /** Each user's MSP ID: its own organisation (the custodian) endorses its readings. */
  readonly #mspIds: string[];

  constructor(options: Readonly<DirectDriverOptions>) {
    const { network } = options;
    this.#connections = new GrpcConnections(network);
    const timeout = options.timeoutMs ?? 30_000;
    const deadlines = { evaluateMs: timeout, endorseMs: timeout, submitMs: timeout, commitStatusMs: timeout };
    this.#clients = options.identities.map((identity) =>
      clientFor(
        network,
        {
          mspId: identity.mspId,
          certificatePem: identity.certificatePem,
          privateKey: createPrivateKey(identity.privateKeyPem),
        },
        { connections: this.#connections, deadlines },
      ),
    );
    this.#mspIds = options.identities.map((identity) => identity.mspId);
    this.#contracts = this.#clients.map((c) => c.contract('Vitals'));
  }

  get capacity(): number {
    return this.#contracts.length;
  }

  async send(user: number, reading: Reading): Promise<SendOutcome> {
    const contract = this.#contracts[user];
    if (!contract) return { ok: false, code: 'NO_IDENTITY', message: `no identity for user ${user}` };
    try {
      const t0 = performance.now();
      const transaction = await contract
        // The reading goes as transient data (never into the block), endorsed by the peer of the
        // device's organisation, whose implicit collection stores it.
        .newProposal('record', {
          transientData: { reading: Buffer.from(JSON.stringify(reading)) },
          endorsingOrganizations: [this.#mspIds[user] ?? ''],
        })
        .endorse();
      const t1 = performance.now();
      const commit = await transaction.submit();
      const t2 = performance.now();
      const status = await commit.getStatus();
      const t3 = performance.now();
      if (!status.successful) return { ok: false, code: `COMMIT_${validationCodeName(status.code)}` };
      return {
        ok: true,
        transactionId: transaction.getTransactionId(),
        breakdown: { endorse: t1 - t0, submit: t2 - t1, commit: t3 - t2 },
      };
    } catch (error) {
      return { ok: false, code: fabricErrorCode(error), message: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    for (const client of this.#clients) client.close();
    this.#connections.close();
  }
}

/**
 * A driver that records each reading with `Vitals:record` through `@hyperledger/fabric-gateway`,
 * signed by its device's own identity: the same work as the REST gateway does, without REST.
 * @throws RangeError without identities; Error when a private key cannot be parsed.
 */
export function newDirectDriver(options: Readonly<DirectDriverOptions>): LoadDriver {
  if (options.identities.length === 0) throw new RangeError('the direct driver needs at least one identity');
  return new DirectDriver(options);
}

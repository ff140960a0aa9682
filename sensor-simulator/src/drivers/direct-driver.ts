import { createPrivateKey } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { nativeGatewaySigning } from '@careledger/devnet';
import { connect, type Contract, type Gateway } from '@hyperledger/fabric-gateway';
import type { Reading } from '../device/reading';
import { fabricErrorCode, validationCodeName } from './fabric-error-code';
import type { LoadDriver, SendOutcome } from './load-driver';

/** Where the ledger's Fabric Gateway service listens, and what to call. */
export interface FabricEndpoint {
  /** `host:port` of a peer's gateway service. */
  readonly endpoint: string;
  /** PEM of the TLS CA; absent for a plaintext endpoint. */
  readonly tlsRootCertPem?: string;
  /** TLS server name to expect when it differs from the host (`ssl_target_name_override`). */
  readonly serverNameOverride?: string;
  readonly channel: string;
  readonly chaincode: string;
  /** Contract namespace (default `Vitals`). */
  readonly contract?: string;
}

/** A device's Fabric identity: MSP, certificate and private key (PEM). */
export interface DeviceIdentity {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface DirectDriverOptions {
  readonly network: FabricEndpoint;
  /** One identity per device: user i signs as identity i. */
  readonly identities: readonly DeviceIdentity[];
  /** Per-phase deadlines in ms (default 30 000). */
  readonly timeoutMs?: number;
}

class DirectDriver implements LoadDriver {
  readonly mode = 'direct';
  readonly #client: grpc.Client;
  readonly #gateways: Gateway[];
  readonly #contracts: Contract[];
  /** Each user's MSP ID: its own organisation (the custodian) endorses its readings. */
  readonly #mspIds: string[];

  constructor(options: Readonly<DirectDriverOptions>) {
    const { network } = options;
    const credentials = network.tlsRootCertPem
      ? grpc.credentials.createSsl(Buffer.from(network.tlsRootCertPem))
      : grpc.credentials.createInsecure();
    // One HTTP/2 connection for all devices, as one Fabric Gateway client process would have.
    this.#client = new grpc.Client(network.endpoint, credentials, {
      ...(network.serverNameOverride ? { 'grpc.ssl_target_name_override': network.serverNameOverride } : {}),
      'grpc.max_send_message_length': -1,
      'grpc.max_receive_message_length': -1,
    });
    const timeout = options.timeoutMs ?? 30_000;
    const deadline = () => ({ deadline: Date.now() + timeout });
    this.#gateways = options.identities.map((identity) =>
      connect({
        client: this.#client,
        identity: { mspId: identity.mspId, credentials: Buffer.from(identity.certificatePem) },
        ...nativeGatewaySigning(createPrivateKey(identity.privateKeyPem)),
        evaluateOptions: deadline,
        endorseOptions: deadline,
        submitOptions: deadline,
        commitStatusOptions: deadline,
      }),
    );
    this.#mspIds = options.identities.map((identity) => identity.mspId);
    this.#contracts = this.#gateways.map((g) =>
      g.getNetwork(network.channel).getContract(network.chaincode, network.contract ?? 'Vitals'),
    );
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
      return { ok: true, breakdown: { endorse: t1 - t0, submit: t2 - t1, commit: t3 - t2 } };
    } catch (error) {
      return { ok: false, code: fabricErrorCode(error), message: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    for (const gateway of this.#gateways) gateway.close();
    this.#client.close();
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

import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { ChaincodeInvocation } from '../chaincode/chaincode-runtime';
import type { TxSimulator } from '../ledger/tx-simulator';
import { newTestProposal } from './test-signed-proposal';

export interface TestInvocationOptions {
  readonly channelId?: string;
  readonly chaincodeName: string;
  /** Function name first, then its arguments. */
  readonly args: readonly string[];
  readonly simulator: TxSimulator;
  readonly transient?: Readonly<Record<string, Buffer>>;
  /** ChannelHeader timestamp; default now. */
  readonly timestamp?: { seconds: number; nanos: number };
  readonly mspId?: string;
  /** Override the computed transaction id. */
  readonly txId?: string;
}

let creatorCert: Promise<string> | undefined;

/** A self-signed ECDSA P-256 certificate, made once per test process (no fixture on disk). */
function testCertificate(): Promise<string> {
  creatorCert ??= (async () => {
    x509.cryptoProvider.set(webcrypto as never);
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as Parameters<
      typeof x509.X509CertificateGenerator.createSelfSigned
    >[0]['keys'];
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: 'CN=chaincode-runtime-test, O=Test',
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
      signingAlgorithm: alg,
      keys,
    });
    return cert.toString('pem');
  })();
  return creatorCert;
}

/**
 * TEST HELPER: a ChaincodeInvocation of a `newTestProposal` by a self-signed certificate, so
 * fabric-shim can build its stub (creator, timestamp, transient).
 */
export async function newTestInvocation(options: TestInvocationOptions): Promise<ChaincodeInvocation> {
  const channelId = options.channelId ?? 'testchannel';
  const proposal = newTestProposal({
    ...options,
    channelId,
    creator: { mspId: options.mspId ?? 'Org1MSP', idBytes: Buffer.from(await testCertificate()) },
  });
  return { channelId, ...proposal, simulator: options.simulator };
}

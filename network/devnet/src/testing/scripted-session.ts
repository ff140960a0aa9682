import { peer } from '@hyperledger/fabric-protos';
import pino from 'pino';
import type { ChaincodeInvocation, ChaincodeResult, ChaincodeRuntime } from '../chaincode/chaincode-runtime';
import { startChaincodeRuntime } from '../chaincode/start-chaincode-runtime';
import type { TxSimulator } from '../ledger/tx-simulator';
import { InMemoryLedger } from './in-memory-ledger';
import { ScriptedChaincodeServer } from './scripted-chaincode-server';

export const SCRIPTED_CHANNEL = 'ch1';
const Type = peer.ChaincodeMessage.Type;

export interface ScriptedSessionOptions {
  readonly executeTimeoutMs?: number;
  readonly resolveChaincode?: (name: string) => ChaincodeRuntime | undefined;
}

/**
 * TEST HELPER: a chaincode runtime named `cc` connected to a ScriptedChaincodeServer, with the
 * handshake already checked, plus builders for the messages a test plays as the chaincode.
 */
export class ScriptedSession {
  readonly server: ScriptedChaincodeServer;
  readonly runtime: ChaincodeRuntime;

  private constructor(server: ScriptedChaincodeServer, runtime: ChaincodeRuntime) {
    this.server = server;
    this.runtime = runtime;
  }

  /** @throws Error if the runtime does not answer REGISTER with REGISTERED then READY. */
  static async open(options: ScriptedSessionOptions = {}): Promise<ScriptedSession> {
    const server = await ScriptedChaincodeServer.start();
    const runtime = await startChaincodeRuntime({
      name: 'cc',
      version: '1.0',
      address: server.address,
      logger: pino({ level: 'silent' }),
      ...options,
    });
    const handshake = [(await server.next()).getType(), (await server.next()).getType()];
    if (handshake[0] !== Type.REGISTERED || handshake[1] !== Type.READY) {
      throw new Error(`unexpected handshake ${handshake.join(',')}`);
    }
    return new ScriptedSession(server, runtime);
  }

  /** Starts a transaction and takes its TRANSACTION message off the wire. */
  async begin(
    txId: string,
    simulator = emptyLedgerSimulator(txId),
  ): Promise<{ result: Promise<ChaincodeResult>; transaction: peer.ChaincodeMessage }> {
    const result = this.runtime.invoke(scriptedInvocation(txId, simulator));
    result.catch(() => undefined);
    const transaction = await this.server.next();
    return { result, transaction };
  }

  async close(): Promise<void> {
    await this.runtime.close();
    await this.server.stop();
  }
}

/** What `scriptedSessionPerTest` gives a test file. */
export interface ScriptedSessionPerTest {
  /** Opens the current test's session and returns its runtime. */
  connect(options?: ScriptedSessionOptions): Promise<ChaincodeRuntime>;
  /** ScriptedSession.begin on the current test's session (connect first). */
  begin(
    txId: string,
    simulator?: TxSimulator,
  ): Promise<{ result: Promise<ChaincodeResult>; transaction: peer.ChaincodeMessage }>;
  /** The scripted chaincode of the current test: the session's, or one the test started itself. */
  server: ScriptedChaincodeServer;
}

/**
 * TEST HELPER: one ScriptedSession per test of a file. Registers an `afterEach` that closes the
 * session and stops `server`, so call it at the top level of the test file.
 */
export function scriptedSessionPerTest(): ScriptedSessionPerTest {
  let session: ScriptedSession | undefined;
  const perTest: ScriptedSessionPerTest = {
    server: undefined as unknown as ScriptedChaincodeServer,
    async connect(options = {}) {
      session = await ScriptedSession.open(options);
      perTest.server = session.server;
      return session.runtime;
    },
    begin(txId, simulator) {
      if (!session) throw new Error('scriptedSessionPerTest: connect() before begin()');
      return session.begin(txId, simulator);
    },
  };
  afterEach(async () => {
    await session?.close();
    session = undefined;
    // Unset until a test connects or starts a server of its own.
    await perTest.server?.stop();
  });
  return perTest;
}

/** A simulator of `txId` on a ledger of its own, empty (organisation Org1MSP). */
export function emptyLedgerSimulator(txId: string): TxSimulator {
  return new InMemoryLedger({ orgs: ['Org1MSP'] }).newSimulator(txId);
}

/** An invocation with a placeholder proposal: the scripted chaincode does not decode it. */
export function scriptedInvocation(
  txId: string,
  simulator = emptyLedgerSimulator(txId),
  channelId = SCRIPTED_CHANNEL,
): ChaincodeInvocation {
  const input = new peer.ChaincodeInput();
  input.setArgsList([Buffer.from('fn'), Buffer.from('arg')]);
  const signed = new peer.SignedProposal();
  signed.setProposalBytes(Buffer.from('proposal-bytes'));
  signed.setSignature(Buffer.from('signature'));
  return {
    channelId,
    txId,
    signedProposal: Buffer.from(signed.serializeBinary()),
    input: Buffer.from(input.serializeBinary()),
    simulator,
  };
}

/** The COMPLETED message fabric-shim sends at the end of a transaction. */
export function completedMessage(
  txId: string,
  status = 200,
  message = '',
  payload = '',
  channelId = SCRIPTED_CHANNEL,
): peer.ChaincodeMessage {
  const response = new peer.Response();
  response.setStatus(status);
  response.setMessage(message);
  response.setPayload(Buffer.from(payload));
  const msg = new peer.ChaincodeMessage();
  msg.setType(Type.COMPLETED);
  msg.setChannelId(channelId);
  msg.setTxid(txId);
  msg.setPayload(response.serializeBinary());
  return msg;
}

export function payloadText(message: peer.ChaincodeMessage): string {
  return Buffer.from(message.getPayload_asU8()).toString('utf8');
}

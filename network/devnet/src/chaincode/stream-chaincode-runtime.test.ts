import { peer } from '@hyperledger/fabric-protos';
import pino from 'pino';
import {
  ScriptedChaincodeServer,
  type ScriptedChaincodeServerOptions,
} from '../testing/scripted-chaincode-server';
import {
  completedMessage as completed,
  payloadText as text,
  SCRIPTED_CHANNEL as CHANNEL,
  scriptedSessionPerTest,
  scriptedInvocation as invocation,
  emptyLedgerSimulator,
} from '../testing/scripted-session';
import type { ChaincodeRuntime } from './chaincode-runtime';
import { startChaincodeRuntime } from './start-chaincode-runtime';

const Type = peer.ChaincodeMessage.Type;
const logger = pino({ level: 'silent' });

const scripted = scriptedSessionPerTest();
const { connect, begin } = scripted;

/** Starts a runtime against a chaincode scripted with `options` (its server is stopped after the test). */
async function startAgainst(
  options: ScriptedChaincodeServerOptions,
  startTimeoutMs = 2000,
): Promise<ChaincodeRuntime> {
  scripted.server = await ScriptedChaincodeServer.start(options);
  return startChaincodeRuntime({
    name: 'cc',
    version: '1',
    address: scripted.server.address,
    logger,
    startTimeoutMs,
  });
}

describe('StreamChaincodeRuntime', () => {
  describe('handshake', () => {
    it('answers REGISTER with REGISTERED then READY and sends nothing else (no KEEPALIVE)', async () => {
      await connect();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(scripted.server.pending).toHaveLength(0);
    });

    it('refuses a chaincode whose first message is not REGISTER', async () => {
      await expect(startAgainst({ firstMessage: completed('x') })).rejects.toThrow(
        'expected REGISTER, received COMPLETED',
      );
    });

    it('refuses a REGISTER with an empty chaincode name', async () => {
      await expect(startAgainst({ name: '' })).rejects.toThrow('REGISTER carries an empty chaincode name');
    });

    it('times out when the chaincode never registers', async () => {
      await expect(startAgainst({ firstMessage: null }, 1000)).rejects.toThrow('no REGISTER message within');
    });

    it('rejects bad options before doing anything', async () => {
      await expect(
        startChaincodeRuntime({ name: 'cc', version: '', address: '127.0.0.1:1', logger }),
      ).rejects.toThrow('version must not be empty');
      await expect(startChaincodeRuntime({ name: 'cc', version: '1', logger })).rejects.toThrow(
        'exactly one of chaincodeDir and address',
      );
      await expect(
        startChaincodeRuntime({ name: 'cc', version: '1', address: 'nohost', logger }),
      ).rejects.toThrow("invalid chaincode address 'nohost'");
    });
  });

  describe('invoke', () => {
    it('sends TRANSACTION with input, txid, channel and the decoded SignedProposal; returns the Response and event', async () => {
      const rt = await connect();
      const inv = invocation('tx1');
      const result = rt.invoke(inv);
      const tx = await scripted.server.next();
      expect(tx.getType()).toBe(Type.TRANSACTION);
      expect(tx.getTxid()).toBe('tx1');
      expect(tx.getChannelId()).toBe(CHANNEL);
      expect(Buffer.from(tx.getPayload_asU8())).toEqual(inv.input);
      expect(Buffer.from(tx.getProposal()!.serializeBinary())).toEqual(inv.signedProposal);
      const done = completed('tx1', 200, 'fine', 'out');
      const event = new peer.ChaincodeEvent();
      event.setEventName('Moved');
      event.setPayload(Buffer.from('e'));
      done.setChaincodeEvent(event);
      scripted.server.send(done);
      await expect(result).resolves.toEqual({
        status: 200,
        message: 'fine',
        payload: Buffer.from('out'),
        event: { eventName: 'Moved', payload: Buffer.from('e') },
      });
    });

    it('refuses an undecodable SignedProposal without sending anything', async () => {
      const rt = await connect();
      const bad = { ...invocation('tx1'), signedProposal: Buffer.from([0x0a, 0xff]) };
      await expect(rt.invoke(bad)).rejects.toThrow('invalid SignedProposal');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(scripted.server.pending).toHaveLength(0);
      const { result } = await begin('tx1');
      scripted.server.send(completed('tx1'));
      await expect(result).resolves.toMatchObject({ status: 200 });
    });

    it('returns a chaincode error response (status 500) as a result, not a throw', async () => {
      await connect();
      const { result } = await begin('tx1');
      scripted.server.send(completed('tx1', 500, 'CONFLICT: exists'));
      await expect(result).resolves.toMatchObject({ status: 500, message: 'CONFLICT: exists' });
    });

    it('throws "transaction returned with failure" when the shim answers ERROR', async () => {
      await connect();
      const { result } = await begin('tx1');
      const error = new peer.ChaincodeMessage();
      error.setType(Type.ERROR);
      error.setChannelId(CHANNEL);
      error.setTxid('tx1');
      error.setPayload(Buffer.from('Error: Proposal header is empty'));
      scripted.server.send(error);
      await expect(result).rejects.toThrow(
        'transaction returned with failure: Error: Proposal header is empty',
      );
    });

    it('refuses a (channel, txid) already in flight but not the same txid on another channel', async () => {
      const rt = await connect();
      const { result } = await begin('tx1');
      await expect(rt.invoke(invocation('tx1'))).rejects.toThrow('txid: tx1(ch1) exists');
      const other = rt.invoke(invocation('tx1', emptyLedgerSimulator('tx1'), 'ch2'));
      expect((await scripted.server.next()).getChannelId()).toBe('ch2');
      scripted.server.send(completed('tx1'));
      await expect(result).resolves.toMatchObject({ status: 200 });
      const done = completed('tx1');
      done.setChannelId('ch2');
      scripted.server.send(done);
      await expect(other).resolves.toMatchObject({ status: 200 });
    });

    it('times out, forgets the transaction and ignores a late result', async () => {
      await connect({ executeTimeoutMs: 200 });
      const { result } = await begin('tx1');
      await expect(result).rejects.toThrow('timeout expired while executing transaction');
      const late = await scripted.server.request(
        Type.GET_STATE,
        CHANNEL,
        'tx1',
        new peer.GetState().serializeBinary(),
      );
      expect(text(late)).toBe('GET_STATE failed: transaction ID: tx1: no ledger context');
      scripted.server.send(completed('tx1'));
      const next = await begin('tx2');
      scripted.server.send(completed('tx2'));
      await expect(next.result).resolves.toMatchObject({ status: 200 });
    });

    it('fails every pending transaction with "chaincode stream terminated" and dials again later', async () => {
      const rt = await connect();
      const a = await begin('tx1');
      const b = await begin('tx2');
      scripted.server.dropStream();
      await expect(a.result).rejects.toThrow('chaincode stream terminated');
      await expect(b.result).rejects.toThrow('chaincode stream terminated');
      const again = rt.invoke(invocation('tx3'));
      expect((await scripted.server.next()).getType()).toBe(Type.REGISTERED);
      expect((await scripted.server.next()).getType()).toBe(Type.READY);
      expect((await scripted.server.next()).getTxid()).toBe('tx3');
      scripted.server.send(completed('tx3'));
      await expect(again).resolves.toMatchObject({ status: 200 });
    });

    it('close() fails pending transactions and refuses new ones', async () => {
      const rt = await connect();
      const { result } = await begin('tx1');
      await rt.close();
      await expect(result).rejects.toThrow('chaincode stream terminated');
      await expect(rt.invoke(invocation('tx2'))).rejects.toThrow('chaincode cc runtime is closed');
    });
  });
});

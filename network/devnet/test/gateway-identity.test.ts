import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EndorseError, GatewayError, signers } from '@hyperledger/fabric-gateway';
import { join } from 'node:path';
import { loadOrganization } from '@careledger/fabric-toolkit';
import { findIdentity, utf8 } from './support/fabric-client';
import { sharedDevnet } from './support/shared-devnet';

const CHANNEL = 'healthchannel';

describe('devnet gateway identity checks', () => {
  const devnet = sharedDevnet();

  const keyOf = async (name: string) =>
    signers.newPrivateKeySigner(
      createPrivateKey(await readFile(findIdentity(devnet.connection, name).keyPath)),
    );
  const certOf = (name: string) => readFile(findIdentity(devnet.connection, name).certPath);

  it('accepts a well-signed proposal', async () => {
    const client = await devnet.connect('lab-technician');
    const contract = client.gateway.getNetwork(CHANNEL).getContract('basic');
    expect(JSON.parse(utf8(await contract.evaluateTransaction('creator')))).toMatchObject({
      mspId: 'LabMSP',
      role: 'technician',
    });
  });

  it('refuses a proposal signed with a key that does not match the certificate', async () => {
    const client = await devnet.connect('hospitala-doctor', {
      signer: await keyOf('hospitalb-doctor'),
    });
    const contract = client.gateway.getNetwork(CHANNEL).getContract('basic');
    const err = (await contract.evaluateTransaction('get', 'k').catch((e: unknown) => e)) as GatewayError;
    expect(err).toBeInstanceOf(GatewayError);
    expect(err.code).toBe(9);
    const text = `error validating proposal: access denied: channel [${CHANNEL}] creator org [HospitalAMSP]`;
    expect(err.message).toBe(`9 FAILED_PRECONDITION: evaluate call to endorser returned error: ${text}`);
    expect(err.details).toEqual([expect.objectContaining({ mspId: 'HospitalAMSP', message: text })]);

    const submitErr = (await contract
      .submitTransaction('put', 'k', 'v')
      .catch((e: unknown) => e)) as EndorseError;
    expect(submitErr).toBeInstanceOf(EndorseError);
    expect(submitErr.code).toBe(10);
    expect(submitErr.message).toBe(
      '10 ABORTED: failed to endorse transaction, see attached details for more info',
    );
    expect(submitErr.details[0]?.message).toBe(text);
  });

  it('refuses a creator whose MSP ID the channel does not know', async () => {
    const client = await devnet.connect('hospitala-doctor', {
      identity: { mspId: 'NoSuchMSP', credentials: await certOf('hospitala-doctor') },
    });
    const contract = client.gateway.getNetwork(CHANNEL).getContract('basic');
    const err = (await contract.evaluateTransaction('get', 'k').catch((e: unknown) => e)) as GatewayError;
    expect(err.code).toBe(9);
    expect(err.message).toContain(
      `access denied: channel [${CHANNEL}] creator org unknown, creator is malformed`,
    );
  });

  it('refuses a certificate that the claimed MSP did not issue', async () => {
    const client = await devnet.connect('hospitala-doctor', {
      identity: { mspId: 'HospitalAMSP', credentials: await certOf('hospitalb-doctor') },
      signer: await keyOf('hospitalb-doctor'),
    });
    const contract = client.gateway.getNetwork(CHANNEL).getContract('basic');
    const err = (await contract.evaluateTransaction('get', 'k').catch((e: unknown) => e)) as GatewayError;
    expect(err.code).toBe(9);
    expect(err.message).toContain(`access denied: channel [${CHANNEL}] creator org [HospitalAMSP]`);
  });

  it('refuses a transaction envelope signed by another key at the orderer', async () => {
    const good = await devnet.connect('pharmacy-pharmacist');
    const contract = good.gateway.getNetwork(CHANNEL).getContract('basic');
    const tx = await contract.newProposal('put', { arguments: ['forged', 'v'] }).endorse();
    const forger = await devnet.connect('pharmacy-pharmacist', {
      signer: await keyOf('lab-admin'),
    });
    const forged = forger.gateway.newTransaction(tx.getBytes());
    const err = (await forged.submit().catch((e: unknown) => e)) as GatewayError;
    expect(err.code).toBe(10);
    expect(err.message).toContain('received unsuccessful response from orderer: status=FORBIDDEN');
  });

  it('refuses chaincode events to a request signed by another key', async () => {
    const client = await devnet.connect('hospitala-doctor', {
      signer: await keyOf('hospitalb-doctor'),
    });
    const events = await client.gateway.getNetwork(CHANNEL).getChaincodeEvents('basic', { startBlock: 0n });
    const err = (await events[Symbol.asyncIterator]()
      .next()
      .catch((e: unknown) => e)) as GatewayError;
    events.close();
    expect(err.code).toBe(7);
  });

  describe('channel ACLs (test-network policies: Writers = admin or client, Readers add peer)', () => {
    const peerIdentity = async (mspId: string) => {
      const node = (await loadOrganization(join(devnet.dataDir, 'crypto'), mspId)).nodes[0];
      if (node === undefined) throw new Error(`no peer in ${mspId}`);
      return {
        identity: { mspId, credentials: await readFile(node.certPath) },
        signer: signers.newPrivateKeySigner(createPrivateKey(await readFile(node.keyPath))),
      };
    };
    const aclText =
      "failed evaluating policy on signed data during check policy [/Channel/Application/Writers]: [implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied]";

    it('refuses proposals from a peer identity, to evaluate and to endorse, with the ACL error', async () => {
      const client = await devnet.connect('hospitala-doctor', await peerIdentity('HospitalAMSP'));
      const contract = client.gateway.getNetwork(CHANNEL).getContract('basic');
      const err = (await contract.evaluateTransaction('get', 'k').catch((e: unknown) => e)) as GatewayError;
      expect(err).toBeInstanceOf(GatewayError);
      expect(err.code).toBe(9);
      expect(err.message).toBe(`9 FAILED_PRECONDITION: evaluate call to endorser returned error: ${aclText}`);

      const submitErr = (await contract
        .submitTransaction('put', 'acl-peer', 'v')
        .catch((e: unknown) => e)) as EndorseError;
      expect(submitErr).toBeInstanceOf(EndorseError);
      expect(submitErr.code).toBe(10);
      expect(submitErr.details[0]?.message).toBe(aclText);
    });

    it('accepts an organisation admin as a writer', async () => {
      const client = await devnet.connect('lab-admin');
      const contract = client.gateway.getNetwork(CHANNEL).getContract('basic');
      await expect(contract.submitTransaction('put', 'acl-admin', 'v')).resolves.toBeDefined();
    });

    it('refuses at the orderer an envelope whose creator is a peer identity', async () => {
      const peer = await peerIdentity('LabMSP');
      const good = await devnet.connect('lab-technician');
      const tx = await good.gateway
        .getNetwork(CHANNEL)
        .getContract('basic')
        .newProposal('put', { arguments: ['acl-envelope', 'v'] })
        .endorse();
      // Re-sign the endorsed transaction's envelope as the peer: the orderer checks /Channel/Writers.
      const asPeer = await devnet.connect('lab-technician', peer);
      const forged = asPeer.gateway.newTransaction(tx.getBytes());
      const err = (await forged.submit().catch((e: unknown) => e)) as GatewayError;
      expect(err.code).toBe(10);
      expect(err.message).toContain('received unsuccessful response from orderer: status=FORBIDDEN');
    });

    it('lets a peer identity read commit status and chaincode events (Readers include peers)', async () => {
      const writer = await devnet.connect('hospitalb-doctor');
      const committed = await writer.gateway
        .getNetwork(CHANNEL)
        .getContract('basic')
        .submitAsync('putWithEvent', { arguments: ['acl-reader', 'v', 'AclChecked'] });
      await committed.getStatus();
      const reader = await devnet.connect('hospitalb-doctor', await peerIdentity('HospitalBMSP'));
      const status = await reader.gateway.newCommit(committed.getBytes()).getStatus();
      expect(status.successful).toBe(true);
      const events = await reader.gateway
        .getNetwork(CHANNEL)
        .getChaincodeEvents('basic', { startBlock: status.blockNumber });
      const first = await events[Symbol.asyncIterator]().next();
      events.close();
      expect(first.value).toMatchObject({
        eventName: 'AclChecked',
        transactionId: committed.getTransactionId(),
      });
    });
  });
});

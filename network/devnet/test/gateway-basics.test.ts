import { createHash } from 'node:crypto';
import { gateway as gatewayProtos, msp } from '@hyperledger/fabric-protos';
import {
  CommitError,
  EndorseError,
  GatewayError,
  type Contract,
  type Network,
} from '@hyperledger/fabric-gateway';
import { utf8, type ConnectedClient } from './support/fabric-client';
import { sharedDevnet } from './support/shared-devnet';

const CHANNEL = 'healthchannel';

describe('devnet gateway', () => {
  const devnet = sharedDevnet();
  let doctorA: ConnectedClient;
  let network: Network;
  let contract: Contract;

  beforeAll(async () => {
    doctorA = await devnet.connect('hospitala-doctor');
    network = doctorA.gateway.getNetwork(CHANNEL);
    contract = network.getContract('basic');
  }, 60_000);

  describe('submit and evaluate', () => {
    it('commits a write that a later evaluate reads, in a block after the genesis block', async () => {
      const commit = await contract.submitAsync('put', { arguments: ['k1', 'v1'] });
      expect(utf8(commit.getResult())).toBe('v1');
      const status = await commit.getStatus();
      expect(status).toMatchObject({ successful: true, code: 0, transactionId: commit.getTransactionId() });
      expect(status.blockNumber).toBeGreaterThanOrEqual(1n);
      expect(utf8(await contract.evaluateTransaction('get', 'k1'))).toBe('v1');
    });

    it('passes the caller identity and its certificate attributes to the chaincode', async () => {
      const creator = JSON.parse(utf8(await contract.evaluateTransaction('creator'))) as Record<
        string,
        string
      >;
      expect(creator).toMatchObject({ mspId: 'HospitalAMSP', role: 'doctor' });
    });

    it('returns a chaincode error on evaluate as UNKNOWN with the chaincode message in a detail', async () => {
      const err = await contract
        .evaluateTransaction('fail', 'CONFLICT: reading r1 exists')
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatewayError);
      const gatewayError = err as GatewayError;
      expect(gatewayError.code).toBe(2);
      expect(gatewayError.message).toBe(
        '2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, CONFLICT: reading r1 exists',
      );
      expect(gatewayError.details).toEqual([
        expect.objectContaining({
          mspId: 'HospitalAMSP',
          message: 'chaincode response 500, CONFLICT: reading r1 exists',
        }),
      ]);
    });

    it('refuses a function the contract does not have with the shim message', async () => {
      const err = (await contract
        .evaluateTransaction('noSuchFunction')
        .catch((e: unknown) => e)) as GatewayError;
      expect(err.code).toBe(2);
      expect(err.details[0]?.message).toBe(
        "chaincode response 500, You've asked to invoke a function that does not exist: noSuchFunction",
      );
    });

    it('returns a chaincode error on submit as EndorseError ABORTED with details', async () => {
      const err = await contract
        .submitTransaction('fail', 'CONFLICT: reading r1 exists')
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EndorseError);
      const endorseError = err as EndorseError;
      expect(endorseError.code).toBe(10);
      expect(endorseError.message).toBe(
        '10 ABORTED: failed to endorse transaction, see attached details for more info',
      );
      expect(endorseError.details[0]?.message).toBe('chaincode response 500, CONFLICT: reading r1 exists');
    });
  });

  describe('routing errors', () => {
    it('answers a channel the network does not have with UNAVAILABLE', async () => {
      const other = doctorA.gateway.getNetwork('nochannel').getContract('basic');
      const err = (await other.evaluateTransaction('get', 'k1').catch((e: unknown) => e)) as GatewayError;
      expect(err.code).toBe(14);
      expect(err.message).toContain(
        'failed to get config for channel [nochannel]: could not get last config for channel nochannel',
      );
    });

    it('answers a chaincode that is not deployed with FAILED_PRECONDITION', async () => {
      const missing = network.getContract('nosuchcc');
      const evaluateErr = (await missing
        .evaluateTransaction('get', 'k')
        .catch((e: unknown) => e)) as GatewayError;
      expect(evaluateErr.code).toBe(9);
      expect(evaluateErr.message).toContain(
        `no peers available to evaluate chaincode nosuchcc in channel ${CHANNEL}`,
      );
      const submitErr = await missing.submitTransaction('put', 'k', 'v').catch((e: unknown) => e);
      expect(submitErr).toBeInstanceOf(EndorseError);
      expect((submitErr as EndorseError).code).toBe(9);
      expect((submitErr as EndorseError).message).toContain(
        `No metadata was found for chaincode nosuchcc in channel ${CHANNEL}`,
      );
    });

    it('refuses an unknown organisation in endorsingOrganizations with UNAVAILABLE', async () => {
      const err = await contract
        .submit('put', { arguments: ['k2', 'v'], endorsingOrganizations: ['NoSuchMSP'] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EndorseError);
      expect((err as EndorseError).code).toBe(14);
      expect((err as EndorseError).message).toContain(
        'failed to find any endorsing peers for org(s): NoSuchMSP',
      );
    });
  });

  describe('endorsement policies', () => {
    it('commits ENDORSEMENT_POLICY_FAILURE when one organisation endorses under a MAJORITY policy', async () => {
      const err = await contract
        .submit('put', { arguments: ['k3', 'v'], endorsingOrganizations: ['HospitalAMSP'] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CommitError);
      expect((err as CommitError).code).toBe(10);
      expect((err as CommitError).message).toMatch(
        /failed to commit with status code 10 \(ENDORSEMENT_POLICY_FAILURE\)/,
      );
    });

    it('commits when the named organisations satisfy the policy', async () => {
      const result = await contract.submit('put', {
        arguments: ['k4', 'v4'],
        endorsingOrganizations: ['HospitalBMSP', 'LabMSP', 'PharmacyMSP'],
      });
      expect(utf8(result)).toBe('v4');
    });

    it('chooses the organisations a key-level policy names, and fails when the client names others', async () => {
      await contract.submitTransaction('putOwned', 'owned', 'v1', JSON.stringify(['LabMSP']));
      // Without endorsingOrganizations the gateway picks LabMSP itself.
      expect(utf8(await contract.submitTransaction('put', 'owned', 'v2'))).toBe('v2');
      const err = await contract
        .submit('put', {
          arguments: ['owned', 'v3'],
          endorsingOrganizations: ['HospitalAMSP', 'PharmacyMSP'],
        })
        .catch((e: unknown) => e);
      expect((err as CommitError).code).toBe(10);
      expect(utf8(await contract.evaluateTransaction('get', 'owned'))).toBe('v2');
    });
  });

  describe('private data', () => {
    const transientData = { value: Buffer.from('secret-a') };

    it('stores private data from transient input, endorsed by the owning organisation only', async () => {
      await contract.submit('putPrivate', { arguments: ['p1'], transientData });
      expect(utf8(await contract.evaluate('getPrivate', { arguments: ['HospitalAMSP', 'p1'] }))).toBe(
        'secret-a',
      );
    });

    it('refuses to read it through another organisation, which still sees its hash', async () => {
      const err = (await contract
        .evaluate('getPrivate', { arguments: ['HospitalAMSP', 'p1'], endorsingOrganizations: ['LabMSP'] })
        .catch((e: unknown) => e)) as GatewayError;
      expect(err.code).toBe(2);
      expect(err.message).toContain('private data matching public hash version is not available');
      const hash = utf8(
        await contract.evaluate('getPrivateHash', {
          arguments: ['HospitalAMSP', 'p1'],
          endorsingOrganizations: ['LabMSP'],
        }),
      );
      expect(hash).toBe(createHash('sha256').update('secret-a').digest('hex'));
    });

    it('chooses the organisations a private key-level policy names', async () => {
      await contract.submitTransaction(
        'putPrivateOwned',
        'owned-p',
        'v1',
        JSON.stringify(['HospitalAMSP', 'LabMSP']),
      );
      // The committer needs both organisations for the next write of that private key; without
      // endorsingOrganizations the gateway must find them from the key's validation parameter.
      await contract.submitTransaction('putPrivateOwned', 'owned-p', 'v2', '[]');
      expect(utf8(await contract.evaluate('getPrivate', { arguments: ['HospitalAMSP', 'owned-p'] }))).toBe(
        'v2',
      );
      const err = await contract
        .submit('putPrivateOwned', {
          arguments: ['owned-p', 'v3', '[]'],
          endorsingOrganizations: ['HospitalAMSP'],
        })
        .catch((e: unknown) => e);
      expect((err as CommitError).code).toBe(10);
      expect(utf8(await contract.evaluate('getPrivate', { arguments: ['HospitalAMSP', 'owned-p'] }))).toBe(
        'v2',
      );
    });

    it('keeps transient data within the collection owner unless the client names the endorsers', async () => {
      const err = (await contract
        .submit('putPublicAndPrivate', { arguments: ['pp1'], transientData })
        .catch((e: unknown) => e)) as EndorseError;
      expect(err).toBeInstanceOf(EndorseError);
      expect(err.code).toBe(9);
      expect(err.message).toContain(
        'requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): [_implicit_org_HospitalAMSP]',
      );
      const result = await contract.submit('putPublicAndPrivate', {
        arguments: ['pp1'],
        transientData,
        endorsingOrganizations: ['HospitalAMSP', 'HospitalBMSP', 'LabMSP'],
      });
      expect(utf8(result)).toBe('stored');
      expect(utf8(await contract.evaluate('getPrivate', { arguments: ['HospitalAMSP', 'pp1'] }))).toBe(
        'secret-a',
      );
    });
  });

  describe('conflicts and duplicates', () => {
    it('marks the second of two concurrent read-modify-writes MVCC_READ_CONFLICT', async () => {
      await contract.submitTransaction('put', 'counter', '0');
      const [a, b] = await Promise.all([
        contract.newProposal('increment', { arguments: ['counter'] }).endorse(),
        contract.newProposal('increment', { arguments: ['counter'] }).endorse(),
      ]);
      const commits = await Promise.all([a.submit(), b.submit()]);
      const statuses = await Promise.all(commits.map((c) => c.getStatus()));
      expect(statuses.map((s) => s.code).sort()).toEqual([0, 11]);
      expect(statuses.find((s) => s.code === 11)).toMatchObject({ successful: false });
      expect(utf8(await contract.evaluateTransaction('get', 'counter'))).toBe('1');
    });

    it('marks a transaction endorsed before a conflicting commit MVCC_READ_CONFLICT', async () => {
      const stale = await contract.newProposal('increment', { arguments: ['counter'] }).endorse();
      await contract.submitTransaction('increment', 'counter');
      const status = await (await stale.submit()).getStatus();
      expect(status).toMatchObject({ successful: false, code: 11 });
    });

    it('accepts a duplicate submit, marks the copy DUPLICATE_TXID and answers the first copy', async () => {
      const tx = await contract.newProposal('put', { arguments: ['dup', 'v'] }).endorse();
      const first = await tx.submit();
      const firstStatus = await first.getStatus();
      expect(firstStatus.code).toBe(0);
      const second = await tx.submit();
      const secondStatus = await second.getStatus();
      expect(secondStatus).toMatchObject({ code: 0, blockNumber: firstStatus.blockNumber });
    });

    it('refuses to endorse a transaction id that is already on the ledger', async () => {
      const proposal = contract.newProposal('put', { arguments: ['dup2', 'v'] });
      await (await (await proposal.endorse()).submit()).getStatus();
      const err = (await proposal.endorse().catch((e: unknown) => e)) as EndorseError;
      expect(err.code).toBe(10);
      expect(err.details[0]?.message).toMatch(/^duplicate transaction found \[[0-9a-f]{64}\]/);
    });
  });

  describe('ledger semantics as a Fabric peer shows them', () => {
    it('does not let a transaction read its own writes', async () => {
      expect(utf8(await contract.submitTransaction('putThenGet', 'ryw', 'new'))).toBe('');
    });

    it('marks a range reader PHANTOM_READ_CONFLICT when a key is inserted into its range first', async () => {
      await contract.submitTransaction('put', 'range-b', 'x');
      const reader = await contract
        .newProposal('countRange', { arguments: ['range-a', 'range-z', 'range-result'] })
        .endorse();
      expect(utf8(reader.getResult())).toBe('1');
      await contract.submitTransaction('put', 'range-c', 'x');
      expect((await (await reader.submit()).getStatus()).code).toBe(12);
    });

    it('returns history newest first, deletes included, each with a timestamp', async () => {
      await contract.submitTransaction('put', 'hist', 'one');
      await contract.submitTransaction('put', 'hist', 'two');
      await contract.submitTransaction('del', 'hist');
      const history = JSON.parse(utf8(await contract.evaluateTransaction('history', 'hist'))) as {
        value: string;
        isDelete: boolean;
        seconds: number;
      }[];
      expect(history.map((h) => [h.value, h.isDelete])).toEqual([
        ['', true],
        ['two', false],
        ['one', false],
      ]);
      for (const h of history) expect(Math.abs(h.seconds - Date.now() / 1000)).toBeLessThan(120);
    });

    it('pages 25 composite keys as 10, 10, 5 with an empty bookmark at the end', async () => {
      await contract.submitTransaction('putItems', '25');
      const pages: { count: number; fetchedRecordsCount: number; bookmark: string }[] = [];
      let bookmark = '';
      do {
        const page = JSON.parse(
          utf8(await contract.evaluateTransaction('pageItems', '10', bookmark)),
        ) as (typeof pages)[number];
        pages.push(page);
        bookmark = page.bookmark;
      } while (bookmark !== '' && pages.length < 5);
      expect(pages.map((p) => [p.count, p.fetchedRecordsCount])).toEqual([
        [10, 10],
        [10, 10],
        [5, 5],
      ]);
    });

    it('refuses a write after a paginated query with Fabric’s own message', async () => {
      const err = (await contract
        .submitTransaction('pageThenWrite')
        .catch((e: unknown) => e)) as EndorseError;
      expect(err.code).toBe(10);
      expect(err.details[0]?.message).toContain(
        'unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed',
      );
    });
  });

  describe('commit status', () => {
    it('waits for an unknown transaction until the deadline', async () => {
      const request = new gatewayProtos.CommitStatusRequest();
      request.setChannelId(CHANNEL);
      request.setTransactionId('0'.repeat(64));
      const id = new msp.SerializedIdentity();
      id.setMspid(doctorA.identity.mspId);
      id.setIdBytes(doctorA.identity.credentials);
      request.setIdentity(id.serializeBinary());
      const signed = new gatewayProtos.SignedCommitStatusRequest();
      signed.setRequest(request.serializeBinary());
      const commit = doctorA.gateway.newCommit(signed.serializeBinary());
      const started = Date.now();
      const err = (await commit
        .getStatus({ deadline: Date.now() + 400 })
        .catch((e: unknown) => e)) as GatewayError;
      expect(err.code).toBe(4);
      expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    });
  });
});

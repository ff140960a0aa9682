import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { connect, signers } from '@hyperledger/fabric-gateway';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseChaincodeError } from '@careledger/contract';
import { clientAs, clientFor, identityNamed, type ConnectionProfile } from '@careledger/fabric-toolkit';
import { spawnEmbeddedNetwork, type EmbeddedNetworkProcess } from '@careledger/gateway-api';

describe("CareLedger's embedded network (npm run devnet)", () => {
  let dataDir: string;
  let devnet: EmbeddedNetworkProcess | undefined;
  const firstStart: string[] = [];
  /** Log lines at error level or above (pino 50, 60). */
  const errors = (lines: readonly string[]) => lines.filter((l) => /"level":(50|60)/.test(l));

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'embedded-registry-'));
    devnet = await spawnEmbeddedNetwork({
      dataDir,
      port: 0,
      logLevel: 'warn',
      onLog: (l) => void firstStart.push(l),
    });
  }, 90_000);

  afterAll(async () => {
    await devnet?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('bootstraps the organisation registry once, logging no error, and serves it to a client', async () => {
    expect(errors(firstStart)).toEqual([]);
    const client = await clientAs(devnet!.connection, 'lab-technician');
    try {
      const answer = await client.contract().evaluateTransaction('Organizations:list');
      const orgs = JSON.parse(Buffer.from(answer).toString()) as { mspId: string; type: string }[];
      expect(orgs.map((o) => [o.mspId, o.type]).sort()).toEqual([
        ['HospitalAMSP', 'hospital'],
        ['HospitalBMSP', 'hospital'],
        ['LabMSP', 'lab'],
        ['PharmacyMSP', 'pharmacy'],
      ]);
    } finally {
      client.close();
    }
  });

  it('keeps the registry across a restart without bootstrapping again or logging an error', async () => {
    await devnet!.stop();
    const lines: string[] = [];
    devnet = await spawnEmbeddedNetwork({
      dataDir,
      port: 0,
      logLevel: 'warn',
      onLog: (l) => void lines.push(l),
    });
    // A restart is normal: nothing at error level (pino 50), the registry's check included.
    expect(errors(lines)).toEqual([]);
    const client = await clientAs(devnet.connection, 'hospitala-admin');
    try {
      const err = await client
        .contract()
        .submitTransaction(
          'Organizations:bootstrap',
          '[{"mspId":"HospitalAMSP","type":"hospital","name":"A"}]',
        )
        .catch((e: unknown) => e);
      const detail = (err as { details?: { message: string }[] }).details?.[0]?.message ?? '';
      expect(parseChaincodeError(detail)?.code).toBe('CONFLICT');
    } finally {
      client.close();
    }
  }, 60_000);

  it('enrols a new identity that can call at once, without a restart', async () => {
    const [added] = await devnet!.enrollIdentities('HospitalBMSP', [{ name: 'locum', role: 'doctor' }]);
    expect(added).toMatchObject({ name: 'hospitalb-locum', role: 'doctor', attrs: { role: 'doctor' } });
    const client = clientFor(devnet!.connection, {
      mspId: 'HospitalBMSP',
      certificatePem: await readFile(added!.certPath),
      privateKey: createPrivateKey(await readFile(added!.keyPath)),
    });
    try {
      const answer = await client.contract().evaluateTransaction('Organizations:list');
      expect(JSON.parse(Buffer.from(answer).toString())).toHaveLength(4);
    } finally {
      client.close();
    }
  });

  it("writes each organisation's common connection profile, which a plain fabric-gateway client connects with", async () => {
    // As Fabric's sample applications connect: the peer's URL, TLS CA and TLS name from the profile.
    const profile = JSON.parse(
      await readFile(join(dataDir, 'connection-hospitalb.json'), 'utf8'),
    ) as ConnectionProfile;
    const peerName = profile.organizations.HospitalBMSP?.peers[0] ?? '';
    const peer = profile.peers[peerName]!;
    const client = new grpc.Client(
      peer.url.replace(/^grpcs:\/\//, ''),
      grpc.credentials.createSsl(Buffer.from(peer.tlsCACerts.pem)),
      { 'grpc.ssl_target_name_override': peer.grpcOptions['ssl-target-name-override']! },
    );
    const doctor = identityNamed(devnet!.connection, 'hospitalb-doctor');
    const gateway = connect({
      client,
      identity: { mspId: profile.client.organization, credentials: await readFile(doctor.certPath) },
      signer: signers.newPrivateKeySigner(createPrivateKey(await readFile(doctor.keyPath))),
    });
    try {
      const channel = Object.keys(profile.channels)[0]!;
      const answer = await gateway
        .getNetwork(channel)
        .getContract('careledger')
        .evaluateTransaction('Organizations:list');
      expect(JSON.parse(Buffer.from(answer).toString())).toHaveLength(4);
    } finally {
      gateway.close();
      client.close();
    }
  });
});

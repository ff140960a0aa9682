import { connectAs, removeDir, startTestDevnet, utf8, type TestDevnet } from './support/fabric-client';

describe('devnet with CareLedger chaincode', () => {
  let devnet: TestDevnet;

  beforeAll(async () => {
    devnet = await startTestDevnet({ careledger: true });
  }, 90_000);

  afterAll(async () => {
    await devnet?.stop();
    await removeDir(devnet?.dataDir);
  });

  it('bootstraps the organisation registry once and serves it to a client', async () => {
    const client = await connectAs(devnet.connection, 'lab-technician');
    try {
      const contract = client.gateway
        .getNetwork(devnet.connection.channel)
        .getContract(devnet.connection.chaincode);
      const orgs = JSON.parse(utf8(await contract.evaluateTransaction('Organizations:list'))) as {
        mspId: string;
        type: string;
      }[];
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

  it('keeps the registry across a restart without bootstrapping again', async () => {
    await devnet.stop();
    devnet = await startTestDevnet({ careledger: true, dataDir: devnet.dataDir });
    const client = await connectAs(devnet.connection, 'hospitala-admin');
    try {
      const contract = client.gateway
        .getNetwork(devnet.connection.channel)
        .getContract(devnet.connection.chaincode);
      const err = await contract
        .submitTransaction(
          'Organizations:bootstrap',
          '[{"mspId":"HospitalAMSP","type":"hospital","name":"A"}]',
        )
        .catch((e: unknown) => e);
      expect((err as { details: { message: string }[] }).details[0]?.message).toContain('CONFLICT');
    } finally {
      client.close();
    }
  }, 60_000);
});

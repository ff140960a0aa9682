import { JSONSerializer } from 'fabric-contract-api';
import { contracts } from './index';
import { transactionCatalog } from './transaction-catalog';
import { FakeStub } from './testing/fake-stub';
import { certificateWithAttributes } from './testing/test-certificate';
import { registry, TestNetwork } from './testing/test-network';

// fabric-shim's own dispatcher: parameter marshalling, serializers and metadata as a peer runs them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract.js') as new (
  ...args: unknown[]
) => { Invoke(stub: unknown): Promise<{ status: number; message: string; payload: Buffer }> };

const chaincode = new ChaincodeFromContract(
  contracts,
  { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } },
  {},
  'careledger',
  '1.0',
);

async function invoke(
  net: TestNetwork,
  mspId: string,
  attrs: Record<string, string>,
  fcn: string,
  ...args: string[]
) {
  const pem = await certificateWithAttributes(`user@${mspId}`, attrs);
  net.advance(1000);
  const stub = new FakeStub(net.ledger, { txId: `d${net.now.getTime()}`, timestamp: net.now, mspId });
  const shimLike = Object.assign(stub, {
    getBufferArgs: () => [fcn, ...args].map((a) => Buffer.from(a)),
    getFunctionAndParameters: () => ({ fcn, params: args }),
    getCreator: () => ({ mspid: mspId, idBytes: Buffer.from(pem) }),
  });
  const response = await chaincode.Invoke(shimLike);
  if (response.status === 200) net.ledger.commit(stub.writes());
  return response;
}

describe('contracts through fabric-shim dispatch', () => {
  it('describes every catalogued transaction and every asset in GetMetadata', async () => {
    const net = new TestNetwork();
    const response = await invoke(
      net,
      'HospitalAMSP',
      { role: 'admin' },
      'org.hyperledger.fabric:GetMetadata',
    );
    expect(response.status).toBe(200);
    const metadata = JSON.parse(response.payload.toString()) as {
      contracts: Record<
        string,
        { transactions: { name: string; tag: string[]; parameters?: { name: string }[] }[] }
      >;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const described = Object.entries(metadata.contracts).flatMap(([contract, c]) =>
      c.transactions.map((t) => [`${contract}:${t.name}`, t] as const),
    );
    const byName = new Map(described);
    for (const [name, entry] of Object.entries(transactionCatalog)) {
      const tx = byName.get(name);
      expect(tx).toBeDefined();
      expect((tx?.parameters ?? []).map((p) => p.name)).toEqual(entry.args);
      expect(tx?.tag).toContain(entry.submit ? 'SUBMIT' : 'EVALUATE');
    }
    expect(
      described
        .filter(([n]) => !n.startsWith('org.hyperledger'))
        .map(([n]) => n)
        .sort(),
    ).toEqual(Object.keys(transactionCatalog).sort());
    expect(Object.keys(metadata.components.schemas)).toEqual(
      expect.arrayContaining([
        'Patient',
        'VitalSign',
        'Consent',
        'LabResult',
        'Prescription',
        'Dispensation',
        'AccessLogEntry',
        'VitalSignPage',
      ]),
    );
    expect(Object.keys(metadata.components.schemas.VitalSign!.properties)).toEqual(
      expect.arrayContaining(['readingId', 'news2Score', 'direction', 'flag', 'loinc', 'unit']),
    );
  });

  it('reads the role from the certificate attribute and returns objects as JSON', async () => {
    const net = new TestNetwork();
    const boot = await invoke(
      net,
      'HospitalAMSP',
      { role: 'admin' },
      'Organizations:bootstrap',
      JSON.stringify(registry),
    );
    expect(boot.status).toBe(200);
    expect(JSON.parse(boot.payload.toString())).toHaveLength(4);
    const list = await invoke(net, 'LabMSP', { role: 'technician' }, 'Organizations:get', 'PharmacyMSP');
    expect(JSON.parse(list.payload.toString())).toMatchObject({ mspId: 'PharmacyMSP', type: 'pharmacy' });
  });

  it('answers a refused call with status 500 and the coded message', async () => {
    const net = new TestNetwork();
    await invoke(net, 'HospitalAMSP', { role: 'admin' }, 'Organizations:bootstrap', JSON.stringify(registry));
    const denied = await invoke(net, 'LabMSP', { role: 'nurse' }, 'Organizations:list');
    expect(denied.status).toBe(500);
    expect(denied.message).toMatch(/^UNAUTHENTICATED_ROLE: /);
    const unknown = await invoke(net, 'LabMSP', { role: 'technician' }, 'Vitals:noSuchFunction');
    expect(unknown.status).toBe(500);
    expect(unknown.message).toContain('does not exist');
  });
});

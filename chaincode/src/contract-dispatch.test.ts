import { JSONSerializer } from 'fabric-contract-api';
import { contracts } from './index';
import { openAnswer, type SealedAnswer, transactionCatalog } from '@careledger/contract';
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

const pems = new Map<string, ReturnType<typeof certificateWithAttributes>>();
function certFor(mspId: string, attrs: Record<string, string>): ReturnType<typeof certificateWithAttributes> {
  const id = `${mspId} ${JSON.stringify(attrs)}`;
  let pem = pems.get(id);
  if (!pem) {
    pem = certificateWithAttributes(`user@${mspId}`, attrs);
    pems.set(id, pem);
  }
  return pem;
}

async function invoke(
  net: TestNetwork,
  mspId: string,
  attrs: Record<string, string>,
  fcn: string,
  ...args: string[]
) {
  return invokeWith(net, mspId, attrs, {}, fcn, ...args);
}

async function invokeWith(
  net: TestNetwork,
  mspId: string,
  attrs: Record<string, string>,
  transient: Record<string, string>,
  fcn: string,
  ...args: string[]
) {
  const { pem } = await certFor(mspId, attrs);
  const tx = net.stub({
    mspId,
    creatorPem: pem,
    args: [fcn, ...args],
    transient: new Map(Object.entries(transient).map(([k, v]) => [k, Buffer.from(v)])),
  });
  const response = await chaincode.Invoke(tx.stub);
  if (response.status === 200) await net.commit(tx);
  else tx.finish();
  return Object.assign(response, { event: tx.event });
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
      components: {
        schemas: Record<string, { properties: Record<string, { type?: string; $ref?: string }> }>;
      };
    };
    const described = Object.entries(metadata.contracts).flatMap(([contract, c]) =>
      c.transactions.map((t) => [`${contract}:${t.name}`, t] as const),
    );
    const byName = new Map<string, (typeof described)[number][1]>(described);
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
    expect(metadata.components.schemas.LabResult!.properties.value).toEqual({ type: 'number' });
  });

  it('resolves every returned and nested type to a described schema, and types every property', async () => {
    const net = new TestNetwork();
    const response = await invoke(net, 'HospitalAMSP', {}, 'org.hyperledger.fabric:GetMetadata');
    const metadata = JSON.parse(response.payload.toString()) as {
      contracts: Record<string, { transactions: { name: string; returns?: unknown }[] }>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const schemas = metadata.components.schemas;
    const refs = (node: unknown): string[] => {
      if (node === null || typeof node !== 'object') return [];
      const own = '$ref' in node && typeof node.$ref === 'string' ? [node.$ref.split('/').pop()!] : [];
      return [...own, ...Object.values(node).flatMap(refs)];
    };
    const returned = Object.values(metadata.contracts).flatMap((c) => c.transactions.map((t) => t.returns));
    for (const name of [...refs(returned), ...refs(schemas)]) expect(Object.keys(schemas)).toContain(name);
    for (const [name, schema] of Object.entries(schemas)) {
      for (const [prop, type] of Object.entries(schema.properties)) {
        // An inferred (Object) property type would show as neither a type nor a reference.
        expect([name, prop, refs(type).length > 0 || 'type' in (type as object)]).toEqual([name, prop, true]);
      }
    }
  });

  it('takes inputs from the transient map, answers receipts and emits events', async () => {
    const net = new TestNetwork();
    await invoke(net, 'HospitalAMSP', { role: 'admin' }, 'Organizations:bootstrap', JSON.stringify(registry));
    const demographics = JSON.stringify({ name: 'Ada Example', birthDate: '1980-02-03', sex: 'female' });
    const registered = await invokeWith(
      net,
      'HospitalAMSP',
      { role: 'nurse' },
      { demographics },
      'Patients:register',
      'p-1',
    );
    expect(registered.status).toBe(200);
    expect(registered.payload.toString()).not.toContain('Ada');
    expect(JSON.parse(registered.payload.toString())).toMatchObject({
      patientId: 'p-1',
      custodianMspId: 'HospitalAMSP',
    });
    const reading = {
      readingId: 'r-1',
      patientId: 'p-1',
      type: 'spo2',
      value: 90,
      unit: '%',
      observedAt: net.now.toISOString(),
    };
    const recorded = await invokeWith(
      net,
      'HospitalAMSP',
      { role: 'nurse' },
      { reading: JSON.stringify(reading) },
      'Vitals:record',
    );
    expect(recorded.status).toBe(200);
    expect(JSON.parse(recorded.payload.toString())).toMatchObject({
      id: 'r-1',
      replayed: false,
      flag: 'critical',
      news2Score: 3,
    });
    expect(recorded.payload.toString()).not.toContain('90');
    expect(recorded.event?.name).toBe('VitalAbnormal');
    expect(JSON.parse(recorded.event!.payload.toString())).toMatchObject({
      alerts: [{ readingId: 'r-1', patientId: 'p-1', custodianMspId: 'HospitalAMSP', flag: 'critical' }],
    });
    const read = await invoke(
      net,
      'HospitalAMSP',
      { role: 'doctor' },
      'Vitals:get',
      'HospitalAMSP',
      'p-1',
      'r-1',
    );
    // The answer is sealed to the doctor's certificate: ciphertext to anyone else.
    expect(read.payload.toString()).not.toContain('r-1');
    const sealed = JSON.parse(read.payload.toString()) as SealedAnswer;
    const { privateKey } = await certFor('HospitalAMSP', { role: 'doctor' });
    expect(openAnswer(sealed, privateKey)).toMatchObject({ readingId: 'r-1', value: 90, direction: 'low' });
    const nurse = await certFor('HospitalAMSP', { role: 'nurse' });
    expect(() => openAnswer(sealed, nurse.privateKey)).toThrow();
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

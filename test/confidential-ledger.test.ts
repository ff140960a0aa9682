import type { EmbeddedStack } from './embedded-stack';
import type { RunningGateway } from '@careledger/gateway-api';
import {
  externalConnection,
  startEmbeddedStack,
  startGatewayStack,
  type GatewayStack,
} from './embedded-stack';
import { scanBlocks, scanLedgerDb, scanPeerDirs, type Hit } from './ledger-scanner';

jest.setTimeout(120_000);

/**
 * Against a real network (`CARELEDGER_E2E_CONNECTION`), `CARELEDGER_E2E_PEER_DATA` names each
 * organisation's peer file system, e.g. `{"HospitalAMSP": "<run dir>/data/peer0.hospitala…", …}`
 * (network/README.md says where `network.sh` keeps them).
 */
const peerData = process.env.CARELEDGER_E2E_PEER_DATA;

let stack: GatewayStack | undefined;
let gateway: RunningGateway;

beforeAll(async () => {
  stack =
    externalConnection === undefined
      ? await startEmbeddedStack('confidential')
      : await startGatewayStack('confidential');
  ({ gateway } = stack);
});

afterAll(async () => {
  await stack?.close();
});

async function api(
  as: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; data: unknown }> {
  const res = await fetch(`${gateway.url}/api/v1${path}`, {
    method,
    headers: { 'x-api-key': stack?.keys[as] ?? '', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await res.json()) as { data?: unknown; error?: { code: string } };
  return { status: res.status, data: answer.data ?? answer.error?.code };
}

const demographics = {
  name: 'Zelda Quintavalle',
  birthDate: '1961-07-14',
  sex: 'female',
  contact: {
    phone: '+41 79 555 01 23',
    email: 'zelda.q@example.org',
    address: '17 Rue des Aubépines, Lausanne',
  },
  insurance: { provider: 'Helvetic Mutual', policyNumber: 'HM-77120-B' },
  emergencyContact: { name: 'Orlando Quintavalle', phone: '+41 79 555 98 76', relationship: 'brother' },
  allergies: ['sulfonamide'],
};
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const readings = [
  {
    readingId: 'scan-r1',
    patientId: 'scan-1',
    type: 'bodyTemperature',
    value: 39.37,
    unit: 'Cel',
    observedAt: ago(4000),
  },
  {
    readingId: 'scan-r2',
    patientId: 'scan-1',
    type: 'heartRate',
    value: 131,
    unit: '/min',
    observedAt: ago(3000),
  },
  {
    readingId: 'scan-r3',
    patientId: 'scan-1',
    type: 'bloodPressure',
    systolic: 187,
    diastolic: 113,
    unit: 'mm[Hg]',
    observedAt: ago(2000),
  },
  {
    readingId: 'scan-r4',
    patientId: 'scan-1',
    type: 'spo2',
    value: 97.25,
    unit: '%',
    observedAt: ago(1000),
  },
];
const labResult = {
  resultId: 'scan-lab-1',
  patientId: 'scan-1',
  custodianMspId: 'HospitalAMSP',
  loinc: '2345-7',
  display: 'Glucose [Moles/volume] in Serum',
  value: 7.77,
  unit: 'mmol/L',
  price: { amount: 41.5, currency: 'CHF' },
  observedAt: ago(60_000),
};
const prescription = {
  prescriptionId: 'scan-rx-1',
  patientId: 'scan-1',
  atc: 'B03BA03',
  medication: 'Hydroxocobalamin 1 mg/ml',
  dosage: 'one ampoule every third month',
  quantity: 4,
};

/** Every demographic string and every clinical value the story writes, as it would appear in JSON. */
const needles = [
  'Zelda',
  'Quintavalle',
  '1961-07-14',
  '555 01 23',
  'zelda.q@example.org',
  'Aubépines',
  'Helvetic Mutual',
  'HM-77120-B',
  'Orlando',
  'sulfonamide',
  // Numbers with their key: a bare `41.5` also appears in timestamps (`…:44:41.512Z`).
  '"value":39.37',
  '"value":131',
  '"systolic":187',
  '"diastolic":113',
  '"value":97.25',
  'Glucose',
  '"value":7.77',
  '"amount":41.5',
  'Hydroxocobalamin',
  'third month',
  'B03BA03',
  'tumour board',
  'bedside-thermometer-x9',
];

describe('what every member organisation stores after a clinical story', () => {
  let blockHits: Hit[] = [];
  let dbHits: Hit[] = [];

  beforeAll(async () => {
    const ok = (r: { status: number; data: unknown }, status = 201) =>
      expect(r).toEqual({ status, data: r.status === status ? r.data : 'the expected status' });
    ok(await api('hospitala-nurse', 'POST', '/patients', { patientId: 'scan-1', demographics }));
    ok(
      await api('hospitala-nurse', 'POST', '/devices', {
        deviceId: 'scan-dev-1',
        type: 'bedside-thermometer-x9',
        patientId: 'scan-1',
      }),
    );
    ok(await api('hospitala-nurse', 'POST', '/vitals/batch', { readings }));
    // Refused before any consent: a lab's write, a pharmacy's and another hospital's reads.
    expect((await api('lab-technician', 'POST', '/lab-results', labResult)).status).toBe(403);
    expect(
      (await api('hospitalb-doctor', 'GET', '/patients/scan-1/demographics?custodian=HospitalAMSP')).status,
    ).toBe(403);
    const until = new Date(Date.now() + 86_400_000).toISOString();
    for (const [granteeMspId, scopes] of [
      ['LabMSP', ['labResults']],
      ['PharmacyMSP', ['prescriptions']],
    ] as const) {
      ok(
        await api('hospitala-admin', 'POST', '/consents', {
          patientId: 'scan-1',
          granteeMspId,
          scopes,
          purpose: 'shared care',
          validUntil: until,
        }),
      );
    }
    const consent = await api('hospitala-admin', 'POST', '/consents', {
      patientId: 'scan-1',
      granteeMspId: 'HospitalBMSP',
      scopes: ['vitals', 'demographics', 'labResults'],
      purpose: 'tumour board review',
      validUntil: until,
    });
    ok(consent);
    ok(await api('lab-technician', 'POST', '/lab-results', labResult));
    ok(await api('hospitala-doctor', 'POST', '/prescriptions', prescription));
    ok(
      await api('pharmacy-pharmacist', 'POST', '/dispensations', {
        dispensationId: 'scan-disp-1',
        prescriptionId: 'scan-rx-1',
        patientId: 'scan-1',
        custodianMspId: 'HospitalAMSP',
        quantity: 1,
      }),
    );
    const reads: [string, string][] = [
      ['hospitalb-doctor', 'demographics'],
      ['hospitalb-doctor', 'vitals'],
      ['hospitalb-doctor', 'vitals/scan-r1'],
      ['hospitalb-doctor', 'lab-results'],
      ['lab-technician', 'lab-results'],
      ['pharmacy-pharmacist', 'prescriptions'],
    ];
    for (const [as, path] of reads) {
      ok(await api(as, 'GET', `/patients/scan-1/${path}?custodian=HospitalAMSP`), 200);
    }
    const consentId = (consent.data as { consentId: string }).consentId;
    ok(await api('hospitala-admin', 'DELETE', `/patients/scan-1/consents/${consentId}`), 200);
    expect(
      (await api('hospitalb-doctor', 'GET', '/patients/scan-1/vitals?custodian=HospitalAMSP')).status,
    ).toBe(403);

    if (externalConnection !== undefined) {
      if (peerData === undefined) throw new Error('set CARELEDGER_E2E_PEER_DATA to scan a real network');
      const hits = await scanPeerDirs(JSON.parse(peerData) as Record<string, string>, needles);
      blockHits = hits.filter((h) => / chains\//.test(h.where));
      dbHits = hits.filter((h) => !/ chains\//.test(h.where));
      return;
    }
    const { devnet } = stack as EmbeddedStack;
    blockHits = await scanBlocks(devnet.ledger, needles);
    await gateway.close();
    await devnet.stop();
    dbHits = await scanLedgerDb(`${stack?.dataDir}/devnet`, needles);
  });

  it('has no demographic string and no clinical value in any block', () => {
    expect(blockHits).toEqual([]);
  });

  it("has them only in the custodian's implicit collection, on no other organisation's peer", () => {
    // The endorsing (custodian's) peer's transient store is emptied once the transaction commits.
    // On Fabric the custodian's peer keeps private values in its state database and its private data store.
    const allowed =
      externalConnection === undefined
        ? [
            'private values of _implicit_org_HospitalAMSP',
            'committed private write sets of _implicit_org_HospitalAMSP',
          ]
        : ['HospitalAMSP stateLeveldb', 'HospitalAMSP pvtdataStore'];
    const where = [...new Set(dbHits.map((h) => h.where))];
    expect(where.filter((w) => !allowed.includes(w))).toEqual([]);
    // The scanner does find what is there: every needle is in the custodian's collection.
    const found = new Set(dbHits.filter((h) => h.where === allowed[0]).map((h) => h.needle));
    expect(needles.filter((n) => !found.has(n))).toEqual([]);
  });
});

import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { connect, signers, type Contract, type Gateway } from '@hyperledger/fabric-gateway';
import { openAnswer, parseChaincodeError, type SealedAnswer } from '@careledger/contract';
import { tlsRootsOf, type ConnectionFile } from '@careledger/fabric-toolkit';
import { startEmbeddedStack, type EmbeddedStack } from './embedded-stack';
import { scanBlocks } from './ledger-scanner';

jest.setTimeout(90_000);

/*
 * Hospital B with its own @hyperledger/fabric-gateway client and its own doctor's identity (no
 * CareLedger code in between), holding a valid consent, tries every way to get Hospital A's
 * patient data without the committed access-log entry that the REST gateway always makes first.
 */

let stack: EmbeddedStack | undefined;
let client: grpc.Client;
let gateway: Gateway;
let contract: Contract;
/** Hospital B's doctor's private key: the chaincode seals its answers to this identity. */
let doctorKey: KeyObject;

function connectAs(file: ConnectionFile, name: string): Gateway {
  const identity = file.organisations.flatMap((o) => o.identities.map((i) => ({ ...i, mspId: o.mspId })));
  const id = identity.find((i) => i.name === name);
  if (!id) throw new Error(`no identity ${name}`);
  doctorKey = createPrivateKey(readFileSync(id.keyPath));
  return connect({
    client,
    identity: { mspId: id.mspId, credentials: readFileSync(id.certPath) },
    signer: signers.newPrivateKeySigner(doctorKey),
  });
}

async function api(
  as: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; data: unknown }> {
  const res = await fetch(`${stack?.gateway.url}/api/v1${path}`, {
    method,
    headers: { 'x-api-key': stack?.keys[as] ?? '', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, data: ((await res.json()) as { data?: unknown }).data };
}

/** The chaincode's error code of a failed call, or the outcome when it did not fail. */
async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    const result = await call();
    return `answered ${Buffer.from(result as Uint8Array)
      .toString('utf8')
      .slice(0, 60)}`;
  } catch (error) {
    const err = error as { message: string; details?: { message: string }[] };
    for (const text of [...(err.details ?? []).map((d) => d.message), err.message]) {
      const found = parseChaincodeError(text);
      if (found) return found.code;
    }
    return /private data matching public hash version is not available/.test(
      JSON.stringify(err.details ?? err.message),
    )
      ? 'NOT_HELD_BY_THIS_PEER'
      : `failed: ${err.message.slice(0, 120)}`;
  }
}

const A = 'HospitalAMSP';
const B = 'HospitalBMSP';
const reads: readonly [string, string[]][] = [
  ['Patients:readDemographics', [A, 'patient-1']],
  ['Vitals:query', [JSON.stringify({ patientId: 'patient-1', custodianMspId: A })]],
  ['Vitals:get', [A, 'patient-1', 'direct-r1']],
];

beforeAll(async () => {
  stack = await startEmbeddedStack('direct-reader');
  const file = stack.devnet.connection;
  client = new grpc.Client(file.gatewayEndpoint, grpc.credentials.createSsl(tlsRootsOf(file)));
  gateway = connectAs(file, 'hospitalb-doctor');
  contract = gateway.getNetwork(file.channel).getContract(file.chaincode);
  const demographics = { name: 'Ada Example', birthDate: '1980-02-03', sex: 'female' };
  expect(
    (await api('hospitala-nurse', 'POST', '/patients', { patientId: 'patient-1', demographics })).status,
  ).toBe(201);
  const reading = {
    readingId: 'direct-r1',
    patientId: 'patient-1',
    type: 'heartRate',
    value: 72,
    unit: '/min',
    observedAt: new Date(Date.now() - 1000).toISOString(),
  };
  expect((await api('hospitala-nurse', 'POST', '/vitals', reading)).status).toBe(201);
  const consent = await api('hospitala-patient', 'POST', '/consents', {
    patientId: 'patient-1',
    granteeMspId: B,
    scopes: ['vitals', 'demographics'],
    purpose: 'second opinion',
    validUntil: new Date(Date.now() + 86_400_000).toISOString(),
  });
  expect(consent.status).toBe(201);
});

afterAll(async () => {
  gateway?.close();
  client?.close();
  await stack?.close();
});

describe("Hospital B's own Fabric client, with a valid consent", () => {
  it.each(reads)(
    'gets nothing from %s by evaluate, on any peer, without a committed access request',
    async (name, args) => {
      expect([
        await outcome(() => contract.evaluate(name, { arguments: args })),
        await outcome(() => contract.evaluate(name, { arguments: args, endorsingOrganizations: [A] })),
        await outcome(() => contract.evaluate(name, { arguments: args, endorsingOrganizations: [B] })),
      ]).toEqual([
        expect.not.stringMatching(/^answered/),
        'ACCESS_NOT_LOGGED',
        expect.not.stringMatching(/^answered/),
      ]);
    },
  );

  it.each(reads)('gets nothing from %s by submit, whoever endorses', async (name, args) => {
    const height = stack?.devnet.ledger.height();
    expect([
      await outcome(() => contract.submit(name, { arguments: args, endorsingOrganizations: [A] })),
      await outcome(() => contract.submit(name, { arguments: args, endorsingOrganizations: [B] })),
      await outcome(() => contract.submit(name, { arguments: args, endorsingOrganizations: [A, B] })),
    ]).toEqual([
      'ACCESS_NOT_LOGGED',
      expect.not.stringMatching(/^answered/),
      expect.not.stringMatching(/^answered/),
    ]);
    expect(stack?.devnet.ledger.height()).toBe(height);
  });

  it('opens nothing with an access request it evaluates, or has endorsed by its own peer', async () => {
    const request: [string, { arguments: string[] }] = [
      'AccessLog:request',
      { arguments: [A, 'patient-1', 'vitals'] },
    ];
    expect(
      await outcome(() => contract.evaluate(request[0], { ...request[1], endorsingOrganizations: [A] })),
    ).toMatch(/^answered/);
    expect(
      await outcome(() => contract.submit(request[0], { ...request[1], endorsingOrganizations: [B] })),
    ).not.toMatch(/^answered/);
    const [name, args] = reads[1] ?? ['', []];
    expect(
      await outcome(() => contract.evaluate(name, { arguments: args, endorsingOrganizations: [A] })),
    ).toBe('ACCESS_NOT_LOGGED');
  });

  it('reads after its committed access request, for that scope only, and the patient sees the entry naming it', async () => {
    await contract.submit('AccessLog:request', {
      arguments: [A, 'patient-1', 'vitals'],
      endorsingOrganizations: [A],
    });
    const [demographics, vitals] = reads as [[string, string[]], [string, string[]]];
    const sealed = JSON.parse(
      Buffer.from(
        await contract.evaluate(vitals[0], { arguments: vitals[1], endorsingOrganizations: [A] }),
      ).toString(),
    ) as SealedAnswer;
    const page = openAnswer<{ records: { readingId: string; value: number }[] }>(sealed, doctorKey);
    expect(page.records.map((r) => [r.readingId, r.value])).toEqual([['direct-r1', 72]]);

    // Submitted instead of evaluated, the read commits, and its answer is in every member's
    // blocks: sealed to this doctor, so the block shows none of the reading.
    const submittedBefore = stack?.devnet.ledger.height() ?? 0n;
    const submitted = await contract.submit(vitals[0], { arguments: vitals[1], endorsingOrganizations: [A] });
    expect(stack?.devnet.ledger.height()).toBeGreaterThan(submittedBefore);
    expect(openAnswer(JSON.parse(Buffer.from(submitted).toString()) as SealedAnswer, doctorKey)).toEqual(
      page,
    );
    expect(await scanBlocks(stack!.devnet.ledger, ['"value":72', '8867-4'])).toEqual([]);
    expect(
      await outcome(() =>
        contract.evaluate(demographics[0], { arguments: demographics[1], endorsingOrganizations: [A] }),
      ),
    ).toBe('ACCESS_NOT_LOGGED');
    const log = await api('hospitala-patient', 'GET', '/patients/patient-1/access-log');
    expect(
      (log.data as { accessor: { mspId: string; role: string }; action: string }[]).map((e) => [
        e.accessor.mspId,
        e.accessor.role,
        e.action,
      ]),
    ).toEqual([[B, 'doctor', 'readVitals']]);
  });

  it('is refused the access request itself once the consent is revoked', async () => {
    const consents = await api('hospitala-patient', 'GET', '/patients/patient-1/consents');
    const [consent] = consents.data as { consentId: string }[];
    expect(
      (await api('hospitala-patient', 'DELETE', `/patients/patient-1/consents/${consent?.consentId}`)).status,
    ).toBe(200);
    expect(
      await outcome(() =>
        contract.submit('AccessLog:request', {
          arguments: [A, 'patient-1', 'vitals'],
          endorsingOrganizations: [A],
        }),
      ),
    ).toBe('CONSENT_REQUIRED');
  });
});

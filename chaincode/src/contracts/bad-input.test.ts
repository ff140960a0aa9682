import fc from 'fast-check';
import type { Context } from 'fabric-contract-api';
import type { z } from 'zod';
import {
  consentGrantSchema,
  demographicsSchema,
  deviceSchema,
  dispensationSchema,
  idSchema,
  labResultSchema,
  organizationSchema,
  prescriptionSchema,
  readingBatchSchema,
  readingSchema,
  vitalsQuerySchema,
} from '@careledger/contract';
import { contractInstances } from '../testing/contract-instances';
import { sampleLabResult } from '../testing/sample-lab-result';
import { samplePrescription } from '../testing/sample-prescription';
import { demoCallers, registry, TestNetwork, type TestIdentity } from '../testing/test-network';

const { orgs, patients, devices, vitals, consents, labs, rx } = contractInstances;
const { adminA, nurseA, doctorA, patientA, technician, pharmacist } = demoCallers;

const demographics = { name: 'Ada Example', birthDate: '1980-02-03', sex: 'female' };
const observedAt = '2026-11-22T09:59:00.000Z';
const prescription = { ...samplePrescription, prescriptionId: 'rx-9', medication: 'ramipril 5 mg' };
const reading = {
  readingId: 'r-9',
  patientId: 'p-1',
  type: 'heartRate',
  value: 72,
  unit: '/min',
  observedAt,
};

/**
 * One transaction with a JSON input: who calls it, a valid input, its schema, and whether the
 * input is an argument or transient data under the input's name.
 */
interface JsonTransaction {
  readonly name: string;
  readonly argument: string;
  readonly caller: TestIdentity;
  readonly schema: z.ZodType;
  readonly valid: unknown;
  readonly call: (ctx: Context, arg: string) => Promise<unknown>;
  readonly transient?: boolean;
}

const A = 'HospitalAMSP';

/** Run a transaction with its input where it belongs, on the custodian's (Hospital A's) peer. */
function submitWith(net: TestNetwork, tx: JsonTransaction, input: string) {
  return net.submit(tx.caller, (ctx) => tx.call(ctx, input), {
    transient: tx.transient ? { [tx.argument]: input } : {},
    at: A,
  });
}

const transactions: JsonTransaction[] = [
  {
    name: 'Organizations:upsert',
    argument: 'organization',
    caller: adminA,
    schema: organizationSchema,
    valid: { mspId: 'Lab2MSP', type: 'lab', name: 'Second Lab' },
    call: (ctx, a) => orgs.upsert(ctx, a),
  },
  {
    name: 'Patients:register',
    argument: 'demographics',
    caller: nurseA,
    schema: demographicsSchema,
    valid: demographics,
    call: (ctx) => patients.register(ctx, 'p-9'),
    transient: true,
  },
  {
    name: 'Devices:register',
    argument: 'device',
    caller: nurseA,
    schema: deviceSchema,
    valid: { deviceId: 'dev-9', type: 'thermometer', patientId: 'p-1' },
    call: (ctx) => devices.register(ctx),
    transient: true,
  },
  {
    name: 'Vitals:record',
    argument: 'reading',
    caller: nurseA,
    schema: readingSchema,
    valid: reading,
    call: (ctx) => vitals.record(ctx),
    transient: true,
  },
  {
    name: 'Vitals:recordBatch',
    argument: 'readings',
    caller: nurseA,
    schema: readingBatchSchema,
    valid: [reading, { ...reading, readingId: 'r-10', type: 'spo2', value: 97, unit: '%' }],
    call: (ctx) => vitals.recordBatch(ctx),
    transient: true,
  },
  {
    name: 'Vitals:query',
    argument: 'query',
    caller: doctorA,
    schema: vitalsQuerySchema,
    valid: { patientId: 'p-1', from: '2026-11-22T00:00:00Z', type: 'heartRate', pageSize: 10 },
    call: (ctx, a) => vitals.query(ctx, a),
  },
  {
    name: 'Consents:grant',
    argument: 'consent',
    caller: patientA,
    schema: consentGrantSchema,
    valid: {
      patientId: 'p-1',
      granteeMspId: 'HospitalBMSP',
      scopes: ['vitals'],
      purpose: 'second opinion',
      validUntil: '2027-06-01T00:00:00Z',
    },
    call: (ctx) => consents.grant(ctx),
    transient: true,
  },
  {
    name: 'LabResults:record',
    argument: 'labResult',
    caller: technician,
    schema: labResultSchema,
    valid: { ...sampleLabResult, resultId: 'lr-9', observedAt },
    call: (ctx) => labs.record(ctx),
    transient: true,
  },
  {
    name: 'Prescriptions:prescribe',
    argument: 'prescription',
    caller: doctorA,
    schema: prescriptionSchema,
    valid: prescription,
    call: (ctx) => rx.prescribe(ctx),
    transient: true,
  },
  {
    name: 'Prescriptions:dispense',
    argument: 'dispensation',
    caller: pharmacist,
    schema: dispensationSchema,
    valid: {
      dispensationId: 'd-9',
      prescriptionId: 'rx-1',
      patientId: 'p-1',
      custodianMspId: A,
      quantity: 5,
    },
    call: (ctx) => rx.dispense(ctx),
    transient: true,
  },
];

const notJson = fc.string().filter((s) => {
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
});

/** Inputs the schema refuses: a field replaced, dropped or added, another JSON value, or no JSON at all. */
function badInputs(tx: JsonTransaction): fc.Arbitrary<string> {
  const base = (Array.isArray(tx.valid) ? tx.valid[0] : tx.valid) as Record<string, unknown>;
  const fields = Object.keys(base);
  const wrap = (o: Record<string, unknown>) => (Array.isArray(tx.valid) ? [o, ...tx.valid.slice(1)] : o);
  const structural = fc
    .oneof(
      fc
        .record({ key: fc.constantFrom(...fields), value: fc.jsonValue() })
        .map(({ key, value }) => wrap({ ...base, [key]: value })),
      fc
        .constantFrom(...fields)
        .map((key) => wrap(Object.fromEntries(fields.filter((f) => f !== key).map((f) => [f, base[f]])))),
      fc
        .record({
          key: fc.string().filter((k) => !fields.includes(k) && k !== '__proto__'),
          value: fc.jsonValue(),
        })
        .map(({ key, value }) => wrap({ ...base, [key]: value })),
      fc.jsonValue(),
    )
    .filter((candidate) => !tx.schema.safeParse(candidate).success)
    .map((candidate) => JSON.stringify(candidate));
  return fc.oneof({ arbitrary: structural, weight: 4 }, { arbitrary: notJson, weight: 1 });
}

async function setUp(): Promise<TestNetwork> {
  const net = new TestNetwork();
  await net.submit(adminA, (ctx) => orgs.bootstrap(ctx, JSON.stringify(registry)));
  await net.submit(nurseA, (ctx) => patients.register(ctx, 'p-1'), {
    transient: { demographics: JSON.stringify(demographics) },
  });
  await net.submit(doctorA, (ctx) => rx.prescribe(ctx), {
    transient: { prescription: JSON.stringify({ ...prescription, prescriptionId: 'rx-1' }) },
  });
  for (const [granteeMspId, scope] of [
    ['PharmacyMSP', 'prescriptions'],
    ['LabMSP', 'labResults'],
  ] as const) {
    const consent = {
      patientId: 'p-1',
      granteeMspId,
      scopes: [scope],
      purpose: 'care',
      validUntil: '2027-06-01T00:00:00Z',
    };
    await net.submit(patientA, (ctx) => consents.grant(ctx), {
      transient: { consent: JSON.stringify(consent) },
    });
  }
  return net;
}

async function expectRefusedUnchanged(
  net: TestNetwork,
  run: () => Promise<unknown>,
  prefix: string,
): Promise<void> {
  const before = net.snapshot();
  const error = await run().then(
    () => undefined,
    (err: unknown) => err as Error,
  );
  expect(error?.message.startsWith(prefix)).toBe(true);
  expect(error?.message.length).toBeGreaterThan(prefix.length + 5);
  expect(net.lastStub?.hasWrites()).toBe(false);
  expect(net.lastStub?.event).toBeUndefined();
  expect(net.snapshot()).toBe(before);
}

describe('bad input (property)', () => {
  let net: TestNetwork;
  beforeAll(async () => {
    net = await setUp();
  });

  it.each(transactions.map((tx) => [tx.name, tx] as const))('%s accepts its valid example', async (_, tx) => {
    // The baseline: the same call with good input is not refused, so refusals below are about the input.
    const fresh = await setUp();
    await submitWith(fresh, tx, JSON.stringify(tx.valid));
  });

  it.each(transactions.filter((tx) => tx.transient).map((tx) => [tx.name, tx] as const))(
    '%s without its transient input says which key to send, writing nothing',
    async (_, tx) => {
      for (const input of [undefined, '']) {
        await expectRefusedUnchanged(
          net,
          () =>
            net.submit(tx.caller, (ctx) => tx.call(ctx, JSON.stringify(tx.valid)), {
              transient: input === undefined ? {} : { [tx.argument]: input },
              at: A,
            }),
          `INVALID_ARGUMENT: ${tx.argument}: missing; send it as transient data`,
        );
      }
    },
  );

  it.each(transactions.map((tx) => [tx.name, tx] as const))(
    '%s refuses any input its schema refuses, naming the argument, writing nothing',
    async (_, tx) => {
      await fc.assert(
        fc.asyncProperty(badInputs(tx), async (arg) => {
          await expectRefusedUnchanged(
            net,
            () => submitWith(net, tx, arg),
            `INVALID_ARGUMENT: ${tx.argument}`,
          );
        }),
        { numRuns: 100 },
      );
    },
  );

  it('refuses implausible, wrongly united, inverted or future readings the schema lets through', async () => {
    const domainBad = fc.oneof(
      fc.double({ min: -1e6, max: 19.99, noNaN: true }).map((value) => ({ ...reading, value })),
      fc.double({ min: 300.01, max: 1e6, noNaN: true }).map((value) => ({ ...reading, value })),
      fc.constantFrom('bpm', 'beats/min', '1/s', '').map((unit) => ({ ...reading, unit })),
      fc
        .record({ systolic: fc.integer({ min: 40, max: 200 }), gap: fc.integer({ min: 0, max: 100 }) })
        .filter(({ systolic, gap }) => systolic + gap <= 200)
        .map(({ systolic, gap }) => ({
          ...reading,
          type: 'bloodPressure',
          value: undefined,
          systolic,
          diastolic: systolic + gap,
          unit: 'mm[Hg]',
        })),
      fc.integer({ min: 6, max: 60 * 24 * 365 }).map((minutes) => ({
        ...reading,
        observedAt: new Date(Date.parse('2026-11-23T00:00:00Z') + minutes * 60_000).toISOString(),
      })),
    );
    await fc.assert(
      fc.asyncProperty(domainBad, fc.boolean(), async (bad, asBatch) => {
        const arg = JSON.stringify(asBatch ? [{ ...reading, readingId: 'ok-1' }, bad] : bad);
        await expectRefusedUnchanged(
          net,
          () =>
            net.submit(
              nurseA,
              (ctx): Promise<unknown> => (asBatch ? vitals.recordBatch(ctx) : vitals.record(ctx)),
              {
                transient: { [asBatch ? 'readings' : 'reading']: arg },
              },
            ),
          asBatch ? 'INVALID_ARGUMENT: readings.1.' : 'INVALID_ARGUMENT: reading.',
        );
      }),
      { numRuns: 150 },
    );
  });

  it('refuses malformed identifiers in plain arguments, writing nothing', async () => {
    const badId = fc.string().filter((s) => !idSchema.safeParse(s).success);
    await fc.assert(
      fc.asyncProperty(badId, fc.integer({ min: 0, max: 3 }), async (id, which) => {
        const calls = [
          () => net.submit(doctorA, (ctx) => vitals.get(ctx, A, id, 'r-1')),
          () => net.submit(nurseA, (ctx) => devices.bind(ctx, 'dev-1', id)),
          () => net.submit(adminA, (ctx) => consents.revoke(ctx, id, 'c-1')),
          () =>
            net.submit(nurseA, (ctx) => patients.register(ctx, id), {
              transient: { demographics: JSON.stringify(demographics) },
            }),
        ];
        const argument = ['patientId', 'patientId', 'patientId', 'patientId'][which]!;
        await expectRefusedUnchanged(net, calls[which]!, `INVALID_ARGUMENT: ${argument}`);
      }),
      { numRuns: 100 },
    );
  });
});

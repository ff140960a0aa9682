import { ChaincodeError } from '@careledger/contract';
import { contractInstances } from './contract-instances';
import { demoCallers, registry, TestNetwork } from './test-network';

const { orgs, patients, devices } = contractInstances;

/** Hospital A, custodian of the contract tests' patient p-1 and device dev-1. */
export const A = 'HospitalAMSP';

export const demographics = JSON.stringify({
  name: 'Ada Example',
  birthDate: '1980-02-03',
  sex: 'female',
  allergies: ['penicillin'],
});

/** A heart-rate reading of p-1, as the transient `reading` input. */
export function heartRate(id: string, value: number, observedAt = '2026-11-22T10:00:00.000Z'): string {
  return JSON.stringify({
    readingId: id,
    patientId: 'p-1',
    type: 'heartRate',
    value,
    unit: '/min',
    observedAt,
  });
}

/** A consent of p-1 for `granteeMspId`, as the transient `consent` input. */
export function consentInput(granteeMspId: string, scopes: string[], extra: object = {}): string {
  return JSON.stringify({
    patientId: 'p-1',
    granteeMspId,
    scopes,
    purpose: 'care',
    validUntil: '2027-01-01T00:00:00Z',
    ...extra,
  });
}

/** Expect a ChaincodeError of `code` whose message contains `fragment`. */
export async function expectError(promise: Promise<unknown>, code: string, fragment = ''): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ChaincodeError);
  expect((error as Error).message.startsWith(`${code}: `)).toBe(true);
  expect((error as Error).message).toContain(fragment);
}

/** A bootstrapped registry, patient p-1 of Hospital A and its device dev-1 bound to it. */
export async function careSetUp(): Promise<TestNetwork> {
  const net = new TestNetwork();
  const { adminA, nurseA } = demoCallers;
  await net.submit(adminA, (ctx) => orgs.bootstrap(ctx, JSON.stringify(registry)));
  await net.submit(nurseA, (ctx) => patients.register(ctx, 'p-1'), { transient: { demographics } });
  await net.submit(nurseA, (ctx) => devices.register(ctx), {
    transient: { device: JSON.stringify({ deviceId: 'dev-1', type: 'pulse-oximeter', patientId: 'p-1' }) },
  });
  return net;
}

/**
 * CareLedger's default network: the four organisations every new embedded network (and
 * `network.sh` without options) has, and the demo users each is given besides the `Admin` every
 * organisation has: a doctor, nurse and device at each hospital, a patient at the first hospital,
 * a lab technician and a pharmacist. Development fixtures: their keys are generated at run time.
 */
import type { OrgType } from './rules/input-schemas';

/** An organisation of the network and its entry in the on-ledger registry. */
export interface MemberOrganisation {
  readonly mspId: string;
  readonly type: OrgType;
  /** Display name for the registry. */
  readonly name: string;
}

export interface DemoUser {
  readonly name: string;
  readonly role: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

export const defaultOrganisations: readonly MemberOrganisation[] = [
  { mspId: 'HospitalAMSP', type: 'hospital', name: 'Hospital A' },
  { mspId: 'HospitalBMSP', type: 'hospital', name: 'Hospital B' },
  { mspId: 'LabMSP', type: 'lab', name: 'Laboratory' },
  { mspId: 'PharmacyMSP', type: 'pharmacy', name: 'Pharmacy' },
];

/** HospitalAMSP → hospital, LabMSP → lab, PharmacyMSP → pharmacy; other names → 'other' (an admin only). */
export function orgTypeOf(mspId: string): string {
  return /^(hospital|lab|pharmacy)/i.exec(mspId)?.[1]?.toLowerCase() ?? 'other';
}

/** The demo users of one organisation; `shortName` is its MSP ID without `MSP`, lower case. */
export function demoUsers(orgType: string, shortName: string, isFirstHospital: boolean): DemoUser[] {
  switch (orgType) {
    case 'hospital':
      return [
        { name: 'doctor', role: 'doctor' },
        { name: 'nurse', role: 'nurse' },
        { name: 'device', role: 'device', attrs: { deviceId: `${shortName}-device-1` } },
        ...(isFirstHospital ? [{ name: 'patient', role: 'patient', attrs: { patientId: 'patient-1' } }] : []),
      ];
    case 'lab':
      return [{ name: 'technician', role: 'technician' }];
    case 'pharmacy':
      return [{ name: 'pharmacist', role: 'pharmacist' }];
    default:
      return [];
  }
}

/** The demo users of each organisation of a network (the patient goes to its first hospital). */
export function demoUsersOf(
  organisations: readonly { readonly mspId: string; readonly type: string }[],
): Map<string, DemoUser[]> {
  const firstHospital = organisations.find((o) => o.type === 'hospital')?.mspId;
  return new Map(
    organisations.map((o) => [
      o.mspId,
      demoUsers(o.type, o.mspId.replace(/MSP$/, '').toLowerCase(), o.mspId === firstHospital),
    ]),
  );
}

/**
 * The demo users every new embedded network enrols, per organisation type, besides the
 * `Admin` every organisation has (`createOrganization`): a doctor, nurse and device at each
 * hospital, a patient at the first hospital, a lab technician and a pharmacist.
 */
export interface DemoUser {
  readonly name: string;
  readonly role: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

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

import type { Caller } from '../auth/authenticator';
import { parseEventId, visiblePart } from './event-visibility';

const caller = (mspId: string, role: string, attrs: Record<string, string> = {}): Caller => ({
  identity: 'x',
  mspId,
  role,
  attrs: { role, ...attrs },
});
const alerts = {
  alerts: [
    { patientId: 'p-1', custodianMspId: 'HospitalAMSP', readingId: 'r1' },
    { patientId: 'p-2', custodianMspId: 'HospitalBMSP', readingId: 'r2' },
  ],
};
const consent = {
  patientId: 'p-1',
  custodianMspId: 'HospitalAMSP',
  granteeMspId: 'LabMSP',
  status: 'active',
};

describe('visiblePart', () => {
  it("shows abnormal vitals to the custodian's clinicians and the patient, only their own", () => {
    expect(visiblePart(caller('HospitalAMSP', 'nurse'), 'VitalAbnormal', alerts)).toEqual({
      alerts: [alerts.alerts[0]],
    });
    expect(
      visiblePart(caller('HospitalAMSP', 'patient', { patientId: 'p-1' }), 'VitalAbnormal', alerts),
    ).toEqual({ alerts: [alerts.alerts[0]] });
    expect(
      visiblePart(caller('HospitalAMSP', 'patient', { patientId: 'p-3' }), 'VitalAbnormal', alerts),
    ).toBeUndefined();
    expect(
      visiblePart(caller('HospitalAMSP', 'device', { deviceId: 'd' }), 'VitalAbnormal', alerts),
    ).toBeUndefined();
    expect(visiblePart(caller('LabMSP', 'technician'), 'VitalAbnormal', alerts)).toBeUndefined();
    // Another hospital sees its own patients' alerts only, whatever consent it holds for p-1.
    expect(visiblePart(caller('HospitalBMSP', 'doctor'), 'VitalAbnormal', alerts)).toEqual({
      alerts: [alerts.alerts[1]],
    });
  });

  it('shows consent changes to the custodian admin, the patient and the grantee', () => {
    expect(visiblePart(caller('HospitalAMSP', 'admin'), 'ConsentChanged', consent)).toEqual(consent);
    expect(visiblePart(caller('LabMSP', 'technician'), 'ConsentChanged', consent)).toEqual(consent);
    expect(visiblePart(caller('HospitalAMSP', 'doctor'), 'ConsentChanged', consent)).toBeUndefined();
    expect(visiblePart(caller('PharmacyMSP', 'pharmacist'), 'ConsentChanged', consent)).toBeUndefined();
    expect(visiblePart(caller('HospitalAMSP', 'admin'), 'SomethingElse', consent)).toBeUndefined();
  });

  it("keeps a consent change from the grantee's identities no consent can entitle (its devices, its admin)", () => {
    const toHospitalB = { ...consent, granteeMspId: 'HospitalBMSP' };
    expect(visiblePart(caller('HospitalBMSP', 'doctor'), 'ConsentChanged', toHospitalB)).toEqual(toHospitalB);
    expect(visiblePart(caller('HospitalBMSP', 'nurse'), 'ConsentChanged', toHospitalB)).toEqual(toHospitalB);
    expect(visiblePart(caller('HospitalBMSP', 'device'), 'ConsentChanged', toHospitalB)).toBeUndefined();
    expect(visiblePart(caller('HospitalBMSP', 'admin'), 'ConsentChanged', toHospitalB)).toBeUndefined();
  });
});

describe('parseEventId', () => {
  it('reads block:txId and refuses anything else', () => {
    const tx = 'c'.repeat(64);
    expect(parseEventId(`12:${tx}`)).toEqual({ blockNumber: 12n, transactionId: tx });
    expect(parseEventId('12')).toBeUndefined();
    expect(parseEventId(`x:${tx}`)).toBeUndefined();
  });
});

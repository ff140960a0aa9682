import { fhirValidator } from '../testing/fhir-validator';
import { sampleRecords } from '../testing/sample-records';
import { auditEventOf } from './audit-event';
import { consentResourceOf } from './consent-resource';
import { deviceResourceOf } from './device-resource';
import { labObservationOf } from './lab-observation';
import { medicationRequestOf } from './medication-request';
import { patientOf } from './patient-resource';

const validator = fhirValidator();
const now = new Date('2026-11-22T12:00:00Z');
const ref = { custodianMspId: 'HospitalAMSP', patientId: 'p-1' };

describe('the FHIR mapping of the other records', () => {
  it.each([
    ['a numeric lab result', labObservationOf(sampleRecords.labResult)],
    [
      'a text lab result',
      labObservationOf({ ...sampleRecords.labResult, value: undefined, valueText: 'positive' }),
    ],
    ['a lab result without a unit', labObservationOf({ ...sampleRecords.labResult, unit: '' })],
    ['a prescription', medicationRequestOf(sampleRecords.prescription)],
    ['demographics', patientOf(ref, sampleRecords.demographics)],
    ['demographics without contact', patientOf(ref, { name: 'A', birthDate: '1990-01-01', sex: 'unknown' })],
    ['a device', deviceResourceOf(sampleRecords.device)],
    ['an unbound device', deviceResourceOf({ ...sampleRecords.device, patientId: undefined })],
    ['a consent', consentResourceOf(sampleRecords.consent, now)],
    ['a role-limited consent', consentResourceOf({ ...sampleRecords.consent, granteeRole: 'doctor' }, now)],
    ['an access-log entry', auditEventOf(sampleRecords.accessLogEntry)],
    [
      'an entry without consent',
      auditEventOf({ ...sampleRecords.accessLogEntry, consentId: undefined, basis: 'always' }),
    ],
  ])('writes %s as a resource that conforms to R4', (_name, resource) => {
    expect(validator.issues(resource)).toEqual([]);
  });
});

describe('the validator, on these resource types', () => {
  it('refuses a status outside the value set, a missing required element and a broken invariant', () => {
    const request = medicationRequestOf(sampleRecords.prescription);
    expect(validator.issues({ ...request, status: 'dispensed' }).join('\n')).toMatch(/status/);
    const consent = consentResourceOf(sampleRecords.consent, now);
    expect(validator.issues({ ...consent, status: 'revoked' }).join('\n')).toMatch(/Consent\.status/);
    const patient = patientOf(ref, sampleRecords.demographics);
    expect(validator.issues({ ...patient, gender: 'f' }).join('\n')).toMatch(/Patient\.gender/);
    expect(validator.issues({ ...patient, telecom: [{ system: 'mobile', value: '1' }] }).join('\n')).toMatch(
      /Patient\.telecom\[0\]\.system/,
    );
    const { policyRule: _rule, ...noPolicy } = consentResourceOf(sampleRecords.consent, now);
    expect(validator.issues(noPolicy).join('\n')).toMatch(/ppc-1/);
    const event = auditEventOf(sampleRecords.accessLogEntry);
    expect(validator.issues({ ...event, agent: [{ who: event.agent[0]?.who }] }).join('\n')).toMatch(
      /requestor/,
    );
    const { category: _category, ...noCategory } = labObservationOf(sampleRecords.labResult);
    expect(validator.issues({ ...noCategory, valueQuantity: { value: 'x' } }).join('\n')).toMatch(/value/);
  });
});

describe('labObservationOf', () => {
  it('names the lab in the id, codes the category laboratory and the lab as performer', () => {
    const o = labObservationOf(sampleRecords.labResult);
    expect(o).toMatchObject({
      id: 'HospitalAMSP.p-1.LabMSP.lab-1',
      identifier: [{ system: 'urn:careledger:LabMSP:lab-result', value: 'lab-1' }],
      category: [{ coding: [{ code: 'laboratory' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
      valueQuantity: { value: 95, unit: 'mg/dL' },
      effectiveDateTime: '2026-11-22T08:00:00.000Z',
      issued: '2026-11-22T09:00:00.000Z',
      subject: { reference: 'Patient/HospitalAMSP.p-1' },
    });
    expect(o.performer?.[0]).toMatchObject({ type: 'Organization', identifier: { value: 'LabMSP' } });
    expect(o.valueString).toBeUndefined();
  });

  it('writes a text result as valueString', () => {
    const o = labObservationOf({ ...sampleRecords.labResult, value: undefined, valueText: 'positive' });
    expect([o.valueString, o.valueQuantity]).toEqual(['positive', undefined]);
  });
});

describe('medicationRequestOf', () => {
  it('codes the medication in ATC, with the dosage as text and the quantity to dispense', () => {
    expect(medicationRequestOf(sampleRecords.prescription)).toMatchObject({
      id: 'HospitalAMSP.p-1.rx-1',
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: { coding: [{ system: 'http://www.whocc.no/atc', code: 'C09AA05' }] },
      dosageInstruction: [{ text: 'one tablet each morning' }],
      dispenseRequest: { quantity: { value: 30 } },
      authoredOn: '2026-11-22T09:30:00.000Z',
    });
  });

  it.each([
    [0, 'active'],
    [29, 'active'],
    [30, 'completed'],
  ])('is %d of 30 dispensed: %s', (dispensedQuantity, status) => {
    expect(medicationRequestOf({ ...sampleRecords.prescription, dispensedQuantity }).status).toBe(status);
  });
});

describe('patientOf', () => {
  it('maps the demographics and leaves out what FHIR keeps in other resources', () => {
    const p = patientOf(ref, sampleRecords.demographics);
    expect(p).toMatchObject({
      id: 'HospitalAMSP.p-1',
      name: [{ text: 'Ada Example' }],
      gender: 'female',
      birthDate: '1980-02-03',
      telecom: [
        { system: 'phone', value: '+44 20 7946 0000' },
        { system: 'email', value: 'ada@example.org' },
      ],
      address: [{ text: '1 Example Road, London' }],
      contact: [{ relationship: [{ text: 'spouse' }], name: { text: 'Bob Example' } }],
    });
    expect(JSON.stringify(p)).not.toMatch(/penicillin|Example Mutual/);
  });
});

describe('consentResourceOf', () => {
  it('permits the grantee in the validity window, one nested provision per scope', () => {
    const c = consentResourceOf(sampleRecords.consent, now);
    expect(c.status).toBe('active');
    expect(c.provision?.period).toEqual({
      start: '2026-11-01T00:00:00.000Z',
      end: '2026-12-01T00:00:00.000Z',
    });
    expect(c.provision?.actor?.[0]?.reference).toMatchObject({ identifier: { value: 'HospitalBMSP' } });
    expect(
      c.provision?.provision?.map((p) => [p.code?.[0]?.coding?.[0]?.code, p.class?.map((k) => k.code)]),
    ).toEqual([
      ['vitals', ['Observation']],
      ['labResults', ['Observation']],
    ]);
  });

  it('is inactive once revoked or expired, proposed before it starts', () => {
    const c = sampleRecords.consent;
    expect(consentResourceOf({ ...c, status: 'revoked' }, now).status).toBe('inactive');
    expect(consentResourceOf(c, new Date('2026-12-01T00:00:00Z')).status).toBe('inactive');
    expect(consentResourceOf(c, new Date('2026-10-01T00:00:00Z')).status).toBe('proposed');
  });
});

describe('auditEventOf', () => {
  it('names the accessor, the patient, the scope, the basis and the consent relied on', () => {
    const e = auditEventOf(sampleRecords.accessLogEntry);
    expect(e).toMatchObject({
      id: 'a1'.repeat(32),
      subtype: [{ code: 'readVitals' }],
      recorded: '2026-11-22T10:00:00.000Z',
      period: { end: '2026-11-22T10:02:00.000Z' },
      agent: [{ requestor: true, who: { display: 'doctor of HospitalBMSP' } }],
      source: { observer: { identifier: { value: 'HospitalAMSP' } } },
    });
    expect(e.entity?.[0]?.detail).toEqual([
      { type: 'scope', valueString: 'vitals' },
      { type: 'basis', valueString: 'consent' },
    ]);
    expect(e.entity?.[1]?.what?.reference).toBe('Consent/c-1');
  });
});

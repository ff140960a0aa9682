import fc from 'fast-check';
import { arbId, arbMspId } from '../testing/vital-arbitraries';
import { decodeFhirId, encodeFhirId } from './fhir-id';

describe('FHIR ids', () => {
  it('names a reading by custodian, patient and reading, readable when the ids are plain', () => {
    expect(encodeFhirId(['HospitalAMSP', 'patient-1', 'r-1'])).toBe('HospitalAMSP.patient-1.r-1');
    expect(decodeFhirId('HospitalAMSP.patient-1.r-1')).toEqual(['HospitalAMSP', 'patient-1', 'r-1']);
  });

  it('escapes the characters FHIR ids may not hold, and the separator', () => {
    expect(encodeFhirId(['Org.A', 'p_1', 'r:1@x'])).toBe('Org..dA.p..u1.r..c1..ax');
    expect(decodeFhirId('Org..dA.p..u1.r..c1..ax')).toEqual(['Org.A', 'p_1', 'r:1@x']);
  });

  it('gives ids that FHIR allows and decodes them to the same parts', () => {
    fc.assert(
      fc.property(arbMspId, arbId(), arbId(), (custodian, patient, reading) => {
        const id = encodeFhirId([custodian, patient, reading]);
        fc.pre(id !== undefined);
        expect(id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
        expect(decodeFhirId(id)).toEqual([custodian, patient, reading]);
      }),
    );
  });

  it('has no id past 64 characters', () => {
    expect(encodeFhirId(['HospitalAMSP', 'p'.repeat(30), 'r'.repeat(30)])).toBeUndefined();
  });

  it('decodes nothing it did not write', () => {
    for (const id of ['', 'a..', 'a..x', 'a.', '.a', 'a..b', 'a_b', 'x'.repeat(65), 'a...db'])
      expect(decodeFhirId(id)).toBeUndefined();
  });
});

import { vitalSignOf, type ReadingInput } from '@careledger/contract';
import type { Observation } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { ApiError } from '../errors/error-catalog';
import { fhirValidator } from '../testing/fhir-validator';
import { arbMspId, arbReading, receiptFor } from '../testing/vital-arbitraries';
import { readingOf } from './observation-reading';
import { observationOf } from './vital-observation';

jest.setTimeout(60_000);

const later = new Date('2095-01-01T00:00:00Z');
const at = (msp: string, r: ReadingInput) => vitalSignOf(r, receiptFor(r, msp));
const heartRate: ReadingInput = {
  readingId: 'r-1',
  patientId: 'patient-1',
  deviceId: 'monitor-7',
  type: 'heartRate',
  value: 140,
  unit: '/min',
  observedAt: '2026-11-22T10:00:00.000Z',
};
const bloodPressure: ReadingInput = {
  readingId: 'bp-1',
  patientId: 'patient-1',
  type: 'bloodPressure',
  systolic: 88,
  diastolic: 60,
  unit: 'mm[Hg]',
  observedAt: '2026-11-22T10:00:00.000Z',
};
const obs = (r: ReadingInput) =>
  observationOf(at('HospitalAMSP', r)) as Observation & Record<string, unknown>;
const refusal = (resource: unknown, msp = 'HospitalAMSP') => {
  try {
    readingOf(resource, msp, later);
  } catch (err) {
    if (err instanceof ApiError)
      return {
        code: err.code,
        expression: (err.details as { expression?: string })?.expression,
        message: err.message,
      };
    throw err;
  }
  throw new Error('accepted');
};

describe('observationOf', () => {
  it('writes a heart rate as the R4 heart-rate profile has it', () => {
    expect(obs(heartRate)).toEqual({
      resourceType: 'Observation',
      id: 'HospitalAMSP.patient-1.r-1',
      meta: {
        profile: [
          'http://hl7.org/fhir/StructureDefinition/vitalsigns',
          'http://hl7.org/fhir/StructureDefinition/heartrate',
        ],
        lastUpdated: '2091-01-01T00:00:00.000Z',
      },
      identifier: [{ system: 'urn:careledger:HospitalAMSP:reading', value: 'r-1' }],
      status: 'final',
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/observation-category',
              code: 'vital-signs',
              display: 'Vital Signs',
            },
          ],
          text: 'Vital Signs',
        },
      ],
      code: {
        coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }],
        text: 'Heart rate',
      },
      subject: {
        reference: 'Patient/HospitalAMSP.patient-1',
        type: 'Patient',
        identifier: { system: 'urn:careledger:HospitalAMSP:patient', value: 'patient-1' },
      },
      effectiveDateTime: '2026-11-22T10:00:00.000Z',
      issued: '2091-01-01T00:00:00.000Z',
      device: {
        reference: 'Device/HospitalAMSP.monitor-7',
        type: 'Device',
        identifier: { system: 'urn:careledger:HospitalAMSP:device', value: 'monitor-7' },
      },
      valueQuantity: { value: 140, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
      interpretation: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
              code: 'HH',
              display: 'Critical high',
            },
          ],
          text: 'NEWS2 sub-score 3: critical',
        },
      ],
    });
  });

  it('writes blood pressure as the 85354-9 panel with systolic and diastolic components', () => {
    const bp = obs(bloodPressure);
    expect(bp.code?.coding?.[0]?.code).toBe('85354-9');
    expect(bp.valueQuantity).toBeUndefined();
    expect(
      bp.component?.map((c) => [c.code.coding?.[0]?.code, c.valueQuantity?.value, c.valueQuantity?.code]),
    ).toEqual([
      ['8480-6', 88, 'mm[Hg]'],
      ['8462-4', 60, 'mm[Hg]'],
    ]);
    expect(bp.interpretation?.[0]?.coding?.[0]?.code).toBe('LL');
    expect(bp.interpretation?.[0]?.text).toBe('NEWS2 sub-score 3 (systolic): critical');
    expect(bp.component?.[0]?.interpretation?.[0]?.coding?.[0]?.code).toBe('LL');
  });

  it.each([
    ['heartRate', 72, 'N'],
    ['heartRate', 45, 'L'],
    ['heartRate', 100, 'H'],
    ['heartRate', 120, 'HU'],
    ['heartRate', 35, 'LL'],
    ['spo2', 92, 'LU'],
    ['respiratoryRate', 22, 'HU'],
    ['bodyTemperature', 39.5, 'HU'],
  ] as const)('interprets %s %d by its NEWS2 sub-score as %s', (type, value, code) => {
    const units = { heartRate: '/min', spo2: '%', respiratoryRate: '/min', bodyTemperature: 'Cel' };
    const o = obs({ ...heartRate, type, value, unit: units[type] });
    expect(o.interpretation?.[0]?.coding?.[0]?.code).toBe(code);
  });

  it('gives blood glucose no interpretation: NEWS2 does not score it', () => {
    const o = obs({ ...heartRate, type: 'bloodGlucose', value: 400, unit: 'mg/dL' });
    expect(o.interpretation).toBeUndefined();
    expect(o.meta?.profile).toEqual(['http://hl7.org/fhir/StructureDefinition/vitalsigns']);
  });

  it('has no id when custodian, patient and reading exceed FHIR’s 64 characters; the identifier still names it', () => {
    const o = obs({ ...heartRate, patientId: 'p'.repeat(60), readingId: 'r'.repeat(40) });
    expect(o.id).toBeUndefined();
    expect(o.subject?.reference).toBeUndefined();
    expect(o.subject?.identifier?.value).toBe('p'.repeat(60));
    expect(o.identifier?.[0]?.value).toBe('r'.repeat(40));
  });

  it('conforms to the R4 base definitions and the vital-signs profiles, for every reading', () => {
    const validator = fhirValidator();
    fc.assert(
      fc.property(arbMspId, arbReading(), (msp, reading) => {
        expect(validator.issues(observationOf(at(msp, reading)))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the validator the tests use', () => {
  const validator = fhirValidator();

  it('refuses a category of another code system', () => {
    const o = obs(heartRate);
    const wrong = {
      ...o,
      category: [{ coding: [{ system: 'http://example.org/categories', code: 'vital-signs' }] }],
    };
    expect(validator.issues(wrong).join('\n')).toMatch(/category/);
  });

  it('refuses a heart rate in another unit', () => {
    const o = obs(heartRate);
    const wrong = { ...o, valueQuantity: { ...o.valueQuantity, code: '/s' } };
    expect(validator.issues(wrong).join('\n')).toMatch(/heartrate.*valueQuantity\.code/);
  });

  it('refuses a blood pressure without its diastolic component, or with kPa', () => {
    const o = obs(bloodPressure);
    expect(validator.issues({ ...o, component: o.component?.slice(0, 1) }).join('\n')).toMatch(/DiastolicBP/);
    const kPa = o.component?.map((c, i) =>
      i === 1 ? { ...c, valueQuantity: { ...c.valueQuantity, code: 'kPa' } } : c,
    );
    expect(validator.issues({ ...o, component: kPa }).join('\n')).toMatch(/DiastolicBP\.value\[x\]\.code/);
  });

  it('refuses a heart rate coded as a respiratory rate, and a malformed time', () => {
    const o = obs(heartRate);
    expect(
      validator
        .issues({ ...o, code: { coding: [{ system: 'http://loinc.org', code: '9279-1' }] } })
        .join('\n'),
    ).toMatch(/HeartRateCode/);
    expect(validator.issues({ ...o, effectiveDateTime: '2026-13-01' }).join('\n')).toMatch(/dateTime/);
  });
});

describe('readingOf', () => {
  it('gives back the reading an Observation was written from (ledger → FHIR → ledger)', () => {
    fc.assert(
      fc.property(arbMspId, arbReading(), (msp, reading) => {
        const stored = at(msp, reading);
        expect(readingOf(observationOf(stored), msp, later)).toEqual(reading);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps what a hub sent when the reading is written back (FHIR → ledger → FHIR)', () => {
    fc.assert(
      fc.property(arbMspId, arbReading(), (msp, reading) => {
        const sent = observationOf(at(msp, reading));
        const { id: _id, meta: _meta, issued: _issued, interpretation: _i, ...clinical } = sent;
        const again = observationOf(at(msp, readingOf(clinical, msp, later)));
        expect(again).toEqual(sent);
      }),
      { numRuns: 200 },
    );
  });

  it('takes a reading that names its patient by identifier, at another offset, coded 59408-5', () => {
    const o = obs({ ...heartRate, type: 'spo2', value: 97, unit: '%' });
    const hub = {
      ...o,
      code: { coding: [{ system: 'http://loinc.org', code: '59408-5' }] },
      subject: { identifier: { system: 'urn:careledger:HospitalAMSP:patient', value: 'patient-1' } },
      effectiveDateTime: '2026-11-22T11:00:00+01:00',
    };
    expect(readingOf(hub, 'HospitalAMSP', later)).toMatchObject({
      type: 'spo2',
      value: 97,
      patientId: 'patient-1',
      observedAt: '2026-11-22T10:00:00.000Z',
    });
  });

  it('refuses a category of another system, naming Observation.category', () => {
    const o = obs(heartRate);
    expect(
      refusal({ ...o, category: [{ coding: [{ system: 'http://x', code: 'vital-signs' }] }] }),
    ).toMatchObject({
      code: 'INVALID_ARGUMENT',
      expression: 'Observation.category',
    });
  });

  it('refuses another unit, naming Observation.valueQuantity.code', () => {
    const o = obs(heartRate);
    expect(refusal({ ...o, valueQuantity: { ...o.valueQuantity, code: '/s' } })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      expression: 'Observation.valueQuantity.code',
    });
  });

  it('refuses what the ledger would: out of range, diastolic above systolic, in the future', () => {
    const o = obs(heartRate);
    expect(refusal({ ...o, valueQuantity: { ...o.valueQuantity, value: 400 } })).toMatchObject({
      expression: 'Observation.valueQuantity.value',
    });
    const bp = obs(bloodPressure);
    const inverted = bp.component?.map((c, i) =>
      i === 1 ? { ...c, valueQuantity: { ...c.valueQuantity, value: 95 } } : c,
    );
    expect(refusal({ ...bp, component: inverted }).expression).toMatch(/8462-4/);
    expect(refusal({ ...o, effectiveDateTime: '2099-01-01T00:00:00Z' })).toMatchObject({
      expression: 'Observation.effectiveDateTime',
    });
  });

  it('refuses elements it would lose, a status other than final, and a missing reading id', () => {
    const o = obs(heartRate);
    expect(refusal({ ...o, note: [{ text: 'taken after a walk' }] }).expression).toBe('Observation.note');
    expect(refusal({ ...o, modifierExtension: [] }).expression).toBe('Observation.modifierExtension');
    expect(refusal({ ...o, status: 'preliminary' }).expression).toBe('Observation.status');
    expect(refusal({ ...o, identifier: [{ system: 'urn:other', value: 'x' }] }).expression).toBe(
      'Observation.identifier',
    );
    expect(
      refusal({ ...o, code: { coding: [{ system: 'http://loinc.org', code: '1234-5' }] } }).expression,
    ).toBe('Observation.code');
    expect(refusal({ resourceType: 'Patient' }).expression).toBe('Observation');
  });

  it("refuses a reading of another hospital's patient as ACCESS_DENIED", () => {
    expect(refusal(obs(heartRate), 'HospitalBMSP').code).toBe('ACCESS_DENIED');
  });
});

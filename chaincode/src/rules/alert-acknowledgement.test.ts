import type { VitalSign } from '@careledger/contract';
import { decideAcknowledgement } from './alert-acknowledgement';

const reading = (flag: VitalSign['flag'], news2Score: number): VitalSign => ({
  readingId: 'r-1',
  patientId: 'p-1',
  custodianMspId: 'HospitalAMSP',
  type: 'heartRate',
  loinc: '8867-4',
  unit: '/min',
  value: 135,
  observedAt: '2026-12-08T10:00:00.000Z',
  recordedAt: '2026-12-08T10:00:01.000Z',
  recordedBy: { mspId: 'HospitalAMSP', role: 'device', id: 'd' },
  txId: 'a'.repeat(64),
  news2Score,
  direction: 'high',
  flag,
});
const nurse = { mspId: 'HospitalAMSP', role: 'nurse', id: 'n' };
const doctor = { mspId: 'HospitalAMSP', role: 'doctor', id: 'd' };
const at = '2026-12-08T10:02:00.000Z';

describe('decideAcknowledgement', () => {
  it.each([
    ['abnormal', 2],
    ['critical', 3],
  ] as const)('records who and when for a %s reading (sub-score %i)', (flag, score) => {
    expect(decideAcknowledgement(reading(flag, score), undefined, nurse, at, 'b'.repeat(64))).toEqual({
      record: {
        readingId: 'r-1',
        patientId: 'p-1',
        custodianMspId: 'HospitalAMSP',
        news2Score: score,
        flag,
        acknowledgedAt: at,
        acknowledgedBy: nurse,
        txId: 'b'.repeat(64),
      },
      replayed: false,
    });
  });

  it.each([
    ['normal', 0],
    ['watch', 1],
  ] as const)('refuses a %s reading: it raised no alert', (flag, score) => {
    expect(() => decideAcknowledgement(reading(flag, score), undefined, nurse, at, 'b'.repeat(64))).toThrow(
      /^PRECONDITION_FAILED: reading r-1 is .* raised no alert/,
    );
  });

  it('keeps the first acknowledgement: a second answers it again, as a replay', () => {
    const first = decideAcknowledgement(reading('critical', 3), undefined, nurse, at, 'b'.repeat(64)).record;
    expect(
      decideAcknowledgement(
        reading('critical', 3),
        first,
        doctor,
        '2026-12-08T10:05:00.000Z',
        'c'.repeat(64),
      ),
    ).toEqual({ record: first, replayed: true });
  });
});

import type { Rng } from '../random/rng';
import type { VitalType } from '../device/vital-type';
import { generateBloodPressure, initialBloodPressure, type BloodPressureState } from './blood-pressure';
import type { Episode } from './episode';
import { generateHeartRate, heartRateModel } from './heart-rate';
import { generateRespiratoryRate, respiratoryRateModel } from './respiratory-rate';
import { initialSignal, type SignalState } from './signal-model';
import { generateSpo2, spo2Model } from './spo2';
import { generateTemperature, temperatureModel } from './temperature';

/** Every signal of one patient, sharing one list of episodes. */
export interface PatientSignals {
  readonly heartRate: SignalState;
  readonly spo2: SignalState;
  readonly respiratoryRate: SignalState;
  readonly bodyTemperature: SignalState;
  readonly bloodPressure: BloodPressureState;
}

/** Values of one measurement: `value` for single-valued types, systolic/diastolic for pressure. */
export type VitalValues =
  { readonly value: number } | { readonly systolic: number; readonly diastolic: number };

export function initialPatientSignals(rng: Rng, episodes: readonly Episode[]): PatientSignals {
  return {
    heartRate: initialSignal(heartRateModel, rng, episodes),
    spo2: initialSignal(spo2Model, rng, episodes),
    respiratoryRate: initialSignal(respiratoryRateModel, rng, episodes),
    bodyTemperature: initialSignal(temperatureModel, rng, episodes),
    bloodPressure: initialBloodPressure(rng, episodes),
  };
}

/** Measures one vital sign at t seconds; returns the patient's next state and the values. */
export function measure(
  signals: PatientSignals,
  type: VitalType,
  t: number,
  rng: Rng,
): { readonly signals: PatientSignals; readonly values: VitalValues } {
  switch (type) {
    case 'bloodPressure': {
      const s = generateBloodPressure(signals.bloodPressure, t, rng);
      return {
        signals: { ...signals, bloodPressure: s.state },
        values: { systolic: s.systolic, diastolic: s.diastolic },
      };
    }
    case 'heartRate': {
      const s = generateHeartRate(signals.heartRate, t, rng);
      return { signals: { ...signals, heartRate: s.state }, values: { value: s.value } };
    }
    case 'spo2': {
      const s = generateSpo2(signals.spo2, t, rng);
      return { signals: { ...signals, spo2: s.state }, values: { value: s.value } };
    }
    case 'respiratoryRate': {
      const s = generateRespiratoryRate(signals.respiratoryRate, t, rng);
      return { signals: { ...signals, respiratoryRate: s.state }, values: { value: s.value } };
    }
    case 'bodyTemperature': {
      const s = generateTemperature(signals.bodyTemperature, t, rng);
      return { signals: { ...signals, bodyTemperature: s.state }, values: { value: s.value } };
    }
  }
}

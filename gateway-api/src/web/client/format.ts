import type { News2Risk, VitalType } from '@careledger/contract';

/** How long ago, for a person: "just now", "42 s ago", "7 min ago", "2 h 5 min ago", "3 d ago". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h} h ago` : `${h} h ${m % 60} min ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** The value of a reading as a clinician writes it, with its unit. */
export function formatValue(reading: {
  readonly type: VitalType;
  readonly value?: number;
  readonly systolic?: number;
  readonly diastolic?: number;
}): string {
  switch (reading.type) {
    case 'bloodPressure':
      return `${reading.systolic ?? '?'}/${reading.diastolic ?? '?'} mmHg`;
    case 'bodyTemperature':
      return `${reading.value?.toFixed(1) ?? '?'} °C`;
    case 'spo2':
      return `${reading.value ?? '?'} %`;
    case 'bloodGlucose':
      return `${reading.value ?? '?'} mg/dL`;
    case 'heartRate':
    case 'respiratoryRate':
      return `${reading.value ?? '?'} /min`;
  }
}

const riskLabels: Readonly<Record<News2Risk, string>> = {
  high: 'High',
  medium: 'Medium',
  'low-medium': 'Low–medium',
  low: 'Low',
};

/** The risk in words (colour is never the only signal). */
export function riskLabel(risk: News2Risk): string {
  return riskLabels[risk];
}

/** Column headings of the NEWS2 sensor parameters. */
export const parameterLabels: Readonly<Record<string, string>> = {
  respiratoryRate: 'Resp. rate',
  spo2: 'SpO₂',
  bloodPressure: 'Blood pressure',
  heartRate: 'Pulse',
  bodyTemperature: 'Temperature',
};

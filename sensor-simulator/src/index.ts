// Public surface of @careledger/sensor-simulator.
export { createRng, type Rng } from './random/rng';
export {
  episodeKinds,
  planEpisodes,
  type Episode,
  type EpisodeKind,
  type EpisodePlanOptions,
} from './signals/episode';
export {
  initialSignal,
  stepSignal,
  type SignalModel,
  type SignalSample,
  type SignalState,
} from './signals/signal-model';
export { generateHeartRate, heartRateModel } from './signals/heart-rate';
export { generateSpo2, spo2Model } from './signals/spo2';
export { generateTemperature, temperatureModel } from './signals/temperature';
export { generateRespiratoryRate, respiratoryRateModel } from './signals/respiratory-rate';
export {
  generateBloodPressure,
  initialBloodPressure,
  type BloodPressureSample,
  type BloodPressureState,
} from './signals/blood-pressure';
export {
  initialPatientSignals,
  measure,
  type PatientSignals,
  type VitalValues,
} from './signals/patient-signals';
export type { Reading } from './device/reading';
export { vitalCycle, vitalTypes, type VitalType } from './device/vital-type';
export { VirtualDevice, type VirtualDeviceOptions } from './device/virtual-device';
export type { LoadDriver, SendOutcome } from './drivers/load-driver';
export { newRestDriver, type RestDriverOptions } from './drivers/rest-driver';
export { newDirectDriver, type DeviceIdentity, type DirectDriverOptions } from './drivers/direct-driver';
export { systemClock, type Clock } from './load/clock';
export { runOpenLoop, type OpenLoopOptions, type OpenLoopResult } from './load/open-loop';
export { LatencyHistogram, type LatencySummary } from './stats/latency-histogram';
export type { RoundStats } from './stats/round-recorder';
export { runBenchmark, type BenchmarkOptions, type DeviceBinding } from './bench/run-benchmark';
export { compareModes, type BenchReport, type BenchRound, type BenchSettings } from './report/bench-report';
export { formatTable } from './report/format-table';
export { formatCsv } from './report/format-csv';
export { formatSvg } from './report/format-svg';
export { writeResults } from './report/write-results';
export { describeMachine, type MachineInfo } from './report/machine-info';
export type { BenchTarget, Mode, ProvisionedDevice } from './target/bench-target';
export { runCli } from './cli/run-cli';

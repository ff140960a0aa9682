import os from 'node:os';

/** The machine a benchmark ran on, recorded with its results. */
export interface MachineInfo {
  readonly platform: string;
  readonly release: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly cpuSpeedMHz: number;
  readonly totalMemoryMB: number;
  readonly freeMemoryMB: number;
  readonly loadAverage: readonly number[];
  readonly node: string;
  readonly hostname: string;
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    cpuSpeedMHz: cpus[0]?.speed ?? 0,
    totalMemoryMB: Math.round(os.totalmem() / 2 ** 20),
    freeMemoryMB: Math.round(os.freemem() / 2 ** 20),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
    hostname: os.hostname(),
  };
}

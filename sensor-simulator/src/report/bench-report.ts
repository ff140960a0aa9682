import type { OpenLoopResult } from '../load/open-loop';
import type { MachineInfo } from './machine-info';

/** How a benchmark was run, as given on the command line (after defaults). */
export interface BenchSettings {
  readonly users: readonly number[];
  /** Readings per second per user. */
  readonly rate: number;
  readonly warmup: number;
  readonly duration: number;
  readonly modes: readonly string[];
  /** What was measured: `embedded devnet`, a gateway URL or a connection file. */
  readonly target: string;
  readonly seed: string;
  readonly abnormalShare: number;
  readonly maxRequests?: number;
  readonly maxInFlight?: number;
  readonly connections?: number;
}

/** One round: one mode at one user count. */
export interface BenchRound extends OpenLoopResult {
  readonly mode: string;
  readonly users: number;
  readonly rate: number;
  /** Peak resident memory (MB) of the network and gateway processes, when the target runs them. */
  readonly serverMemoryMB?: number;
}

/** REST against direct at one user count: how much the REST gateway adds. */
export interface ModeComparison {
  readonly users: number;
  /** rest mean latency / direct mean latency. */
  readonly meanRatio: number;
  readonly p50Ratio: number;
  readonly p99Ratio: number;
}

export interface BenchReport {
  readonly tool: 'careledger-bench';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly interrupted: boolean;
  readonly settings: BenchSettings;
  readonly machine: MachineInfo;
  readonly rounds: readonly BenchRound[];
  readonly comparison: readonly ModeComparison[];
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

/** Pairs rest and direct rounds of the same user count. */
export function compareModes(rounds: readonly BenchRound[]): ModeComparison[] {
  const out: ModeComparison[] = [];
  for (const rest of rounds.filter((r) => r.mode === 'rest')) {
    const direct = rounds.find((r) => r.mode === 'direct' && r.users === rest.users);
    if (!direct) continue;
    out.push({
      users: rest.users,
      meanRatio: ratio(rest.latency.mean, direct.latency.mean),
      p50Ratio: ratio(rest.latency.p50, direct.latency.p50),
      p99Ratio: ratio(rest.latency.p99, direct.latency.p99),
    });
  }
  return out;
}

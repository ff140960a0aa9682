import { rmSync } from 'node:fs';
import { fillDisk } from '@careledger/fabric-toolkit';
import type { ServerFaults } from '../target/embedded-target';

/** One fault: what it does to the servers, and for how long. */
export interface FaultStep {
  readonly name: string;
  /** Injects the fault, holds it, and ends it; resolves once the servers were told to come back. */
  run(servers: ServerFaults): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The faults of a run, in order; `outageMs` is how long each kill and the full disk last. */
export function faultPlan(options: {
  readonly outageMs: number;
  readonly pauseMs: number;
  readonly diskFull: boolean;
}): FaultStep[] {
  const { outageMs, pauseMs } = options;
  const steps: FaultStep[] = [
    {
      name: 'kill -9 of the gateway',
      run: async (s) => {
        await s.killGateway();
        await sleep(outageMs);
        await s.startGateway();
      },
    },
    {
      name: 'kill -9 of the network',
      run: async (s) => {
        await s.killNetwork();
        await sleep(outageMs);
        await s.startNetwork();
      },
    },
    {
      name: 'kill -9 of both',
      run: async (s) => {
        await Promise.all([s.killGateway(), s.killNetwork()]);
        await sleep(outageMs);
        await s.startNetwork();
        await s.startGateway();
      },
    },
    {
      name: `SIGSTOP of the network for ${Math.round(pauseMs / 1000)} s`,
      run: async (s) => {
        s.pauseNetwork();
        await sleep(pauseMs);
        s.resumeNetwork();
      },
    },
  ];
  if (options.diskFull) {
    steps.push({
      name: 'a full disk',
      run: async (s) => {
        const filler = fillDisk(s.dataDir);
        await sleep(outageMs);
        rmSync(filler);
      },
    });
  }
  return steps;
}

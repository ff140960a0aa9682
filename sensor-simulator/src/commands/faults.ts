import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { positiveInteger, positiveNumber } from '../cli/flag-values';
import { mountSmallDisk, unmountSmallDisk } from '@careledger/fabric-toolkit';
import { faultPlan } from '../faults/fault-plan';
import { formatFaultReport } from '../faults/format-fault-report';
import { runFaults } from '../faults/run-faults';
import { describeMachine } from '../report/machine-info';
import { startEmbeddedTarget, type EmbeddedTarget } from '../target/embedded-target';
import type { Command, CommandContext } from './command';
import { parseFlags } from './parse-flags';

const usage = `Usage: npm run faults -- [options]

Starts the embedded network and the REST gateway (each its own process), lets --devices devices
send --rate readings a second each (half waiting for the commit, 201; half with
Prefer: respond-async, 202; a refused or unanswered reading is sent again with the same id), and
meanwhile: kill -9 of the gateway, of the network, of both; SIGSTOP of the network; a full disk
(a tmpfs holds the run's data; needs root, else skipped saying why). Then it lets everything
settle and checks the ledger: every acknowledged reading on it exactly once. Exit 0 when none
was lost or doubled, 1 otherwise.

  --devices N        devices, each bound to its own patient (default 20)
  --rate R           readings per second per device (default 2)
  --outage S         how long each kill and the full disk last (default 5)
  --pause S          how long the network stays stopped (default 20)
  --settle S         normal operation before the first fault and after each (default 5)
  --out DIR          results directory (default results/): faults-<start>.json and .txt
  -h, --help         this help`;

const flags = {
  devices: { type: 'string' },
  rate: { type: 'string' },
  outage: { type: 'string' },
  pause: { type: 'string' },
  settle: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function run(context: CommandContext): Promise<number> {
  const values = parseFlags(context, flags, usage);
  if (values === undefined) return 0;
  const devices = positiveInteger('devices', values.devices, 20);
  const rate = positiveNumber('rate', values.rate, 2);
  const outageMs = positiveNumber('outage', values.outage, 5) * 1000;
  const pauseMs = positiveNumber('pause', values.pause, 20) * 1000;
  const settleMs = positiveNumber('settle', values.settle, 5, true) * 1000;
  const out = path.resolve(values.out ?? 'results');
  const startedAt = new Date().toISOString();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'careledger-faults-'));
  // Large enough for the run's ledger and intake; small enough to fill in a moment.
  const diskProblem = mountSmallDisk(dataDir, 512);
  if (diskProblem !== undefined) context.log(`the full-disk fault is skipped: ${diskProblem}`);
  let target: EmbeddedTarget | undefined;
  try {
    target = await startEmbeddedTarget({ log: context.log, dataDir: path.join(dataDir, 'run') });
    const provisioned = await target.provision(devices);
    const report = await runFaults({
      target,
      devices: provisioned,
      rate,
      steps: faultPlan({ outageMs, pauseMs, diskFull: diskProblem === undefined }),
      settleMs,
      log: context.log,
    });
    const text = formatFaultReport(report);
    context.stdout.write(`${text}\n`);
    mkdirSync(out, { recursive: true });
    const stem = path.join(out, `faults-${startedAt.replace(/[:.]/g, '-')}`);
    writeFileSync(
      `${stem}.json`,
      `${JSON.stringify({ startedAt, machine: describeMachine(), ...report }, null, 2)}\n`,
    );
    writeFileSync(`${stem}.txt`, `${text}\n`);
    context.log(`results: ${stem}.json, ${stem}.txt`);
    const { lost, doubled, acceptedUnsettled } = report.audit;
    return lost.length === 0 && doubled.length === 0 && acceptedUnsettled === 0 ? 0 : 1;
  } finally {
    await target
      ?.close()
      .catch((err: unknown) => context.log(`could not stop the servers cleanly: ${String(err)}`));
    if (diskProblem === undefined) unmountSmallDisk(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const faultsCommand: Command = {
  name: 'faults',
  summary:
    'kill, stop and starve the servers under load; check that no acknowledged reading is lost or doubled',
  usage,
  run,
};

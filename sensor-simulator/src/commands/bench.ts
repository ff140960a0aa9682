import { existsSync } from 'node:fs';
import path from 'node:path';
import { runBenchmark } from '../bench/run-benchmark';
import { integerList, oneOf, positiveInteger, positiveNumber, share } from '../cli/flag-values';
import { progressBar } from '../cli/progress-bar';
import type { LoadDriver } from '../drivers/load-driver';
import { compareModes, type BenchReport, type BenchRound } from '../report/bench-report';
import { formatTable } from '../report/format-table';
import { describeMachine } from '../report/machine-info';
import { resultsStem, writeResults } from '../report/write-results';
import type { BenchTarget } from '../target/bench-target';
import { serverLogPath, serverNames } from '../target/server-logs';
import type { Command, CommandContext } from './command';
import { parseFlags } from './parse-flags';
import {
  driverSettings,
  modeChoices,
  openTarget,
  resolveModes,
  targetFlags,
  targetUsage,
} from './target-flags';

const defaultUsers = [1, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000];

const usage = `Usage: npm run bench -- [options]

Rounds at each user count, open-loop: every user (a device with its own identity) sends
--rate readings per second; latency counts from each request's scheduled time.

Load:
  --users LIST          user counts, comma-separated (default ${defaultUsers.join(',')})
  --rate R              readings per second per user (default 1)
  --duration S          measured seconds per round (default 30)
  --warmup S            seconds of load before measuring, per round (default 5)
  --mode M              rest (POST /vitals), direct (Vitals:record over Fabric Gateway), signed
                        (POST /vitals/signed, each reading signed by its device, batched by the
                        gateway), both (rest and direct: the REST/direct comparison; default) or
                        all (every mode the target serves); each user count runs them in the
                        order rest, direct, signed
  --max-requests N      cap on requests per round, warm-up included
  --max-in-flight N     requests in flight before new ones fail as CLIENT_BACKLOG (default 20000)
  --seed S              seed of the signals (default careledger)
  --abnormal F          share of time each patient spends in an abnormal episode (default 0.1)
Output:
  --out DIR             results directory (default results/)
  --no-progress         no progress bar
${targetUsage}
  -h, --help            this help`;

const flags = {
  ...targetFlags,
  users: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  mode: { type: 'string' },
  'max-requests': { type: 'string' },
  'max-in-flight': { type: 'string' },
  seed: { type: 'string' },
  abnormal: { type: 'string' },
  out: { type: 'string' },
  'no-progress': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** ` in Y tx/s (T transactions)`, or nothing when the server reported no transaction ids. */
function transactionsText(r: BenchRound): string {
  if (r.transactions === 0) return '';
  return ` in ${r.transactionRate.toFixed(1)} tx/s (${r.transactions} transactions)`;
}

function roundLine(r: BenchRound): string {
  const l = r.latency;
  return (
    `${r.mode}-${r.users}: ${r.succeeded}/${r.sent} ok, send ${r.sendRate.toFixed(1)}/s, ` +
    `throughput ${r.throughput.toFixed(1)} readings/s${transactionsText(r)}, ` +
    `latency ms min ${l.min.toFixed(1)} mean ${l.mean.toFixed(1)} ` +
    `p99 ${l.p99.toFixed(1)} max ${l.max.toFixed(1)}` +
    (r.refusalLatency.count === 0
      ? ''
      : `, ${r.refusalLatency.count} refused in ms p99 ${r.refusalLatency.p99.toFixed(1)} max ${r.refusalLatency.max.toFixed(1)}`) +
    `${r.serverMemoryMB === undefined ? '' : `, server RSS ${r.serverMemoryMB.toFixed(0)} MB`}${r.interrupted ? ' (interrupted)' : ''}`
  );
}

async function run(context: CommandContext): Promise<number> {
  const values = parseFlags(context, flags, usage);
  if (values === undefined) return 0;
  const users = integerList('users', values.users, defaultUsers);
  const settings = {
    users,
    rate: positiveNumber('rate', values.rate, 1),
    duration: positiveNumber('duration', values.duration, 30),
    warmup: positiveNumber('warmup', values.warmup, 5, true),
    seed: values.seed ?? 'careledger',
    abnormalShare: share('abnormal', values.abnormal, 0.1),
    ...(values['max-requests'] !== undefined
      ? { maxRequests: positiveInteger('max-requests', values['max-requests'], 0) }
      : {}),
    maxInFlight: positiveInteger('max-in-flight', values['max-in-flight'], 20_000),
  };
  if (settings.warmup * settings.rate < 1) {
    context.log(
      `note: a ${settings.warmup} s warm-up is shorter than one reading per user (${1 / settings.rate} s at --rate ${settings.rate}): ` +
        'some users send their first reading in the measured period and pay first-use costs there ' +
        '(key loading, identity caches; rest runs first at each user count). --warmup ' +
        `${Math.ceil(1 / settings.rate)} avoids it.`,
    );
  }
  const requestedMode = oneOf('mode', values.mode, modeChoices, 'both');
  const drivers = driverSettings(values);
  const out = path.resolve(values.out ?? 'results');

  const startedAt = new Date().toISOString();
  const stem = resultsStem(out, startedAt);
  let target: BenchTarget | undefined;
  const loadDrivers: LoadDriver[] = [];
  try {
    // The embedded servers' warnings and errors go next to the results, to explain failures.
    target = await openTarget(values, context.log, { serverLogStem: stem });
    const modes = resolveModes(requestedMode, target);
    const largest = Math.max(...users);
    context.log(`provisioning ${largest} devices on ${target.description}`);
    const devices = await target.provision(largest);
    for (const mode of modes) {
      // e.g. signed: each device enrols its signing key before its first signed reading
      await target.prepare?.(mode, devices);
      loadDrivers.push(target.createDriver(mode, devices, drivers));
    }
    const rounds = await runBenchmark({
      ...settings,
      devices,
      drivers: loadDrivers,
      drainTimeout: drivers.timeoutMs / 1000,
      signal: context.signal,
      ...(values['no-progress'] ? {} : { progress: progressBar(context.stderr) }),
      onRound: (round) => context.log(roundLine(round)),
      ...(target.serverMemoryMB ? { serverMemoryMB: () => target?.serverMemoryMB?.() } : {}),
    });
    const report: BenchReport = {
      tool: 'careledger-bench',
      startedAt,
      finishedAt: new Date().toISOString(),
      interrupted: context.signal.aborted,
      settings: { ...settings, modes, target: target.description, connections: drivers.connections },
      machine: describeMachine(),
      rounds,
      comparison: compareModes(rounds),
    };
    context.stdout.write(`${formatTable(report)}\n`);
    const files = await writeResults(out, report);
    context.log(`results: ${files.json}, ${files.csv}, ${files.svg}, ${files.table}`);
    return report.interrupted ? 130 : 0;
  } finally {
    for (const driver of loadDrivers) await driver.close();
    await target?.close();
    const serverLogs = serverNames
      .map((server) => serverLogPath(stem, server))
      .filter((file) => existsSync(file));
    if (serverLogs.length > 0) context.log(`server warnings and errors: ${serverLogs.join(', ')}`);
  }
}

/** `bench`: latency and throughput across user counts, written as a table, JSON, CSV and SVG. */
export const benchCommand: Command = {
  name: 'bench',
  summary: 'measure invoke latency and throughput across user counts',
  usage,
  run,
};

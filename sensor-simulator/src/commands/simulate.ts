import { VirtualDevice } from '../device/virtual-device';
import { oneOf, positiveInteger, positiveNumber, share } from '../cli/flag-values';
import type { LoadDriver } from '../drivers/load-driver';
import { systemClock } from '../load/clock';
import { runOpenLoop } from '../load/open-loop';
import { formatTable } from '../report/format-table';
import type { RoundRecorder } from '../stats/round-recorder';
import type { BenchTarget } from '../target/bench-target';
import type { Command, CommandContext } from './command';
import { parseFlags } from './parse-flags';
import { driverSettings, openTarget, resolveModes, targetFlags, targetUsage } from './target-flags';

const usage = `Usage: npm run simulate -- [options]

N virtual devices stream vital signs until stopped (Ctrl-C), with a live line on stderr:
sent, committed, errors, latency of the latest reading.

  --users N             devices, each bound to its own patient (default 10)
  --rate R              readings per second per device (default 1)
  --duration S          stop after S seconds (default: run until Ctrl-C)
  --max-requests N      stop after N readings
  --mode M              rest, direct or signed (each reading signed by its device, batched by the
                        gateway); default rest when the target serves it
  --seed S              seed of the signals (default careledger)
  --abnormal F          share of time each patient spends in an abnormal episode (default 0.1)
${targetUsage}
  -h, --help            this help`;

const flags = {
  ...targetFlags,
  users: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  'max-requests': { type: 'string' },
  mode: { type: 'string' },
  seed: { type: 'string' },
  abnormal: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function liveLine(recorder: RoundRecorder | undefined, elapsed: number): string {
  const p = recorder?.progress ?? { sent: 0, succeeded: 0, failed: 0, transactions: 0, lastLatency: 0 };
  const tx = p.transactions > 0 ? ` in ${p.transactions} tx` : '';
  return `${elapsed.toFixed(0)} s  sent ${p.sent}  committed ${p.succeeded}${tx}  errors ${p.failed}  latency ${p.lastLatency.toFixed(1)} ms`;
}

async function run(context: CommandContext): Promise<number> {
  const values = parseFlags(context, flags, usage);
  if (values === undefined) return 0;
  const users = positiveInteger('users', values.users, 10);
  const rate = positiveNumber('rate', values.rate, 1);
  const duration = positiveNumber('duration', values.duration, 10 * 365 * 86_400);
  const maxRequests =
    values['max-requests'] !== undefined
      ? positiveInteger('max-requests', values['max-requests'], 0)
      : undefined;
  const seed = values.seed ?? 'careledger';
  const abnormalShare = share('abnormal', values.abnormal, 0.1);
  const requested = oneOf('mode', values.mode, ['rest', 'direct', 'signed'], 'rest');
  const settings = driverSettings(values);

  let target: BenchTarget | undefined;
  let driver: LoadDriver | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    target = await openTarget(values, context.log);
    const mode =
      values.mode === undefined && !target.modes.includes('rest')
        ? 'direct'
        : (resolveModes(requested, target)[0] ?? 'rest');
    const devices = await target.provision(users);
    await target.prepare?.(mode, devices);
    driver = target.createDriver(mode, devices, settings);
    const epochMs = Date.now();
    const runId = epochMs.toString(36);
    const virtual = devices.map(
      (d, i) =>
        new VirtualDevice({
          ...d,
          seed: `${seed}:${i}`,
          runId,
          epochMs,
          abnormalShare,
          horizon: Math.min(duration, 86_400) + 60,
        }),
    );
    const firstEpisode = Math.min(...virtual.map((v) => v.episodes[0]?.start ?? Infinity));
    const episodes = Number.isFinite(firstEpisode)
      ? `abnormal episodes ${(abnormalShare * 100).toFixed(0)} % of the time, the first after ${firstEpisode.toFixed(0)} s`
      : 'no abnormal episodes';
    context.log(`${users} devices streaming to ${target.description} (${mode}); ${episodes}; Ctrl-C stops`);
    let recorder: RoundRecorder | undefined;
    const start = Date.now();
    const tty = context.stderr.isTTY === true;
    timer = setInterval(
      () => {
        const line = liveLine(recorder, (Date.now() - start) / 1000);
        context.stderr.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
      },
      tty ? 500 : 5000,
    );
    const sender = driver;
    const result = await runOpenLoop({
      users,
      rate,
      warmup: 0,
      duration,
      clock: systemClock,
      signal: context.signal,
      request: (user, t) => sender.send(user, virtual[user]!.next(t)),
      onMeasureStart: (r) => (recorder = r),
      ...(maxRequests !== undefined ? { maxRequests } : {}),
    });
    clearInterval(timer);
    if (tty) context.stderr.write('\n');
    context.stdout.write(
      `${formatTable({ rounds: [{ ...result, interrupted: false, mode, users, rate }], comparison: [] })}\n`,
    );
    return 0;
  } finally {
    clearInterval(timer);
    await driver?.close();
    await target?.close();
  }
}

/** `simulate`: devices stream readings until stopped, with a live progress line. */
export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'stream vital signs from N virtual devices until stopped',
  usage,
  run,
};

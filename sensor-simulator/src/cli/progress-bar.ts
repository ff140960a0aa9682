import { SingleBar } from 'cli-progress';
import type { ProgressSink, RoundProgress } from '../bench/progress-sink';

/**
 * A cli-progress bar on stderr: one bar per round, with sent / ok (in how many distinct
 * transactions) / failed and the last latency.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  let bar: SingleBar | undefined;
  const payload = (p: Partial<RoundProgress>) => ({
    sent: p.sent ?? 0,
    ok: p.succeeded ?? 0,
    failed: p.failed ?? 0,
    tx: p.transactions ?? 0,
    latency: (p.lastLatency ?? 0).toFixed(1),
  });
  return {
    roundStarted(name, totalSeconds) {
      bar = new SingleBar({
        stream,
        format: `${name.padEnd(12)} [{bar}] {value}/{total} s | sent {sent} | ok {ok} in {tx} tx | failed {failed} | last {latency} ms`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 20,
        noTTYOutput: true,
        notTTYSchedule: 5000,
      });
      bar.start(Math.ceil(totalSeconds), 0, payload({}));
    },
    update(p) {
      bar?.update(Math.floor(p.elapsed), payload(p));
    },
    roundFinished() {
      if (bar) {
        bar.update(bar.getTotal());
        bar.stop();
      }
      bar = undefined;
    },
  };
}

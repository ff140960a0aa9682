import type { ProvisionedDevice } from '../target/bench-target';
import type { EmbeddedTarget } from '../target/embedded-target';
import { AcknowledgedReadings } from './acknowledged-readings';
import { DeviceLoad } from './device-load';
import type { FaultStep } from './fault-plan';
import { auditLedger, type AuditResult } from './ledger-audit';

/** What happened during one fault, from its start to the first acknowledgement after it. */
export interface FaultPhase {
  readonly fault: string;
  /** From the fault's start until the servers were told to come back. */
  readonly faultMs: number;
  /** From then until a reading was committed (answered 201) again. */
  readonly recoveryMs: number;
  readonly sent: number;
  readonly resends: number;
  readonly committed: number;
  readonly accepted: number;
  /** Answers that were not acknowledgements, by code (each was sent again). */
  readonly failures: Record<string, number>;
}

export interface FaultReport {
  readonly devices: number;
  readonly rate: number;
  readonly phases: readonly FaultPhase[];
  readonly audit: AuditResult;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function difference(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [code, n] of Object.entries(after))
    if (n - (before[code] ?? 0) > 0) out[code] = n - (before[code] ?? 0);
  return out;
}

/**
 * Runs `steps` one after the other under steady device load, each followed by `settleMs` of
 * normal operation, then stops the load, lets every acknowledged reading settle, and audits the
 * ledger: acknowledged readings lost or doubled.
 */
export async function runFaults(options: {
  readonly target: EmbeddedTarget;
  readonly devices: readonly ProvisionedDevice[];
  readonly rate: number;
  readonly steps: readonly FaultStep[];
  readonly settleMs: number;
  readonly log: (message: string) => void;
}): Promise<FaultReport> {
  const { target, log } = options;
  const record = new AcknowledgedReadings();
  const load = new DeviceLoad({
    devices: options.devices,
    rate: options.rate,
    gatewayUrl: () => target.gatewayUrl,
    record,
  });
  load.start();
  await sleep(options.settleMs);
  const phases: FaultPhase[] = [];
  for (const step of options.steps) {
    log(`fault: ${step.name}`);
    const before = record.snapshot();
    const t0 = performance.now();
    await step.run(target);
    const ended = performance.now();
    // Back when a reading is committed again (a 202 needs only the gateway's disk).
    const committedAtEnd = record.snapshot().committed;
    while (record.snapshot().committed === committedAtEnd && performance.now() - ended < 120_000)
      await sleep(20);
    const recoveryMs = performance.now() - ended;
    await sleep(options.settleMs);
    const after = record.snapshot();
    phases.push({
      fault: step.name,
      faultMs: ended - t0,
      recoveryMs,
      sent: after.sent - before.sent,
      resends: after.resends - before.resends,
      committed: after.committed - before.committed,
      accepted: after.accepted - before.accepted,
      failures: difference(after.failures, before.failures),
    });
    log(`  recovered ${(recoveryMs / 1000).toFixed(1)} s after it ended`);
  }
  log('stopping the load; every reading not yet acknowledged is sent until it is');
  await load.stop();
  const keyOfDevice = new Map(options.devices.map((d) => [d.deviceId, d.apiKey ?? '']));
  const acknowledged = record.all;
  const deviceOf = new Map(acknowledged.map((a) => [a.reading.readingId, a.reading.deviceId]));
  log('auditing the ledger');
  const audit = await auditLedger(acknowledged, {
    gatewayUrl: target.gatewayUrl,
    nurseKey: target.nurseKey,
    senderKey: (readingId) => keyOfDevice.get(deviceOf.get(readingId) ?? '') ?? '',
    settleMs: 120_000,
  });
  return { devices: options.devices.length, rate: options.rate, phases, audit };
}

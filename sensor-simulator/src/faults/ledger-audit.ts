import type { AcknowledgedReading } from './acknowledged-readings';

export interface AuditResult {
  readonly acknowledged: number;
  /** Answered 201/200: committed when answered. */
  readonly committedWhenAnswered: number;
  /** Answered 202, and committed since (their status URLs say so). */
  readonly acceptedThenCommitted: number;
  /** Answered 202 and refused by the ledger since (their status says why). */
  readonly acceptedThenRefused: number;
  /** Answered 202 and still not settled when the audit gave up waiting. */
  readonly acceptedUnsettled: number;
  /** Acknowledged, but not on the ledger (or with other content). */
  readonly lost: readonly string[];
  /** On the ledger more than once. */
  readonly doubled: readonly string[];
}

interface Options {
  readonly gatewayUrl: string;
  /** Identity that sent each reading, by reading id: the status URL answers the sender. */
  readonly senderKey: (readingId: string) => string;
  /** A nurse of the custodian: reads every patient's vitals. */
  readonly nurseKey: string;
  /** How long to wait for 202 submissions to settle. */
  readonly settleMs: number;
}

async function getJson(url: string, apiKey: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers: { 'x-api-key': apiKey } });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

/** Every stored reading of a patient (all pages). */
async function storedReadings(base: string, nurseKey: string, patientId: string) {
  const out: { readingId: string; value?: number; systolic?: number; observedAt: string }[] = [];
  let bookmark = '';
  do {
    const { status, body } = await getJson(
      `${base}/api/v1/patients/${patientId}/vitals?pageSize=200${bookmark ? `&bookmark=${bookmark}` : ''}`,
      nurseKey,
    );
    if (status !== 200)
      throw new Error(`reading patient ${patientId}'s vitals answered ${status}: ${JSON.stringify(body)}`);
    const page = body as { data: typeof out; page: { bookmark: string } };
    out.push(...page.data);
    bookmark = page.page.bookmark;
  } while (bookmark !== '');
  return out;
}

/**
 * Checks a fault run against the ledger: every 202 settles (polled at its status URL), and every
 * acknowledged reading is on the ledger exactly once with the content the device sent.
 */
export async function auditLedger(
  acknowledged: readonly AcknowledgedReading[],
  o: Options,
): Promise<AuditResult> {
  let committed = 0;
  let refused = 0;
  let unsettled = 0;
  const until = Date.now() + o.settleMs;
  for (const a of acknowledged.filter((x) => x.how === 'accepted')) {
    for (;;) {
      const { body } = await getJson(`${o.gatewayUrl}${a.statusUrl ?? ''}`, o.senderKey(a.reading.readingId));
      const status = (body as { data?: { status?: string } } | undefined)?.data?.status;
      if (status === 'committed') committed += 1;
      else if (status === 'refused') refused += 1;
      else if (Date.now() < until) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      } else unsettled += 1;
      break;
    }
  }
  const byPatient = new Map<string, AcknowledgedReading[]>();
  for (const a of acknowledged)
    byPatient.set(a.reading.patientId, [...(byPatient.get(a.reading.patientId) ?? []), a]);
  const lost: string[] = [];
  const doubled: string[] = [];
  for (const [patientId, sent] of byPatient) {
    const stored = await storedReadings(o.gatewayUrl, o.nurseKey, patientId);
    const counts = new Map<string, number>();
    for (const r of stored) counts.set(r.readingId, (counts.get(r.readingId) ?? 0) + 1);
    for (const a of sent) {
      const copies = stored.filter((r) => r.readingId === a.reading.readingId);
      const same = copies.some((r) => (r.value ?? r.systolic) === (a.reading.value ?? a.reading.systolic));
      if (copies.length === 0 || !same) lost.push(a.reading.readingId);
      if ((counts.get(a.reading.readingId) ?? 0) > 1) doubled.push(a.reading.readingId);
    }
  }
  return {
    acknowledged: acknowledged.length,
    committedWhenAnswered: acknowledged.filter((a) => a.how === 'committed').length,
    acceptedThenCommitted: committed,
    acceptedThenRefused: refused,
    acceptedUnsettled: unsettled,
    lost,
    doubled,
  };
}

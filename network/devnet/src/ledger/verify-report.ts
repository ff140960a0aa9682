/** One inconsistency the verifier found. */
export interface VerifyProblem {
  /** The block it is in; for a state key, the block whose write the key should (or does) hold. */
  readonly block?: number;
  /**
   * The key: public state `namespace:key`, hashed private state `namespace:collection:#<key hash hex>`,
   * a private value `namespace:collection:key`, or a txId (txId index problems).
   */
  readonly key?: string;
  readonly what: string;
}

/** Where each check of the verifier reports what it finds. */
export type ReportProblem = (problem: VerifyProblem) => void;

/** What `verifyLedger` found. */
export interface VerifyReport {
  /** No problem found. */
  readonly ok: boolean;
  /** Blocks stored. */
  readonly blocks: number;
  /** Transactions (envelopes) in them, config transactions included. */
  readonly transactions: number;
  /** Those marked VALID in their block's TRANSACTIONS_FILTER. */
  readonly validTransactions: number;
  /** Stored public and hashed private state entries. */
  readonly stateKeys: number;
  /** Stored private values. */
  readonly privateValues: number;
  /** Every problem found; `problems` lists at most `maxProblems` of them. */
  readonly problemCount: number;
  readonly problems: readonly VerifyProblem[];
}

export interface VerifyOptions {
  /** Problems listed in the report (all are counted); default 100. */
  readonly maxProblems?: number;
}

/** The problems found: every one counted, the first `max` of them kept for the report. */
export class ProblemList {
  readonly listed: VerifyProblem[] = [];
  count = 0;
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  add(problem: VerifyProblem): void {
    this.count += 1;
    if (this.listed.length < this.#max) this.listed.push(problem);
  }
}

/** The report as a few lines for a person: the counts, then each listed problem. */
export function formatVerifyReport(report: VerifyReport, location?: string): string {
  const counts =
    `${report.blocks} blocks, ${report.transactions} transactions (${report.validTransactions} valid), ` +
    `${report.stateKeys} state keys, ${report.privateValues} private values`;
  const head = `ledger${location === undefined ? '' : ` ${location}`}: ${counts}`;
  if (report.ok)
    return `${head}: OK (blocks, hash chain, world state, private values, history and txId index agree)`;
  const lines = [`${head}: ${report.problemCount} problem${report.problemCount === 1 ? '' : 's'}`];
  for (const p of report.problems) {
    const where = [
      p.block === undefined ? undefined : `block ${p.block}`,
      p.key === undefined ? undefined : `key ${JSON.stringify(p.key)}`,
    ].filter((part) => part !== undefined);
    lines.push(`  ${where.length > 0 ? `${where.join(', ')}: ` : ''}${p.what}`);
  }
  const unlisted = report.problemCount - report.problems.length;
  if (unlisted > 0) lines.push(`  … and ${unlisted} more (${report.problems.length} listed)`);
  return lines.join('\n');
}

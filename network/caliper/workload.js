'use strict';

/**
 * Caliper 0.6 workload module for CareLedger's chaincode. Plain JS with no imports, so that Caliper
 * installed outside the repository loads it as it is (Caliper calls `createWorkloadModule` and the
 * three methods below; it does not require its own base class).
 *
 * Round arguments: `mode` is `list-organizations` (evaluate `Organizations:list`) or
 * `record-vitals` (submit `Vitals:record`, one heart-rate reading as transient data `reading`, of a
 * patient this worker registers first with `Patients:register`). Every request is made as
 * `invokerIdentity` (default `nurse`) of `invokerMspId` (default `HospitalAMSP`), the names the
 * network configuration gives the identity.
 */
const contractId = 'careledger';
const modes = ['list-organizations', 'record-vitals'];

class CareLedgerWorkload {
  constructor() {
    this.sutAdapter = undefined;
    this.mode = undefined;
    this.invoker = undefined;
    this.patientId = undefined;
    this.prefix = undefined;
    this.sent = 0;
  }

  /**
   * Called by Caliper before the round; registers the worker's patient for `record-vitals`.
   * @throws Error on an unknown mode, or when the patient's registration did not commit.
   */
  async initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter) {
    const args = roundArguments || {};
    if (!modes.includes(args.mode)) {
      throw new Error(`workload argument mode must be one of ${modes.join(', ')}, not ${String(args.mode)}`);
    }
    this.sutAdapter = sutAdapter;
    this.mode = args.mode;
    this.invoker = {
      invokerIdentity: args.invokerIdentity || 'nurse',
      invokerMspId: args.invokerMspId || 'HospitalAMSP',
    };
    // Ids unique across runs on one ledger: a reading id that exists already is a CONFLICT.
    this.prefix = `caliper-${Date.now().toString(36)}-r${roundIndex}-w${workerIndex}`;
    if (this.mode !== 'record-vitals') return;

    this.patientId = `${this.prefix}-patient`;
    const demographics = { name: `Caliper Worker ${workerIndex}`, birthDate: '1980-02-03', sex: 'unknown' };
    const status = await this.sutAdapter.sendRequests({
      ...this.invoker,
      contractId,
      contractFunction: 'Patients:register',
      contractArguments: [this.patientId],
      transientMap: { demographics: JSON.stringify(demographics) },
      readOnly: false,
    });
    if (!status.IsCommitted()) {
      throw new Error(`Patients:register ${this.patientId} did not commit (see the connector's error above)`);
    }
  }

  /** Called by Caliper once per transaction the rate controller lets through. */
  async submitTransaction() {
    this.sent += 1;
    if (this.mode === 'list-organizations') {
      await this.sutAdapter.sendRequests({
        ...this.invoker,
        contractId,
        contractFunction: 'Organizations:list',
        contractArguments: [],
        readOnly: true,
      });
      return;
    }
    const reading = {
      readingId: `${this.prefix}-${this.sent}`,
      patientId: this.patientId,
      type: 'heartRate',
      value: 60 + (this.sent % 30),
      unit: '/min',
      observedAt: new Date().toISOString(),
    };
    await this.sutAdapter.sendRequests({
      ...this.invoker,
      contractId,
      contractFunction: 'Vitals:record',
      contractArguments: [],
      transientMap: { reading: JSON.stringify(reading) },
      readOnly: false,
    });
  }

  /** Called by Caliper after the round; nothing to release. */
  async cleanupWorkloadModule() {}
}

/** Caliper's factory: one module per worker and round. */
function createWorkloadModule() {
  return new CareLedgerWorkload();
}

module.exports.createWorkloadModule = createWorkloadModule;

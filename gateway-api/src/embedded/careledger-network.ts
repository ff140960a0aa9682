import { resolve } from 'node:path';
import { defaultOrganisations, demoUsersOf } from '@careledger/contract';

/** CareLedger's chaincode directory in this repository. */
export const chaincodeDir = resolve(__dirname, '..', '..', '..', 'chaincode');

/** The contract package the chaincode is built with: a change there means a rebuild too. */
export const contractSourceDir = resolve(__dirname, '..', '..', '..', 'contract', 'src');

/**
 * The chaincode-level endorsement policy of the embedded network: any one member organisation.
 * Patient-owned keys carry a key-level policy naming the custodian, so changes to them still need
 * the custodian; one endorsement keeps a reading at about three signatures, and lets a write or
 * read of private data be endorsed by the custodian alone (with MAJORITY, registering a patient
 * fails: only the custodian may see the transient demographics).
 */
export const embeddedPolicy = 'ANY';

/**
 * The format of what CareLedger's chaincode stores, recorded in the embedded ledger when it is
 * created. Bump it when the stored data changes incompatibly, so that an older data directory is
 * refused at start with a message saying what to do, never half-read. Format 2: patient data in
 * the custodian's implicit collection, patient keys per custodian.
 */
export const careledgerDataFormat = '2';

/** The embedded network's organisations, each with its demo users (development fixtures). */
export const embeddedOrganisations = (() => {
  const users = demoUsersOf(defaultOrganisations);
  return defaultOrganisations.map((o) => ({ ...o, users: users.get(o.mspId) ?? [] }));
})();

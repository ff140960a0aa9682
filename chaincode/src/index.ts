import '@careledger/contract/assets';
import { AccessLogContract } from './contracts/access-log-contract';
import { ConsentsContract } from './contracts/consents-contract';
import { DevicesContract } from './contracts/devices-contract';
import { LabResultsContract } from './contracts/lab-results-contract';
import { OrganizationsContract } from './contracts/organizations-contract';
import { PatientsContract } from './contracts/patients-contract';
import { PrescriptionsContract } from './contracts/prescriptions-contract';
import { VitalsContract } from './contracts/vitals-contract';
import { dropDisabledShimLogLines } from './shim-logging';

dropDisabledShimLogLines();

/** The contracts fabric-chaincode-node serves; the first is the default. */
export const contracts: unknown[] = [
  OrganizationsContract,
  PatientsContract,
  DevicesContract,
  VitalsContract,
  ConsentsContract,
  LabResultsContract,
  PrescriptionsContract,
  AccessLogContract,
];

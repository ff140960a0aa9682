import { AccessLogContract } from '../contracts/access-log-contract';
import { ConsentsContract } from '../contracts/consents-contract';
import { DevicesContract } from '../contracts/devices-contract';
import { LabResultsContract } from '../contracts/lab-results-contract';
import { OrganizationsContract } from '../contracts/organizations-contract';
import { PatientsContract } from '../contracts/patients-contract';
import { PrescriptionsContract } from '../contracts/prescriptions-contract';
import { VitalsContract } from '../contracts/vitals-contract';

/**
 * One instance of every contract, for tests that call transaction functions through a
 * TestNetwork (the contracts keep no state of their own).
 */
export const contractInstances = {
  orgs: new OrganizationsContract(),
  patients: new PatientsContract(),
  devices: new DevicesContract(),
  vitals: new VitalsContract(),
  consents: new ConsentsContract(),
  labs: new LabResultsContract(),
  rx: new PrescriptionsContract(),
  accessLog: new AccessLogContract(),
} as const;

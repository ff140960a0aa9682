import type { Device as LedgerDevice } from '@careledger/contract';
import type { Device } from '@medplum/fhirtypes';
import { deviceFhirId, organizationReference, patientReference } from './fhir-references';
import { deviceIdSystem } from './fhir-terms';

/**
 * A device of the registry as a FHIR R4 Device: `identifier` the device id in its
 * organisation's system, `type.text` the registered type, `owner` the organisation, and
 * `patient` the patient it is bound to (a patient of the same hospital). The ledger keeps no
 * status, model or manufacturer; registration and binding times are not mapped.
 */
export function deviceResourceOf(device: LedgerDevice): Device {
  const id = deviceFhirId(device.orgMspId, device.deviceId);
  return {
    resourceType: 'Device',
    ...(id === undefined ? {} : { id }),
    identifier: [{ system: deviceIdSystem(device.orgMspId), value: device.deviceId }],
    type: { text: device.type },
    owner: organizationReference(device.orgMspId),
    ...(device.patientId === undefined
      ? {}
      : { patient: patientReference(device.orgMspId, device.patientId) }),
  };
}

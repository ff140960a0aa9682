/**
 * Ready-to-paste curl commands for the embedded network's demo identities, in the order of the
 * clinical story: register, bind a device, stream a reading, read, follow alerts, consent to
 * Hospital B, its logged read, the patient's access log.
 */
export function curlExamples(url: string, keys: Readonly<Record<string, string>>): string {
  const key = (name: string) => `-H 'X-API-Key: ${keys[name] ?? '<API key>'}'`;
  const json = "-H 'Content-Type: application/json'";
  const api = `${url}/api/v1`;
  const now = '$(date -u +%Y-%m-%dT%H:%M:%SZ)';
  return [
    '# Register a patient as a Hospital A nurse (demographics go to Hospital A’s private data only).',
    '# On a later run these two answer 409 CONFLICT: they exist already.',
    `curl -s ${api}/patients ${key('hospitala-nurse')} ${json} -d '{"patientId":"patient-1","demographics":{"name":"Ada Example","birthDate":"1980-02-03","sex":"female"}}'`,
    '# Register the demo device, bound to the patient:',
    `curl -s ${api}/devices ${key('hospitala-nurse')} ${json} -d '{"deviceId":"hospitala-device-1","type":"pulse-oximeter","patientId":"patient-1"}'`,
    '# Follow alerts as a doctor (in a second terminal):',
    `curl -sN ${api}/events ${key('hospitala-doctor')}`,
    '# Send an abnormal reading as the device (the doctor sees a VitalAbnormal event):',
    `curl -s ${api}/vitals ${key('hospitala-device')} ${json} -d '{"readingId":"r-'$(date +%s)'","patientId":"patient-1","type":"heartRate","value":135,"unit":"/min","observedAt":"'${now}'"}'`,
    '# Read the vitals as the doctor (Server-Timing shows where the time went):',
    `curl -si '${api}/patients/patient-1/vitals?pageSize=10' ${key('hospitala-doctor')}`,
    '# The patient consents to Hospital B reading vitals; Hospital B names the custodian and reads (logged first):',
    `curl -s ${api}/consents ${key('hospitala-patient')} ${json} -d '{"patientId":"patient-1","granteeMspId":"HospitalBMSP","scopes":["vitals"],"purpose":"second opinion","validUntil":"2099-01-01T00:00:00Z"}'`,
    `curl -s '${api}/patients/patient-1/vitals?custodian=HospitalAMSP' ${key('hospitalb-doctor')}`,
    '# The patient sees who read what (revoke with DELETE /patients/patient-1/consents/<consentId>):',
    `curl -s ${api}/patients/patient-1/access-log ${key('hospitala-patient')}`,
  ].join('\n');
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectionFile } from '../connection/connection-file';

/** The PEM texts `sampleConnection` writes: the gateway's TLS CA and the lab peer's own. */
export const sampleCaPems = {
  gateway: '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n',
  lab: '-----BEGIN CERTIFICATE-----\nAQ==\n-----END CERTIFICATE-----\n',
} as const;

/**
 * A connection file of two organisations, its TLS CA files written into `dir`: Hospital A calls
 * the gateway endpoint, the lab its own peer with its own TLS CA.
 */
export function sampleConnection(dir: string): ConnectionFile {
  writeFileSync(join(dir, 'ca.pem'), sampleCaPems.gateway);
  writeFileSync(join(dir, 'lab-ca.pem'), sampleCaPems.lab);
  return {
    version: 1,
    gatewayEndpoint: 'gateway.example:7051',
    tlsCaPath: join(dir, 'ca.pem'),
    hostnameOverride: 'peer0.hospitala.example',
    channel: 'healthchannel',
    chaincode: 'careledger',
    organisations: [
      { mspId: 'HospitalAMSP', type: 'hospital', identities: [] },
      {
        mspId: 'LabMSP',
        type: 'lab',
        peerEndpoint: 'peer0.lab.example:9051',
        peerTlsCaPath: join(dir, 'lab-ca.pem'),
        identities: [],
      },
    ],
  };
}

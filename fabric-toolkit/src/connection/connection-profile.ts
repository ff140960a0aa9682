import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shortName } from '../msp/msp-folder';
import type { ConnectionFile, ConnectionOrganisation } from './connection-file';

/**
 * Fabric's common connection profile (the `connection-org1.json` of Fabric's test network), as
 * far as a Gateway client needs it: the organisation, its peer with URL, TLS CA and TLS name.
 */
export interface ConnectionProfile {
  readonly name: string;
  readonly version: '1.0.0';
  readonly client: { readonly organization: string };
  readonly organizations: Record<string, { readonly mspid: string; readonly peers: string[] }>;
  readonly peers: Record<
    string,
    {
      readonly url: string;
      readonly tlsCACerts: { readonly pem: string };
      readonly grpcOptions: Record<string, string>;
    }
  >;
  readonly channels: Record<string, { readonly peers: Record<string, Record<string, boolean>> }>;
}

/**
 * The common connection profile of one organisation of a network: its own peer (else the
 * network's gateway endpoint), the TLS CA that peer's certificate chains to (inline PEM) and the
 * TLS name to verify, and the channel.
 * @throws Error when the organisation is not in the file or a TLS CA cannot be read.
 */
export function connectionProfileOf(connection: ConnectionFile, mspId: string): ConnectionProfile {
  const org: ConnectionOrganisation | undefined = connection.organisations.find((o) => o.mspId === mspId);
  if (org === undefined) throw new Error(`no organisation ${mspId} in the connection file`);
  const short = shortName(mspId);
  const peerName = `peer0.${short}`;
  const endpoint = org.peerEndpoint ?? connection.gatewayEndpoint;
  const tlsName = connection.hostnameOverride ?? endpoint.slice(0, endpoint.lastIndexOf(':'));
  return {
    name: `${connection.channel}-${short}`,
    version: '1.0.0',
    client: { organization: mspId },
    organizations: { [mspId]: { mspid: mspId, peers: [peerName] } },
    peers: {
      [peerName]: {
        url: `grpcs://${endpoint}`,
        tlsCACerts: { pem: readFileSync(org.peerTlsCaPath ?? connection.tlsCaPath, 'utf8') },
        grpcOptions: { 'ssl-target-name-override': tlsName, hostnameOverride: tlsName },
      },
    },
    channels: {
      [connection.channel]: {
        peers: {
          [peerName]: { endorsingPeer: true, chaincodeQuery: true, ledgerQuery: true, eventSource: true },
        },
      },
    },
  };
}

/**
 * Writes `connection-<org>.json` (e.g. `connection-hospitala.json`) for every organisation into
 * `dir`, beside the connection file, for tools that read Fabric's common connection profile.
 * @returns the paths written, by MSP ID.
 */
export async function writeConnectionProfiles(
  dir: string,
  connection: ConnectionFile,
): Promise<Map<string, string>> {
  await mkdir(dir, { recursive: true });
  const written = new Map<string, string>();
  for (const { mspId } of connection.organisations) {
    const path = join(dir, `connection-${shortName(mspId)}.json`);
    await writeFile(path, `${JSON.stringify(connectionProfileOf(connection, mspId), null, 2)}\n`);
    written.set(mspId, path);
  }
  return written;
}

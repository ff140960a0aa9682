import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FabricEndpoint } from '../drivers/direct-driver';

interface ConnectionJson {
  channel?: unknown;
  chaincode?: unknown;
  gateway?: { endpoint?: unknown; tlsCaCertPath?: unknown; serverNameOverride?: unknown };
}

/**
 * Reads the gateway endpoint, channel and chaincode from a connection file (the devnet's or
 * network.sh's): `{ channel, chaincode, gateway: { endpoint, tlsCaCertPath?, serverNameOverride? } }`,
 * paths relative to the file.
 * @throws Error naming the missing field.
 */
export async function loadFabricEndpoint(file: string): Promise<FabricEndpoint> {
  const json = JSON.parse(await readFile(file, 'utf8')) as ConnectionJson;
  const endpoint = json.gateway?.endpoint;
  if (typeof endpoint !== 'string') throw new Error(`${file}: gateway.endpoint is missing`);
  if (typeof json.channel !== 'string') throw new Error(`${file}: channel is missing`);
  const ca = json.gateway?.tlsCaCertPath;
  const override = json.gateway?.serverNameOverride;
  return {
    endpoint,
    channel: json.channel,
    chaincode: typeof json.chaincode === 'string' ? json.chaincode : 'careledger',
    ...(typeof ca === 'string'
      ? { tlsRootCertPem: await readFile(path.resolve(path.dirname(file), ca), 'utf8') }
      : {}),
    ...(typeof override === 'string' ? { serverNameOverride: override } : {}),
  };
}

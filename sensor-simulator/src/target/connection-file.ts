import { readFile } from 'node:fs/promises';
import { loadConnectionFile } from '@careledger/devnet';
import type { FabricEndpoint } from '../drivers/direct-driver';

/**
 * The gateway endpoint, channel and chaincode of a connection file — the one schema the
 * embedded network and network.sh both write (network/devnet/README.md "Connection file").
 * @throws ConnectionFileError naming the file and the first problem.
 */
export async function loadFabricEndpoint(file: string): Promise<FabricEndpoint> {
  const connection = await loadConnectionFile(file);
  return {
    endpoint: connection.gatewayEndpoint,
    channel: connection.channel,
    chaincode: connection.chaincode,
    tlsRootCertPem: await readFile(connection.tlsCaPath, 'utf8'),
    ...(connection.hostnameOverride ? { serverNameOverride: connection.hostnameOverride } : {}),
  };
}

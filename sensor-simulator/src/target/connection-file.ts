import { loadConnectionFile, targetOf, type FabricTarget } from '@careledger/fabric-toolkit';

/**
 * The network a connection file describes — the one schema the embedded network and network.sh
 * both write: its gateway, each organisation's own peer and TLS CA, channel and chaincode.
 * @throws ConnectionFileError naming the file and the first problem.
 */
export async function loadFabricTarget(file: string): Promise<FabricTarget> {
  return targetOf(await loadConnectionFile(file));
}

import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Devnet } from './devnet';
import type { DevnetOrganisation } from './devnet-crypto';
import { RpcError } from './gateway/rpc-error';
import { newSigningIdentity } from './msp';

/**
 * Fills CareLedger's on-ledger organisation registry (`Organizations:bootstrap`, see
 * docs/contract-api.md) as the first organisation's admin, once: a registry that already
 * exists is left alone (the chaincode answers CONFLICT, and nothing is ordered).
 * @returns whether this call bootstrapped the registry.
 * @throws Error when the admin identity is missing or the transaction fails otherwise.
 */
export async function bootstrapCareLedgerRegistry(
  devnet: Devnet,
  organisations: readonly DevnetOrganisation[],
  logger: Logger,
): Promise<boolean> {
  const steward = devnet.connection.organisations[0];
  const admin = steward?.identities.find((i) => i.role === 'admin');
  if (steward === undefined || admin === undefined) {
    throw new Error(
      'cannot bootstrap the organisation registry: the first organisation has no admin identity',
    );
  }
  const signer = newSigningIdentity({
    mspId: steward.mspId,
    certificatePem: await readFile(admin.certPath, 'utf8'),
    privateKeyPem: await readFile(admin.keyPath, 'utf8'),
  });
  const registry = organisations.map(({ mspId, type, name }) => ({ mspId, type, name }));
  try {
    const { status } = await devnet.submitLocal({
      signer,
      chaincode: devnet.connection.chaincode,
      args: ['Organizations:bootstrap', JSON.stringify(registry)],
    });
    if (status.code !== 0)
      throw new Error(`Organizations:bootstrap committed with validation code ${status.code}`);
    logger.info(
      { organisations: registry.map((o) => o.mspId), block: Number(status.blockNumber) },
      'bootstrapped the organisation registry',
    );
    return true;
  } catch (err) {
    if (
      err instanceof RpcError &&
      err.details.some((d) =>
        d.message.includes('CONFLICT: the organisation registry is already bootstrapped'),
      )
    ) {
      logger.debug('organisation registry already bootstrapped');
      return false;
    }
    throw err;
  }
}

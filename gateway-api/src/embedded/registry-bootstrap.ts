import { readFile } from 'node:fs/promises';
import { defaultOrganisations, parseChaincodeError, type MemberOrganisation } from '@careledger/contract';
import type { Devnet } from '@careledger/devnet';
import { newSigningIdentity } from '@careledger/fabric-toolkit';
import type { Logger } from 'pino';

/** The chaincode's refusal carried in an embedded-network error's details, when there is one. */
function chaincodeCodeOf(err: unknown): string | undefined {
  const details = (err as { details?: readonly { message?: string }[] } | undefined)?.details ?? [];
  return details.map((d) => parseChaincodeError(d.message ?? '')?.code).find((c) => c !== undefined);
}

/**
 * Fills CareLedger's on-ledger organisation registry (`Organizations:bootstrap`, see
 * docs/contract-api.md) as the first organisation's admin, once: a registry that already
 * exists is left alone (the chaincode answers CONFLICT, and nothing is ordered).
 * @returns whether this call bootstrapped the registry.
 * @throws Error when the admin identity is missing or the transaction fails otherwise.
 */
export async function bootstrapCareLedgerRegistry(
  devnet: Devnet,
  organisations: readonly MemberOrganisation[],
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
    if (chaincodeCodeOf(err) === 'CONFLICT') {
      logger.debug('organisation registry already bootstrapped');
      return false;
    }
    throw err;
  }
}

/** The embedded network's start-up step: the registry of its organisations, once. */
export async function bootstrapEmbeddedRegistry(devnet: Devnet, logger: Logger): Promise<void> {
  await bootstrapCareLedgerRegistry(devnet, defaultOrganisations, logger);
}

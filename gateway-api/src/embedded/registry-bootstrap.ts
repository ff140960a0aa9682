import { readFile } from 'node:fs/promises';
import { defaultOrganisations, parseChaincodeError, type MemberOrganisation } from '@careledger/contract';
import type { Devnet } from '@careledger/devnet';
import { newSigningIdentity, type SigningIdentity } from '@careledger/fabric-toolkit';
import type { Logger } from 'pino';

/** The chaincode's refusal carried in an embedded-network error's details, when there is one. */
function chaincodeCodeOf(err: unknown): string | undefined {
  const details = (err as { details?: readonly { message?: string }[] } | undefined)?.details ?? [];
  return details.map((d) => parseChaincodeError(d.message ?? '')?.code).find((c) => c !== undefined);
}

/**
 * Fills CareLedger's on-ledger organisation registry (`Organizations:bootstrap`, see
 * docs/contract-api.md) as the first organisation's admin, once: a registry that already
 * exists is left alone — seen by evaluating `Organizations:list` first, so that a restart logs
 * no error (a bootstrap that races another still ends in the chaincode's CONFLICT, accepted).
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
  if (await registryExists(devnet, signer)) {
    logger.debug('organisation registry already bootstrapped');
    return false;
  }
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

/** Whether the registry has members: `Organizations:list` answers `[]` before the bootstrap. */
async function registryExists(devnet: Devnet, signer: SigningIdentity): Promise<boolean> {
  const listed = await devnet.evaluateLocal({
    signer,
    chaincode: devnet.connection.chaincode,
    args: ['Organizations:list'],
  });
  return (JSON.parse(listed.toString('utf8') || '[]') as unknown[]).length > 0;
}

/** The embedded network's start-up step: the registry of its organisations, once. */
export async function bootstrapEmbeddedRegistry(devnet: Devnet, logger: Logger): Promise<void> {
  await bootstrapCareLedgerRegistry(devnet, defaultOrganisations, logger);
}

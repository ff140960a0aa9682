import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError, organizationSchema, parseJsonArgument, registrySchema } from '@careledger/contract';
import { Organization } from '@careledger/contract/assets';
import { resolveCaller, txTime } from '../caller';
import { keys, ranges } from '../keys';
import { createAsset, readAll, readAsset, updateAsset } from '../ledger/world-state';

interface RegistryConfig {
  readonly stewardMspId: string;
  readonly bootstrappedAt: string;
}

/** The organisation registry: MSP ID → type and name. Rules are written per type. */
@Info({ title: 'Organizations', description: 'The organisation registry' })
export class OrganizationsContract extends Contract {
  constructor() {
    super('Organizations');
  }

  /**
   * Fill the registry once. The caller must be an admin of an organisation in the list; that
   * organisation becomes the registry's steward, whose admins alone may change it later.
   */
  @Transaction()
  @Returns('Organization[]')
  public async bootstrap(ctx: Context, registryJson: string): Promise<Organization[]> {
    const registry = parseJsonArgument(registrySchema, registryJson, 'registry');
    if (await readAsset<RegistryConfig>(ctx, keys.registryConfig())) {
      throw new ChaincodeError('CONFLICT', 'the organisation registry is already bootstrapped; use upsert');
    }
    const mspId = ctx.clientIdentity.getMSPID();
    if (
      ctx.clientIdentity.getAttributeValue('role') !== 'admin' ||
      !registry.some((o) => o.mspId === mspId)
    ) {
      throw new ChaincodeError(
        'ACCESS_DENIED',
        `only an admin of an organisation in the registry may bootstrap it`,
      );
    }
    const at = txTime(ctx).toISOString();
    const config: RegistryConfig = { stewardMspId: mspId, bootstrappedAt: at };
    await createAsset(ctx, keys.registryConfig(), config, mspId);
    const stored: Organization[] = [];
    for (const org of registry) {
      const record: Organization = { ...org, updatedAt: at, updatedBy: mspId };
      await createAsset(ctx, keys.organization(org.mspId), record, mspId);
      stored.push(record);
    }
    return stored;
  }

  /** Add or change one organisation; only an admin of the steward organisation may. */
  @Transaction()
  @Returns('Organization')
  public async upsert(ctx: Context, organizationJson: string): Promise<Organization> {
    const org = parseJsonArgument(organizationSchema, organizationJson, 'organization');
    const config = await readAsset<RegistryConfig>(ctx, keys.registryConfig());
    if (!config)
      throw new ChaincodeError('PRECONDITION_FAILED', 'the organisation registry is not bootstrapped yet');
    const caller = await resolveCaller(ctx);
    if (caller.mspId !== config.stewardMspId || caller.role !== 'admin') {
      throw new ChaincodeError(
        'ACCESS_DENIED',
        `only an admin of ${config.stewardMspId} may change the registry`,
      );
    }
    const record: Organization = { ...org, updatedAt: txTime(ctx).toISOString(), updatedBy: caller.mspId };
    const key = keys.organization(org.mspId);
    if (await readAsset<Organization>(ctx, key)) await updateAsset(ctx, key, record);
    else await createAsset(ctx, key, record, config.stewardMspId);
    return record;
  }

  @Transaction(false)
  @Returns('Organization')
  public async get(ctx: Context, mspId: string): Promise<Organization> {
    await resolveCaller(ctx);
    const org = await readAsset<Organization>(ctx, keys.organization(mspId));
    if (!org) throw new ChaincodeError('NOT_FOUND', `organisation ${mspId} is not in the registry`);
    return org;
  }

  /**
   * The members, to a member. Before the registry is bootstrapped there are none, and the answer
   * is an empty list to anyone: how a network's start-up learns, without an error, that it must
   * still bootstrap.
   */
  @Transaction(false)
  @Returns('Organization[]')
  public async list(ctx: Context): Promise<Organization[]> {
    if (!(await readAsset<RegistryConfig>(ctx, keys.registryConfig()))) return [];
    await resolveCaller(ctx);
    return readAll<Organization>(ctx, ranges.organizations(), 1000);
  }
}

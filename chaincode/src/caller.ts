import type { Context } from 'fabric-contract-api';
import {
  type Actor,
  ChaincodeError,
  isRoleOf,
  type Organization,
  type OrgType,
  type Role,
} from '@careledger/contract';
import { proposalTime } from './proposal-time';
import { keys } from './keys';
import { readAsset } from './ledger/world-state';

/** The authenticated caller: organisation (from the creator), type (from the registry), role and attributes (from the certificate). */
export interface Caller {
  readonly mspId: string;
  readonly orgType: OrgType;
  readonly role: Role;
  readonly id: string;
  readonly patientId?: string;
  readonly deviceId?: string;
}

function attribute(ctx: Context, name: string): string | undefined {
  const value = ctx.clientIdentity.getAttributeValue(name);
  return value === null || value === '' ? undefined : value;
}

/**
 * Who is calling, as far as the ledger can tell. Every transaction starts here, so every
 * proposal whose timestamp is too far from the peer's clock is refused.
 * @throws ChaincodeError STALE_PROPOSAL, ACCESS_DENIED for an organisation missing from the
 *   registry, UNAUTHENTICATED_ROLE for a role its organisation type does not have.
 */
export async function resolveCaller(ctx: Context): Promise<Caller> {
  proposalTime(ctx);
  const mspId = ctx.clientIdentity.getMSPID();
  const org = await readAsset<Organization>(ctx, keys.organization(mspId));
  if (!org)
    throw new ChaincodeError('ACCESS_DENIED', `organisation ${mspId} is not in the organisation registry`);
  const role = attribute(ctx, 'role');
  if (!isRoleOf(org.type, role)) {
    throw new ChaincodeError(
      'UNAUTHENTICATED_ROLE',
      `the certificate's role attribute ${role === undefined ? 'is missing' : `'${role}' is not a role of a ${org.type}`}`,
    );
  }
  return {
    mspId,
    orgType: org.type,
    role,
    id: ctx.clientIdentity.getID(),
    patientId: attribute(ctx, 'patientId'),
    deviceId: attribute(ctx, 'deviceId'),
  };
}

export function actorOf(caller: Caller): Actor {
  return { mspId: caller.mspId, role: caller.role, id: caller.id };
}

/**
 * The transaction's time: the proposal timestamp (identical on every endorser), bounded by the
 * peer's clock. @throws ChaincodeError STALE_PROPOSAL.
 */
export function txTime(ctx: Context): Date {
  return proposalTime(ctx);
}

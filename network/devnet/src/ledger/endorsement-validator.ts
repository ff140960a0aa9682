import { common, peer } from '@hyperledger/fabric-protos';
import type { MspRegistry, VerifiedIdentity } from '@careledger/fabric-toolkit';
import { evaluateSignaturePolicy } from '../policy/policy-evaluator';
import { BlockUpdates } from './block-updates';
import type { CollectionLookup } from './collections/collection-registry';
import type { StateReader } from './state-reader';
import { VALIDATION_PARAMETER, type StateRecord } from './state-record';
import type { EndorsedAction } from './tx-decoder';

import Code = peer.TxValidationCode;

export interface EndorsementContext {
  readonly msp: MspRegistry;
  readonly chaincodePolicies: ReadonlyMap<string, common.SignaturePolicyEnvelope>;
  readonly collections: CollectionLookup;
  readonly reader: StateReader;
  readonly updates: BlockUpdates;
}

/**
 * The endorsers whose signature over (proposal response payload ‖ endorser) verifies, one
 * entry per distinct identity; invalid endorsements are ignored, as Fabric ignores them.
 */
export function verifiedEndorsers(action: EndorsedAction, msp: MspRegistry): VerifiedIdentity[] {
  const seen = new Set<string>();
  const signers: VerifiedIdentity[] = [];
  for (const endorsement of action.endorsements) {
    const endorser = Buffer.from(endorsement.getEndorser_asU8());
    const id = endorser.toString('base64');
    if (seen.has(id)) continue;
    try {
      const identity = msp.validateIdentity(endorser);
      if (
        msp.verify(
          identity,
          Buffer.concat([action.prpBytes, endorser]),
          Buffer.from(endorsement.getSignature_asU8()),
        )
      ) {
        seen.add(id);
        signers.push(identity);
      }
    } catch {
      // An endorser the MSP refuses counts for nothing.
    }
  }
  return signers;
}

/**
 * Fabric's state-based endorsement validation (§4.1 step 4, `policyCheckerV20`): each written
 * key's validation parameter, else its collection's endorsement policy (an explicit collection's
 * `endorsementPolicy`, an implicit collection's owner organisation), else the namespace's
 * chaincode policy, each policy checked once; a write to a collection the namespace does not have
 * fails ("no such collection"); a read-only transaction is checked against the invoked
 * chaincode's policy.
 */
export async function validateEndorsements(action: EndorsedAction, ctx: EndorsementContext): Promise<number> {
  if (!ctx.chaincodePolicies.has(action.chaincodeName)) return Code.INVALID_CHAINCODE;
  const signers = verifiedEndorsers(action, ctx.msp);
  const satisfied = (policy: common.SignaturePolicyEnvelope): boolean =>
    evaluateSignaturePolicy(policy, signers);
  const namespacePolicies = new Set<string>();
  const collectionPolicies = new Map<string, common.SignaturePolicyEnvelope>();
  let checked = false;

  const checkKey = (
    pending: { metadataChanged: boolean; record: StateRecord | undefined } | undefined,
    committed: StateRecord | undefined,
  ): 'fail' | 'checked' | 'fallback' => {
    if (pending?.metadataChanged === true) return 'fail';
    const record = pending !== undefined ? pending.record : committed;
    const vp = record?.metadata.get(VALIDATION_PARAMETER);
    if (vp === undefined) return 'fallback';
    try {
      return satisfied(common.SignaturePolicyEnvelope.deserializeBinary(vp)) ? 'checked' : 'fail';
    } catch {
      return 'fail';
    }
  };

  for (const ns of action.namespaces) {
    const publicKeys = new Set([
      ...ns.kv.getWritesList().map((w) => w.getKey()),
      ...ns.kv.getMetadataWritesList().map((w) => w.getKey()),
    ]);
    const writesPrivately = ns.collections.some(
      (c) => c.hashed.getHashedWritesList().length > 0 || c.hashed.getMetadataWritesList().length > 0,
    );
    if ((publicKeys.size > 0 || writesPrivately) && !ctx.chaincodePolicies.has(ns.namespace)) {
      return Code.INVALID_CHAINCODE;
    }
    for (const key of publicKeys) {
      const pending = BlockUpdates.get(ctx.updates.public, ns.namespace, key);
      const committed = pending === undefined ? await ctx.reader.getState(ns.namespace, key) : undefined;
      const outcome = checkKey(pending, committed);
      if (outcome === 'fail') return Code.ENDORSEMENT_POLICY_FAILURE;
      if (outcome === 'checked') checked = true;
      else namespacePolicies.add(ns.namespace);
    }
    for (const coll of ns.collections) {
      const hashes = new Map<string, Buffer>();
      for (const w of coll.hashed.getHashedWritesList())
        hashes.set(Buffer.from(w.getKeyHash_asU8()).toString('hex'), Buffer.from(w.getKeyHash_asU8()));
      for (const w of coll.hashed.getMetadataWritesList())
        hashes.set(Buffer.from(w.getKeyHash_asU8()).toString('hex'), Buffer.from(w.getKeyHash_asU8()));
      for (const [hex, keyHash] of hashes) {
        const pending = BlockUpdates.get(ctx.updates.hashed, `${ns.namespace}\u0000${coll.name}`, hex);
        const committed =
          pending === undefined ? await ctx.reader.getHashed(ns.namespace, coll.name, keyHash) : undefined;
        const outcome = checkKey(pending, committed);
        if (outcome === 'fail') return Code.ENDORSEMENT_POLICY_FAILURE;
        if (outcome === 'checked') {
          checked = true;
          continue;
        }
        const definition = ctx.collections.collection(ns.namespace, coll.name);
        if (definition === undefined) return Code.ENDORSEMENT_POLICY_FAILURE;
        if (definition.endorsementPolicy === undefined) namespacePolicies.add(ns.namespace);
        else collectionPolicies.set(`${ns.namespace}\u0000${coll.name}`, definition.endorsementPolicy);
      }
    }
  }

  for (const policy of collectionPolicies.values()) {
    if (!satisfied(policy)) return Code.ENDORSEMENT_POLICY_FAILURE;
    checked = true;
  }
  for (const ns of namespacePolicies) {
    const policy = ctx.chaincodePolicies.get(ns);
    if (policy === undefined || !satisfied(policy)) return Code.ENDORSEMENT_POLICY_FAILURE;
    checked = true;
  }
  if (!checked) {
    const policy = ctx.chaincodePolicies.get(action.chaincodeName);
    if (policy === undefined || !satisfied(policy)) return Code.ENDORSEMENT_POLICY_FAILURE;
  }
  return Code.VALID;
}

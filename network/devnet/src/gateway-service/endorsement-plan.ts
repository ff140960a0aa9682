import { common, ledger as ledgerProtos } from '@hyperledger/fabric-protos';
import type { Ledger } from '../ledger/ledger';
import { implicitCollectionOwner } from '../ledger/implicit-collections';
import type { VerifiedIdentity } from '@careledger/fabric-toolkit';
import { orgEndorsementPolicy } from '../policy/chaincode-policy';
import { evaluateSignaturePolicy } from '../policy/policy-evaluator';

import rwsetProtos = ledgerProtos.rwset;
import kvrwset = ledgerProtos.rwset.kvrwset;

/** What a simulated transaction needs at validation (the devnet's stand-in for ChaincodeInterest). */
export interface EndorsementNeeds {
  /** Distinct policies the committer will check, keyed by their serialized bytes. */
  readonly policies: ReadonlyMap<string, common.SignaturePolicyEnvelope>;
  /** Private data collections the transaction read or wrote. */
  readonly collections: readonly string[];
}

/**
 * The policies the committer applies to this read-write set (the same rule as the ledger's
 * validator): per written key, public or private, its committed VALIDATION_PARAMETER; else, for
 * a private key of an implicit collection, its owner's `OR('<MSP>.peer')`; else the namespace's
 * chaincode policy; a transaction that writes nothing, the invoked chaincode's policy.
 */
export async function endorsementNeeds(
  rwsetBytes: Buffer,
  invokedChaincode: string,
  ledger: Pick<Ledger, 'validationParameter'>,
  chaincodePolicy: (name: string) => common.SignaturePolicyEnvelope | undefined,
): Promise<EndorsementNeeds> {
  const policies = new Map<string, common.SignaturePolicyEnvelope>();
  const collections = new Set<string>();
  const add = (policy: common.SignaturePolicyEnvelope | undefined): void => {
    if (policy === undefined) return;
    policies.set(Buffer.from(policy.serializeBinary()).toString('base64'), policy);
  };
  const addKeyPolicy = (parameter: Buffer | undefined, fallback: () => void): void => {
    if (parameter === undefined) fallback();
    else add(common.SignaturePolicyEnvelope.deserializeBinary(parameter));
  };
  const rwset = rwsetProtos.TxReadWriteSet.deserializeBinary(rwsetBytes);
  let wrote = false;
  for (const ns of rwset.getNsRwsetList()) {
    const namespace = ns.getNamespace();
    const kv = kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
    const keys = new Set([
      ...kv.getWritesList().map((w) => w.getKey()),
      ...kv.getMetadataWritesList().map((w) => w.getKey()),
    ]);
    let needsChaincodePolicy = false;
    for (const key of keys) {
      wrote = true;
      addKeyPolicy(await ledger.validationParameter(namespace, key), () => {
        needsChaincodePolicy = true;
      });
    }
    for (const collection of ns.getCollectionHashedRwsetList()) {
      const name = collection.getCollectionName();
      collections.add(name);
      const hashed = kvrwset.HashedRWSet.deserializeBinary(collection.getHashedRwset_asU8());
      const keyHashes = new Map<string, Buffer>();
      for (const w of [...hashed.getHashedWritesList(), ...hashed.getMetadataWritesList()]) {
        const keyHash = Buffer.from(w.getKeyHash_asU8());
        keyHashes.set(keyHash.toString('hex'), keyHash);
      }
      const owner = implicitCollectionOwner(name);
      for (const keyHash of keyHashes.values()) {
        wrote = true;
        addKeyPolicy(await ledger.validationParameter(namespace, { collection: name, keyHash }), () => {
          if (owner !== undefined) add(orgEndorsementPolicy(owner));
          else needsChaincodePolicy = true;
        });
      }
    }
    if (needsChaincodePolicy) add(chaincodePolicy(namespace));
  }
  if (!wrote) add(chaincodePolicy(invokedChaincode));
  return { policies, collections: [...collections].sort() };
}

/** A peer as the planner sees it: its organisation and verified peer identity. */
export interface PlannedPeer {
  readonly mspId: string;
  readonly verified: VerifiedIdentity;
}

/**
 * The smallest set of peers whose endorsements satisfy every policy, preferring sets that
 * include `preferred` (the gateway's own organisation, which has already endorsed), then
 * the configured organisation order; only peers of `allowed` organisations when given.
 * Undefined if no such set exists. At most a handful of organisations, so every subset is tried.
 */
export function choosePeers<P extends PlannedPeer>(
  peers: readonly P[],
  policies: Iterable<common.SignaturePolicyEnvelope>,
  preferred: string,
  allowed?: ReadonlySet<string>,
): P[] | undefined {
  const list = [...policies];
  let best: { peers: P[]; score: number } | undefined;
  for (let mask = 1; mask < 1 << peers.length; mask += 1) {
    const chosen = peers.filter((p, i) => (mask & (1 << i)) !== 0);
    if (allowed !== undefined && chosen.some((p) => !allowed.has(p.mspId))) continue;
    const signers = chosen.map((p) => p.verified);
    if (!list.every((policy) => evaluateSignaturePolicy(policy, signers))) continue;
    const score = chosen.length * 2 + (chosen.some((p) => p.mspId === preferred) ? 0 : 1);
    if (best === undefined || score < best.score) best = { peers: chosen, score };
  }
  return best?.peers;
}

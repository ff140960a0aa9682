import { common, ledger as ledgerProtos } from '@hyperledger/fabric-protos';
import type { Ledger } from '../ledger/ledger';
import type { VerifiedIdentity } from '@careledger/fabric-toolkit';
import { evaluateSignaturePolicy, satisfiesPrincipal } from '../policy/policy-evaluator';

import rwsetProtos = ledgerProtos.rwset;
import kvrwset = ledgerProtos.rwset.kvrwset;

/** A collection of the transaction's ChaincodeInterest. */
export interface CollectionInterest {
  readonly namespace: string;
  readonly collection: string;
  /** Its values were read (not only hashes): only its members can endorse. */
  readonly privateRead: boolean;
}

/** What a simulated transaction needs at validation (the devnet's stand-in for ChaincodeInterest). */
export interface EndorsementNeeds {
  /** Distinct policies the endorsers must satisfy, keyed by their serialized bytes. */
  readonly policies: ReadonlyMap<string, common.SignaturePolicyEnvelope>;
  /**
   * The collections the endorser's interest names: written without a key-level policy, or read
   * privately (Fabric's `buildChaincodeInterest`).
   */
  readonly collections: readonly CollectionInterest[];
}

/**
 * The policies Fabric's gateway asks discovery to satisfy for this read-write set (the endorser's
 * ChaincodeInterest, resolved as `PoliciesByChaincode` resolves it): per written key, public or
 * private, its committed VALIDATION_PARAMETER; else, for a private key, its collection's
 * endorsement policy (an implicit collection's: its owner's `OR('<MSP>.peer')`), else the
 * namespace's chaincode policy; the same for each collection whose values were read; a namespace
 * read but not written, its chaincode policy; a transaction that touched nothing, the invoked
 * chaincode's policy.
 */
export async function endorsementNeeds(
  rwsetBytes: Buffer,
  invokedChaincode: string,
  ledger: Pick<Ledger, 'validationParameter' | 'collection'>,
  chaincodePolicy: (name: string) => common.SignaturePolicyEnvelope | undefined,
  privateReads: ReadonlySet<string> = new Set(),
): Promise<EndorsementNeeds> {
  const policies = new Map<string, common.SignaturePolicyEnvelope>();
  const collections = new Map<string, CollectionInterest>();
  const add = (policy: common.SignaturePolicyEnvelope | undefined): void => {
    if (policy === undefined) return;
    policies.set(Buffer.from(policy.serializeBinary()).toString('base64'), policy);
  };
  const collectionPolicy = (namespace: string, collection: string, privateRead: boolean): void => {
    const key = `${namespace}\u0000${collection}`;
    const known = collections.get(key);
    collections.set(key, {
      namespace,
      collection,
      privateRead: privateRead || (known?.privateRead ?? false),
    });
    add(ledger.collection(namespace, collection)?.endorsementPolicy ?? chaincodePolicy(namespace));
  };
  const rwset = rwsetProtos.TxReadWriteSet.deserializeBinary(rwsetBytes);
  for (const ns of rwset.getNsRwsetList()) {
    const namespace = ns.getNamespace();
    const kv = kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
    const keys = new Set([
      ...kv.getWritesList().map((w) => w.getKey()),
      ...kv.getMetadataWritesList().map((w) => w.getKey()),
    ]);
    let wrote = keys.size > 0;
    for (const key of keys) {
      const parameter = await ledger.validationParameter(namespace, key);
      add(parameter === undefined ? chaincodePolicy(namespace) : policyOf(parameter));
    }
    for (const collection of ns.getCollectionHashedRwsetList()) {
      const name = collection.getCollectionName();
      const hashed = kvrwset.HashedRWSet.deserializeBinary(collection.getHashedRwset_asU8());
      const keyHashes = new Map<string, Buffer>();
      for (const w of [...hashed.getHashedWritesList(), ...hashed.getMetadataWritesList()]) {
        const keyHash = Buffer.from(w.getKeyHash_asU8());
        keyHashes.set(keyHash.toString('hex'), keyHash);
      }
      for (const keyHash of keyHashes.values()) {
        wrote = true;
        const parameter = await ledger.validationParameter(namespace, { collection: name, keyHash });
        if (parameter === undefined) collectionPolicy(namespace, name, false);
        else add(policyOf(parameter));
      }
    }
    if (!wrote) add(chaincodePolicy(namespace));
  }
  for (const key of privateReads) {
    const [namespace = '', collection = ''] = key.split('\u0000');
    collectionPolicy(namespace, collection, true);
  }
  if (policies.size === 0) add(chaincodePolicy(invokedChaincode));
  return { policies, collections: [...collections.values()] };
}

function policyOf(parameter: Buffer): common.SignaturePolicyEnvelope {
  return common.SignaturePolicyEnvelope.deserializeBinary(parameter);
}

/**
 * The organisations whose peers may endorse for the collections given (discovery's filter: a
 * peer must satisfy a principal of each collection's member policy); undefined = no filter.
 */
export function collectionMembers(
  peers: readonly PlannedPeer[],
  ledger: Pick<Ledger, 'collection'>,
  collections: readonly CollectionInterest[],
): Set<string> | undefined {
  if (collections.length === 0) return undefined;
  return new Set(
    peers
      .filter((p) =>
        collections.every((c) => {
          const principals =
            ledger.collection(c.namespace, c.collection)?.memberPolicy.getIdentitiesList() ?? [];
          return principals.some((principal) => satisfiesPrincipal(p.verified, principal));
        }),
      )
      .map((p) => p.mspId),
  );
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

import type { VerifiedIdentity } from '@careledger/fabric-toolkit';
import { evaluateSignaturePolicy } from '../../policy/policy-evaluator';
import { implicitCollectionOwner } from '../implicit-collections';
import type { CollectionDefinition } from './collection-definition';
import type { CollectionLookup } from './collection-registry';

export interface CollectionAccessContext {
  readonly channelId: string;
  readonly collections: CollectionLookup;
  /**
   * The proposal's creator, for the member-only checks; undefined when it is not valid (then it is
   * no member). Without the function nothing is checked (in-process simulations).
   */
  readonly creator: (() => VerifiedIdentity | undefined) | undefined;
  /** The simulating peer's organisation; undefined = a peer that holds every collection. */
  readonly endorserMspId: string | undefined;
}

/** `namespace\0collection` */
export type CollectionKey = string;

/**
 * The collection checks of one simulation, in Fabric's two places: the chaincode handler's
 * read/write permission (`errorIfCreatorHasNo{Read,Write}Permission` with the collection store's
 * `RetrieveReadWritePermission`, handler.go), and the simulator's `validateCollName`
 * (collection_val.go). Also notes the collections whose values were read (the simulator's
 * `PrivateReads`, which the gateway's endorser choice uses).
 */
export class CollectionAccess {
  readonly #ctx: CollectionAccessContext;
  readonly #permissions = new Map<CollectionKey, { read: boolean; write: boolean }>();
  readonly #privateReads = new Set<CollectionKey>();

  constructor(ctx: CollectionAccessContext) {
    this.#ctx = ctx;
  }

  /** GET_STATE (and metadata, range) with a collection: the read permission, then the name. */
  forRead(namespace: string, collection: string): CollectionDefinition {
    if (!this.#permission(namespace, collection).read) {
      throw new Error(
        `tx creator does not have read access permission on privatedata in chaincodeName:${namespace} collectionName: ${collection}`,
      );
    }
    return this.defined(namespace, collection);
  }

  /** PUT_STATE, DEL_STATE, PUT_STATE_METADATA, PURGE_PRIVATE_DATA with a collection. */
  forWrite(namespace: string, collection: string): CollectionDefinition {
    if (!this.#permission(namespace, collection).write) {
      throw new Error(
        `tx creator does not have write access permission on privatedata in chaincodeName:${namespace} collectionName: ${collection}`,
      );
    }
    return this.defined(namespace, collection);
  }

  /** The simulator's check alone (GET_PRIVATE_DATA_HASH, which checks no permission). */
  defined(namespace: string, collection: string): CollectionDefinition {
    const definition = this.#ctx.collections.collection(namespace, collection);
    if (definition === undefined) {
      throw new Error(
        `collection [${collection}] not defined in the collection config for chaincode [${namespace}]`,
      );
    }
    return definition;
  }

  /** Whether the simulating peer holds the collection's private values (its organisation is a member). */
  holds(definition: CollectionDefinition): boolean {
    const endorser = this.#ctx.endorserMspId;
    return endorser === undefined || definition.memberOrgs.has(endorser);
  }

  notePrivateRead(namespace: string, collection: string): void {
    this.#privateReads.add(`${namespace}\u0000${collection}`);
  }

  privateReads(): ReadonlySet<CollectionKey> {
    return this.#privateReads;
  }

  #permission(namespace: string, collection: string): { read: boolean; write: boolean } {
    const key = `${namespace}\u0000${collection}`;
    let permission = this.#permissions.get(key);
    if (permission === undefined) {
      permission = this.#retrieve(namespace, collection);
      this.#permissions.set(key, permission);
    }
    return permission;
  }

  /** `RetrieveReadWritePermission`: an undefined collection is `NoSuchCollectionError`. */
  #retrieve(namespace: string, collection: string): { read: boolean; write: boolean } {
    const definition = this.#ctx.collections.collection(namespace, collection);
    if (definition === undefined) {
      // The collection store sets up an implicit collection for any MSP ID; the simulator's
      // name check refuses one of an organisation not on the channel.
      if (implicitCollectionOwner(collection) !== undefined) return { read: true, write: true };
      throw new Error(`collection ${this.#ctx.channelId}/${namespace}/${collection} could not be found`);
    }
    if (this.#ctx.creator === undefined) return { read: true, write: true };
    if (!definition.memberOnlyRead && !definition.memberOnlyWrite) return { read: true, write: true };
    const creator = this.#ctx.creator();
    if (creator !== undefined && evaluateSignaturePolicy(definition.memberPolicy, [creator])) {
      return { read: true, write: true };
    }
    return { read: !definition.memberOnlyRead, write: !definition.memberOnlyWrite };
  }
}

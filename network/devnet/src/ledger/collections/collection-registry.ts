import type { CollectionConfigInput } from '../../network-config/collection-config';
import { implicitCollectionOwner } from '../implicit-collections';
import { compileCollections, implicitCollection, type CollectionDefinition } from './collection-definition';

/** What simulation, validation, endorser choice and delivery ask about collections. */
export interface CollectionLookup {
  /**
   * A collection the namespace has (Fabric's `AllCollectionsConfigPkg`): one of its chaincode
   * definition's explicit collections, or the implicit collection of an organisation of the channel.
   */
  collection(namespace: string, name: string): CollectionDefinition | undefined;
}

/**
 * The collections of the channel's chaincode definitions, plus each organisation's implicit one
 * (valid for every chaincode).
 */
export class CollectionRegistry implements CollectionLookup {
  readonly #explicit = new Map<string, ReadonlyMap<string, CollectionDefinition>>();
  readonly #implicit: ReadonlyMap<string, CollectionDefinition>;

  /**
   * @param chaincodes each chaincode's collection configs, checked here.
   * @throws CollectionConfigError for a config the network cannot serve.
   */
  constructor(
    orgs: readonly string[],
    chaincodes: readonly { readonly name: string; readonly collections?: readonly CollectionConfigInput[] }[],
  ) {
    this.#implicit = new Map(orgs.map((org) => [org, implicitCollection(org)]));
    for (const cc of chaincodes)
      this.#explicit.set(cc.name, compileCollections(cc.name, cc.collections ?? [], orgs));
  }

  collection(namespace: string, name: string): CollectionDefinition | undefined {
    const owner = implicitCollectionOwner(name);
    if (owner !== undefined) return this.#implicit.get(owner);
    return this.#explicit.get(namespace)?.get(name);
  }

  /** A namespace's explicit collections, in definition order. */
  explicit(namespace: string): readonly CollectionDefinition[] {
    return [...(this.#explicit.get(namespace)?.values() ?? [])];
  }
}

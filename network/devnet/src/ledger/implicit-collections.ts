const PREFIX = '_implicit_org_';

/** `_implicit_org_<MSPID>` */
export function implicitCollectionName(mspId: string): string {
  return PREFIX + mspId;
}

/** The MSP ID an implicit collection belongs to, or undefined if the name is not implicit. */
export function implicitCollectionOwner(collection: string): string | undefined {
  return collection.startsWith(PREFIX) ? collection.slice(PREFIX.length) : undefined;
}

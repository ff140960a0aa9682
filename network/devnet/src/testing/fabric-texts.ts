/**
 * How a Fabric peer answers a read of a private value it does not hold while the ledger has its
 * hash (another organisation's implicit collection); the full text goes on with both versions.
 */
export const PRIVATE_DATA_NOT_AVAILABLE = 'private data matching public hash version is not available';

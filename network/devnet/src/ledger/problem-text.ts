import { peer } from '@hyperledger/fabric-protos';
import { sha256 } from './key-order';
import type { Version } from './state-record';

import Code = peer.TxValidationCode;

/** A validation code by its name and number: `MVCC_READ_CONFLICT (11)`. */
export function codeName(code: number): string {
  const name = Object.entries(Code).find(([, value]) => value === code)?.[0];
  return name === undefined ? `code ${code}` : `${name} (${code})`;
}

export function versionText(v: Version): string {
  return `block ${v.blockNum} tx ${v.txNum}`;
}

/** A value named without showing it (state may be confidential): its length and hash prefix. */
export function valueText(value: Buffer): string {
  return `${value.length} bytes, sha256 ${sha256(value).toString('hex').slice(0, 12)}…`;
}

/** Metadata entries by name, their values named as `valueText` names them. */
export function metadataText(metadata: ReadonlyMap<string, Buffer>): string {
  return `[${[...metadata].map(([name, value]) => `${name}: ${valueText(value)}`).join(', ')}]`;
}

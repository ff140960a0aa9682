import { createHash } from 'node:crypto';

/** The implicit private data collection of an organisation (its peers alone hold the values). */
export function implicitCollection(mspId: string): string {
  return `_implicit_org_${mspId}`;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

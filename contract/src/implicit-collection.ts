/** The implicit private data collection of an organisation (its peers alone hold the values). */
export function implicitCollection(mspId: string): string {
  return `_implicit_org_${mspId}`;
}

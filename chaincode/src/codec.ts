/**
 * The one deterministic codec of the chaincode: every endorser must produce the same bytes
 * for the same value, so object keys are written in sorted order.
 */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(source).sort()) {
      const field = source[key];
      if (field !== undefined) sorted[key] = sortKeys(field);
    }
    return sorted;
  }
  return value;
}

export function marshal(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(sortKeys(value)), 'utf8');
}

export function marshalString(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

export function unmarshal<T>(bytes: Uint8Array): T {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}

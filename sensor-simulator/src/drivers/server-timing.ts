/**
 * Parses a `Server-Timing` header (W3C Server Timing) into ms per phase, e.g.
 * `endorse;dur=12.5, submit;dur=3, commit;dur=41` → `{ endorse: 12.5, submit: 3, commit: 41 }`.
 * Entries without a numeric `dur` are skipped.
 */
export function parseServerTiming(header: string | string[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const entry of text.split(',')) {
    const [name, ...params] = entry.split(';').map((s) => s.trim());
    if (!name) continue;
    for (const param of params) {
      const [key, value] = param.split('=').map((s) => s.trim());
      const ms = Number(value?.replace(/^"|"$/g, ''));
      if (key?.toLowerCase() === 'dur' && value !== undefined && value !== '' && Number.isFinite(ms))
        out[name] = ms;
    }
  }
  return out;
}

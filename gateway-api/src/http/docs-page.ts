type JsonObject = Record<string, unknown>;

interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
  requestBody?: { content?: { 'application/json'?: { schema?: unknown } } };
  responses?: Record<string, { description?: string }>;
  'x-careledger-transaction'?: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pretty = (value: unknown) => escape(JSON.stringify(value, null, 2));

function renderOperation(path: string, method: string, op: Operation): string {
  const params = (op.parameters ?? [])
    .map(
      (p) =>
        `<li><code>${escape(p.name)}</code> (${escape(p.in)}${p.required ? ', required' : ''}) <code>${escape(JSON.stringify(p.schema ?? {}))}</code></li>`,
    )
    .join('');
  const body = op.requestBody?.content?.['application/json']?.schema;
  const responses = Object.entries(op.responses ?? {})
    .map(([code, r]) => `<code>${escape(code)}</code> ${escape(r.description ?? '')}`)
    .join('; ');
  return `<details><summary><code class="m ${method}">${method.toUpperCase()}</code> <code>${escape(path)}</code> — ${escape(op.summary ?? '')}</summary>
${op['x-careledger-transaction'] ? `<p>Transaction <code>${escape(op['x-careledger-transaction'])}</code></p>` : ''}
${params ? `<p>Parameters</p><ul>${params}</ul>` : ''}
${body ? `<p>Request body (application/json)</p><pre>${pretty(body)}</pre>` : ''}
<p>Responses: ${responses}</p></details>`;
}

/**
 * A self-contained page rendering the OpenAPI document: operations grouped by tag, each with
 * its parameters, request schema and responses. No scripts and no external assets, so it works
 * offline and under a strict Content-Security-Policy.
 */
export function renderDocsPage(doc: JsonObject): string {
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags?.[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), renderOperation(path, method, op)]);
    }
  }
  const sections = [...byTag]
    .map(([tag, ops]) => `<section><h2>${escape(tag)}</h2>${ops.join('\n')}</section>`)
    .join('\n');
  const errors = (doc.components as { schemas: { Error: unknown } }).schemas.Error;
  const info = doc.info as { title: string; version: string; description: string };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(info.title)}</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem}summary{cursor:pointer;padding:.3rem 0}details{border-bottom:1px solid #ddd}pre{background:#f6f6f6;padding:.6rem;overflow:auto;font-size:12px}code{font-size:13px}.m{display:inline-block;width:4.2rem;font-weight:bold}.get{color:#06c}.post{color:#080}.put{color:#a60}.delete{color:#c00}</style></head>
<body><h1>${escape(info.title)} <small>${escape(info.version)}</small></h1><p>${escape(info.description)}</p>
<p>The machine-readable document is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Authenticate with <code>X-API-Key: clk_…</code> (or <code>Authorization: Bearer</code>). Errors have one shape:</p><pre>${pretty(errors)}</pre>
${sections}</body></html>`;
}

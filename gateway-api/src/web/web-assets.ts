import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

/** The ward dashboard's files, ready to serve: each its body and content type. */
export interface WebAssets {
  readonly files: ReadonlyMap<string, { readonly body: string; readonly type: string }>;
}

const clientDir = join(__dirname, 'client');

/**
 * Builds the dashboard: `client/main.ts` bundled with esbuild (one ES module, minified, no
 * source map, browser target; `@careledger/contract` taken from its TypeScript source through
 * the client's tsconfig paths, so the page scores NEWS2 with the very function the gateway
 * uses), with its HTML, stylesheet and icon. No file comes from anywhere else, so the page
 * works offline under a CSP of `'self'` only.
 * @throws whatever esbuild reports if the front end does not compile.
 */
export async function buildWebAssets(): Promise<WebAssets> {
  const bundle = await build({
    entryPoints: [join(clientDir, 'main.ts')],
    tsconfig: join(clientDir, 'tsconfig.json'),
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    // The contract's Node-only modules (sealing, signatures) are left out by tree shaking (its
    // package.json: no side effects outside assets/); one the page did use would stay an import.
    external: ['node:*'],
    metafile: true,
  });
  const nodeImports = Object.values(bundle.metafile.outputs).flatMap((o) =>
    o.imports.filter((i) => i.external).map((i) => i.path),
  );
  if (nodeImports.length > 0) {
    throw new Error(`the web front end would import Node modules in the browser: ${nodeImports.join(', ')}`);
  }
  const js = bundle.outputFiles[0]?.text ?? '';
  const [html, css, icon, chartCss] = await Promise.all([
    ...['index.html', 'app.css', 'favicon.svg'].map((f) => readFile(join(clientDir, f), 'utf8')),
    // uPlot's own stylesheet (legend, cursor), served in the page's one stylesheet.
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  ]);
  return {
    files: new Map([
      ['/', { body: html ?? '', type: 'text/html; charset=utf-8' }],
      ['/app.js', { body: js, type: 'text/javascript; charset=utf-8' }],
      ['/app.css', { body: `${chartCss ?? ''}\n${css ?? ''}`, type: 'text/css; charset=utf-8' }],
      ['/favicon.svg', { body: icon ?? '', type: 'image/svg+xml' }],
    ]),
  };
}

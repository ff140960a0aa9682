import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Middleware } from 'koa';
import { ApiError } from '../errors/error-catalog';

const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2 };

/**
 * `256kb`, `1mb`, `512b` or a plain byte count, as bytes.
 * @throws Error for anything else.
 */
export function parseByteSize(text: string): number {
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(text.trim());
  if (!match?.[1]) throw new Error(`'${text}' is not a size (e.g. 256kb, 1mb)`);
  return Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1);
}

const decoders: Record<string, (() => NodeJS.ReadWriteStream) | undefined> = {
  identity: undefined,
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

const invalid = (message: string, reason: string) =>
  new ApiError('INVALID_ARGUMENT', `invalid request body: ${message}`, { details: { reason } });

/** The body, decompressed as its Content-Encoding says, refused past `limit` bytes (decompressed). */
async function readBody(req: Readable, encoding: string, limit: number): Promise<Buffer> {
  if (!(encoding in decoders)) {
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Encoding ${encoding} is not supported (gzip, deflate, br)`,
    );
  }
  const make = decoders[encoding];
  const source: Readable = make ? req.pipe(make() as unknown as NodeJS.WritableStream & Readable) : req;
  if (make) req.on('error', (err) => source.destroy(err));
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        req.resume(); // drain what is left, so that the answer can be sent
        throw new ApiError('PAYLOAD_TOO_LARGE', `the body exceeds ${limit} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (/^(Z_|ERR_BROTLI|ERR__ERROR_FORMAT|ERR_ZLIB)/.test(code)) {
      throw invalid('it is not valid data of its Content-Encoding', 'content-encoding');
    }
    throw err;
  }
  return Buffer.concat(chunks);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Parses a JSON request body strictly: decompressed as its Content-Encoding says (gzip, deflate,
 * br; another is 415), at most `limit` bytes once decompressed (413), valid UTF-8 — never
 * repaired with replacement characters (400, `details.reason: "utf-8"`) — and a JSON object or
 * array (400). Sets `ctx.request.body` (`{}` for an empty body) on POST, PUT and PATCH.
 */
export function jsonBody(limit: string): Middleware {
  const maxBytes = parseByteSize(limit);
  return async (ctx, next) => {
    if (!['POST', 'PUT', 'PATCH'].includes(ctx.method)) {
      await next();
      return;
    }
    const encoding = (ctx.get('content-encoding') || 'identity').trim().toLowerCase();
    const bytes = await readBody(ctx.req, encoding, maxBytes);
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      throw invalid('it is not valid UTF-8', 'utf-8');
    }
    if (text.trim() === '') {
      (ctx.request as { body?: unknown }).body = {};
      await next();
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw invalid((err as Error).message, 'json');
    }
    if (parsed === null || typeof parsed !== 'object')
      throw invalid('it must be a JSON object or array', 'json');
    (ctx.request as { body?: unknown }).body = parsed;
    await next();
  };
}

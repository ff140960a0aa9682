import { PassThrough } from 'node:stream';

/** A writable stream that keeps what was written, standing in for stdout / stderr. */
export function captureStream(): NodeJS.WriteStream & { text(): string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return Object.assign(stream as unknown as NodeJS.WriteStream, { text: () => text, isTTY: false });
}

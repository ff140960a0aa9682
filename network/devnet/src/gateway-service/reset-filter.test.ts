import { PassThrough } from 'node:stream';
import { newResetFilter } from './reset-filter';

const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId, 5);
  return Buffer.concat([head, payload]);
}
const settings = frame(0x4, 0, 0, Buffer.alloc(6));
const headers = frame(0x1, 0x4, 1, Buffer.from('header block'));
const data = frame(0x0, 0x1, 1, Buffer.alloc(300, 7));
const code = (n: number): Buffer => Buffer.from([0, 0, 0, n]);
const resetNoError = frame(0x3, 0, 1, code(0));
const resetCancel = frame(0x3, 0, 3, code(8));
// A frame of another type whose payload looks like an RST_STREAM's.
const windowUpdate = frame(0x8, 0, 1, code(0));

/** What the server side reads when the client sends `input` in chunks of `size` bytes. */
async function serverReads(input: Buffer, size: number): Promise<Buffer> {
  const socket = new PassThrough();
  const filter = newResetFilter(socket);
  const read: Buffer[] = [];
  filter.on('data', (chunk: Buffer) => read.push(chunk));
  const ended = new Promise((resolve) => filter.on('end', resolve));
  for (let at = 0; at < input.length; at += size) socket.write(input.subarray(at, at + size));
  socket.end();
  await ended;
  return Buffer.concat(read);
}

describe('newResetFilter', () => {
  const input = Buffer.concat([preface, settings, headers, data, resetNoError, windowUpdate, resetCancel]);
  const expected = Buffer.concat([preface, settings, headers, data, windowUpdate, resetCancel]);

  it.each([1, 5, 9, 13, 64, input.length])(
    'drops only RST_STREAM NO_ERROR from the client, in chunks of %i bytes',
    async (size) => {
      expect((await serverReads(input, size)).equals(expected)).toBe(true);
    },
  );

  it("passes the server's bytes to the client unchanged, resets included", async () => {
    // The client's socket as a loop: what the filter writes to it comes out of its readable side.
    const socket = new PassThrough();
    const sent: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => sent.push(chunk));
    const filter = newResetFilter(socket);
    const written = Buffer.concat([settings, resetNoError, data]);
    filter.end(written);
    await new Promise((resolve) => socket.on('end', resolve));
    expect(Buffer.concat(sent).equals(written)).toBe(true);
  });

  it('destroys the socket with the connection', () => {
    const socket = new PassThrough();
    newResetFilter(socket).destroy();
    expect(socket.destroyed).toBe(true);
  });
});

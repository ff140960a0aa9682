import { createHash } from 'node:crypto';
import { blockDataHash, blockHeaderHash } from './block-hash';

const sha = (hex: string) =>
  createHash('sha256')
    .update(Buffer.from(hex.replace(/\s/g, ''), 'hex'))
    .digest();

describe('blockHeaderHash', () => {
  it('hashes the DER SEQUENCE of number and two empty hashes for the genesis block', () => {
    expect(blockHeaderHash(0n, Buffer.alloc(0), Buffer.alloc(0))).toEqual(sha('30 07 02 01 00 04 00 04 00'));
  });

  it('encodes 128 as a minimal two’s-complement integer with a leading zero', () => {
    expect(blockHeaderHash(128n, Buffer.alloc(0), Buffer.alloc(0))).toEqual(
      sha('30 08 02 02 00 80 04 00 04 00'),
    );
  });

  it('writes block 1 with two 32-byte hashes as 30 47 02 01 01 04 20 … 04 20 …', () => {
    const prev = Buffer.alloc(32, 0xaa);
    const data = Buffer.alloc(32, 0xbb);
    expect(blockHeaderHash(1n, prev, data)).toEqual(
      sha(`3047020101 0420${prev.toString('hex')} 0420${data.toString('hex')}`),
    );
  });

  it('uses the long length form from 128 content bytes', () => {
    const prev = Buffer.alloc(64, 1);
    const data = Buffer.alloc(64, 2);
    expect(blockHeaderHash(2n, prev, data)).toEqual(
      sha(`308187 020102 0440${prev.toString('hex')} 0440${data.toString('hex')}`),
    );
  });
});

describe('blockDataHash', () => {
  it('hashes the plain concatenation of the envelopes', () => {
    expect(blockDataHash([Buffer.from('ab', 'hex'), Buffer.from('cd', 'hex')])).toEqual(sha('abcd'));
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { isSealedAnswer, openAnswer, sealAnswer } from './sealed-answer';

describe('sealed answers', () => {
  const caller = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const answer = { name: 'Ada Example', readings: [72, 135] };

  it('opens with the caller key only, and never shows the answer', () => {
    const sealed = sealAnswer(answer, caller.publicKey.export({ type: 'spki', format: 'pem' }));
    expect(isSealedAnswer(sealed)).toBe(true);
    expect(JSON.stringify(sealed)).not.toMatch(/Ada|135/);
    expect(openAnswer(sealed, caller.privateKey)).toEqual(answer);
    expect(() => openAnswer(sealed, other.privateKey)).toThrow();
  });

  it('seals the same answer differently every time (a fresh ephemeral key and IV)', () => {
    const a = sealAnswer(answer, caller.publicKey);
    const b = sealAnswer(answer, caller.publicKey);
    expect(a.epk).not.toBe(b.epk);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('detects an altered ciphertext', () => {
    const sealed = sealAnswer(answer, caller.publicKey);
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    expect(() =>
      openAnswer({ ...sealed, ciphertext: bytes.toString('base64') }, caller.privateKey),
    ).toThrow();
  });

  it('refuses a key that is not an EC key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => sealAnswer(answer, rsa.publicKey)).toThrow('does not hold an EC key');
  });

  it('tells sealed answers from plain ones', () => {
    expect(isSealedAnswer(answer)).toBe(false);
    expect(isSealedAnswer({ sealed: 'ECDH-ES+A256GCM', epk: 1 })).toBe(false);
    expect(isSealedAnswer(null)).toBe(false);
  });
});

import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { signers } from '@hyperledger/fabric-gateway';
import { isLowS } from './low-s-signature';
import { nativeGatewaySigning } from './native-gateway-signing';

describe('nativeGatewaySigning', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKey = createPublicKey(privateKey);
  const message = Buffer.from('a proposal, a transaction or a commit status request');

  it('passes the whole message to a signer whose low-S signature verifies over SHA-256 of it', async () => {
    const { signer, hash } = nativeGatewaySigning(privateKey);
    expect(Buffer.from(hash(message))).toEqual(message);
    for (let i = 0; i < 50; i += 1) {
      const signature = Buffer.from(await signer(hash(message)));
      expect(isLowS(signature)).toBe(true);
      expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
      expect(verify('sha256', Buffer.from('another message'), publicKey, signature)).toBe(false);
    }
  });

  it('signs what the client library’s own signer signs (ECDSA over SHA-256 of the message)', async () => {
    const { sha256 } = await import('@hyperledger/fabric-gateway').then((m) => m.hash);
    const reference = Buffer.from(await signers.newPrivateKeySigner(privateKey)(sha256(message)));
    expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, reference)).toBe(true);
  });

  it('refuses a public key', () => {
    expect(() => nativeGatewaySigning(publicKey)).toThrow('a private key is needed to sign');
  });
});

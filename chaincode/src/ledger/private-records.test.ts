import { implicitCollection } from '@careledger/contract';
import { unmarshal } from '../codec';
import { demoCallers, TestNetwork } from '../testing/test-network';
import { putPrivate, readPrivate } from './private-records';

const A = 'HospitalAMSP';

describe('putPrivate', () => {
  it('salts every record with 16 fresh random bytes, none twice, and reads it back without the salt', async () => {
    const net = new TestNetwork();
    const count = 600; // more than two pools of salts
    await net.submit(demoCallers.nurseA, async (ctx) => {
      for (let i = 0; i < count; i++) await putPrivate(ctx, A, `k${i}`, { n: i });
    });
    const stored = [...(net.ledger.privateData.get(implicitCollection(A))?.values() ?? [])].map((v) =>
      unmarshal<{ n: number; salt: string }>(v),
    );
    expect(stored).toHaveLength(count);
    const salts = stored.map((r) => r.salt);
    expect(new Set(salts).size).toBe(count);
    for (const salt of salts) expect(Buffer.from(salt, 'base64')).toHaveLength(16);
    const { result } = await net.evaluate(demoCallers.nurseA, (ctx) => readPrivate(ctx, A, 'k7'));
    expect(result).toEqual({ n: 7 });
  });
});

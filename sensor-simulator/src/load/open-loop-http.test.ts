import { VirtualDevice } from '../device/virtual-device';
import { newRestDriver } from '../drivers/rest-driver';
import { startFakeGateway } from '../testing/fake-gateway';
import { systemClock } from './clock';
import { runOpenLoop } from './open-loop';

describe('runOpenLoop over HTTP in real time', () => {
  it('shows a 400 ms server stall as latency of the requests scheduled during it', async () => {
    let t0 = 0;
    // Requests arriving between 300 and 700 ms are held until 700 ms, like a server that stalls.
    const gw = await startFakeGateway(() => {
      const now = Date.now() - t0;
      return { status: 201, delayMs: now >= 300 && now < 700 ? 700 - now : 0 };
    });
    const driver = newRestDriver({ url: gw.url, apiKeys: ['k'] });
    const device = new VirtualDevice({ deviceId: 'd', patientId: 'p', seed: 1 });
    try {
      t0 = Date.now();
      const result = await runOpenLoop({
        users: 1,
        rate: 50,
        warmup: 0,
        duration: 1,
        clock: systemClock,
        request: (user, t) => driver.send(user, device.next(t)),
      });
      expect(result.sent).toBe(50);
      expect(result.succeeded).toBe(50);
      // the sends kept their schedule during the stall (a sender waiting for answers would lag
      // by the stall, ~400 ms; a busy machine delays timers by up to ~200 ms) …
      expect(gw.requests.length).toBe(50);
      expect(result.maxSendLag).toBeLessThan(300);
      // … and the stall is in the latency: ~20 requests waited up to ~400 ms
      expect(result.latency.max).toBeGreaterThan(300);
      expect(result.latency.p95).toBeGreaterThan(100);
      expect(result.latency.p50).toBeLessThan(result.latency.p95);
    } finally {
      await driver.close();
      await gw.close();
    }
  });
});

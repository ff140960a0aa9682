import type { Reading } from '../device/reading';
import type { LoadDriver, SendOutcome } from '../drivers/load-driver';
import { FakeClock } from '../testing/fake-clock';
import { runBenchmark, type BenchmarkOptions } from './run-benchmark';

function fakeDriver(mode: string, clock: FakeClock, latency: (users: number) => number, capacity = 10) {
  const seen: { user: number; reading: Reading }[] = [];
  let users = 0;
  const driver: LoadDriver & { setUsers(n: number): void } = {
    mode,
    capacity,
    setUsers: (n) => (users = n),
    async send(user, reading): Promise<SendOutcome> {
      seen.push({ user, reading });
      await clock.sleep(latency(users));
      return { ok: true };
    },
    close: async () => undefined,
  };
  return { driver, seen };
}

const devices = Array.from({ length: 10 }, (_, i) => ({ deviceId: `dev-${i}`, patientId: `pat-${i}` }));

function options(
  clock: FakeClock,
  drivers: LoadDriver[],
  extra: Partial<BenchmarkOptions> = {},
): BenchmarkOptions {
  return {
    users: [1, 4],
    rate: 10,
    warmup: 0.5,
    duration: 1,
    seed: 's',
    abnormalShare: 0.1,
    devices,
    drivers,
    clock,
    runId: 'run',
    ...extra,
  };
}

describe('runBenchmark', () => {
  it('runs every mode at every user count, device i as user i, with fresh reading ids per round', async () => {
    const clock = new FakeClock();
    const rest = fakeDriver('rest', clock, () => 12);
    const direct = fakeDriver('direct', clock, () => 10);
    const rounds = await runBenchmark(options(clock, [rest.driver, direct.driver]));
    expect(rounds.map((r) => `${r.mode}-${r.users}`)).toEqual(['rest-1', 'direct-1', 'rest-4', 'direct-4']);
    expect(rounds.map((r) => r.sent)).toEqual([10, 10, 40, 40]);
    expect(rounds[0]!.latency.mean).toBe(12);
    expect(rounds[1]!.latency.mean).toBe(10);
    for (const { user, reading } of rest.seen) {
      expect(reading.deviceId).toBe(`dev-${user}`);
      expect(reading.patientId).toBe(`pat-${user}`);
    }
    const ids = [...rest.seen, ...direct.seen].map((s) => s.reading.readingId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives both modes the same signal values at the same user count', async () => {
    const clock = new FakeClock();
    const rest = fakeDriver('rest', clock, () => 1);
    const direct = fakeDriver('direct', clock, () => 1);
    await runBenchmark(options(clock, [rest.driver, direct.driver], { users: [2] }));
    const values = (s: typeof rest.seen) => s.map(({ reading: { value, systolic } }) => value ?? systolic);
    expect(values(direct.seen)).toEqual(values(rest.seen));
  });

  it('stops between rounds when aborted and returns the rounds done', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const rest = fakeDriver('rest', clock, () => 1);
    const rounds = await runBenchmark(
      options(clock, [rest.driver], { signal: controller.signal, onRound: () => controller.abort() }),
    );
    expect(rounds).toHaveLength(1);
  });

  it('refuses more users than identities before sending anything', async () => {
    const clock = new FakeClock();
    const rest = fakeDriver('rest', clock, () => 1, 3);
    await expect(runBenchmark(options(clock, [rest.driver]))).rejects.toThrow(/3 identities, 4 users/);
    expect(rest.seen).toHaveLength(0);
  });

  it("records each round's peak of the server memory samples, and nothing when none are taken", async () => {
    const clock = new FakeClock();
    const rest = fakeDriver('rest', clock, () => 1);
    const sequence = [300, 120, 250, 90];
    const returned: number[] = [];
    const perRound: number[][] = [];
    const rounds = await runBenchmark(
      options(clock, [rest.driver], {
        serverMemoryMB: () => {
          const mb = sequence[returned.length % sequence.length]!;
          returned.push(mb);
          return mb;
        },
        onRound: () => perRound.push(returned.splice(0)),
      }),
    );
    expect(rounds).toHaveLength(2);
    rounds.forEach((round, i) => {
      expect(perRound[i]!.length).toBeGreaterThan(0);
      expect(round.serverMemoryMB).toBe(Math.max(...perRound[i]!));
    });

    const without = await runBenchmark(options(new FakeClock(), [fakeDriver('rest', clock, () => 1).driver]));
    expect(without.every((r) => !('serverMemoryMB' in r))).toBe(true);
  });
});

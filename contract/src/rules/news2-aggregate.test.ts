import {
  latestNews2Observations,
  news2Aggregate,
  news2Risk,
  type News2Observations,
  type News2SensorParameter,
} from './news2-aggregate';

const now = Date.parse('2026-12-09T12:00:00Z');
const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();

/** Sensor values observed one minute ago. */
function observed(values: Partial<Record<News2SensorParameter, number>>, minutesAgo = 1): News2Observations {
  return {
    latest: Object.fromEntries(
      Object.entries(values).map(([p, value]) => [p, { value, observedAt: ago(minutesAgo) }]),
    ),
  };
}

const normalSet = { respiratoryRate: 16, spo2: 97, bloodPressure: 120, heartRate: 70, bodyTemperature: 37.0 };

describe('news2Aggregate', () => {
  describe('complete sets, scored from the RCP chart', () => {
    // [case, readings, total, risk]: sub-scores from chart 1, bands from chart 2.
    const cases: [string, Partial<Record<News2SensorParameter, number>>, number, string][] = [
      ['all in the white band', normalSet, 0, 'low'],
      [
        'one 1 each: RR 11, SpO2 95, SBP 110, pulse 91',
        { ...normalSet, respiratoryRate: 11, spo2: 95, bloodPressure: 110, heartRate: 91 },
        4,
        'low',
      ],
      ['a single 3 (RR 25) and nothing else', { ...normalSet, respiratoryRate: 25 }, 3, 'low-medium'],
      [
        'a single 3 (SpO2 91) with a 1 (temp 38.1)',
        { ...normalSet, spo2: 91, bodyTemperature: 38.1 },
        4,
        'low-medium',
      ],
      [
        'a single 3 (SBP 90) reaching 5 (pulse 111: 2)',
        { ...normalSet, bloodPressure: 90, heartRate: 111 },
        5,
        'medium',
      ],
      [
        '5 without a 3: RR 21 (2), SpO2 93 (2), temp 36.0 (1)',
        { ...normalSet, respiratoryRate: 21, spo2: 93, bodyTemperature: 36.0 },
        5,
        'medium',
      ],
      [
        '6: RR 22 (2), SpO2 95 (1), SBP 105 (1), pulse 95 (1), temp 38.5 (1)',
        { respiratoryRate: 22, spo2: 95, bloodPressure: 105, heartRate: 95, bodyTemperature: 38.5 },
        6,
        'medium',
      ],
      [
        '7: pulse 131 (3), SBP 100 (2), temp 39.1 (2)',
        { ...normalSet, heartRate: 131, bloodPressure: 100, bodyTemperature: 39.1 },
        7,
        'high',
      ],
      [
        'the worst of every band',
        { respiratoryRate: 8, spo2: 85, bloodPressure: 220, heartRate: 40, bodyTemperature: 35.0 },
        15,
        'high',
      ],
    ];
    it.each(cases)('%s (%j): total %p, risk %p', (_name, values, total, risk) => {
      const aggregate = news2Aggregate(observed(values), { now });
      expect(aggregate).toMatchObject({ total, risk, complete: true, missing: [], stale: [] });
      expect(aggregate.assumed).toEqual(['supplementalOxygen', 'consciousness']);
    });
  });

  it('names the response of each risk (RCP chart 2)', () => {
    expect(news2Aggregate(observed(normalSet), { now }).response).toBe('ward-based response');
    expect(news2Aggregate(observed({ ...normalSet, heartRate: 131 }), { now }).response).toBe(
      'urgent ward-based response',
    );
    expect(
      news2Aggregate(observed({ ...normalSet, heartRate: 111, spo2: 92, bodyTemperature: 38.1 }), { now }),
    ).toMatchObject({ total: 5, response: 'key threshold for urgent response' });
    expect(
      news2Aggregate(observed({ ...normalSet, heartRate: 131, spo2: 92, bodyTemperature: 39.5 }), { now }),
    ).toMatchObject({ total: 7, response: 'urgent or emergency response' });
  });

  it('scores recorded consciousness and oxygen instead of assuming them', () => {
    const aggregate = news2Aggregate(
      {
        ...observed(normalSet),
        consciousness: { value: 'voice', observedAt: ago(2) },
        supplementalOxygen: { value: true, observedAt: ago(2) },
      },
      { now },
    );
    expect(aggregate).toMatchObject({ total: 5, risk: 'medium', assumed: [], redScore: true });
    expect(
      news2Aggregate(
        { ...observed(normalSet), consciousness: { value: 'confusion', observedAt: ago(1) } },
        { now },
      ),
    ).toMatchObject({ total: 3, risk: 'low-medium' });
    expect(
      news2Aggregate(
        { ...observed(normalSet), consciousness: { value: 'alert', observedAt: ago(1) } },
        { now },
      ).assumed,
    ).toEqual(['supplementalOxygen']);
  });

  describe('missing parameters', () => {
    it('sums what there is, names what is missing and says the total is a lower bound', () => {
      const { bodyTemperature: _t, bloodPressure: _bp, ...rest } = normalSet;
      const aggregate = news2Aggregate(observed({ ...rest, heartRate: 135 }), { now });
      expect(aggregate).toMatchObject({
        total: 3,
        risk: 'low-medium',
        complete: false,
        missing: ['bloodPressure', 'bodyTemperature'],
        stale: [],
      });
      expect(aggregate.summary).toContain('Partial NEWS2 3: the full score is at least this.');
      expect(aggregate.summary).toContain('No reading of systolic blood pressure, temperature.');
      expect(aggregate.parameters.find((p) => p.parameter === 'bodyTemperature')).toEqual({
        parameter: 'bodyTemperature',
        status: 'missing',
        counted: false,
      });
    });

    it('with nothing read, is 0, incomplete, every sensor parameter missing', () => {
      expect(news2Aggregate({ latest: {} }, { now })).toMatchObject({
        total: 0,
        risk: 'low',
        complete: false,
        missing: ['respiratoryRate', 'spo2', 'bloodPressure', 'heartRate', 'bodyTemperature'],
      });
    });

    it('is high on a partial set already at 7', () => {
      expect(
        news2Aggregate(observed({ respiratoryRate: 26, spo2: 90, heartRate: 111 }), { now }),
      ).toMatchObject({
        total: 8,
        risk: 'high',
        complete: false,
      });
    });
  });

  describe('stale parameters', () => {
    it('shows a reading older than the window with its score, but does not count it', () => {
      const observations: News2Observations = {
        latest: { ...observed(normalSet).latest, spo2: { value: 90, observedAt: ago(20) } },
      };
      const aggregate = news2Aggregate(observations, { now });
      expect(aggregate).toMatchObject({
        total: 0,
        risk: 'low',
        complete: false,
        stale: ['spo2'],
        missing: [],
      });
      expect(aggregate.parameters.find((p) => p.parameter === 'spo2')).toEqual({
        parameter: 'spo2',
        status: 'stale',
        counted: false,
        score: 3,
        direction: 'low',
        value: 90,
        observedAt: ago(20),
        ageMs: 20 * 60_000,
      });
      expect(aggregate.summary).toContain('Older than 15 min, not counted: SpO2 (observed 20 min ago).');
    });

    // [minutes ago, window minutes, counted]
    it.each([
      [15, 15, true],
      [15.01, 15, false],
      [59, 60, true],
      [61, 60, false],
      [0, 15, true],
    ])('a reading %p min old with a %p min window counts: %p', (minutesAgo, window, counted) => {
      const aggregate = news2Aggregate(observed({ ...normalSet, heartRate: 131 }, minutesAgo), {
        now,
        maxAgeMs: window * 60_000,
      });
      expect(aggregate.total).toBe(counted ? 3 : 0);
      expect(aggregate.complete).toBe(counted);
    });

    it('counts a reading from a device clock slightly ahead as just observed', () => {
      const aggregate = news2Aggregate(observed({ ...normalSet, heartRate: 131 }, -0.5), { now });
      expect(aggregate.total).toBe(3);
      expect(aggregate.parameters.find((p) => p.parameter === 'heartRate')?.ageMs).toBe(0);
    });

    it('lets a stale recorded consciousness count neither as recorded nor as assumed', () => {
      const aggregate = news2Aggregate(
        { ...observed(normalSet), consciousness: { value: 'pain', observedAt: ago(30) } },
        { now },
      );
      expect(aggregate).toMatchObject({ total: 0, stale: ['consciousness'], complete: false });
    });
  });

  it('says a complete score is one and which parameters were assumed', () => {
    expect(news2Aggregate(observed(normalSet), { now }).summary).toBe(
      'NEWS2 0 from readings of the last 15 min. Assumed until recorded: air or oxygen and consciousness (alert, on air: 0).',
    );
  });
});

describe('news2Risk', () => {
  it.each([
    [0, false, 'low'],
    [4, false, 'low'],
    [3, true, 'low-medium'],
    [4, true, 'low-medium'],
    [5, true, 'medium'],
    [6, false, 'medium'],
    [7, false, 'high'],
    [20, true, 'high'],
  ])('%p (a 3: %p) is %p', (total, red, risk) => {
    expect(news2Risk(total, red)).toBe(risk);
  });
});

describe('latestNews2Observations', () => {
  it('keeps the last observed reading of each parameter, blood pressure by its systolic value', () => {
    const observations = latestNews2Observations([
      { type: 'heartRate', value: 80, observedAt: ago(1) },
      { type: 'heartRate', value: 135, observedAt: ago(3) },
      { type: 'bloodPressure', systolic: 88, observedAt: ago(2) },
      { type: 'bloodGlucose', value: 90, observedAt: ago(1) },
    ]);
    expect(observations).toEqual({
      latest: {
        heartRate: { value: 80, observedAt: ago(1) },
        bloodPressure: { value: 88, observedAt: ago(2) },
      },
    });
    expect(news2Aggregate(observations, { now })).toMatchObject({
      total: 3,
      missing: ['respiratoryRate', 'spo2', 'bodyTemperature'],
    });
  });
});

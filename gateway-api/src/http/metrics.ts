import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, on a registry of its own. */
export interface Metrics {
  readonly registry: Registry;
  readonly requestSeconds: Histogram<'method' | 'route' | 'status'>;
  readonly ledgerSeconds: Histogram<'phase' | 'transaction'>;
  readonly errors: Counter<'code'>;
  readonly inFlight: Gauge;
}

export function newMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    requestSeconds: new Histogram({
      name: 'careledger_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets,
      registers: [registry],
    }),
    ledgerSeconds: new Histogram({
      name: 'careledger_ledger_phase_duration_seconds',
      help: 'Ledger latency per phase (evaluate, endorse, submit, commit)',
      labelNames: ['phase', 'transaction'],
      buckets,
      registers: [registry],
    }),
    errors: new Counter({
      name: 'careledger_http_errors_total',
      help: 'Error answers by code',
      labelNames: ['code'],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'careledger_http_requests_in_flight',
      help: 'Requests being served',
      registers: [registry],
    }),
  };
}

import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** A registry per app instance, so tests can build several apps in one process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and the status sent (499: the client left before any)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const jobsStarted = new Counter({
    name: 'catalog_jobs_started_total',
    help: 'Background jobs started, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  return { registry, httpDuration, jobsStarted };
}

export type Metrics = ReturnType<typeof createMetrics>;

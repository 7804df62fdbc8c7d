import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics. One registry per Metrics (not prom-client's global one), so several
 * apps in one test process never collide. Capabilities add their own counters through `counter`.
 */
export type Metrics = {
  registry: Registry;
  httpRequestSeconds: Histogram<'method' | 'route' | 'status'>;
  counter<L extends string>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  gauge<L extends string>(
    name: string,
    help: string,
    collect: (gauge: Gauge<L>) => Promise<void> | void,
    labelNames?: readonly L[],
  ): Gauge<L>;
};

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'rapport_' });
  const httpRequestSeconds = new Histogram({
    name: 'rapport_http_request_duration_seconds',
    help: 'HTTP requests by route template, method and status, with their duration',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    registry,
    httpRequestSeconds,
    counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []) {
      const existing = registry.getSingleMetric(name);
      if (existing) return existing as Counter<L>;
      return new Counter<L>({ name, help, labelNames, registers: [registry] });
    },
    gauge<L extends string>(
      name: string,
      help: string,
      collect: (gauge: Gauge<L>) => Promise<void> | void,
      labelNames: readonly L[] = [],
    ) {
      const existing = registry.getSingleMetric(name);
      if (existing) return existing as Gauge<L>;
      return new Gauge<L>({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          await collect(this);
        },
      });
    },
  };
}

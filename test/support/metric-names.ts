/** What dashboards and alerting rules may ask Prometheus for: the metric families /metrics exposes. */
import { createApiMetrics } from '../../src/api/metrics.js';
import type { AppContext } from '../../src/app/context.js';

export async function exposedMetricNames(ctx: AppContext): Promise<Set<string>> {
  const metrics = createApiMetrics(ctx, { cardinalityLimit: 500 });
  return new Set([...(await metrics.registry.metrics()).matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!));
}

/** The metric names a PromQL expression reads (kubetally's own and the process's). */
export const metricNamesIn = (expr: string): string[] =>
  expr.match(/\b(?:kubetally|process|nodejs)_[a-z_]+\b/g) ?? [];

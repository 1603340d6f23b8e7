/** Who pays for LoadBalancers that do not say: the pods they serve (attribution/service.ts). */
import { attributeService, type AttributedPod, type CompiledRules } from '../attribution/index.js';
import type { PodUsageRow } from '../ledger/types.js';
import type { UsageRow } from '../metering/integrate-interval.js';

/**
 * A LoadBalancer whose labels say nothing of who pays, pays as the pods it selects, when they agree
 * (attribution/service.ts): the pods of its namespace that ran in this interval. `podRows[i]` is
 * the row of `rows[i]`.
 */
export function attributeServedLoadBalancers(
  rows: readonly UsageRow[],
  podRows: PodUsageRow[],
  rules: CompiledRules,
): void {
  if (!rows.some((r) => r.selector !== undefined)) return;
  const byNamespace = new Map<string, AttributedPod[]>();
  rows.forEach((r, i) => {
    if (r.pod === undefined) return;
    const { owner, project, projectId, computeType } = podRows[i]!;
    const pod = {
      namespace: r.namespace,
      labels: r.pod.labels,
      attribution: { owner, project, projectId: projectId ?? '', computeType },
    };
    const list = byNamespace.get(r.namespace);
    if (list === undefined) byNamespace.set(r.namespace, [pod]);
    else list.push(pod);
  });
  rows.forEach((r, i) => {
    if (r.loadBalancer === undefined || r.selector === undefined) return;
    const service = { namespace: r.namespace, labels: r.labels ?? {}, selector: r.selector };
    Object.assign(podRows[i]!, attributeService(service, byNamespace.get(r.namespace) ?? [], rules));
  });
}

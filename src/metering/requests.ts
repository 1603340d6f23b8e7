/**
 * What a pod requests, by the scheduler's rule: max(Σ app containers + sidecars, max over init
 * containers of (its request + the sidecars declared before it)) + overhead. Restartable init
 * containers (sidecars) run beside the app containers, so they count in the sum.
 */
import type { ContainerObservation, PodObservation, ResourceAmounts } from './observations.js';

const KEYS = ['cpuNanoCores', 'memoryBytes', 'gpus'] as const;

export function zeroAmounts(): ResourceAmounts {
  return { cpuNanoCores: 0n, memoryBytes: 0n, gpus: 0n };
}

/** What the rule reads of a pod; the k8s layer's compact pods fit too. */
export type RequestingPod = Pick<PodObservation, 'overhead'> & {
  containers: readonly Pick<ContainerObservation, 'kind' | 'requests'>[];
};

function pick(c: Pick<ContainerObservation, 'requests'>, key: (typeof KEYS)[number]): bigint {
  return c.requests[key];
}

/** The effective request of a pod (what the scheduler reserves on its node). */
export function effectiveRequest(pod: RequestingPod): ResourceAmounts {
  const out = zeroAmounts();
  for (const key of KEYS) {
    const { appSum, initMax } = parts(pod, key);
    out[key] = (appSum > initMax ? appSum : initMax) + pod.overhead[key];
  }
  return out;
}

/**
 * The largest init container's need (with the sidecars declared before it): whatever the app
 * containers ask, the pod reserves at least this, plus its overhead.
 */
export function initRequest(pod: RequestingPod): ResourceAmounts {
  const out = zeroAmounts();
  for (const key of KEYS) out[key] = parts(pod, key).initMax;
  return out;
}

function parts(pod: RequestingPod, key: (typeof KEYS)[number]): { appSum: bigint; initMax: bigint } {
  let sidecars = 0n;
  let appSum = 0n;
  let initMax = 0n;
  for (const c of pod.containers) {
    if (c.kind === 'init') {
      const need = pick(c, key) + sidecars;
      if (need > initMax) initMax = need;
    } else {
      if (c.kind === 'sidecar') sidecars += pick(c, key);
      appSum += pick(c, key);
    }
  }
  return { appSum, initMax };
}

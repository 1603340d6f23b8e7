/**
 * Spot (preemptible) detection from node labels. A node is spot when any of the cloud markers
 * says so; it is on-demand otherwise (including when no marker is present).
 */
export type CapacityType = 'on-demand' | 'spot';

/** Label → the values (case-insensitive) that mark a spot node. */
export const SPOT_LABELS: Readonly<Record<string, readonly string[]>> = {
  'eks.amazonaws.com/capacityType': ['spot'],
  'karpenter.sh/capacity-type': ['spot'],
  'cloud.google.com/gke-spot': ['true'],
  'cloud.google.com/gke-preemptible': ['true'],
  'kubernetes.azure.com/scalesetpriority': ['spot'],
};

export function capacityTypeFromLabels(labels: Readonly<Record<string, string>> | undefined): CapacityType {
  for (const [label, values] of Object.entries(SPOT_LABELS)) {
    const v = labels?.[label];
    if (v !== undefined && values.includes(v.trim().toLowerCase())) return 'spot';
  }
  return 'on-demand';
}

/** Normalizes a stored capacity type (`spot`, `SPOT`, `on-demand`, `ON_DEMAND`, undefined). */
export function normalizeCapacityType(value: string | undefined): CapacityType {
  return value !== undefined && value.trim().toLowerCase() === 'spot' ? 'spot' : 'on-demand';
}

/** The name the collector uses: spot or on-demand from a node's labels. */
export const capacityTypeOf = capacityTypeFromLabels;

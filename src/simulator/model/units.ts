/**
 * Quantities in scenario files, read as plain numbers in base units (cores, bytes, bytes per
 * second, GPUs). The exact parser lives in `k8s/quantity`; the model works in floats because its
 * integrals are closed forms, and converts to exact integers only when rendering counters.
 */
import { parseQuantity } from '../../k8s/quantity.js';

/** The value of a quantity (`250m`, `2Gi`, `1.5`, or a number) in base units. */
export function quantityNumber(value: string | number): number {
  if (typeof value === 'number') return value;
  return Number(parseQuantity(value).nanoValue()) / 1e9;
}

/** True when `text` is a valid Kubernetes quantity. */
export function isQuantity(value: string | number): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  try {
    parseQuantity(value);
    return true;
  } catch {
    return false;
  }
}

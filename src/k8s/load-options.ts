/**
 * The options of `loadKubeconfig`, checked as they come from JavaScript too. An option that is
 * not read falls back to `$KUBECONFIG` or `~/.kube/config`: `loadKubeconfig('prod.yaml')` or
 * `{ kubeconfig: 'prod.yaml' }` connected to whatever cluster the default kubeconfig names, and
 * `trust: 'upload'` (any value but `uploaded`) let an uploaded kubeconfig run its exec command.
 */
import { invalidArgument } from '../domain/errors.js';
import type { LoadKubeconfigOptions } from './connection.js';

// Every option of LoadKubeconfigOptions, with its type: one added there fails to compile until it is here.
const KINDS = {
  yaml: 'string',
  file: 'string',
  context: 'string',
  inCluster: 'boolean',
  trust: 'string',
  allowInsecureHttp: 'boolean',
} as const satisfies Record<keyof LoadKubeconfigOptions, 'string' | 'boolean'>;

const TRUST = ['own', 'uploaded'];
const EXAMPLE = 'loadKubeconfig({ file: "prod.kubeconfig", context: "prod" })';

/** Throws INVALID_ARGUMENT naming the first option that is not one, or not of its type. */
export function checkLoadOptions(options: unknown): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    const given =
      typeof options === 'string'
        ? `"${options}"`
        : options === null
          ? 'null'
          : Array.isArray(options)
            ? 'an array'
            : typeof options;
    throw invalidArgument(
      `loadKubeconfig takes an object of options, got ${given}`,
      `name the source: ${EXAMPLE}, { yaml: text }, or { inCluster: true }`,
    );
  }
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const kind = (KINDS as Record<string, string>)[key];
    if (kind === undefined) {
      throw invalidArgument(
        `loadKubeconfig has no option "${key}"`,
        `the options are ${Object.keys(KINDS).join(', ')}, e.g. ${EXAMPLE}`,
      );
    }
    if (typeof value !== kind || (key === 'trust' && !TRUST.includes(value as string))) {
      const wanted = key === 'trust' ? '"own" or "uploaded"' : `a ${kind}`;
      throw invalidArgument(
        `loadKubeconfig option ${key} must be ${wanted}, got ${JSON.stringify(value) ?? typeof value}`,
        `e.g. ${EXAMPLE}`,
      );
    }
  }
}

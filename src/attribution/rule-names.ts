/**
 * The names attribution rules read (label keys) and give, checked where rules come in.
 *
 * The names rules give where no label does (`unownedOwner`, `defaultComputeType`, the types of
 * `computeTypeNameRules`) become owners and compute types of the ledger, which the API reads back
 * by name: `owner=`, `/accounts/{owner}`, `/users/{owner}/usage` take 1 to 253 characters, and an
 * account's owner has no control characters or spaces around it. A label value always fits; a
 * rule's name must too, or the owner it bills could not be read, credited or filtered. Checked where
 * rules come in (registration, PATCH), not when stored rules are compiled, so that a cluster
 * registered before still collects.
 */
import { invalidArgument } from '../domain/errors.js';
import type { AttributionRules } from './rules.js';

const MAX_NAME = 253;

function problem(name: string): string | undefined {
  if (name.length > MAX_NAME) return `it has ${name.length} characters, more than ${MAX_NAME}`;
  if (/\p{Cc}/u.test(name)) return 'it has a control character';
  if (name.trim() !== name || name === '') return 'it is blank or has spaces around it';
  return undefined;
}

/** Label keys a list may try in turn: each is looked up on every pod of every interval. */
const MAX_LABELS = 16;
/** A Kubernetes label key: an optional DNS subdomain prefix and `/`, then a name of at most 63. */
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * The label lists name label keys, which no pod carries otherwise: a key that is none would match
 * nothing, and lists of any length (a body holds a megabyte) would be walked on every pod of
 * every interval, on the thread that serves every tenant's API.
 */
function checkLabelLists(rules: AttributionRules): void {
  const lists = ['ownerLabels', 'projectLabels', 'projectIdLabels', 'computeTypeLabels'] as const;
  for (const field of lists) {
    const keys = rules[field];
    if (keys.length > MAX_LABELS) {
      throw invalidArgument(
        `invalid attribution rules at ${field}: ${keys.length} label keys, more than ${MAX_LABELS}`,
        'list the few labels your pods carry, in the order they should be tried',
      );
    }
    const i = keys.findIndex((k) => !LABEL_KEY.test(k) || k.split('/')[0]!.length > 253);
    if (i < 0) continue;
    const key = keys[i]!;
    const shown = key.length > 40 ? `${JSON.stringify(key.slice(0, 40))}…` : JSON.stringify(key);
    throw invalidArgument(
      `invalid attribution rules at ${field}.${i}: ${shown} is not a label key`,
      'a label key is a name of at most 63 letters, digits, -, _ and ., optionally after a DNS prefix and / (example.com/owner)',
    );
  }
}

/** Throws INVALID_ARGUMENT naming the first field whose name the API could not read back. */
export function checkRuleNames(rules: AttributionRules): void {
  checkLabelLists(rules);
  const names: [string, string][] = [
    ['unownedOwner', rules.unownedOwner],
    ['defaultComputeType', rules.defaultComputeType],
    ...rules.computeTypeNameRules.map((r, i): [string, string] => [`computeTypeNameRules.${i}.type`, r.type]),
  ];
  for (const [at, name] of names) {
    const why = problem(name);
    if (why === undefined) continue;
    const shown = name.length > 40 ? `${JSON.stringify(name.slice(0, 40))}…` : JSON.stringify(name);
    throw invalidArgument(
      `invalid attribution rules at ${at}: ${shown} is not a name the API can read back: ${why}`,
      'give a name of 1 to 253 characters, without control characters or spaces around it, as a label value would be',
    );
  }
}

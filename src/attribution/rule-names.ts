/**
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

/** Throws INVALID_ARGUMENT naming the first field whose name the API could not read back. */
export function checkRuleNames(rules: AttributionRules): void {
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

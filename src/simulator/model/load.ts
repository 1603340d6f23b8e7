import { existsSync } from 'node:fs';
/**
 * Reading scenario files: bundled names (`demo`, `churn`, `scale-10k`, `scale-100k`) or paths to
 * YAML/JSON files, validated against the schema and cross-checked (node names, claims).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { invalidArgument } from '../../domain/errors.js';
import { closestField } from './field-names.js';
import { issueWords, type BoundIssue } from './issue-words.js';
import { scenarioSchema, type Scenario } from './schema.js';
import { expandNodeNames } from './naming.js';
import { quantityNumber } from './units.js';
import { fileErrorWords } from '../../domain/file-error.js';

export const BUNDLED_SCENARIOS = ['demo', 'churn', 'scale-10k', 'scale-100k'] as const;

/** The bundled scenarios folder: `scenarios/` at the package root, found from this file (src/… or dist/…). */
export function scenariosDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'scenarios'))) {
      return path.join(dir, 'scenarios');
    }
    dir = path.dirname(dir);
  }
  throw invalidArgument('cannot find the bundled scenarios folder', 'pass a scenario file path instead');
}

/** Loads a bundled scenario by name, or a YAML/JSON scenario file by path. */
export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const bundled = (BUNDLED_SCENARIOS as readonly string[]).includes(nameOrPath);
  const file = bundled ? path.join(scenariosDir(), `${nameOrPath}.yaml`) : nameOrPath;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw invalidArgument(
      `cannot read scenario "${nameOrPath}" (${file}): ${fileErrorWords(err)}`,
      `use one of the bundled scenarios (${BUNDLED_SCENARIOS.join(', ')}) or the path of a YAML or JSON file`,
    );
  }
  return parseScenario(text, file);
}

/** Parses and validates scenario text (YAML, of which JSON is a subset). */
export function parseScenario(text: string, source = 'scenario'): Scenario {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw invalidArgument(
      `${source} is not valid YAML or JSON: ${(err as Error).message}`,
      'fix the syntax of the scenario file',
    );
  }
  if (raw === null || raw === undefined)
    throw invalidArgument(
      `${source} is empty`,
      'a scenario needs at least a name and nodes; docs/scenarios.md describes every field of a scenario',
    );
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = describeIssues(parsed.error.issues as readonly Issue[], [], raw).slice(0, 5);
    throw invalidArgument(
      `invalid scenario ${source}: ${lines.join('; ')}`,
      'fix the named field; docs/scenarios.md describes every field of a scenario',
    );
  }
  checkReferences(parsed.data, source);
  return parsed.data;
}

interface Issue extends BoundIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  errors?: Issue[][];
  keys?: string[];
}

/** An unknown key, with the field meant: a missing one beside it first, else any known field. */
function unknownField(key: string, missing: readonly string[]): string {
  const meant = closestField(key, missing) ?? closestField(key);
  if (meant === key) return `"${key}" is not a field here`;
  return `unknown field "${key}"${meant === undefined ? '' : ` (did you mean "${meant}"?)`}`;
}

/**
 * zod's issues as lines naming the field. A value that fits none of a union's forms (a quantity
 * or a profile object) is explained by the form it was meant for: the branch whose issues are
 * not only about the value's own type.
 */
function describeIssues(issues: readonly Issue[], prefix: readonly PropertyKey[], raw: unknown): string[] {
  const out: string[] = [];
  for (const i of issues) {
    const path = [...prefix, ...i.path];
    if (i.code === 'unrecognized_keys') {
      const missing = issues
        .filter((m) => m.code === 'invalid_type' && m.path.length === i.path.length + 1)
        .filter(
          (m) =>
            i.path.every((k, n) => m.path[n] === k) && valueAt(raw, [...prefix, ...m.path]) === undefined,
        )
        .map((m) => String(m.path.at(-1)));
      out.push(...(i.keys ?? []).map((k) => `${formatPath(path)}: ${unknownField(k, missing)}`));
      continue;
    }
    // "expected array, received undefined" is zod's way of saying a required field is left out.
    if (i.code === 'invalid_type' && valueAt(raw, path) === undefined) {
      out.push(`${formatPath(path)}: missing (expected ${i.expected ?? 'a value'})`);
      continue;
    }
    if (i.code !== 'invalid_union' || i.errors === undefined || i.errors.length === 0) {
      out.push(`${formatPath(path)}: ${issueWords(i, valueAt(raw, path))}`);
      continue;
    }
    const meant = i.errors.find((b) => !b.every(isTypeMismatch));
    if (meant !== undefined) {
      out.push(...describeIssues(meant, path, raw));
      continue;
    }
    const expected = [...new Set(expectedTypes(i))].join(' or ');
    const missing = valueAt(raw, path) === undefined;
    out.push(`${formatPath(path)}: ${missing ? 'missing' : 'invalid'} (expected ${expected})`);
  }
  return out;
}

function expectedTypes(x: Issue): string[] {
  if (x.code === 'invalid_union') return (x.errors ?? []).flat().flatMap(expectedTypes);
  return [x.expected ?? 'a valid value'];
}

/** An issue that only says the value is not of this form's type (for nested unions too). */
function isTypeMismatch(x: Issue): boolean {
  if (x.path.length > 0) return false;
  if (x.code === 'invalid_type') return true;
  return x.code === 'invalid_union' && (x.errors ?? []).every((b) => b.every(isTypeMismatch));
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const k of path)
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function formatPath(p: readonly PropertyKey[]): string {
  if (p.length === 0) return '(scenario)';
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${String(k)}`)).join('');
}

function checkReferences(s: Scenario, source: string): void {
  const nodes = new Set<string>();
  s.nodes.forEach((n, i) => {
    for (const name of expandNodeNames(n.name, n.count)) {
      if (nodes.has(name))
        fail(
          source,
          `nodes[${i}].name`,
          `node name "${name}" is used twice`,
          'give every node a unique name; use {i} with count',
        );
      nodes.add(name);
    }
  });
  s.nodes.forEach((n, i) => {
    // The kubelet reports allocatable as capacity less what it reserves: never more.
    for (const [resource, amount] of Object.entries(n.allocatable ?? {})) {
      const capacity = n.capacity[resource];
      if (capacity !== undefined && quantityNumber(amount) <= quantityNumber(capacity)) continue;
      fail(
        source,
        `nodes[${i}].allocatable.${resource}`,
        capacity === undefined
          ? `${amount}, but the capacity has no ${resource}`
          : `${amount} is more than its capacity ${capacity}`,
        'allocatable is the capacity less what the kubelet reserves: at most the capacity (leave it out to use the capacity)',
      );
    }
  });
  unique(source, 'pods', s.pods);
  unique(source, 'persistentVolumeClaims', s.persistentVolumeClaims);
  unique(source, 'services', s.services);
  // A generator's name seeds its pods' names and UIDs: two of one name made the same pods twice.
  s.generators.forEach((g, i) => {
    const first = s.generators.findIndex((o) => o.name === g.name);
    if (first < i)
      fail(
        source,
        `generators[${i}].name`,
        `"${g.name}" is also generators[${first}]`,
        'give each generator a name of its own (its pods are named NAME-0, NAME-1, ...)',
      );
  });
  s.persistentVolumeClaims.forEach((c, i) => {
    if (c.used !== undefined && quantityNumber(c.used) > quantityNumber(c.capacity)) {
      fail(
        source,
        `persistentVolumeClaims[${i}].used`,
        `${c.used} is more than its capacity ${c.capacity}`,
        'use at most the capacity',
      );
    }
  });
  const claims = new Set(s.persistentVolumeClaims.map((c) => `${c.namespace}/${c.name}`));
  s.pods.forEach((p, i) => {
    if (p.node !== undefined && !nodes.has(p.node)) {
      fail(
        source,
        `pods[${i}].node`,
        `no node named "${p.node}"`,
        `use one of: ${[...nodes].slice(0, 8).join(', ')}`,
      );
    }
    p.volumes?.forEach((v, j) => {
      if (!claims.has(`${p.namespace}/${v.claim}`)) {
        fail(
          source,
          `pods[${i}].volumes[${j}].claim`,
          `no persistentVolumeClaim "${v.claim}" in namespace "${p.namespace}"`,
          'add it under persistentVolumeClaims with the same namespace',
        );
      }
    });
    p.containers.forEach((c, j) => {
      c.restarts?.forEach((r, k) => {
        if (r <= p.pending) {
          fail(
            source,
            `pods[${i}].containers[${j}].restarts[${k}]`,
            'a restart must come after the pod is running',
            `use an offset (from the pod's creation) longer than pending (${p.pending / 1000}s)`,
          );
        }
        if (p.end !== undefined && p.every === undefined && p.start + r >= p.end) {
          fail(
            source,
            `pods[${i}].containers[${j}].restarts[${k}]`,
            'the pod has ended by then (restarts are offsets from its creation, not from the scenario start)',
            `use an offset shorter than the pod's life (${(p.end - p.start) / 1000}s)`,
          );
        }
      });
    });
  });
}

/** Two objects of one kind with the same namespace and name (or name pattern) would be one. */
function unique(source: string, kind: string, list: readonly { name: string; namespace: string }[]): void {
  const seen = new Map<string, number>();
  list.forEach((o, i) => {
    const key = `${o.namespace}/${o.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      fail(
        source,
        `${kind}[${i}].name`,
        `"${o.name}" in namespace "${o.namespace}" is also ${kind}[${first}]`,
        'give each a name of its own (or one entry with replicas)',
      );
    }
    seen.set(key, i);
  });
}

function fail(source: string, field: string, message: string, hint: string): never {
  throw invalidArgument(`invalid scenario ${source}: ${field}: ${message}`, hint);
}

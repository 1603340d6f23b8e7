import { createRequire } from 'node:module';
import type * as Zod from 'zod';
import { invalidArgument } from '../domain/errors.js';

/**
 * Attribution rules: how a pod's labels, namespace and name map to who pays (owner), the project,
 * its id and the compute type. Rules are data so that each cluster can override them (SPEC §6).
 * The first rule that yields a value wins.
 *
 * zod is loaded on the first rules that need validating: it takes ~70 ms to load, and
 * `kubetally top` and the live views on the default rules never need it.
 */
const DEFAULT_NAME_RULES: readonly { pattern: string; type: string }[] = [
  { pattern: 'jupyter|notebook', type: 'notebook' },
  { pattern: 'job|spark|flink|cron', type: 'job' },
  { pattern: 'serving|predictor|kserve|inference', type: 'serving' },
];

function buildSchema(z: typeof Zod) {
  return z
    .object({
      /** Label keys tried in order for the owner. */
      ownerLabels: z.array(z.string().min(1)).default(['owner', 'user']),
      /** Label keys tried in order for the project; the namespace is the fallback. */
      projectLabels: z.array(z.string().min(1)).default(['project']),
      projectIdLabels: z.array(z.string().min(1)).default(['project-id']),
      computeTypeLabels: z.array(z.string().min(1)).default(['compute-type']),
      /**
       * Optional namespace pattern such as `{project}-{user}` (Hopsworks). Used for the owner and
       * project when no label gives them. Placeholders: `{project}`, `{user}` (alias `{owner}`),
       * `{*}` (anything). Earlier placeholders match as much as they can, so `team-a-bob` gives
       * project `team-a` and user `bob`.
       */
      namespacePattern: z.string().min(1).optional(),
      /** Pod-name heuristics for the compute type, tried in order (case-insensitive regular expressions). */
      computeTypeNameRules: z
        .array(z.object({ pattern: z.string().min(1), type: z.string().min(1) }))
        .default(() => DEFAULT_NAME_RULES.map((r) => ({ ...r }))),
      /** Owner used when nothing names one. */
      unownedOwner: z.string().min(1).default('__unowned__'),
      defaultComputeType: z.string().min(1).default('other'),
    })
    .strict();
}

type RulesSchema = ReturnType<typeof buildSchema>;
export type AttributionRulesInput = Zod.input<RulesSchema>;
export type AttributionRules = Zod.output<RulesSchema>;

let schema: RulesSchema | undefined;
/** The zod schema of attribution rules (for validating them where they come in). */
export function attributionRulesSchema(): RulesSchema {
  schema ??= buildSchema(createRequire(import.meta.url)('zod') as typeof Zod);
  return schema;
}

export const DEFAULT_RULES: AttributionRules = {
  ownerLabels: ['owner', 'user'],
  projectLabels: ['project'],
  projectIdLabels: ['project-id'],
  computeTypeLabels: ['compute-type'],
  computeTypeNameRules: DEFAULT_NAME_RULES.map((r) => ({ ...r })),
  unownedOwner: '__unowned__',
  defaultComputeType: 'other',
};

/** Rules compiled once: regular expressions built, the pattern parsed. */
export interface CompiledRules {
  readonly rules: AttributionRules;
  readonly namespace: { regex: RegExp; names: string[] } | undefined;
  readonly nameRules: readonly { regex: RegExp; type: string }[];
}

/** Validates and compiles rules; errors name the field and say what is expected. */
export function compileRules(input: AttributionRulesInput | undefined = {}): CompiledRules {
  if (
    input == null ||
    (typeof input === 'object' && !Array.isArray(input) && Object.keys(input).length === 0)
  ) {
    return compiled(DEFAULT_RULES);
  }
  const parsed = attributionRulesSchema().safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') || '(rules)';
    throw invalidArgument(
      `invalid attribution rules at ${path}: ${issue?.message ?? 'invalid'}`,
      'see docs/attribution.md for the fields and their defaults',
    );
  }
  return compiled(parsed.data);
}

function compiled(rules: AttributionRules): CompiledRules {
  return {
    rules,
    namespace: rules.namespacePattern === undefined ? undefined : compilePattern(rules.namespacePattern),
    nameRules: rules.computeTypeNameRules.map((r, i) => ({ regex: safeRegex(r.pattern, i), type: r.type })),
  };
}

/** A group with a quantifier inside, itself repeated: `(a+)+`, `(x*)*`, the backtracking blow-ups. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/;

function safeRegex(pattern: string, index: number): RegExp {
  if (NESTED_QUANTIFIER.test(pattern)) {
    throw invalidArgument(
      `invalid attribution rules at computeTypeNameRules.${index}.pattern: "${pattern}" repeats a repeated group, which can take exponential time on a long pod name`,
      'match without nesting repetitions, e.g. "(spark|flink)-driver" instead of "(spark-+)+driver"',
    );
  }
  try {
    return new RegExp(pattern, 'i');
  } catch {
    throw invalidArgument(
      `invalid attribution rules at computeTypeNameRules.${index}.pattern: "${pattern}" is not a regular expression`,
      'write a JavaScript regular expression such as "jupyter|notebook"',
    );
  }
}

const PLACEHOLDER = /\{(project|user|owner|\*)\}/g;

function compilePattern(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  let source = '^';
  let last = 0;
  for (const m of pattern.matchAll(PLACEHOLDER)) {
    source += escapeRegex(pattern.slice(last, m.index));
    source += '(.+)';
    names.push(m[1] === 'owner' ? 'user' : (m[1] as string));
    last = (m.index ?? 0) + m[0].length;
  }
  source += `${escapeRegex(pattern.slice(last))}$`;
  if (names.length === 0) {
    throw invalidArgument(
      `invalid attribution rules at namespacePattern: "${pattern}" has no placeholder`,
      'use {project} and/or {user}, e.g. "{project}-{user}"',
    );
  }
  return { regex: new RegExp(source), names };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

import { createRequire } from 'node:module';
import type * as Zod from 'zod';
import { invalidArgument } from '../domain/errors.js';
import { MAX_REPETITION_COST, repetitionCost } from './regex-cost.js';

/**
 * Attribution rules: how a pod's labels, namespace and name map to who pays (owner), the project,
 * its id and the compute type. Rules are data so that each cluster can override them (SPEC §6).
 * The first rule that yields a value wins.
 *
 * zod is loaded on the first rules that need validating: it takes ~70 ms to load, and
 * `kubetally top` and the live views on the default rules never need it.
 */
/** Pod-name rules per cluster, and characters per pattern: far more than any real set needs. */
const MAX_NAME_RULES = 32;
const MAX_PATTERN_LENGTH = 256;
const MAX_PLACEHOLDERS = 4;

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
      // Each pattern is tried on every pod name of every interval, on the thread that serves the
      // API of every tenant: their number and size are bounded as their cost is (safeRegex).
      computeTypeNameRules: z
        .array(z.object({ pattern: z.string().min(1).max(MAX_PATTERN_LENGTH), type: z.string().min(1) }))
        .max(MAX_NAME_RULES)
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

/**
 * Whether a pattern repeats a group that holds a repetition, or alternatives that can begin alike:
 * `(a+)+`, `((x*))*`, `(a|ab)*b`, `(\\w|-)+`, the shapes whose backtracking can take exponential
 * time. `(spark|flink)+` is fine: its alternatives begin with different letters. Character
 * classes and escapes are read as what they are.
 */
export function repeatsAmbiguousGroup(pattern: string): boolean {
  interface Group {
    quantified: boolean;
    /** The first character of each alternative; `''` for one that begins with a class, escape, group or dot. */
    firsts: string[];
    atStart: boolean;
  }
  const open: Group[] = [];
  const top = () => open[open.length - 1];
  const begin = (first: string) => {
    const g = top();
    if (g?.atStart === true) {
      g.firsts.push(first);
      g.atStart = false;
    }
  };
  let lastRisky = false; // the token just read is a group that must not be repeated
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' || c === '+' || c === '{') {
      if (lastRisky) return true;
      const g = top();
      if (g !== undefined) g.quantified = true;
      lastRisky = false;
      continue;
    }
    if (c === '?') continue; // optional, or lazy: repeats nothing more
    lastRisky = false;
    if (c === '\\') {
      begin('');
      i++;
    } else if (c === '[') {
      begin('');
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
    } else if (c === '(') {
      begin('');
      open.push({ quantified: false, firsts: [], atStart: true });
      // (?:  (?=  (?!  (?<=  (?<!  (?<name>  are group syntax, not its first character.
      if (pattern[i + 1] === '?') {
        const name = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(pattern.slice(i + 1));
        if (name !== null) i += name[0].length;
      }
    } else if (c === ')') {
      const g = open.pop();
      if (g === undefined) continue;
      const alike = g.firsts.includes('') || new Set(g.firsts).size < g.firsts.length;
      lastRisky = g.quantified || (g.firsts.length > 1 && alike);
      const outer = top();
      if (outer !== undefined && g.quantified) outer.quantified = true;
    } else if (c === '|') {
      const g = top();
      if (g !== undefined) g.atStart = true;
    } else begin(c === '.' ? '' : c.toLowerCase());
  }
  return false;
}

function safeRegex(pattern: string, index: number): RegExp {
  if (repeatsAmbiguousGroup(pattern)) {
    throw invalidArgument(
      `invalid attribution rules at computeTypeNameRules.${index}.pattern: "${pattern}" repeats a group that holds a repetition or alternatives that begin alike, which can take exponential time on a long pod name`,
      'match without repeating such a group, e.g. "(spark|flink)-driver" instead of "(spark-+)+driver", or "[ab]+" instead of "(a|ab)+"',
    );
  }
  if (repetitionCost(pattern) > MAX_REPETITION_COST) {
    throw invalidArgument(
      `invalid attribution rules at computeTypeNameRules.${index}.pattern: "${pattern}" has more repetitions than two unbounded ones (*, +, {n,}), which can take seconds on a long pod name`,
      'use at most two unbounded repetitions, e.g. "^spark-.*-driver$" instead of ".*spark.*-.*driver.*"',
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
  const unknown = [...pattern.matchAll(/\{([^{}]*)\}/g)]
    .map((m) => m[0])
    .filter((p) => !p.match(PLACEHOLDER));
  if (unknown.length > 0) {
    throw invalidArgument(
      `invalid attribution rules at namespacePattern: "${pattern}" has unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
      'the placeholders are {project}, {user} (or {owner}) and {*}, e.g. "{project}-{user}"',
    );
  }
  // Each placeholder is a `(.+)` of its own: with more of them, a namespace that does not match
  // (63 characters at most) is split in so many ways that one takes seconds (5: ms; 7: 0.6 s).
  if (names.length > MAX_PLACEHOLDERS) {
    throw invalidArgument(
      `invalid attribution rules at namespacePattern: "${pattern}" has ${names.length} placeholders, more than ${MAX_PLACEHOLDERS}`,
      'each placeholder is tried at every split of the namespace: use {project} and {user}, and {*} for at most two other parts',
    );
  }
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

import { KubetallyError } from '../domain/errors.js';

/**
 * Label and field selectors as the API server parses them (apimachinery `labels/selector.go`
 * and `fields/selector.go`), so that the simulator answers `?labelSelector=` like a real
 * cluster and the CLI can check `-l` before sending it.
 */
export type LabelOperator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | '>' | '<';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  matches(labels: Readonly<Record<string, string>>): boolean;
  /** Canonical form, requirements sorted by key, as `labels.Parse(s).String()`. */
  toString(): string;
  isEmpty(): boolean;
}

export interface FieldTerm {
  readonly field: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

export interface FieldSelector {
  readonly terms: readonly FieldTerm[];
  matches(get: (field: string) => string | undefined): boolean;
  isEmpty(): boolean;
}

type Token =
  | { kind: 'id'; text: string }
  | { kind: 'op'; text: '=' | '==' | '!=' | '!' | '(' | ')' | ',' | '>' | '<' }
  | { kind: 'end'; text: '' };

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (WHITESPACE.has(c)) {
      i += 1;
    } else if (SPECIAL.has(c)) {
      const two = text.slice(i, i + 2);
      if (two === '==' || two === '!=') {
        tokens.push({ kind: 'op', text: two });
        i += 2;
      } else {
        tokens.push({ kind: 'op', text: c as '=' });
        i += 1;
      }
    } else {
      let j = i;
      while (j < text.length && !SPECIAL.has(text[j] as string) && !WHITESPACE.has(text[j] as string)) j += 1;
      tokens.push({ kind: 'id', text: text.slice(i, j) });
      i = j;
    }
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

function parseError(detail: string): KubetallyError {
  return new KubetallyError('INVALID_ARGUMENT', `unable to parse requirement: ${detail}`, {
    hint: 'write requirements like app=web, tier!=db, env in (prod,staging), !legacy, joined by commas',
  });
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

// apimachinery's validation messages (util/validation), word for word.
const QUALIFIED_NAME_ERROR =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_ERROR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const SUBDOMAIN_ERROR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** validation.IsQualifiedName: what is wrong with a label key, if anything. */
function keyProblems(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) {
    return [
      `a qualified name ${QUALIFIED_NAME_ERROR} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const problems: string[] = [];
  const name = parts[parts.length - 1] as string;
  if (parts.length === 2) {
    const prefix = parts[0] as string;
    if (prefix === '') problems.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) problems.push('prefix part must be no more than 253 characters');
      if (!DNS_SUBDOMAIN.test(prefix)) problems.push(`prefix part ${SUBDOMAIN_ERROR}`);
    }
  }
  if (name === '') problems.push('name part must be non-empty');
  else if (name.length > 63) problems.push('name part must be no more than 63 characters');
  if (!NAME.test(name)) problems.push(`name part ${QUALIFIED_NAME_ERROR}`);
  return problems;
}

/** validation.IsValidLabelValue. */
function valueProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push('must be no more than 63 characters');
  if (value !== '' && !NAME.test(value)) problems.push(LABEL_VALUE_ERROR);
  return problems;
}

/**
 * labels.NewRequirement's checks, in its order (key, operator, each value of the sorted set),
 * as one error the way an aggregate of field errors prints.
 */
function checkRequirement(r: LabelRequirement): void {
  const errors: string[] = [];
  const invalid = (field: string, value: string, problems: string[]) =>
    errors.push(`${field}: Invalid value: ${JSON.stringify(value)}: ${problems.join('; ')}`);
  const keyIssues = keyProblems(r.key);
  if (keyIssues.length > 0) invalid('key', r.key, keyIssues);
  if (r.operator === '>' || r.operator === '<') {
    r.values.forEach((v, i) => {
      const int64 = /^[+-]?\d+$/.test(v) && BigInt.asIntN(64, BigInt(v)) === BigInt(v);
      if (!int64) invalid(`values[${i}]`, v, ["for 'Gt', 'Lt' operators, the value must be an integer"]);
    });
  }
  r.values.forEach((v, i) => {
    const issues = valueProblems(v);
    if (issues.length > 0) invalid(`values[${i}][${r.key}]`, v, issues);
  });
  if (errors.length === 1) throw parseError(errors[0] as string);
  if (errors.length > 1) throw parseError(`[${errors.join(', ')}]`);
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }
  private next(): Token {
    return this.tokens[this.pos++] as Token;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    if (this.peek().kind === 'end') return reqs;
    for (;;) {
      reqs.push(this.requirement());
      const t = this.next();
      if (t.kind === 'end') return reqs;
      if (t.text !== ',') throw parseError(`found '${t.text}', expected: ',' or 'end of string'`);
    }
  }

  private requirement(): LabelRequirement {
    let t = this.next();
    if (t.kind === 'op' && t.text === '!') {
      t = this.next();
      if (t.kind !== 'id') throw parseError(`found '${t.text}', expected: identifier after '!'`);
      return checked({ key: t.text, operator: '!', values: [] });
    }
    if (t.kind !== 'id') throw parseError(`found '${t.text}', expected: !, identifier, or 'end of string'`);
    const key = t.text;
    const op = this.peek();
    if (op.kind === 'end' || op.text === ',') return checked({ key, operator: 'exists', values: [] });
    this.next();
    if (op.kind === 'id' && (op.text === 'in' || op.text === 'notin')) {
      return checked({ key, operator: op.text, values: this.set() });
    }
    if (op.kind === 'op' && (op.text === '=' || op.text === '==' || op.text === '!=')) {
      return checked({ key, operator: op.text === '!=' ? '!=' : '=', values: [this.singleValue()] });
    }
    if (op.kind === 'op' && (op.text === '>' || op.text === '<')) {
      return checked({ key, operator: op.text, values: [this.singleValue()] });
    }
    throw parseError(`found '${op.text}', expected: in, notin, =, ==, !=, gt, lt`);
  }

  private singleValue(): string {
    const t = this.peek();
    if (t.kind === 'end' || (t.kind === 'op' && t.text === ',')) return '';
    if (t.kind !== 'id') throw parseError(`found '${t.text}', expected: identifier`);
    this.next();
    return t.text;
  }

  private set(): string[] {
    const open = this.next();
    if (open.text !== '(') throw parseError(`found '${open.text}', expected: '('`);
    const values: string[] = [];
    let expectValue = true;
    for (;;) {
      const t = this.next();
      if (t.kind === 'id') {
        if (!expectValue) throw parseError(`found '${t.text}', expected: ',' or ')'`);
        values.push(t.text);
        expectValue = false;
      } else if (t.text === ',') {
        if (expectValue) values.push('');
        expectValue = true;
      } else if (t.text === ')') {
        if (expectValue) values.push('');
        return [...new Set(values)].sort();
      } else {
        throw parseError(`found '${t.text}', expected: ',', ')' or identifier`);
      }
    }
  }
}

function checked(r: LabelRequirement): LabelRequirement {
  checkRequirement(r);
  return r;
}

function requirementMatches(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case '=':
    case 'in':
      return has && r.values.includes(value as string);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value as string);
    case 'exists':
      return has;
    case '!':
      return !has;
    case '>':
    case '<': {
      if (!has || !/^[+-]?\d+$/.test(value as string)) return false;
      const a = BigInt(value as string);
      const b = BigInt(r.values[0] as string);
      return r.operator === '>' ? a > b : a < b;
    }
  }
}

function requirementString(r: LabelRequirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
    default:
      return `${r.key}${r.operator}${r.values[0] ?? ''}`;
  }
}

/** Parses a label selector; empty text selects everything. Errors read like the API server's. */
export function parseLabelSelector(text: string | undefined): LabelSelector {
  const requirements = new Parser(tokenize(text ?? ''))
    .parse()
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    requirements,
    matches: (labels) => requirements.every((r) => requirementMatches(r, labels)),
    toString: () => requirements.map(requirementString).join(','),
    isEmpty: () => requirements.length === 0,
  };
}

/** Splits on separators not escaped with a backslash. */
function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      current += c + (text[i + 1] as string);
      i += 1;
    } else if (c === sep) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function unescapeFieldValue(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === '\\') {
      const n = raw[i + 1];
      if (n !== '\\' && n !== ',' && n !== '=') throw fieldError(`invalid field selector value: "${raw}"`);
      out += n;
      i += 1;
    } else if (c === ',' || c === '=') {
      throw fieldError(`invalid field selector value: "${raw}": unescaped ${c}`);
    } else {
      out += c;
    }
  }
  return out;
}

function fieldError(message: string): KubetallyError {
  return new KubetallyError('INVALID_ARGUMENT', message, {
    hint: 'write terms like status.phase=Running or spec.nodeName!=node-a, joined by commas',
  });
}

/** Parses a field selector (`=`, `==`, `!=`, joined by `,`; `\,` `\=` `\\` escape inside values). */
export function parseFieldSelector(text: string | undefined): FieldSelector {
  const terms: FieldTerm[] = [];
  if (text !== undefined && text.trim() !== '') {
    for (const part of splitUnescaped(text, ',')) {
      const m = /^([^=!]*)(!=|==|=)(.*)$/s.exec(part);
      if (m === null) throw fieldError(`invalid selector: '${text}'; can't understand '${part}'`);
      const field = (m[1] as string).trim();
      if (field === '') throw fieldError(`invalid selector: '${text}'; can't understand '${part}'`);
      terms.push({ field, op: m[2] === '!=' ? '!=' : '=', value: unescapeFieldValue(m[3] as string) });
    }
  }
  return {
    terms,
    matches: (get) =>
      terms.every((t) => {
        const v = get(t.field) ?? '';
        return t.op === '=' ? v === t.value : v !== t.value;
      }),
    isEmpty: () => terms.length === 0,
  };
}

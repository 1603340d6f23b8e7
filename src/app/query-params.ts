/** Query parameters of the read use-cases (API and CLI): time ranges, groupings, steps, CSV. */
import { invalidArgument } from '../domain/errors.js';
import { parseTime } from '../domain/time.js';
import type { GroupKey, Step } from '../ledger/types.js';

const GROUP_KEYS: readonly GroupKey[] = ['tenant', 'cluster', 'owner', 'project', 'namespace', 'computeType'];
const STEPS: readonly Step[] = ['interval', 'hour', 'day', 'total'];

export interface RangeQuery {
  from?: string;
  to?: string;
}

/** `from` (default 7 days ago) and `to` (default now), RFC 3339 or relative (`-7d`). */
export function range(q: RangeQuery, now = Date.now()): { from: number; to: number } {
  const from = parseTime(q.from ?? '-7d', now);
  const to = parseTime(q.to ?? 'now', now);
  checkRange({ from, to }, q);
  return { from, to };
}

/** A range must hold time: `from` before `to` (which is exclusive). */
export function checkRange(at: { from: number; to: number }, q: RangeQuery): void {
  const fromText = q.from ?? '-7d';
  const toText = q.to ?? 'now';
  if (at.from === at.to) {
    throw invalidArgument(
      `from and to are the same time (${fromText}, ${toText}): the range is empty`,
      'to is exclusive: give a later to, e.g. the next day',
    );
  }
  if (at.from > at.to) throw invalidArgument(`from (${fromText}) must be before to (${toText})`, 'swap them');
}

export function groupBy(text: string | undefined, fallback: GroupKey[]): GroupKey[] {
  if (text === undefined) return fallback;
  const hint = `use any of ${GROUP_KEYS.join(', ')}, comma-separated (default ${fallback.join(',')})`;
  if (text.trim() === '') throw invalidArgument('groupBy is empty', hint);
  // `compute-type` as `kubetally top --by` and the label spell it.
  const keys = text.split(',').map((k) => (k.trim() === 'compute-type' ? 'computeType' : k.trim()));
  for (const [i, k] of keys.entries()) {
    if (!GROUP_KEYS.includes(k as GroupKey)) throw invalidArgument(`invalid groupBy "${k}"`, hint);
    if (keys.indexOf(k) !== i) throw invalidArgument(`groupBy names "${k}" twice`, hint);
  }
  return keys as GroupKey[];
}

export function step(text: string | undefined, fallback: Step): Step {
  if (text === undefined) return fallback;
  if (!STEPS.includes(text as Step))
    throw invalidArgument(`invalid step "${text}"`, `use ${STEPS.join(', ')}`);
  return text as Step;
}

/** Nested objects become dotted columns (`allocated.cpuCost`); lists are written as JSON. */
function flatten(row: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}) {
  for (const [k, v] of Object.entries(row)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      flatten(v as Record<string, unknown>, `${prefix}${k}.`, out);
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

/**
 * Rows as CSV: the columns of the first row (group keys first), in order. `template` (a row of
 * the answer's shape) gives the header when there is no row, so that an empty answer is still a
 * CSV file with its columns. Column names are cells too: a nested map's keys (a price sheet's
 * instance types and storage classes) are the caller's text.
 */
export function toCsv(input: readonly object[], template?: object): string {
  const rows = input.map((r) => flatten(r as Record<string, unknown>));
  const keys =
    rows.length === 0 && template !== undefined ? [flatten(template as Record<string, unknown>)] : rows;
  const columns = [...new Set(keys.flatMap((r) => Object.keys(r)))];
  return (
    [columns, ...rows.map((r) => columns.map((c) => r[c]))].map((r) => r.map(csvCell).join(',')).join('\n') +
    '\n'
  );
}

/**
 * One CSV cell: quoted when it holds a quote, comma or line break, or a semicolon or tab; text a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first, and not a number) gets
 * a leading `'` (OWASP's advice: names come from cluster labels and API callers). So does a
 * formula character after a semicolon, tab or line break inside the text: a spreadsheet whose
 * locale separates cells by `;` (or one told tab) starts a cell there, and a quote in the middle of
 * what it reads as a cell does not hold it together.
 */
export function csvCell(v: unknown): string {
  const text = v === null || v === undefined ? '' : Array.isArray(v) ? JSON.stringify(v) : String(v);
  const s = Number.isFinite(Number(text))
    ? text
    : text.replace(FORMULA_AFTER_BREAK, "$1'").replace(FORMULA_FIRST, "'");
  return /[",;\t\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** What makes a cell a formula, first in the text or after where a spreadsheet may start a cell. */
const FORMULA_FIRST = /^(?=[=+\-@\t\r])/;
const FORMULA_AFTER_BREAK = /([;\t\r\n])(?=[=+\-@\t\r])/g;

/** Output helpers shared by the CLI commands: aligned tables and CSV. */
import { csvCell } from '../app/query-params.js';

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('   ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

export function csv(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [headers, ...rows].map((r) => r.map((c) => csvCell(c)).join(',')).join('\n') + '\n';
}

export type OutputFormat = 'table' | 'json' | 'csv';

/** A group key as a table column title: `computeType` → `COMPUTE TYPE`, `owner` → `OWNER`. */
export function keyTitle(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

/** The note on stderr when a range holds gaps (time not accounted, never shown as zero). */
export function gapNote(count: number): string {
  return `${count} gap(s) in this range: time kubetally could not account, not counted as zero (see -o json)\n`;
}

const fixedFormats = new Map<number, Intl.NumberFormat>();

/**
 * `v` with `places` decimals, a half rounded up (away from zero) as pricing rounds. `toFixed`
 * rounds the binary double instead: 1.005 (stored as 1.00499…) printed as 1.00 and 2.675 as 2.67.
 * Intl rounds the shortest decimal that reads back as `v`, which is the exact decimal the API gives.
 */
export function fixed(v: number, places: number): string {
  let f = fixedFormats.get(places);
  if (f === undefined) {
    f = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: places,
      maximumFractionDigits: places,
      roundingMode: 'halfExpand',
      useGrouping: false,
    });
    fixedFormats.set(places, f);
  }
  return f.format(v);
}

/**
 * The row cap of usage and cost answers (`UsageQuery.maxRows`): the query reads one row more than
 * the cap, so that an answer too large is told without reading it all.
 */
import { invalidArgument } from '../domain/errors.js';

export function rowLimitSql(maxRows: number | undefined): string {
  return maxRows === undefined ? '' : `LIMIT ${Math.max(0, Math.floor(maxRows)) + 1}`;
}

export function checkRowCap(rows: number, maxRows: number | undefined): void {
  if (maxRows === undefined || rows <= maxRows) return;
  throw invalidArgument(
    `the answer would hold more than ${maxRows} rows`,
    'narrow the range (from, to), ask a coarser step (hour, day or total), group by fewer keys, or filter by cluster, owner, project or namespace',
  );
}

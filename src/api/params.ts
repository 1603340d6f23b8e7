/** JSON schema of the shared query parameters, for request validation and OpenAPI. */
import type { FastifyReply } from 'fastify';
import { toCsv } from '../app/query-params.js';

export { groupBy, range, step, toCsv } from '../app/query-params.js';

export const rangeSchema = {
  from: { type: 'string', maxLength: 64, description: 'RFC 3339 or relative (-7d); default -7d' },
  to: { type: 'string', maxLength: 64, description: 'RFC 3339 or relative; default now (exclusive)' },
} as const;

export const FORMAT = { type: 'string', enum: ['json', 'csv'], description: 'csv: the list as CSV' } as const;

/** A list answer as JSON, or with `format=csv` its list (`rows`) as CSV. */
export function listAnswer<T extends object>(
  reply: FastifyReply,
  format: string | undefined,
  body: T,
  rows: readonly object[],
): T | FastifyReply {
  if (format !== 'csv') return body;
  return reply.header('content-type', 'text/csv; charset=utf-8').send(toCsv(rows));
}

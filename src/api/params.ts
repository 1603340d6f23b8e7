/** JSON schema of the shared query parameters, for request validation and OpenAPI. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalidArgument } from '../domain/errors.js';
import { toCsv } from '../app/query-params.js';

export { checkRange, groupBy, range, step, toCsv } from '../app/query-params.js';

export const rangeSchema = {
  from: { type: 'string', maxLength: 64, description: 'RFC 3339 or relative (-7d); default -7d' },
  to: { type: 'string', maxLength: 64, description: 'RFC 3339 or relative; default now (exclusive)' },
} as const;

/**
 * Strings checked by a pattern. A value that does not match is told what it must be (the
 * `description`), not the regular expression (errors.ts looks the pattern up here).
 */
export const DNS_LABEL = {
  type: 'string',
  pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$',
  description:
    'a DNS label (lower-case letters, digits and dashes, starting and ending with a letter or digit, at most 63 characters)',
} as const;
export const TOKEN_ID = {
  type: 'string',
  pattern: '^[0-9a-f]{1,64}$',
  description: 'a token id (the hex digits between kt_ and the next _)',
} as const;
export const HISTORY_LIMIT = {
  type: 'string',
  pattern: '^([1-9][0-9]{0,2}|1000)$',
  description: 'an integer from 1 to 1000',
} as const;

const PATTERNED: ReadonlyMap<string, string> = new Map(
  [DNS_LABEL, TOKEN_ID, HISTORY_LIMIT].map((s) => [s.pattern, s.description]),
);

/** What a value refused by `pattern` must be, when the pattern is one of the above. */
export function patternMeaning(pattern: unknown): string | undefined {
  return typeof pattern === 'string' ? PATTERNED.get(pattern) : undefined;
}

export const FORMAT = { type: 'string', enum: ['json', 'csv'], description: 'csv: the list as CSV' } as const;

/**
 * A list answer as JSON, or with `format=csv` its list (`rows`) as CSV; `template` (a row of the
 * list's shape) gives the header line when the list is empty.
 */
export function listAnswer<T extends object>(
  reply: FastifyReply,
  format: string | undefined,
  body: T,
  rows: readonly object[],
  template?: object,
): T | FastifyReply {
  if (format !== 'csv') return body;
  return reply.header('content-type', 'text/csv; charset=utf-8').send(toCsv(rows, template));
}

/**
 * For routes that take no body (`/test`, `/collect`): fields sent there would be ignored without a
 * word, so they are refused as unknown fields are elsewhere. No body, or `{}`, is fine.
 */
export async function noBody(req: FastifyRequest): Promise<void> {
  const body = req.body;
  if (body === undefined || body === null) return;
  const isObject = typeof body === 'object' && !Array.isArray(body);
  const field = isObject ? Object.keys(body)[0] : undefined;
  if (isObject && field === undefined) return;
  throw invalidArgument(
    field === undefined
      ? `${req.url.split('?')[0]} takes no body`
      : `invalid request: unknown body field "${field}"`,
    'send no body: see /api/v1/openapi.json',
  );
}

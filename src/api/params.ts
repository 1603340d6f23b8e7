/** JSON schema of the shared query parameters, for request validation and OpenAPI. */
export { groupBy, range, step, toCsv } from '../app/query-params.js';

export const rangeSchema = {
  from: { type: 'string', maxLength: 64, description: 'RFC 3339 or relative (-7d); default -7d' },
  to: { type: 'string', maxLength: 64, description: 'RFC 3339 or relative; default now (exclusive)' },
} as const;

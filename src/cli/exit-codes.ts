import type { ErrorCode } from '../domain/errors.js';

/**
 * Distinct exit codes so that scripts can tell failures apart. 1 is any other failure, 2 a usage
 * error caught by the argument parser.
 */
export const EXIT_CODES: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 2,
  INVALID_KUBECONFIG: 3,
  UNREACHABLE: 4,
  TIMEOUT: 5,
  UNAUTHORIZED: 6,
  FORBIDDEN: 7,
  METRICS_API_UNAVAILABLE: 8,
  SUMMARY_API_UNAVAILABLE: 8,
  NOT_FOUND: 9,
  CONFLICT: 10,
  MALFORMED_RESPONSE: 11,
  SERVER_ERROR: 12,
  EXPIRED: 12,
  RATE_LIMITED: 13,
  INTERNAL: 1,
};

/** The exit code of an error code reported as data (a source's, a test's), 1 when unknown or absent. */
export function exitCodeOf(code: string | undefined): number {
  return code !== undefined && Object.hasOwn(EXIT_CODES, code) ? EXIT_CODES[code as ErrorCode] : 1;
}

/**
 * Typed errors with stable codes. Domain code throws these; the HTTP layer maps them to a status
 * and the CLI to an exit code, each in exactly one place.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'INVALID_KUBECONFIG',
  'UNREACHABLE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'METRICS_API_UNAVAILABLE',
  'SUMMARY_API_UNAVAILABLE',
  'TIMEOUT',
  'MALFORMED_RESPONSE',
  'SERVER_ERROR',
  'EXPIRED',
  'RATE_LIMITED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface KubetallyErrorOptions {
  /** What the user can do about it, in one or two sentences. */
  hint?: string;
  /** HTTP status seen from a remote API, when there was one. */
  status?: number;
  /** Extra machine-readable facts (e.g. the missing RBAC rule). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class KubetallyError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly status: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: KubetallyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KubetallyError';
    this.code = code;
    this.hint = options.hint;
    this.status = options.status;
    this.details = options.details;
  }

  toJSON(): { code: ErrorCode; message: string; hint?: string } {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint };
  }
}

export function invalidArgument(message: string, hint?: string): KubetallyError {
  return new KubetallyError('INVALID_ARGUMENT', message, hint === undefined ? {} : { hint });
}

export function isKubetallyError(err: unknown, code?: ErrorCode): err is KubetallyError {
  return err instanceof KubetallyError && (code === undefined || err.code === code);
}

/**
 * The one place where errors become HTTP answers: `{"error": {"code", "message", "hint"}}` with a
 * fitting status. Errors that came from a cluster's API server (they carry its status) are a bad
 * gateway for us, or a failed dependency when it refused kubetally's credentials; nothing
 * unexpected ever leaks a stack trace.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isKubetallyError, type ErrorCode } from '../domain/errors.js';
import { patternMeaning } from './params.js';

const STATUS: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  INVALID_KUBECONFIG: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  EXPIRED: 410,
  RATE_LIMITED: 429,
  UNREACHABLE: 502,
  METRICS_API_UNAVAILABLE: 502,
  SUMMARY_API_UNAVAILABLE: 502,
  MALFORMED_RESPONSE: 502,
  SERVER_ERROR: 502,
  TIMEOUT: 504,
  INTERNAL: 500,
};

/** The media types a body is read as JSON from (PATCH takes merge patches too). */
const JSON_TYPE = /^\s*application\/(merge-patch\+)?json\s*(;|$)/i;

export interface ErrorBody {
  error: { code: string; message: string; hint: string };
}

/** Every error says what to do about it: the documented shape has a hint, always. */
export function errorBody(code: string, message: string, hint: string): ErrorBody {
  return { error: { code, message, hint } };
}

/** For an error raised without a hint of its own. */
const FALLBACK_HINT = 'see /docs for what this endpoint takes, and docs/api.md (Errors) for the code';

export function statusOf(err: unknown): number {
  if (isKubetallyError(err)) return err.status === undefined ? STATUS[err.code] : clusterStatus(err.code);
  return 500;
}

/**
 * The status of an error a cluster's API server answered (it carries that status). Its 401/403
 * is not the caller's: answered as such, a client would drop a good token (the dashboard signs
 * out). A refusal of kubetally's credentials or permissions is 424 Failed Dependency: the API
 * user must fix the cluster's kubeconfig or RBAC, which no retry does; anything else the cluster
 * answered is a bad gateway.
 */
function clusterStatus(code: ErrorCode): number {
  if (code === 'UNAUTHORIZED' || code === 'FORBIDDEN') return 424;
  return code === 'TIMEOUT' ? 504 : 502;
}

export function handleError(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  if (isKubetallyError(err)) {
    const status = statusOf(err);
    if (status >= 500) req.log.warn({ code: err.code, error: err.message }, 'request failed');
    const retryAfter = err.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    void reply.status(status).send(errorBody(err.code, err.message, err.hint ?? FALLBACK_HINT));
    return;
  }
  const fe = err as FastifyError;
  if (
    fe.validation !== undefined &&
    fe.validationContext === 'body' &&
    typeof req.body === 'string' &&
    !JSON_TYPE.test(String(req.headers['content-type']))
  ) {
    // A JSON body sent as text/plain arrives as one string: "body must be object" would not say why.
    // (A JSON string sent as JSON is the wrong JSON, and told so below.)
    void reply
      .status(415)
      .send(
        errorBody(
          'INVALID_ARGUMENT',
          `the body was sent as ${String(req.headers['content-type'] ?? 'text')}, not JSON`,
          'send Content-Type: application/json',
        ),
      );
    return;
  }
  const repeated =
    fe.validationContext === 'querystring' && fe.validation?.some((v) => v.keyword === 'type')
      ? repeatedParameter(req.query)
      : undefined;
  if (repeated !== undefined) {
    // `?groupBy=owner&groupBy=project` arrives as a list: "must be string" would not say why.
    void reply
      .status(400)
      .send(
        errorBody(
          'INVALID_ARGUMENT',
          `query parameter ${repeated.name} is given ${repeated.times} times`,
          repeated.name === 'groupBy'
            ? 'give it once, with the keys comma-separated: groupBy=owner,project'
            : `give ${repeated.name} once`,
        ),
      );
    return;
  }
  if (fe.validation !== undefined) {
    const extra = fe.validation.find((v) => v.keyword === 'additionalProperties');
    const name = extra?.params.additionalProperty;
    const unknown =
      typeof name === 'string' && extra !== undefined
        ? [...extra.instancePath.split('/').filter((p) => p !== ''), name].join('.')
        : undefined;
    const where =
      fe.validationContext === 'querystring' ? 'query parameter' : `${fe.validationContext} field`;
    // "must be equal to one of the allowed values" says which values only when told.
    const choices = fe.validation.find((v) => v.keyword === 'enum');
    const allowed = choices?.params.allowedValues;
    const listed = Array.isArray(allowed) ? `: ${allowed.map(String).join(', ')}` : '';
    // "must match pattern ^[a-z0-9]…$" says what the value must be, in words.
    const patterned = fe.validation.find((v) => patternMeaning(v.params.pattern) !== undefined);
    const problem =
      patterned === undefined
        ? `${fe.message}${listed}`
        : `${fe.validationContext ?? ''}${patterned.instancePath} must be ${patternMeaning(patterned.params.pattern)}`;
    void reply
      .status(400)
      .send(
        errorBody(
          'INVALID_ARGUMENT',
          typeof unknown === 'string'
            ? `invalid request: unknown ${where} "${unknown}"`
            : `invalid request: ${problem}`,
          'see /api/v1/openapi.json for the accepted fields and types (names are case-sensitive)',
        ),
      );
    return;
  }
  const status = fe.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const hints: Record<number, string> = {
      400: 'send a JSON body that parses (Content-Type: application/json)',
      413: 'bodies are limited to 1 MiB',
      415: 'send Content-Type: application/json',
    };
    void reply
      .status(status)
      .send(errorBody('INVALID_ARGUMENT', clientMessage(fe, req), hints[status] ?? FALLBACK_HINT));
    return;
  }
  req.log.error({ err: { message: err.message, stack: err.stack } }, 'unexpected error');
  void reply
    .status(500)
    .send(errorBody('INTERNAL', 'internal error', 'the error is logged with the request id; try again'));
}

/** fastify's message, or for a body of a type no route reads, that type ("Unsupported Media Type" says neither). */
function clientMessage(fe: FastifyError, req: FastifyRequest): string {
  if (fe.statusCode !== 415) return fe.message;
  const type = req.headers['content-type'];
  return type === undefined || type === ''
    ? 'the body was sent without a Content-Type'
    : `the body was sent as ${type}, not JSON`;
}

/** The first query parameter given more than once (the query parser makes it a list). */
function repeatedParameter(query: unknown): { name: string; times: number } | undefined {
  if (query === null || typeof query !== 'object') return undefined;
  const found = Object.entries(query).find(([, v]) => Array.isArray(v));
  return found === undefined ? undefined : { name: found[0], times: (found[1] as unknown[]).length };
}

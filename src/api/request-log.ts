/**
 * What a request's log line says about it. A URL is kept in logs for as long as they are, and read
 * by whoever reads them: a token put in the query string by mistake (`?token=`, `?access_token=`,
 * as other APIs take it) must not be written there. Values of the parameters the API reads are
 * kept (they say what was asked); any other parameter's value, and any text shaped like a
 * kubetally token, is replaced.
 */
import type { FastifyRequest } from 'fastify';

/** Every query parameter of the API (the OpenAPI document's); one missing here is only redacted. */
const API_PARAMETERS = new Set([
  'from',
  'to',
  'groupBy',
  'step',
  'cluster',
  'owner',
  'project',
  'namespace',
  'tenant',
  'format',
  'limit',
]);

export const REDACTED = '[REDACTED]';

/** A kubetally token (`kt_<id>_<secret>`), wherever it appears, raw or percent-encoded. */
const TOKEN_TEXT = /kt_[0-9a-f]+_[A-Za-z0-9_%-]+/gi;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

/** The URL as a log line may hold it. */
export function loggedUrl(url: string): string {
  const at = url.indexOf('?');
  const path = (at < 0 ? url : url.slice(0, at)).replace(TOKEN_TEXT, REDACTED);
  if (at < 0) return path;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      if (API_PARAMETERS.has(decoded(name))) return part.replace(TOKEN_TEXT, REDACTED);
      if (eq < 0) return part === '' ? '' : REDACTED;
      return `${name.replace(TOKEN_TEXT, REDACTED)}=${REDACTED}`;
    });
  return `${path}?${query.join('&')}`;
}

/** fastify's request log fields, with the URL as `loggedUrl` gives it. */
export function requestLogFields(req: FastifyRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: loggedUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

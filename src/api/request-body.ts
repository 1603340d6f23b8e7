/**
 * What a request carries, read and checked before any route sees it: JSON bodies parsed with
 * errors that say what is wrong (fastify's own parser says only "Body is not valid JSON"), and
 * parameters, query and body walked for what no route may receive.
 */
import { KubetallyError, invalidArgument } from '../domain/errors.js';

/** Deeper than any request of the API: a body nested further is refused, not walked. */
const MAX_DEPTH = 64;

/** A JSON body (`application/json`, `application/merge-patch+json`), parsed or refused with why. */
export function parseJsonBody(
  _req: unknown,
  body: string,
  done: (err: Error | null, value?: unknown) => void,
): void {
  if (body.trim() === '') {
    done(invalidArgument('the body is empty', 'send a JSON object, or no Content-Type without a body'));
    return;
  }
  try {
    done(null, JSON.parse(body));
  } catch (err) {
    // V8 says where: "Expected ',' or '}' after property value in JSON at position 12".
    done(
      invalidArgument(
        `the body is not valid JSON: ${(err as Error).message}`,
        'send a JSON object that parses',
      ),
    );
  }
}

export interface Refused {
  /** Where: `body.collection.__proto__`, `query.owner`. */
  at: string;
  what: string;
  hint: string;
}

const NUL = { what: 'a NUL character (\\u0000)', hint: 'remove it: names and text may not contain NUL' };
// JSON may escape half of a UTF-16 pair (`"\ud800"`): no UTF-8 text holds it, so the database
// would keep U+FFFD instead, and the name stored would not be the name answered.
const LONE_SURROGATE = {
  what: 'a lone UTF-16 surrogate (half of an escaped pair)',
  hint: 'send Unicode text: escape a character beyond U+FFFF as both halves of its pair, or send it as UTF-8',
};
const PROTOTYPE = {
  what: 'a key that would reach a prototype',
  hint: 'leave it out: no request of the API has such a key',
};

/**
 * Where a request's parameters, query or body hold what no route may receive, and what it is:
 * U+0000 in a string (PostgreSQL text cannot hold it), a lone surrogate, or a key that reaches an object's
 * prototype when assigned (`__proto__`, `constructor.prototype`). Walked with a stack of its own,
 * so that no nesting can exhaust the call stack.
 */
export function refusedIn(value: unknown): Refused | undefined {
  const stack: { v: unknown; at: string; depth: number }[] = [{ v: value, at: '', depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { v, at, depth } = item;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { at, ...NUL };
      if (/\p{Cs}/u.test(v)) return { at, ...LONE_SURROGATE };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_DEPTH) {
      throw new KubetallyError(
        'INVALID_ARGUMENT',
        `the request is nested more than ${MAX_DEPTH} levels deep`,
        {
          hint: 'send the fields the API documents (GET /api/v1/openapi.json); none is nested this deep',
        },
      );
    }
    for (const [k, x] of Object.entries(v)) {
      const path = at === '' ? k : `${at}.${k}`;
      if (k.includes('\u0000')) return { at: path, ...NUL };
      if (/\p{Cs}/u.test(k)) return { at: path, ...LONE_SURROGATE };
      const prototypeOf = k === 'constructor' && x !== null && typeof x === 'object' && 'prototype' in x;
      if (k === '__proto__' || prototypeOf) return { at: path, ...PROTOTYPE };
      stack.push({ v: x, at: path, depth: depth + 1 });
    }
  }
  return undefined;
}

// The HTTP API as the dashboard reads it: the token of this tab, and errors with their hint.

export const TOKEN_KEY = 'kubetally-token';

export class ApiError extends Error {
  constructor(status, body) {
    const e = body?.error;
    super(e ? `${e.message}${e.hint ? ` (${e.hint})` : ''}` : `the API answered ${status}`);
    this.status = status;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** GET /api/v1/{path}; a 403 (the token's role may not read it) comes back as null. */
export async function api(path, params = {}) {
  const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== undefined));
  const res = await fetch(`/api/v1/${path}${qs.size > 0 ? `?${qs}` : ''}`, {
    headers: { authorization: `Bearer ${token()}` },
  });
  if (res.status === 403) return null;
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

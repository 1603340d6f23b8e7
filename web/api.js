// The HTTP API as the dashboard reads it: the token of this tab, and errors with their hint.

export const TOKEN_KEY = 'kubetally-token';

export class ApiError extends Error {
  constructor(status, body) {
    const e = body?.error;
    super(e ? `${e.message}${e.hint ? ` (${e.hint})` : ''}` : `the API answered ${status}`);
    this.status = status;
    /** The API's message alone, where the page says in its own words what to do. */
    this.reason = e?.message;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function url(path, params) {
  const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== undefined));
  return `/api/v1/${path}${qs.size > 0 ? `?${qs}` : ''}`;
}

/** fetch with the token; no answer at all (server down, network gone) says so in words. */
async function get(address) {
  try {
    return await fetch(address, { headers: { authorization: `Bearer ${token()}` } });
  } catch {
    // fetch says only "Failed to fetch".
    throw new ApiError(0, {
      error: { message: 'the server did not answer', hint: 'is kubetally running at this address?' },
    });
  }
}

/** GET /api/v1/{path}; a 403 (the token's role may not read it) comes back as null. */
export async function api(path, params = {}) {
  const res = await get(url(path, params));
  if (res.status === 403) return null;
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

/**
 * GET /api/v1/{path} with format=csv, saved as a file. A plain link cannot carry the token (it
 * stays out of URLs), so the answer is fetched and handed to the browser as a download.
 */
export async function download(path, params, filename) {
  const res = await get(url(path, { ...params, format: 'csv' }));
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => undefined));
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await res.blob());
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

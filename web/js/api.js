// The JSON API of `chokepoint serve` (docs/server.md), called with the bearer
// token the user typed in. The token lives in sessionStorage only: it goes
// away with the browser tab and is never written anywhere else.

const KEY = 'chokepoint.token';

export function getToken() {
  return sessionStorage.getItem(KEY);
}

export function setToken(t) {
  sessionStorage.setItem(KEY, t);
}

export function clearToken() {
  sessionStorage.removeItem(KEY);
}

// Raised for any non-2xx answer; .status is the HTTP status, .message the
// server's error message ({"error":{"message":...}}).
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

// api('GET', '/v1/lists') -> parsed JSON. body: a string (sent as is) or an
// object (sent as JSON). token: overrides the stored one (sign-in check).
export async function api(method, path, { body, token, query } = {}) {
  const headers = { Accept: 'application/json' };
  const tok = token ?? getToken();
  if (tok) headers.Authorization = `Bearer ${tok}`;
  let data;
  if (body !== undefined) {
    if (typeof body === 'string') {
      data = body;
      headers['Content-Type'] = 'text/plain; charset=utf-8';
    } else {
      data = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
  }
  let url = path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const s = q.toString();
    if (s) url += `?${s}`;
  }
  let res;
  try {
    res = await fetch(url, { method, headers, body: data, cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new ApiError(0, `cannot reach the server (${e.message})`);
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const msg = json?.error?.message ?? `HTTP ${res.status}`;
    if (res.status === 401 && !token) onUnauthorized(msg);
    throw new ApiError(res.status, msg, json);
  }
  return json;
}

// The admin API, and nothing else: every call carries the token from this tab's session storage.

const TOKEN_KEY = 'sandbox-broker.admin-token';

/** The admin token of this tab. Never written to a URL, a cookie, localStorage or the console. */
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/**
 * A failed call, sorted by what the operator can do about it:
 * unauthorized (401), forbidden (403), unreachable (no answer), missing (this API has no such
 * route yet), http (any other error answer).
 */
export class ApiError extends Error {
  constructor(kind, message, { status = 0, code = null, requestId = null } = {}) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }

  get isAuth() {
    return this.kind === 'unauthorized' || this.kind === 'forbidden';
  }
}

/** A token the Authorization header can carry (fetch refuses other characters). */
export function plausibleToken(value) {
  return /^[\x21-\x7e]{1,1024}$/.test(value);
}

/** GET or POST {@code path} (same origin); resolves to the JSON body, rejects with an ApiError. */
export async function call(method, path, tokenValue = token.get()) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { Authorization: `Bearer ${tokenValue ?? ''}`, Accept: 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch (unreachable) {
    throw new ApiError('unreachable',
      `Cannot reach the broker API at ${location.origin}: it may be down or restarting. ` +
      'The page tries again at the next refresh.');
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (notJson) {
    body = null;
  }
  if (response.ok) {
    return body ?? {};
  }
  const detail = (body && body.detail) || {};
  const status = response.status;
  const code = detail.code ?? null;
  const requestId = detail.request_id ?? response.headers.get('X-Request-ID');
  const meta = { status, code, requestId };
  if (status === 401) {
    throw new ApiError('unauthorized',
      'The admin token was not accepted (401 UNAUTHORIZED). Sign in again with a valid admin token.', meta);
  }
  if (status === 403 && code === 'FORBIDDEN') {
    throw new ApiError('forbidden',
      'This token may not use the admin API (403 FORBIDDEN): it is probably a lab token. Sign in with an admin token.', meta);
  }
  // An unknown route answers 404 NOT_FOUND (not SANDBOX_NOT_FOUND) or 405: a feature of a later release.
  if ((status === 404 && (code === 'NOT_FOUND' || code === null)) || status === 405) {
    throw new ApiError('missing', `${method} ${path.split('?')[0]} is not available yet on this API.`, meta);
  }
  if (!body || !body.detail) {
    throw new ApiError('http', `The API answered HTTP ${status} without the broker's error envelope ` +
      '(a proxy or load balancer may be in the way).', meta);
  }
  throw new ApiError('http', `${status} ${code}: ${detail.message ?? ''}` +
    (requestId ? ` (request id ${requestId})` : ''), meta);
}

export function listPath(status, limit, cursor) {
  const query = new URLSearchParams();
  if (status) {
    query.set('status', status);
  }
  query.set('limit', String(limit));
  if (cursor) {
    query.set('cursor', cursor);
  }
  return `/v1/admin/sandboxes?${query}`;
}

// The one door to the server: JSON over fetch with the session cookie, the CSRF header on
// every state-changing request, and errors that carry the server's `reason`.

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken = null;
let unauthorizedHandler = null;
let passwordChangeHandler = null;

/** An answer the server refused; `reason` is the server's own words when it gave any. */
export class ApiError extends Error {
  constructor(status, reason, retryAfter = null) {
    super(reason);
    this.name = 'ApiError';
    this.status = status;
    this.reason = reason;
    this.retryAfter = retryAfter;
  }
}

/** Remembers the token from `POST /api/login` or `GET /api/session` (null after logout). */
export function setCsrfToken(token) {
  csrfToken = typeof token === 'string' && token !== '' ? token : null;
}

/** Called with the ApiError when a request answers 401 (session gone): show the login view. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

/** Called when the server says the password must change before anything else. */
export function onPasswordChangeRequired(handler) {
  passwordChangeHandler = handler;
}

/** `path` plus a query string built from `query`; empty values are left out, arrays repeat. */
export function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      for (const item of value) params.append(key, String(item));
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

/** What a request sent with `ifNoneMatch` resolves to when the server answers 304 Not Modified. */
export const NOT_MODIFIED = Symbol('not modified');

/**
 * Sends one request. Options: `query` (object), `json` (a value sent as JSON), or `body` +
 * `contentType` (sent as is, e.g. a File), `signal` (AbortSignal), `expect401` (the caller
 * handles 401 itself, as the login form does). Resolves to the parsed JSON, or null for 204.
 * With `withETag` it resolves to `{data, etag}`; with `ifNoneMatch` (an ETag from before) to
 * `NOT_MODIFIED` when nothing changed since.
 */
export async function request(method, path, options = {}) {
  const { query, json, body, contentType, signal, expect401 = false, text: asText = false, ifNoneMatch = null, withETag = false } = options;
  const headers = { Accept: asText ? 'text/csv, text/plain, application/json' : 'application/json' };
  if (ifNoneMatch) headers['If-None-Match'] = ifNoneMatch;
  let payload;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(json);
  } else if (body !== undefined) {
    payload = body;
    if (contentType) headers['Content-Type'] = contentType;
  }
  if (UNSAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response;
  try {
    response = await fetch(withQuery(path, query), {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (error) {
    if (error && error.name === 'AbortError') throw error;
    throw new ApiError(0, '서버에 연결할 수 없습니다 · Cannot reach the server');
  }

  if (response.status === 204) return null;
  if (response.status === 304 && ifNoneMatch) return NOT_MODIFIED;
  const text = await response.text();
  let data = null;
  let parsed = false;
  if (text) {
    try {
      data = JSON.parse(text);
      parsed = true;
    } catch {
      data = null;
    }
  }

  if (!response.ok) {
    const reason = (data && typeof data.reason === 'string' && data.reason)
      || `${response.status} ${response.statusText || 'error'}`.trim();
    const error = new ApiError(response.status, reason, response.headers.get('Retry-After'));
    if (response.status === 401 && !expect401 && unauthorizedHandler) {
      unauthorizedHandler(error);
    } else if (response.status === 403 && reason === 'password change required' && passwordChangeHandler) {
      passwordChangeHandler(error);
    }
    throw error;
  }
  if (asText) return text;
  if (text && !parsed) {
    throw new ApiError(response.status, '서버 응답이 JSON이 아닙니다 · The server answered with something that is not JSON');
  }
  return withETag ? { data, etag: response.headers.get('ETag') } : data;
}

export const api = {
  get: (path, options) => request('GET', path, options),
  post: (path, json, options = {}) => request('POST', path, { ...options, json }),
  put: (path, json, options = {}) => request('PUT', path, { ...options, json }),
  patch: (path, json, options = {}) => request('PATCH', path, { ...options, json }),
  del: (path, options) => request('DELETE', path, options),
  /** POSTs raw bytes (a File or Blob) as the body. */
  upload: (path, body, contentType, options = {}) => request('POST', path, { ...options, body, contentType }),
};

/** Text for an error caught around an api call, for showing inline. */
export function errorText(error) {
  if (error instanceof ApiError) {
    if (error.status === 429 && error.retryAfter) {
      return `${error.reason} — ${error.retryAfter}초 후 다시 시도 · retry in ${error.retryAfter} s`;
    }
    return error.reason;
  }
  if (error && error.message) return error.message;
  return String(error);
}

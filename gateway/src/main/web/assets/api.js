// The gateway's API from the browser: JSON in and out, the session cookie (SID) for identity, and
// the X-Requested-With header every cookie-authenticated write needs. A failure is an ApiError
// carrying the problem+json the gateway answered (title, detail, field, status).
export class ApiError extends Error {
  constructor(status, problem, location = null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.location = location;
    this.title = problem.title || (status ? `HTTP ${status}` : 'The shop cannot be reached');
    this.detail = problem.detail || '';
    this.field = problem.field;
    this.problem = problem;
  }
}

// request(path, options): {status, data, headers}; rejects with an ApiError unless 2xx or 304
export async function request(path, { method = 'GET', body, headers = {}, raw, cache } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (cache) init.cache = cache;
  if (method !== 'GET') init.headers['X-Requested-With'] = 'scaleout-web';
  if (raw !== undefined) init.body = raw;
  else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, { title: 'The shop cannot be reached', detail: 'Check your connection and try again.' });
  }
  const type = response.headers.get('content-type') || '';
  const data = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok && response.status !== 304) throw new ApiError(response.status, data || {}, response.headers.get('location'));
  return { status: response.status, data, headers: response.headers };
}

export const get = async (path) => (await request(path)).data;
export const post = async (path, body) => (await request(path, { method: 'POST', body })).data;
export const put = async (path, body, headers) => (await request(path, { method: 'PUT', body, headers })).data;
export const del = async (path, headers) => (await request(path, { method: 'DELETE', headers })).data;

// query({a: 1, b: ''}): "?a=1", leaving out empty values
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

// Talking to the service: the SCIM API (/scim/v2) and the console's admin API (/admin/api),
// with the bearer token kept for this browser tab (sessionStorage). Console requests carry
// `X-Scimkit-Actor: console`, so the audit log tells them apart and errors come back with
// scimkit's extension listing every error with its location.
const KEY = "scimkit.token";
export const SCIM_BASE = `${location.origin}/scim/v2`;
export const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERRORS_EXTENSION = "urn:scimkit:api:messages:2.0:Errors";

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

/** A failed request: `status`, `detail`, and `errors` ([{location, detail, scimType}]). */
export class ApiError extends Error {
  constructor(status, body) {
    const detail = body?.detail ?? body?.error ?? `the service answered ${status}`;
    super(detail);
    this.status = status;
    this.detail = detail;
    this.scimType = body?.scimType ?? null;
    this.errors = body?.[ERRORS_EXTENSION]?.errors ?? [{ detail, location: null, scimType: this.scimType }];
  }
}

async function call(method, url, { body, headers = {} } = {}) {
  const h = { Authorization: `Bearer ${token.get() ?? ""}`, "X-Scimkit-Actor": "console", ...headers };
  if (body !== undefined) h["Content-Type"] = "application/scim+json";
  const response = await fetch(url, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status === 401) window.dispatchEvent(new CustomEvent("scimkit:unauthorized"));
  if (!response.ok) throw new ApiError(response.status, json);
  return { json, etag: response.headers.get("etag") };
}

export const scim = {
  get: (path) => call("GET", SCIM_BASE + path).then((r) => r.json),
  list: (endpoint, params) => call("GET", `${SCIM_BASE}/${endpoint}?${new URLSearchParams(params)}`).then((r) => r.json),
  create: (endpoint, body) => call("POST", `${SCIM_BASE}/${endpoint}`, { body }).then((r) => r.json),
  patch: (endpoint, id, request, version) =>
    call("PATCH", `${SCIM_BASE}/${endpoint}/${encodeURIComponent(id)}`, {
      body: request,
      headers: version ? { "If-Match": version } : {},
    }).then((r) => r.json),
  remove: (endpoint, id, version) =>
    call("DELETE", `${SCIM_BASE}/${endpoint}/${encodeURIComponent(id)}`, { headers: version ? { "If-Match": version } : {} }),
};

export const adminApi = {
  audit: (params) => call("GET", `${location.origin}/admin/api/audit?${new URLSearchParams(params)}`).then((r) => r.json),
  stats: () => call("GET", `${location.origin}/admin/api/stats`).then((r) => r.json),
};

/** A SCIM filter string literal (RFC 7644 literals are JSON). */
export const literal = (value) => JSON.stringify(value);

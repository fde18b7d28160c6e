// HTTP plumbing of the service: the request as the SCIM handlers see it (`Call`), errors that
// carry response headers, structured logging, and writing responses. No SCIM rules here: error
// bodies come from scimkit (`error.toResponse()`, `errorResponse(error)`).
import { errorFromValue, errorResponse, ScimError } from "scimkit";

export const SCIM_JSON = "application/scim+json";
export const JSON_TYPES = ["application/scim+json", "application/json"];
/** scimkit's own default body limit (8 MiB). */
export const MAX_BODY = 8 * 1024 * 1024;

/** A SCIM error built by scimkit (`status` and, when there is one, `scimType`). */
export function scimError(status, detail, scimType, location) {
  const record = { status: String(status), detail };
  if (scimType) record.scimType = scimType;
  if (location) record.location = location;
  return errorFromValue(record);
}

/** A SCIM error that needs response headers too (405 `Allow`, 415 `Accept`). */
export class Refused extends Error {
  constructor(error, headers) {
    super(error.detail);
    this.error = error;
    this.headers = headers;
  }
}

/** A response without a body (304 Not Modified). */
export class StatusOnly extends Error {
  constructor(status, headers = []) {
    super(String(status));
    this.status = status;
    this.headers = headers;
  }
}

/** One structured log line (JSON on stdout: `wrangler tail` and Workers Logs parse it). */
export function log(level, event, fields = {}) {
  const line = JSON.stringify({ level, event, ...fields });
  if (level === "error") console.error(line);
  else console.log(line);
}

/** The current time as SCIM writes it (milliseconds, UTC). */
export const now = () => new Date().toISOString();

/**
 * A request to the SCIM API: an HTTP request under `/scim/v2`, or one operation of a bulk
 * request. `segments` are the path segments after the base; `actor` says who is calling
 * (`scim` for identity providers, `console` for the admin console, `bulk` inside /Bulk).
 */
export class Call {
  constructor({ method, segments, query = "", headers = new Headers(), bodyText, baseUrl, actor, requestId, path }) {
    this.method = method.toUpperCase();
    this.segments = segments;
    this.query = query;
    this.headers = headers;
    this.bodyText = bodyText;
    this.baseUrl = baseUrl;
    this.actor = actor;
    this.requestId = requestId;
    this.path = path;
  }

  /** From an HTTP request; `base` is the path prefix of the SCIM API (`/scim/v2`). */
  static fromRequest(request, url, base, requestId) {
    const rest = url.pathname.slice(base.length);
    const segments = rest.split("/").filter(Boolean).map(decodeSegment);
    return new Call({
      method: request.method,
      segments,
      query: url.search.replace(/^\?/, ""),
      headers: request.headers,
      bodyText: () => readBody(request),
      baseUrl: url.origin + base,
      actor: request.headers.get("x-scimkit-actor") === "console" ? "console" : "scim",
      requestId,
      path: url.pathname,
    });
  }

  /** One operation of a bulk request, run with this call's base URL and credentials. */
  child(method, path, data, version) {
    const headers = new Headers();
    if (version) headers.set("If-Match", version);
    const userAgent = this.header("user-agent");
    if (userAgent) headers.set("User-Agent", userAgent);
    return new Call({
      method,
      segments: path.split("?")[0].split("/").filter(Boolean).map(decodeSegment),
      headers,
      bodyText: async () => (data === undefined ? "" : JSON.stringify(data)),
      baseUrl: this.baseUrl,
      actor: this.actor === "console" ? "console" : "bulk",
      requestId: this.requestId,
      path: `${this.path.replace(/\/Bulk$/, "")}${path}`,
    });
  }

  header(name) {
    return this.headers.get(name);
  }

  /** The JSON body as text (scimkit reads it strictly: duplicate keys are refused, numbers
   *  stay as written); 415 for another content type or a `charset` other than UTF-8, 413
   *  beyond the limit, 400 `invalidSyntax` for bytes that are not UTF-8. */
  async body() {
    const contentType = this.header("content-type") ?? "";
    const type = contentType.split(";")[0].trim().toLowerCase();
    if (type && !JSON_TYPES.includes(type)) {
      throw new Refused(scimError(415, `the body must be ${JSON_TYPES.join(" or ")}`), [["Accept", JSON_TYPES.join(", ")]]);
    }
    // JSON is UTF-8 (RFC 8259 §8.1): a body declared in another charset is refused, never
    // decoded as if it were UTF-8.
    const other = charsetsOf(contentType).find((c) => !UTF8_LABELS.includes(c.toLowerCase()));
    if (other !== undefined) {
      throw new Refused(scimError(415, `the body must be UTF-8, not \`${excerpt(other)}\``), [["Accept", JSON_TYPES.join(", ")]]);
    }
    return this.bodyText();
  }

  toString() {
    return `${this.method} ${this.path}`;
  }
}

function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The names the Encoding Standard gives UTF-8 that clients send as a `charset`. */
const UTF8_LABELS = ["utf-8", "utf8"];

/** The `charset` parameters of a Content-Type (RFC 9110 §8.3.1: the name in any case, the
 *  value a token or a quoted string). */
function charsetsOf(contentType) {
  const found = [];
  const param = /;\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (const [, name, raw] of contentType.matchAll(param)) {
    if (name.toLowerCase() !== "charset") continue;
    const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw.trim();
    found.push(value);
  }
  return found;
}

/** User input cut to a short excerpt for a message. */
export function excerpt(value) {
  const text = String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** The body's bytes as text: UTF-8 only (RFC 8259 §8.1). Bytes that are not UTF-8 are the
 *  client's syntax error (RFC 7644 §3.12), never replaced by U+FFFD and stored. A UTF-8 byte
 *  order mark at the start is ignored, as RFC 8259 §8.1 allows (the decoder drops one; the
 *  Python server does the same). */
async function readBody(request) {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY) throw scimError(413, `the body is larger than ${MAX_BODY} bytes`);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.length > MAX_BODY) throw scimError(413, `the body is larger than ${MAX_BODY} bytes`);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw scimError(400, "the body is not valid UTF-8", "invalidSyntax");
  }
}

/** A JSON response (`application/scim+json` unless told otherwise). */
export function jsonResponse(status, body, headers = [], type = SCIM_JSON) {
  const h = new Headers(headers);
  if (body === null || body === undefined) return new Response(null, { status, headers: h });
  h.set("Content-Type", type);
  return new Response(JSON.stringify(body), { status, headers: h });
}

/**
 * Runs a handler and writes its answer; every failure becomes a SCIM error body. Identity
 * providers get the plain RFC 7644 §3.12 body (strict clients refuse unknown members); the
 * admin console gets scimkit's extension listing every error with its location.
 */
export async function respond(call, handler, extraHeaders = []) {
  let status;
  let headers;
  let body;
  try {
    try {
      ({ status, headers = [], body } = await handler());
    } catch (e) {
      if (e instanceof Refused) {
        e.error.refusedHeaders = e.headers;
        throw e.error;
      }
      throw e;
    }
  } catch (e) {
    if (e instanceof ScimError) {
      log(e.status >= 500 ? "error" : "info", "scim_error", {
        request: String(call),
        requestId: call.requestId,
        status: e.status,
        scimType: e.scimType,
        detail: e.detail,
      });
      status = e.status;
      headers = [...(e.refusedHeaders ?? [])];
      body = call.actor === "console" ? errorResponse(e) : e.toResponse();
      if (status === 401) headers.push(["WWW-Authenticate", 'Bearer realm="scim"']);
    } else if (e instanceof StatusOnly) {
      ({ status, headers } = e);
      body = null;
    } else {
      log("error", "internal_error", { request: String(call), requestId: call.requestId, error: String(e?.stack ?? e) });
      status = 500;
      headers = [];
      body = scimError(500, "internal error").toResponse();
    }
  }
  const response = jsonResponse(status, body, [...headers, ...extraHeaders]);
  if (call.method !== "HEAD") return response;
  // HEAD: what GET answers, without the body (RFC 9110 §9.3.2).
  return new Response(null, { status: response.status, headers: response.headers });
}

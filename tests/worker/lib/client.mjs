// A small SCIM client for the tests: the running service's URL and token come from the
// environment that tests/worker/run.sh sets (SCIM_URL = http://127.0.0.1:PORT, SCIM_TOKEN,
// WORKER_LOG = the file wrangler dev writes its output to, WORKER_STATE = its local D1).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ORIGIN = process.env.SCIM_URL ?? "http://127.0.0.1:8787";
export const BASE = `${ORIGIN}/scim/v2`;
export const TOKEN = process.env.SCIM_TOKEN ?? "scimkit-dev-token";

export const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
export const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

/** One request; `body` an object (sent as JSON), or a string or bytes (sent as they are). */
export async function request(method, path, body, { token = TOKEN, type = "application/scim+json", headers = {} } = {}) {
  const h = { ...headers };
  if (token !== null) h.Authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    payload = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
    h["Content-Type"] = type;
  }
  const url = path.startsWith("http") ? path : path.startsWith("/admin/") ? ORIGIN + path : BASE + path;
  // One turn of the event loop first: after `d1` (which blocks it for seconds), fetch would
  // otherwise reuse a kept-alive connection the service closed meanwhile ("other side closed").
  await new Promise((resolve) => setImmediate(resolve));
  const response = await fetch(url, { method, headers: h, body: payload });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text ? JSON.parse(text) : null,
    requestId: response.headers.get("x-request-id"),
  };
}

export const get = (path, opts) => request("GET", path, undefined, opts);
export const post = (path, body, opts) => request("POST", path, body, opts);
export const put = (path, body, opts) => request("PUT", path, body, opts);
export const del = (path, opts) => request("DELETE", path, undefined, opts);
export const patch = (path, operations, opts) =>
  request("PATCH", path, { schemas: [PATCH_OP], Operations: operations }, opts);

/** A unique suffix, so the tests can run against a database that already holds data. */
export const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

export async function createUser(userName, attributes = {}) {
  const answer = await post("/Users", { schemas: [USER], userName, ...attributes });
  if (answer.status !== 201) throw new Error(`create user ${userName}: ${answer.status} ${answer.text}`);
  return answer.json;
}

export async function createGroup(displayName, members = []) {
  const answer = await post("/Groups", { schemas: [GROUP], displayName, members: members.map((value) => ({ value })) });
  if (answer.status !== 201) throw new Error(`create group ${displayName}: ${answer.status} ${answer.text}`);
  return answer.json;
}

/** The structured log lines the service wrote for one request (by its X-Request-Id). */
export async function logLines(requestId, { event, wait = 3000 } = {}) {
  const file = process.env.WORKER_LOG;
  if (!file) return null;
  const deadline = Date.now() + wait;
  for (;;) {
    const lines = readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.startsWith("{") && l.includes(requestId))
      .map((l) => JSON.parse(l))
      .filter((l) => l.requestId === requestId && (!event || l.event === event));
    if (lines.length > 0 || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The audit events of one resource, oldest first. */
export async function auditOf(resourceType, resourceId) {
  const answer = await get(`/admin/api/audit?resourceType=${resourceType}&resourceId=${resourceId}&limit=200`);
  if (answer.status !== 200) throw new Error(`audit: ${answer.status} ${answer.text}`);
  return answer.json.events.reverse();
}

/** An RFC 7644 §3.12 error body with this status (and scimType). */
export function isScimError(answer, status, scimType = null) {
  return (
    answer.status === status &&
    answer.headers.get("content-type") === "application/scim+json" &&
    answer.json.schemas.includes(ERROR) &&
    answer.json.status === String(status) &&
    (answer.json.scimType ?? null) === scimType
  );
}

export const example = (path) => JSON.parse(readFileSync(new URL(`../../../examples/${path}`, import.meta.url), "utf8"));

/** The rows of one SQL statement run on the service's local D1 (`wrangler d1 execute`), to see
 *  what the API never shows (password hashes); null when WORKER_STATE is not set. */
export function d1(sql) {
  const state = process.env.WORKER_STATE;
  if (!state) return null;
  const app = fileURLToPath(new URL("../../../examples/worker/", import.meta.url));
  const out = execFileSync(`${app}node_modules/.bin/wrangler`, ["d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", sql], {
    cwd: app,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  return JSON.parse(out)[0].results;
}

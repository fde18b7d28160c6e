// A SCIM 2.0 service provider on Cloudflare Workers + D1, built on scimkit (WebAssembly).
//
//   /scim/v2/...      the SCIM API (src/scim.js) — bearer token `SCIM_TOKEN`
//   /admin/api/...    the console's own API: audit log, counts (src/admin.js) — same token
//   /                 the admin console (static assets in public/, served by Workers Assets)
//
// `import "scimkit"` resolves to the package's `workerd` entry, which imports the .wasm as a
// compiled module and calls `initSync({ module })` once per isolate. The registry and the
// storage mappings are built once per isolate too.
import { Mapping, Registry } from "scimkit";

import { admin } from "./admin.js";
import { Call, jsonResponse, log, respond, scimError } from "./http.js";
import { ScimService } from "./scim.js";
import { Store } from "./store.js";

const SCIM_BASE = "/scim/v2";
const ADMIN_BASE = "/admin/api";

const registry = new Registry();
/** One Store/ScimService per D1 binding (the binding object is stable within an isolate). */
const services = new WeakMap();

function serviceFor(env) {
  let service = services.get(env.DB);
  if (!service) {
    service = new ScimService(registry, new Store(env.DB, registry, Mapping));
    services.set(env.DB, service);
  }
  return service;
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const requestId = request.headers.get("cf-ray") ?? crypto.randomUUID();
    const idHeader = [["X-Request-Id", requestId]];
    const path = url.pathname;

    if (path === SCIM_BASE || path.startsWith(`${SCIM_BASE}/`)) {
      const call = Call.fromRequest(request, url, SCIM_BASE, requestId);
      return respond(
        call,
        async () => {
          await authenticate(request, env);
          return serviceFor(env).handle(call);
        },
        idHeader,
      );
    }
    if (path.startsWith(`${ADMIN_BASE}/`)) {
      try {
        await authenticate(request, env);
      } catch (e) {
        return jsonResponse(401, { error: e.detail }, [["WWW-Authenticate", 'Bearer realm="scim"'], ...idHeader], "application/json");
      }
      try {
        return await admin(request, url, path.slice(ADMIN_BASE.length), serviceFor(env).store);
      } catch (e) {
        log("error", "internal_error", { request: `${request.method} ${path}`, requestId, error: String(e?.stack ?? e) });
        return jsonResponse(500, { error: "internal error" }, idHeader, "application/json");
      }
    }
    // Everything else that is not a static asset (Workers Assets answers those first).
    if (env.ASSETS && request.method === "GET") return env.ASSETS.fetch(request);
    return jsonResponse(404, { error: `no such page: ${path}` }, idHeader, "application/json");
  },
};

/** The bearer token, compared in constant time (as SHA-256 digests of equal length). A service
 *  without a configured token refuses everything (fail closed). */
async function authenticate(request, env) {
  const expected = env.SCIM_TOKEN;
  if (typeof expected !== "string" || expected.length === 0) {
    log("error", "config_error", { detail: "SCIM_TOKEN is not set: every request is refused" });
    throw scimError(401, "a valid bearer token is required");
  }
  const [scheme, ...rest] = (request.headers.get("authorization") ?? "").split(" ");
  const token = rest.join(" ").trim();
  if (scheme.toLowerCase() !== "bearer" || token.length === 0) throw scimError(401, "a valid bearer token is required");
  const digest = async (s) => crypto.subtle.digest("SHA-256", new TextEncoder().encode(s));
  const [a, b] = await Promise.all([digest(token), digest(expected)]);
  if (!crypto.subtle.timingSafeEqual(a, b)) throw scimError(401, "a valid bearer token is required");
}

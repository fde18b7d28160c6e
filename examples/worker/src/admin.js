// The admin API used by the console (same bearer token as the SCIM API): the audit log and a
// few counts. Users and Groups themselves are managed through the SCIM API.
import { jsonResponse } from "./http.js";

const EVENTS = ["create", "replace", "patch", "deactivate", "reactivate", "delete", "membership"];

/** Routes `/admin/api/...`; `rest` is the path after `/admin/api`. */
export async function admin(request, url, rest, store) {
  if (request.method !== "GET") {
    return jsonResponse(405, { error: `${request.method} is not allowed here` }, [["Allow", "GET"]], "application/json");
  }
  if (rest === "/audit") return jsonResponse(200, await auditLog(store.db, url.searchParams), [], "application/json");
  if (rest === "/stats") return jsonResponse(200, await stats(store), [], "application/json");
  return jsonResponse(404, { error: `no endpoint ${url.pathname}` }, [], "application/json");
}

/**
 * GET /admin/api/audit?resourceType=User&resourceId=…&event=patch&before=SEQ&limit=50
 * → `{events: [{seq, at, event, resourceType, resourceId, display, actor, requestId, detail}],
 *    next: SEQ | null}`, newest first; `next` is the `before` of the following page.
 */
async function auditLog(db, params) {
  const where = [];
  const binds = [];
  const resourceType = params.get("resourceType");
  if (resourceType) {
    where.push(`"resource_type" = ?`);
    binds.push(resourceType);
  }
  const resourceId = params.get("resourceId");
  if (resourceId) {
    where.push(`"resource_id" = ?`);
    binds.push(resourceId);
  }
  const event = params.get("event");
  if (event && EVENTS.includes(event)) {
    where.push(`"event" = ?`);
    binds.push(event);
  }
  const before = Number.parseInt(params.get("before") ?? "", 10);
  if (Number.isSafeInteger(before)) {
    where.push(`"seq" < ?`);
    binds.push(before);
  }
  const limit = Math.min(Math.max(Number.parseInt(params.get("limit") ?? "50", 10) || 50, 1), 200);
  const sql =
    `SELECT * FROM "audit_log"${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY "seq" DESC LIMIT ?`;
  const { results } = await db.prepare(sql).bind(...binds, limit + 1).all();
  const events = results.slice(0, limit).map((r) => ({
    seq: r.seq,
    at: r.at,
    event: r.event,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    display: r.display,
    actor: r.actor,
    requestId: r.request_id,
    detail: JSON.parse(r.detail),
  }));
  return { events, next: results.length > limit ? events[events.length - 1].seq : null };
}

/** Counts for the console's header. */
async function stats(store) {
  const active = store.where("User", "active eq false");
  const [users, groups, inactive, events] = await store.db.batch([
    store.db.prepare(`SELECT COUNT(*) AS "n" FROM "users"`),
    store.db.prepare(`SELECT COUNT(*) AS "n" FROM "groups"`),
    store.db.prepare(`SELECT COUNT(*) AS "n" FROM "users" WHERE ${active.sql}`).bind(...active.params),
    store.db.prepare(`SELECT COUNT(*) AS "n" FROM "audit_log"`),
  ]);
  const n = (r) => r.results[0].n;
  return { users: n(users), groups: n(groups), inactiveUsers: n(inactive), events: n(events) };
}

// The SCIM 2.0 API (RFC 7643/7644) under /scim/v2. Every SCIM rule is scimkit's: validation
// and PATCH under the `compat` profile (what Entra ID and Okta really send is accepted, and each
// quirk is logged), filters as SQL, sorting, paging, projection, the ListResponse, `meta` and
// entity tags, preconditions, bulk planning, error bodies and the discovery documents. This
// module routes, and decides what the *service* owns: ids, timestamps, which attributes its
// store keeps unique, Users' `groups`, and the audit log — the same decisions as
// examples/python-server.
import {
  BulkRunner,
  etag,
  evaluatePreconditions,
  Filter,
  ListQuery,
  listResponseFromPage,
  refuseFilterInQuery,
  ScimError,
  serviceProviderConfig,
} from "scimkit";

import { excerpt, log, now, Refused, scimError, StatusOnly } from "./http.js";
import { Conflict } from "./store.js";

export const PROFILE = "compat";
// The profile reads Entra ID's `emails[type eq "work"].value eq "…"` (rule filterSubAttribute).
export const QUERY_OPTIONS = { maxCount: 1000, defaultCount: 100, profile: PROFILE };
export const BULK_LIMITS = { maxOperations: 100, maxPayloadSize: 1024 * 1024 };
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/** Attempts of a request whose writes met a concurrent change (optimistic concurrency), with
 *  a jittered pause between them. */
const ATTEMPTS = 10;

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Discovery takes no filter: 403 rather than an answer a client could take as filtered (the
 *  parameter's name read as scimkit reads query parameters: decoded, in any case). */
function refuseDiscoveryFilter(call) {
  refuseFilterInQuery(call.query);
}
const ok = (body, headers = []) => ({ status: 200, headers, body });

export class ScimService {
  constructor(registry, store) {
    this.registry = registry;
    this.store = store;
    /** What a User PATCH sees as the `password` of a User that has one: the stored value is a
     *  hash and never leaves `passwords`, but scimkit reports a `remove` (or a change) of the
     *  attribute only when the resource holds one. Random per isolate, so no client can send
     *  it; `patch` takes it out of the result before anything is stored, answered or audited. */
    this.storedPassword = `\u0000stored-password-${crypto.randomUUID()}`;
    /** Endpoint (`Users`) → resource type name (`User`). */
    this.endpoints = Object.fromEntries(
      registry.resourceTypes().Resources.map((rt) => [rt.endpoint.replace(/^\//, ""), rt.name]),
    );
  }

  /** Routes a call; returns `{status, headers, body}` or throws (ScimError, Refused, StatusOnly). */
  async handle(call) {
    const seg = call.segments;
    if (same(seg, ["ServiceProviderConfig"])) {
      allow(call, "GET");
      refuseDiscoveryFilter(call);
      const config = serviceProviderConfig(
        {
          filter: { supported: true, maxResults: QUERY_OPTIONS.maxCount },
          bulk: { supported: true, ...BULK_LIMITS },
          // Passwords can be set and changed (PUT, PATCH).
          changePassword: true,
        },
        call.baseUrl,
      );
      return ok(config);
    }
    if (seg[0] === "Schemas" && seg.length <= 2) {
      allow(call, "GET");
      refuseDiscoveryFilter(call);
      return ok(seg.length === 1 ? this.registry.schemas(call.baseUrl) : this.registry.schemaDocument(seg[1], call.baseUrl));
    }
    if (seg[0] === "ResourceTypes" && seg.length <= 2) {
      allow(call, "GET");
      refuseDiscoveryFilter(call);
      return ok(
        seg.length === 1
          ? this.registry.resourceTypes(call.baseUrl)
          : this.registry.resourceTypeDocument(seg[1], call.baseUrl),
      );
    }
    if (seg.length === 0) {
      // A query against the service root spans every resource type (RFC 7644 §3.4.2.1).
      allow(call, "GET");
      return ok(await this.searchAll(call, ListQuery.fromQueryString(call.query, QUERY_OPTIONS)));
    }
    if (same(seg, [".search"])) {
      allow(call, "POST");
      return ok(await this.searchAll(call, ListQuery.fromSearchRequest(await call.body(), QUERY_OPTIONS)));
    }
    if (same(seg, ["Bulk"])) {
      allow(call, "POST");
      return this.bulk(call);
    }
    if (same(seg, ["Me"])) throw scimError(501, "/Me is not supported by this service");
    return this.resource(call);
  }

  /** `/Users`, `/Groups` and their members. */
  async resource(call) {
    const seg = call.segments;
    const rtype = seg.length > 0 ? this.endpoints[seg[0]] : undefined;
    if (rtype === undefined || seg.length > 2) throw scimError(404, `no endpoint ${call.path}`);
    if (seg.length === 1) {
      allow(call, "GET", "POST");
      if (call.method === "POST") return this.create(call, rtype);
      return ok(await this.list(call, rtype, ListQuery.fromQueryString(call.query, QUERY_OPTIONS)));
    }
    if (seg[1] === ".search") {
      allow(call, "POST");
      return ok(await this.list(call, rtype, ListQuery.fromSearchRequest(await call.body(), QUERY_OPTIONS)));
    }
    allow(call, "GET", "PUT", "PATCH", "DELETE");
    const handler = { GET: this.get, HEAD: this.get, PUT: this.replace, PATCH: this.patch, DELETE: this.delete }[call.method];
    return handler.call(this, call, rtype, seg[1]);
  }

  // -- resources ------------------------------------------------------------------------------

  /** The full representation: `meta.location` under this base URL, `meta.version`. */
  present(call, rtype, resource) {
    return this.registry.fillMeta(rtype, resource, { baseUrl: call.baseUrl });
  }

  /** A resource answer: `ETag`, `Location` on 201, projected per `attributes` (`chosen`: read
   *  from the query string when not given). */
  answer(call, rtype, resource, status = 200, chosen = this.selectionOf(call)) {
    const full = this.present(call, rtype, resource);
    const headers = [["ETag", full.meta.version]];
    if (status === 201) headers.push(["Location", full.meta.location]);
    return { status, headers, body: this.registry.project(rtype, full, chosen) };
  }

  /** `attributes` / `excludedAttributes` of the call's query string, checked against the
   *  resource type as the answer's projection will check them (a malformed name is a 400). A
   *  write reads them before it changes anything, so a bad query string is a 400 that changed
   *  nothing. */
  selectionOf(call, rtype) {
    const query = ListQuery.fromQueryString(call.query, QUERY_OPTIONS);
    try {
      const chosen = selection(query);
      if (rtype) this.registry.project(rtype, {}, chosen);
      return chosen;
    } finally {
      query.free();
    }
  }

  /** The stored resource after the call's preconditions (If-Match, If-None-Match). */
  async load(call, rtype, id, tx) {
    const loaded = rtype === "User" && tx ? await tx.user(id) : await this.store.get(rtype, id);
    if (!loaded) throw scimError(404, `no ${rtype} with id ${JSON.stringify(id)}`);
    const version = etag(loaded.resource);
    const outcome = evaluatePreconditions(call.method, version, call.header("If-Match"), call.header("If-None-Match"));
    if (outcome === "preconditionFailed") throw scimError(412, `the ${rtype} has changed (its version is ${version})`);
    if (outcome === "notModified") throw new StatusOnly(304, [["ETag", version]]);
    return loaded;
  }

  /** Logs every stored attribute a PUT cleared (structured JSON), once the PUT is stored. */
  logCleared(call, notes) {
    for (const note of notes) {
      if (note.code !== "omittedCleared") continue;
      log("info", "attribute_cleared", {
        request: String(call),
        requestId: call.requestId,
        actor: call.actor,
        location: note.location,
        detail: note.detail,
      });
    }
  }

  /** Logs every quirk rule that fired (structured JSON); returns their names for the audit. */
  logNotes(call, notes) {
    const quirks = [];
    for (const note of notes) {
      if (!note.quirk) continue;
      quirks.push(note.quirk);
      log("info", "quirk_accepted", {
        request: String(call),
        requestId: call.requestId,
        actor: call.actor,
        userAgent: call.header("user-agent") ?? undefined,
        quirk: note.quirk,
        location: note.location,
        detail: note.detail,
      });
    }
    return quirks;
  }

  /** 409 `uniqueness` when another resource holds a unique value (the indexes back this up). */
  async checkUnique(rtype, resource) {
    const taken = await this.store.taken(rtype, resource);
    if (taken !== undefined) {
      throw scimError(409, `${taken} \`${excerpt(resource[taken])}\` is already taken`, "uniqueness", `/${taken}`);
    }
  }

  /**
   * 400 `invalidValue` when a Group gains a member that is no User or Group of this service
   * (RFC 7643 §4.2: `members.value` is the member's id), located where the request `body` (a
   * Group or a PatchOp) names it (scimkit's `valueLocation`). Only members the request adds are
   * checked, so a Group can still be changed
   * otherwise. Runs inside the unit of work, so a retry after a concurrent change (the member
   * deleted meanwhile) checks again; a Group member is also guarded until the commit.
   */
  async checkMembers(tx, before, after, body) {
    const had = new Set((before?.members ?? []).map((m) => m.value));
    const added = [...new Set((after.members ?? []).map((m) => m.value))].filter((v) => typeof v === "string" && !had.has(v));
    // Two round trips, however many members: the Users among them, then the Groups.
    const users = await tx.usersById(added);
    const groups = await tx.groupsById(added.filter((value) => !users.get(value)));
    for (const value of added) {
      if (users.get(value)) continue;
      if (groups.get(value)) {
        tx.guardGroupExists(value);
        continue;
      }
      const detail = `\`${excerpt(value)}\` is the id of no User or Group`;
      throw scimError(400, detail, "invalidValue", this.registry.valueLocation("Group", body, "members", value));
    }
  }

  /** Runs `work` (one unit of work) again when its writes met a concurrent change. */
  async retry(call, work) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work(this.store.begin(call));
      } catch (e) {
        if (!(e instanceof Conflict)) throw e;
        if (attempt === ATTEMPTS) throw scimError(409, "the resource kept changing while this request ran; retry it");
        log("info", "write_conflict", { request: String(call), requestId: call.requestId, attempt });
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }

  async create(call, rtype) {
    const chosen = this.selectionOf(call, rtype);
    const body = await call.body();
    const out = this.registry.validate(rtype, body, { mode: "create", profile: PROFILE });
    const quirks = this.logNotes(call, out.notes);
    return this.retry(call, async (tx) => {
      const stamp = now();
      let resource = { ...out.resource, id: crypto.randomUUID() };
      resource = this.registry.fillMeta(rtype, resource, { created: stamp, lastModified: stamp });
      await this.checkUnique(rtype, resource);
      if (rtype === "Group") await this.checkMembers(tx, null, resource, body);
      resource = await this.save(tx, rtype, resource, null);
      const changes = Object.entries(resource)
        .filter(([k]) => !["schemas", "id", "meta", "groups"].includes(k))
        .map(([attribute, value]) => ({ op: "add", attribute, new: value }));
      if (out.resource.password !== undefined) changes.push({ op: "add", attribute: "password", new: "[redacted]" });
      this.audit(tx, call, "create", rtype, resource, { changes, quirks });
      if (rtype === "User" && resource.active === false) this.audit(tx, call, "deactivate", rtype, resource, {});
      await tx.commit();
      // The answer returns what the body specified of `returned: request` (RFC 7643 §7).
      return this.answer(call, rtype, resource, 201, { ...chosen, request: body });
    });
  }

  async get(call, rtype, id) {
    return this.answer(call, rtype, (await this.load(call, rtype, id)).resource);
  }

  async replace(call, rtype, id) {
    const chosen = this.selectionOf(call, rtype);
    const body = await call.body();
    return this.retry(call, async (tx) => {
      const existing = await this.load(call, rtype, id, tx);
      const options = { mode: "replace", existing: existing.resource, profile: PROFILE };
      const out = this.registry.validate(rtype, body, options);
      const quirks = this.logNotes(call, out.notes);
      let resource = { ...out.resource, id };
      resource = this.registry.fillMeta(rtype, resource, { created: existing.resource.meta?.created, lastModified: now() });
      await this.checkUnique(rtype, resource);
      if (rtype === "Group") await this.checkMembers(tx, existing.resource, resource, body);
      resource = await this.save(tx, rtype, resource, existing);
      const changes = this.changesBetween(rtype, existing.resource, resource);
      if (changes.length > 0 || out.resource.password !== undefined) {
        this.audit(tx, call, "replace", rtype, resource, { changes, quirks });
      }
      this.auditActive(tx, call, rtype, existing.resource, resource);
      await tx.commit();
      this.logCleared(call, out.notes);
      return this.answer(call, rtype, resource, 200, { ...chosen, request: body });
    });
  }

  async patch(call, rtype, id) {
    const chosen = this.selectionOf(call, rtype);
    const body = await call.body();
    return this.retry(call, async (tx) => {
      const existing = await this.load(call, rtype, id, tx);
      // A User with a password holds a stand-in for it here, so that scimkit sees (and reports)
      // a `remove` of it, whatever the spelling of the op or the path.
      const secret = rtype === "User" && (await tx.hasPassword(id));
      const stored = secret ? { ...existing.resource, password: this.storedPassword } : existing.resource;
      const out = this.registry.applyPatch(rtype, stored, body, { profile: PROFILE });
      const quirks = this.logNotes(call, [...out.quirks, ...out.notes]);
      let resource = { ...out.resource };
      const cleared = secret && resource.password === undefined;
      if (resource.password === this.storedPassword) delete resource.password; // kept as it is
      if (out.changes.length > 0) {
        resource = this.registry.fillMeta(rtype, resource, { lastModified: now() });
        await this.checkUnique(rtype, resource);
        if (rtype === "Group") await this.checkMembers(tx, existing.resource, resource, body);
        if (cleared) tx.clearPassword(id);
        resource = await this.save(tx, rtype, resource, existing);
        this.audit(tx, call, "patch", rtype, resource, { changes: out.changes, quirks });
        this.auditActive(tx, call, rtype, existing.resource, resource);
        await tx.commit();
      }
      return this.answer(call, rtype, resource, 200, { ...chosen, request: body });
    });
  }

  async delete(call, rtype, id) {
    return this.retry(call, async (tx) => {
      const existing = await this.load(call, rtype, id, tx);
      tx.remove(rtype, existing);
      this.audit(tx, call, "delete", rtype, existing.resource, {});
      // A deleted User or Group leaves every Group it was in.
      const remove = { schemas: [PATCH_OP], Operations: [{ op: "remove", path: `members[value eq ${JSON.stringify(id)}]` }] };
      for (const group of await this.store.groupsWithMember(id)) {
        if (group.resource.id === id) continue; // a Group listing itself: deleted above
        const done = this.registry.applyPatch("Group", group.resource, remove);
        const changed = this.registry.fillMeta("Group", done.resource, { lastModified: now() });
        const saved = await this.save(tx, "Group", changed, group);
        this.audit(tx, call, "patch", "Group", saved, { changes: done.changes, cause: "member deleted" });
      }
      if (rtype === "Group") {
        await this.refreshMembers(tx, call, existing.resource, null);
        // A Group that gained this one after the read above: the request runs again. (A User
        // needs no such guard: a Group gaining it writes its `groups`, which the DELETE's
        // compare-and-swap sees.)
        tx.guardNoGroupHas(id);
      }
      await tx.commit();
      return { status: 204, headers: [], body: null };
    });
  }

  /** Writes a resource in `tx` (`previous`: what was read, for the compare-and-swap); returns
   *  it as stored: no password, `groups` derived, `meta.version` of the stored content. */
  async save(tx, rtype, resource, previous) {
    resource = { ...resource };
    if (rtype === "User") {
      const password = resource.password;
      delete resource.password;
      if (typeof password === "string" && password !== this.storedPassword) await tx.setPassword(resource.id, password);
      // A new User is in no Group yet (a member reference to it cannot predate its id).
      setGroups(resource, previous ? await tx.groupsWithMember(resource.id) : []);
    }
    resource = this.registry.fillMeta(rtype, resource);
    tx.write(rtype, resource, previous);
    if (rtype === "Group") await this.refreshMembers(tx, tx.call, previous?.resource ?? null, resource);
    return resource;
  }

  /** Re-derives `groups` of the Users whose membership (or group name) changed, and audits
   *  each join and leave on the User. */
  async refreshMembers(tx, call, before, after) {
    const members = (g) => new Set((g?.members ?? []).map((m) => m.value).filter((v) => typeof v === "string"));
    const was = members(before);
    const is = members(after);
    const renamed = before?.displayName !== after?.displayName;
    const keys = renamed ? new Set([...was, ...is]) : new Set([...was, ...is].filter((k) => was.has(k) !== is.has(k)));
    const group = after ?? before;
    // Two round trips, however many members changed: the Users, then their Groups.
    const users = await tx.usersById([...keys]);
    const memberships = await tx.groupsWithMembers([...keys].filter((key) => users.get(key)));
    for (const key of keys) {
      const user = users.get(key);
      if (!user) continue; // not a User (a nested Group, or an id that does not exist)
      const updated = { ...user.resource };
      setGroups(updated, memberships.get(key));
      // `groups` is part of the User: its change is a modification (RFC 7643 §3.1).
      tx.write("User", this.registry.fillMeta("User", updated, { lastModified: now() }), user);
      if (was.has(key) !== is.has(key)) {
        const change = is.has(key) ? "added" : "removed";
        this.audit(tx, call, "membership", "User", user.resource, { change, group: { id: group.id, displayName: group.displayName } });
      }
    }
  }

  // -- audit ----------------------------------------------------------------------------------

  audit(tx, call, event, rtype, resource, detail) {
    const display = rtype === "User" ? resource.userName : resource.displayName;
    const extra = { ...detail, request: String(call) };
    if (extra.changes) extra.changes = redact(extra.changes);
    const userAgent = call.header("user-agent");
    if (userAgent) extra.userAgent = userAgent;
    tx.audit(event, rtype, resource.id, display, extra);
  }

  auditActive(tx, call, rtype, before, after) {
    if (rtype !== "User") return;
    const was = before.active !== false;
    const is = after.active !== false;
    if (was && !is) this.audit(tx, call, "deactivate", rtype, after, {});
    if (!was && is) this.audit(tx, call, "reactivate", rtype, after, {});
  }

  /** What a replacement changed, in scimkit's change records: the diff from the stored
   *  resource to the new one, applied (read-only attributes and `meta` left out). */
  changesBetween(rtype, before, after) {
    const plain = ({ meta, password, ...rest }) => rest;
    try {
      const request = this.registry.diff(rtype, plain(before), plain(after));
      if (request.Operations.length === 0) return [];
      return this.registry.applyPatch(rtype, plain(before), request).changes;
    } catch (e) {
      if (!(e instanceof ScimError)) throw e;
      return [{ op: "replace", attribute: "*", detail: e.detail }];
    }
  }

  // -- lists ----------------------------------------------------------------------------------

  async list(call, rtype, query) {
    this.logNotes(call, query.quirks);
    const where = this.store.where(rtype, query.filter);
    if (query.sortBy === null) {
      // Unsorted: the page is cut in SQL, in the store's stable (insertion) order.
      const { total, rows } = await this.store.page(rtype, where, query.count, query.startIndex - 1);
      const page = rows.map((r) => this.registry.project(rtype, this.present(call, rtype, r.resource), selection(query)));
      return listResponseFromPage(page, total, query.startIndex);
    }
    // Sorted: scimkit sorts (schema-aware: caseExact, dateTimes, multi-valued), pages and
    // projects; it also re-checks the filter in memory, which agrees with its SQL.
    const matches = (await this.store.select(rtype, where)).map((r) => this.present(call, rtype, r.resource));
    return this.registry.listResponse(rtype, matches, query);
  }

  /** POST /.search and GET on the root: every resource type; a filter applies to the types it
   *  names attributes of; `sortBy` sorts them all (see `sortType`). */
  async searchAll(call, query) {
    this.logNotes(call, query.quirks);
    const sorting = query.sortBy === null ? null : this.sortType(query.sortBy);
    if (query.filter !== null) new Filter(query.filter); // a syntax error is the client's, whatever the type
    const found = [];
    const errors = [];
    for (const rtype of Object.values(this.endpoints)) {
      let where;
      try {
        where = this.store.where(rtype, query.filter);
      } catch (e) {
        if (!(e instanceof ScimError)) throw e;
        errors.push(e); // an attribute this type does not have
        continue;
      }
      for (const r of await this.store.select(rtype, where)) found.push([rtype, r.resource]);
    }
    if (errors.length === Object.keys(this.endpoints).length) throw errors[0];
    const start = query.startIndex - 1;
    let matches = found;
    if (sorting !== null) {
      // Sorted by scimkit, under the schema of a type that has the attribute (`meta` filled in
      // first); the other types' resources lack it and sort as missing values do: last, or
      // first when descending (RFC 7644 §3.4.2.3).
      const typeOf = new Map(found.map(([rtype, r]) => [r.id, rtype]));
      const full = found.map(([rtype, r]) => this.present(call, rtype, r));
      matches = this.registry.sort(sorting, full, query.sortBy, query.sortOrder).map((r) => [typeOf.get(r.id), r]);
    }
    const page = matches
      .slice(start, start + query.count)
      .map(([rtype, r]) => this.registry.project(rtype, sorting === null ? this.present(call, rtype, r) : r, selection(query)));
    return listResponseFromPage(page, matches.length, query.startIndex);
  }

  /** The resource type whose schema a search across types sorts by: the first that has the
   *  `sortBy` attribute (an attribute that several types have — `id`, `externalId`, `meta.*`,
   *  `displayName` — is defined alike in each); scimkit's error when none has it. */
  sortType(sortBy) {
    const types = Object.values(this.endpoints);
    let first = null;
    for (const rtype of types) {
      try {
        this.registry.sort(rtype, [], sortBy);
        return rtype;
      } catch (e) {
        if (!(e instanceof ScimError)) throw e;
        first ??= e;
      }
    }
    throw first;
  }

  // -- bulk -----------------------------------------------------------------------------------

  /** POST /Bulk: scimkit checks and plans the request (bulkId references, order, cycles,
   *  limits, failOnErrors) and assembles the response; each operation runs here as its own
   *  request, through the same handlers. */
  async bulk(call) {
    const runner = new BulkRunner(await call.body(), BULK_LIMITS, call.baseUrl);
    for (const op of runner) {
      const sub = call.child(op.method, op.path, op.data, op.version);
      try {
        const done = await this.resource(sub);
        const outcome = { status: done.status };
        if (done.body?.id) outcome.id = done.body.id;
        if (done.body?.meta?.location) outcome.location = done.body.meta.location;
        const version = done.headers?.find(([name]) => name === "ETag")?.[1];
        if (version) outcome.version = version;
        runner.record(outcome);
      } catch (e) {
        const error = e instanceof Refused ? e.error : e;
        if (!(error instanceof ScimError)) {
          log("error", "internal_error", { request: String(sub), requestId: call.requestId, error: String(e?.stack ?? e) });
          runner.record({ error: { status: 500, detail: "internal error" } });
          continue;
        }
        const record = { status: error.status, detail: error.detail };
        if (error.scimType) record.scimType = error.scimType;
        runner.record({ error: record });
      }
    }
    return ok(runner.finish());
  }
}

/** Refuses a method the endpoint does not take (405, with `Allow`); HEAD goes wherever GET does. */
function allow(call, ...methods) {
  if (methods.includes("GET")) methods = ["GET", "HEAD", ...methods.filter((m) => m !== "GET")];
  if (!methods.includes(call.method)) {
    throw new Refused(scimError(405, `${call.method} is not allowed here`), [["Allow", methods.join(", ")]]);
  }
}

/** `attributes` / `excludedAttributes` of a list query (RFC 7644 §3.9). */
function selection(query) {
  return {
    attributes: query.attributes.length ? query.attributes : null,
    excludedAttributes: query.excludedAttributes.length ? query.excludedAttributes : null,
  };
}

/** A User's `groups`: the Groups that have it as a direct member. */
function setGroups(user, groups) {
  if (groups.length === 0) delete user.groups;
  else user.groups = groups.map((g) => ({ value: g.id, display: g.displayName, type: "direct" }));
}

/** Change records with password values replaced (scimkit reports them as sent). */
function redact(changes) {
  return changes.map((c) => {
    if (!/(^|:)password$/i.test(c.attribute ?? "")) return c;
    const out = { ...c };
    for (const key of ["old", "new", "added", "removed"]) if (key in out) out[key] = "[redacted]";
    return out;
  });
}

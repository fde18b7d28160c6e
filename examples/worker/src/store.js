// D1 storage for the SCIM service.
//
// Each resource type has one table in scimkit's *document* layout (src/schema.js): the resource
// as JSON plus the search column `Mapping.toRecord` derives. `Mapping.toSql(filter, "d1")` turns
// any SCIM filter into a parameterized WHERE clause over it, so no filter semantics live here.
//
// D1 has no interactive transactions, so a request's writes are collected in a `Tx` and run as
// one `batch()` (one SQLite transaction). Every UPDATE and DELETE is a compare-and-swap on the
// JSON text read earlier, followed by a guard that fails the batch when the row had changed;
// the caller then runs the whole request again (`retry`). Unique indexes back the service's own
// uniqueness check, so two concurrent creates cannot both take a userName.
//
// Two things are the service's, not SCIM rules (as in examples/python-server):
// - a `password` is never stored in the resource: a salted PBKDF2 hash goes to `passwords`;
// - a User's read-only `groups` is derived from Group membership and written into the stored
//   User whenever a Group changes, so `filter=groups.value eq "…"` runs in SQL.
import { scimError } from "./http.js";
import { mappingOf, resourceTypesOf, searchExpression, tableOf, uniqueAttributesOf, uniqueIndexName } from "./schema.js";

/** The batch failed because a row changed after it was read: run the request again. */
export class Conflict extends Error {}

const PBKDF2_ITERATIONS = 100_000; // the most Workers' WebCrypto allows

/** Ids bound in one `IN (…)` statement: D1 allows 100 bound parameters per statement. */
const IDS_PER_STATEMENT = 90;

/** `ids` in runs of at most IDS_PER_STATEMENT. */
function chunks(ids) {
  const out = [];
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) out.push(ids.slice(i, i + IDS_PER_STATEMENT));
  return out;
}

const placeholders = (n) => Array.from({ length: n }, () => "?").join(", ");

/** `FROM … WHERE …`: a row of the Group table per member of a Group whose `value` passes
 *  `test` (SQL to follow the member's value, exactly as stored: ids are case exact). */
const groupMembersWhere = (table, test) =>
  `FROM "${table}", json_each("${table}"."data", '$.members') AS "m" WHERE json_extract("m"."value", '$.value') ${test}`;

export class Store {
  constructor(db, registry, Mapping) {
    this.db = db;
    this.registry = registry;
    this.tables = {};
    this.mappings = {};
    /** Attributes kept unique per resource type (src/schema.js), backed by unique indexes. */
    this.unique = {};
    for (const { name } of resourceTypesOf(registry)) {
      this.tables[name] = tableOf(name);
      this.mappings[name] = new Mapping(registry, name, mappingOf(name));
      this.unique[name] = uniqueAttributesOf(registry, name);
    }
  }

  // -- reading ------------------------------------------------------------------------------

  /** The WHERE clause of a SCIM filter (throws scimkit's ScimError `invalidFilter`). */
  where(rtype, filter) {
    if (filter === null || filter === undefined) return { sql: "1 = 1", params: [] };
    return this.mappings[rtype].toSql(filter, "d1");
  }

  #row(rtype, row) {
    const resource = this.mappings[rtype].fromRecord({ row: { id: row.id, data: row.data } });
    return { resource, text: row.data, rowid: row.rowid };
  }

  // D1 allows 100 bound parameters in a statement, and `toSql(filter, "d1")` refuses a filter
  // needing more: the statements below bind nothing else a list needs (the paging numbers are
  // whole numbers the query parser checked, written in).
  #selectStatement(rtype, where, limit = -1, offset = 0) {
    const table = this.tables[rtype];
    const [n, skip] = [wholeNumber(limit), wholeNumber(offset)];
    return this.db
      .prepare(`SELECT rowid, "id", "data" FROM "${table}" WHERE ${where.sql} ORDER BY rowid LIMIT ${n} OFFSET ${skip}`)
      .bind(...where.params);
  }

  #countStatement(rtype, where, excluding = null) {
    const table = this.tables[rtype];
    if (excluding === null) {
      return this.db.prepare(`SELECT COUNT(*) AS "n" FROM "${table}" WHERE ${where.sql}`).bind(...where.params);
    }
    return this.db
      .prepare(`SELECT COUNT(*) AS "n" FROM "${table}" WHERE (${where.sql}) AND "id" IS NOT ?`)
      .bind(...where.params, excluding);
  }

  /** Matching resources in insertion order (stable for paging): `[{resource, text, rowid}]`. */
  async select(rtype, where, limit = -1, offset = 0) {
    const { results } = await this.#selectStatement(rtype, where, limit, offset).all();
    return results.map((row) => this.#row(rtype, row));
  }

  /** How many resources match, and one page of them, in one round trip. */
  async page(rtype, where, limit, offset) {
    const [count, rows] = await this.db.batch([
      this.#countStatement(rtype, where),
      this.#selectStatement(rtype, where, limit, offset),
    ]);
    return { total: count.results[0].n, rows: rows.results.map((row) => this.#row(rtype, row)) };
  }

  async count(rtype, where, excluding = null) {
    return (await this.#countStatement(rtype, where, excluding).first("n")) ?? 0;
  }

  /** The first unique attribute of `resource` whose value another resource of its type holds
   *  (or undefined), in one round trip. Values compare as the search column and the unique
   *  indexes hold them (`Mapping.toRecord`: userName folded, externalId exact), bound as they
   *  are: a value of any length is compared, never turned into a filter. `""` is no value to
   *  take (the indexes let it repeat, src/schema.js). Only the unique values go through
   *  `toRecord`, never the rest of the resource: not a `password` (only ever hashed, so it may
   *  hold what the search column cannot, such as U+0000), not a Group's `members`. */
  async taken(rtype, resource) {
    const table = this.tables[rtype];
    const probe = Object.fromEntries(
      this.unique[rtype].filter((name) => typeof resource[name] === "string" && resource[name] !== "").map((name) => [name, resource[name]]),
    );
    if (Object.keys(probe).length === 0) return undefined;
    const search = this.mappings[rtype].toRecord(probe).row.data_search;
    const names = Object.keys(probe).filter((name) => typeof search[name] === "string" && search[name] !== "");
    if (names.length === 0) return undefined;
    const results = await this.db.batch(
      names.map((name) =>
        this.db
          .prepare(`SELECT COUNT(*) AS "n" FROM "${table}" WHERE ${searchExpression(table, name)} = ? AND "id" IS NOT ?`)
          .bind(search[name], resource.id),
      ),
    );
    return names.find((_, i) => results[i].results[0].n > 0);
  }

  /** `{resource, text, rowid}` or null. */
  async get(rtype, id) {
    const row = await this.db
      .prepare(`SELECT rowid, "id", "data" FROM "${this.tables[rtype]}" WHERE "id" = ?`)
      .bind(id)
      .first();
    return row ? this.#row(rtype, row) : null;
  }

  /** The rows of `ids` (distinct strings) that exist: id → `{resource, text, rowid}`. One
   *  round trip, however many ids (a statement per IDS_PER_STATEMENT of them, in one batch). */
  async getMany(rtype, ids) {
    const found = new Map();
    if (ids.length === 0) return found;
    const table = this.tables[rtype];
    const statements = chunks(ids).map((run) =>
      this.db.prepare(`SELECT rowid, "id", "data" FROM "${table}" WHERE "id" IN (${placeholders(run.length)})`).bind(...run),
    );
    for (const { results } of await this.db.batch(statements)) {
      for (const row of results) found.set(row.id, this.#row(rtype, row));
    }
    return found;
  }

  /** Groups that have `id` as a direct member, in insertion order: a member naming this very id
   *  (`members.value` holds an id, case exact: RFC 7643 §3.1), as the Users are found by it. */
  async groupsWithMember(id) {
    return (await this.groupsWithMembers([id])).get(id);
  }

  /** For each of `ids` (distinct strings): the Groups that have it as a direct member (by the
   *  very id, as `groupsWithMember`), in insertion order. One round trip, however many ids. */
  async groupsWithMembers(ids) {
    const found = new Map(ids.map((id) => [id, []]));
    if (ids.length === 0) return found;
    const table = this.tables.Group;
    const statements = chunks(ids).map((run) =>
      this.db
        .prepare(
          `SELECT DISTINCT "${table}".rowid AS "rowid", "${table}"."id" AS "id", "${table}"."data" AS "data" ` +
            `${groupMembersWhere(table, `IN (${placeholders(run.length)})`)} ORDER BY "${table}".rowid`,
        )
        .bind(...run),
    );
    const groups = new Map();
    for (const { results } of await this.db.batch(statements)) {
      for (const row of results) if (!groups.has(row.id)) groups.set(row.id, this.#row("Group", row));
    }
    for (const group of [...groups.values()].sort((a, b) => a.rowid - b.rowid)) {
      for (const member of group.resource.members ?? []) found.get(member.value)?.push(group);
    }
    // A Group naming one id twice is listed once.
    for (const [id, list] of found) found.set(id, [...new Set(list)]);
    return found;
  }

  // -- writing ------------------------------------------------------------------------------

  /** A unit of work for one request (see the module comment). */
  begin(call) {
    return new Tx(this, call);
  }
}

/** Statements collected for one `batch()`, with what the request has written so far. */
class Tx {
  constructor(store, call) {
    this.store = store;
    this.call = call;
    this.statements = [];
    /** Users read or written in this unit of work: id → {resource, text, rowid} | null. */
    this.users = new Map();
    /** Groups written in this unit of work: id → {resource | null, rowid}. */
    this.groups = new Map();
  }

  #push(sql, ...params) {
    this.statements.push(this.store.db.prepare(sql).bind(...params));
  }

  #guard() {
    this.#push(`INSERT INTO "write_guard" ("ok") SELECT NULL WHERE changes() = 0`);
  }

  /** Writes `resource` (a new row when `previous` is null, else a compare-and-swap on the
   *  text read); returns the text written. */
  write(rtype, resource, previous) {
    const table = this.store.tables[rtype];
    const { row } = this.store.mappings[rtype].toRecord(resource);
    const data = JSON.stringify(row.data);
    const search = JSON.stringify(row.data_search);
    if (previous) {
      this.#push(
        `UPDATE "${table}" SET "data" = ?, "data_search" = ? WHERE "id" = ? AND "data" = ?`,
        data,
        search,
        resource.id,
        previous.text,
      );
      this.#guard();
    } else {
      this.#push(`INSERT INTO "${table}" ("id", "data", "data_search") VALUES (?, ?, ?)`, resource.id, data, search);
    }
    const written = { resource, text: data, rowid: previous?.rowid ?? Number.MAX_SAFE_INTEGER };
    if (rtype === "User") this.users.set(resource.id, written);
    if (rtype === "Group") this.groups.set(resource.id, written);
    return written;
  }

  remove(rtype, previous) {
    const id = previous.resource.id;
    this.#push(`DELETE FROM "${this.store.tables[rtype]}" WHERE "id" = ? AND "data" = ?`, id, previous.text);
    this.#guard();
    if (rtype === "User") {
      this.#push(`DELETE FROM "passwords" WHERE "id" = ?`, id);
      this.users.set(id, null);
    }
    if (rtype === "Group") this.groups.set(id, { resource: null, rowid: previous.rowid });
  }

  async setPassword(id, password) {
    this.#push(`INSERT OR REPLACE INTO "passwords" ("id", "hash") VALUES (?, ?)`, id, await hashPassword(password));
  }

  clearPassword(id) {
    this.#push(`DELETE FROM "passwords" WHERE "id" = ?`, id);
  }

  /** Whether the User has a password (its hash is never read). */
  async hasPassword(id) {
    return (await this.store.db.prepare(`SELECT 1 AS "yes" FROM "passwords" WHERE "id" = ?`).bind(id).first("yes")) === 1;
  }

  /** Fails the batch (a conflict: the request runs again) when the Group `id` no longer exists
   *  at commit: a Group named as a member must not be deleted meanwhile. (A User named as a
   *  member needs no guard: its `groups` is written, a compare-and-swap.) */
  guardGroupExists(id) {
    this.#push(`INSERT INTO "write_guard" ("ok") SELECT NULL WHERE NOT EXISTS (SELECT 1 FROM "groups" WHERE "id" = ?)`, id);
  }

  /** Fails the batch when, at commit, a Group still names `id` as a member: a deleted Group
   *  leaves every Group it was in, including one that gained it after it was read. */
  guardNoGroupHas(id) {
    this.#push(
      `INSERT INTO "write_guard" ("ok") SELECT NULL WHERE EXISTS (SELECT 1 ${groupMembersWhere(this.store.tables.Group, "= ?")})`,
      id,
    );
  }

  /** A User as this unit of work sees it. */
  async user(id) {
    return (await this.usersById([id])).get(id);
  }

  /** The Users `ids` as this unit of work sees them: id → User or null; those not read yet are
   *  read in one round trip. */
  async usersById(ids) {
    const unread = [...new Set(ids)].filter((id) => !this.users.has(id));
    const read = await this.store.getMany("User", unread);
    for (const id of unread) this.users.set(id, read.get(id) ?? null);
    return new Map(ids.map((id) => [id, this.users.get(id)]));
  }

  /** The Groups `ids` as this unit of work sees them: id → Group or null, in one round trip. */
  async groupsById(ids) {
    const distinct = [...new Set(ids)];
    const read = await this.store.getMany("Group", distinct.filter((id) => !this.groups.has(id)));
    return new Map(
      distinct.map((id) => [id, this.groups.has(id) ? (this.groups.get(id).resource ? this.groups.get(id) : null) : (read.get(id) ?? null)]),
    );
  }

  /** A Group as this unit of work sees it (written or deleted here, else as committed). */
  async group(id) {
    return (await this.groupsById([id])).get(id);
  }

  /** The groups that have `id` as a member, as this unit of work sees them (committed rows,
   *  overlaid with groups written or deleted here), in insertion order. */
  async groupsWithMember(id) {
    return (await this.groupsWithMembers([id])).get(id);
  }

  /** `groupsWithMember` for each of `ids`, in one round trip: id → Groups. */
  async groupsWithMembers(ids) {
    const distinct = [...new Set(ids)];
    const committed = await this.store.groupsWithMembers(distinct);
    return new Map(
      distinct.map((id) => {
        const found = committed.get(id).filter((g) => !this.groups.has(g.resource.id));
        for (const written of this.groups.values()) {
          if (written.resource && (written.resource.members ?? []).some((m) => m.value === id)) found.push(written);
        }
        return [id, found.sort((a, b) => a.rowid - b.rowid).map((g) => g.resource)];
      }),
    );
  }

  audit(event, rtype, id, display, detail) {
    this.#push(
      `INSERT INTO "audit_log" ("at", "event", "resource_type", "resource_id", "display", "actor", "request_id", "detail") ` +
        `VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      new Date().toISOString(),
      event,
      rtype,
      id,
      display ?? null,
      this.call.actor,
      this.call.requestId,
      JSON.stringify(detail),
    );
  }

  /** Runs every statement in one transaction. */
  async commit() {
    if (this.statements.length === 0) return;
    try {
      await this.store.db.batch(this.statements);
    } catch (e) {
      const message = String(e?.message ?? e);
      if (message.includes("write_guard")) throw new Conflict(message);
      const index = /UNIQUE constraint failed: index '([^']+)'/.exec(message)?.[1];
      if (index) {
        for (const [rtype, table] of Object.entries(this.store.tables)) {
          for (const attribute of this.store.unique[rtype]) {
            if (index === uniqueIndexName(table, attribute)) {
              throw scimError(409, `${attribute} is already taken by another ${rtype}`, "uniqueness", `/${attribute}`);
            }
          }
        }
        throw scimError(409, "a unique value is already taken", "uniqueness");
      }
      throw e;
    }
  }
}

async function hashPassword(password) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations: PBKDF2_ITERATIONS },
    key,
    256,
  );
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${hex(salt)}$${hex(new Uint8Array(bits))}`;
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** A paging number as SQL text: a whole number (the query parser's), never anything else. */
function wholeNumber(n) {
  if (!Number.isSafeInteger(n)) throw new TypeError(`not a whole number: ${n}`);
  return String(n);
}

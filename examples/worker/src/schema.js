// The service's storage layout, shared by the Worker (src/store.js) and the migration generator
// (scripts/migration.mjs): one D1 table per resource type in scimkit's *document* layout, plus
// the service's own tables. Nothing here imports scimkit: callers pass the Registry and the
// Mapping class, so the same code runs in workerd (WebAssembly) and on Node (native addon).

/** One table per resource type: `users`, `groups` (the endpoint, lowercased). */
export function tableOf(resourceType) {
  return resourceType.toLowerCase() === "user" ? "users" : resourceType.toLowerCase() === "group" ? "groups" : null;
}

/** The scimkit mapping of a resource type: the resource as JSON in `data`, and the search
 *  column `data_search` that `Mapping.toRecord` derives (names in schema spelling, strings
 *  folded by scimkit's case rule, dateTimes and numbers in sortable text). */
export function mappingOf(resourceType) {
  return { layout: "document", resourceType, table: tableOf(resourceType), key: "id", column: "data" };
}

/** The resource types the service hosts, from the registry (`/ResourceTypes`). */
export function resourceTypesOf(registry) {
  return registry.resourceTypes().Resources.map((rt) => ({ name: rt.name, endpoint: rt.endpoint.replace(/^\//, "") }));
}

/** Attributes the data store keeps unique per resource type: those the schema marks
 *  `uniqueness: server` or `global` (User `userName`), plus `externalId` — the service's own
 *  decision: an identity provider's id for a resource must name one resource. Values compare
 *  as the search column holds them: folded when the attribute is caseExact=false (userName),
 *  exactly otherwise (externalId). */
export function uniqueAttributesOf(registry, resourceType) {
  const rt = registry.resourceTypeDocument(resourceType);
  const core = registry.schemaDocument(rt.schema).attributes;
  const names = core.filter((a) => (a.uniqueness === "server" || a.uniqueness === "global") && a.name !== "id").map((a) => a.name);
  if (!names.includes("externalId")) names.push("externalId");
  return names;
}

/** The index enforcing one unique attribute, named so a violation can be told apart. */
export function uniqueIndexName(table, attribute) {
  return `${table}_${attribute}_unique`;
}

/** SQL extracting an attribute from the search column (the same expression scimkit's filter
 *  SQL uses, so the index also serves `userName eq "…"`). */
export function searchExpression(table, attribute) {
  return `json_extract("${table}"."data_search", '$."${attribute}"')`;
}

/** Whether a unique attribute may hold `""` (it is not required: scimkit refuses an empty
 *  required attribute): an empty string is no value another resource could take, so its index
 *  lets it repeat (layout version 2 on). */
function emptyAllowed(registry, resourceType, attribute) {
  const rt = registry.resourceTypeDocument(resourceType);
  const definition = registry.schemaDocument(rt.schema).attributes.find((a) => a.name === attribute);
  return definition?.required !== true;
}

/** The index enforcing one unique attribute, as layout `version` defines it.
 *  - 1: the value (as the search column holds it) is unique.
 *  - 2: the same, but `""` may repeat. The second column is `''` for every other value, so
 *    equal values still clash, and the row's `id` for `""`, so empty strings never do (a NULL
 *    first column, no value, never clashes either). The first column stays the bare value,
 *    so the index still serves `externalId eq "…"` filters and the service's own check. */
function uniqueIndex(registry, resourceType, attribute, version) {
  const table = tableOf(resourceType);
  const value = `json_extract("data_search", '$."${attribute}"')`;
  const columns =
    version >= 2 && emptyAllowed(registry, resourceType, attribute) ? `${value}, CASE WHEN ${value} = '' THEN "id" ELSE '' END` : value;
  // An expression index: SQLite resolves the table-qualified column of the expression.
  return `CREATE UNIQUE INDEX IF NOT EXISTS "${uniqueIndexName(table, attribute)}" ON "${table}" (${columns})`;
}

/** Every statement of the schema as layout version 1 had it, in order: scimkit's
 *  `createTables` for each resource type, the unique indexes, and the service's own tables. */
export function schemaStatements(registry, Mapping) {
  const statements = [];
  for (const { name } of resourceTypesOf(registry)) {
    statements.push(...new Mapping(registry, name, mappingOf(name)).createTables("d1"));
    for (const attribute of uniqueAttributesOf(registry, name)) statements.push(uniqueIndex(registry, name, attribute, 1));
  }
  statements.push(...SERVICE_TABLES);
  return statements;
}

/** Layout version 2: the unique indexes of attributes that may be `""` let it repeat (two
 *  resources with `"externalId": ""` do not clash). Each index is dropped and made again. */
export function emptyValuesStatements(registry) {
  const statements = [];
  for (const { name } of resourceTypesOf(registry)) {
    for (const attribute of uniqueAttributesOf(registry, name).filter((a) => emptyAllowed(registry, name, a))) {
      statements.push(`DROP INDEX IF EXISTS "${uniqueIndexName(tableOf(name), attribute)}"`);
      statements.push(uniqueIndex(registry, name, attribute, 2));
    }
  }
  return statements;
}

/** The D1 migrations, oldest first: the file under `migrations/`, its header comment and its
 *  statements. Each is generated by scripts/migration.mjs and checked in. A database runs only
 *  the ones it has not applied yet (`wrangler d1 migrations apply`), so a migration never
 *  changes once published: a later layout is a new migration. */
export function migrations(registry, Mapping) {
  return [
    {
      file: "0001_scim_tables.sql",
      header: [
        "Generated by scripts/migration.mjs from scimkit's Mapping.createTables(\"d1\") (document",
        "layout, see src/schema.js) plus the service's own tables. Do not edit: regenerate with",
      ],
      statements: schemaStatements(registry, Mapping),
    },
    {
      file: "0002_unique_allows_empty.sql",
      header: [
        "Generated by scripts/migration.mjs from src/schema.js (layout version 2): the unique",
        "indexes of optional attributes (externalId) let \"\" repeat, as an empty string is no",
        "value another resource could take. Do not edit: regenerate with",
      ],
      statements: emptyValuesStatements(registry),
    },
  ];
}

/** The service's own tables. */
export const SERVICE_TABLES = [
  // Passwords never live in the resource: a salted PBKDF2-SHA-256 hash per User.
  `CREATE TABLE IF NOT EXISTS "passwords" ("id" TEXT PRIMARY KEY, "hash" TEXT NOT NULL)`,
  // Every provisioning event: create, replace, patch (with scimkit's list of changes),
  // deactivate/reactivate, delete, membership changes. `detail` is JSON.
  `CREATE TABLE IF NOT EXISTS "audit_log" (` +
    `"seq" INTEGER PRIMARY KEY AUTOINCREMENT, "at" TEXT NOT NULL, "event" TEXT NOT NULL, ` +
    `"resource_type" TEXT NOT NULL, "resource_id" TEXT NOT NULL, "display" TEXT, ` +
    `"actor" TEXT NOT NULL, "request_id" TEXT NOT NULL, "detail" TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS "audit_log_resource" ON "audit_log" ("resource_type", "resource_id", "seq")`,
  // Optimistic concurrency inside a D1 batch (one transaction): after each compare-and-swap
  // UPDATE/DELETE, `INSERT INTO write_guard SELECT NULL WHERE changes() = 0` violates NOT NULL
  // when the row had changed since it was read, which rolls back the whole batch.
  `CREATE TABLE IF NOT EXISTS "write_guard" ("ok" INTEGER NOT NULL)`,
];

// Types of the npm package `scimkit`, one file for both builds: the native addon (`import
// "scimkit"` on Node) and the WebAssembly build (`import "scimkit"` in browsers, Workers and
// Deno, and `import "scimkit/wasm"` anywhere). Hand-written; tests/node/types.test.mjs checks
// that every runtime export is declared here.

/** A JSON value as the core reads and writes it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}
/**
 * A document argument: a plain object (or array), or its JSON text as a string (a request
 * body as received). Text keeps numbers exactly as written (`10.0`, integers beyond 2^53).
 * Any object type is taken — an `interface User {…}` of your own too, which `JsonObject`
 * alone would refuse (an interface has no index signature) —, and its values are checked when
 * the call reads it; but not a promise or a function (a forgotten `await`).
 */
export type Document = JsonObject | JsonValue[] | string | NotAPromise;
/** Any object but a promise (`then`) or a function (`call`). */
export type NotAPromise = object & { then?: never; call?: never };
/** An options object (camelCase, passed to the core as JSON), or its JSON text; `null` or
 *  `undefined` for all defaults. */
export type Options<T> = T | string | null;

declare global {
  interface SymbolConstructor {
    /** The disposal symbol of explicit resource management (`using`), declared here too for
     *  TypeScript libs older than `esnext.disposable`. */
    readonly dispose: unique symbol;
  }
}

/** The `scimType` values of RFC 7644 §3.12. */
export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive";

/** A range `[start, end)` of UTF-16 code units (JS string indices) in a filter or path. */
export interface Span {
  start: number;
  end: number;
}

/** One individual error, as the core reports it. */
export interface ErrorRecord {
  scimType?: ScimType;
  /** The HTTP status (a number here; a string in response bodies). */
  status: number;
  /** An RFC 6901 JSON pointer into the request document. */
  location?: string;
  /** UTF-16 offsets into the string at `location` (or the filter or path given on its own). */
  span?: Span | null;
  detail: string;
}

/** What normalization changed, or a quirk rule that fired. */
export interface Note {
  code: string;
  location: string;
  detail: string;
  quirk?: string;
  [key: string]: JsonValue | undefined;
}

/** The RFC 7644 §3.12 error body (`status` is a string there). */
export interface ErrorBody {
  schemas: string[];
  scimType?: ScimType;
  /** Left out when the error has none (one a host reported without a detail). */
  detail?: string;
  status: string;
  [extension: string]: JsonValue | undefined;
}

/**
 * Every failure scimkit reports. Also thrown at the JS edge, built by the core, for a string
 * argument holding a lone surrogate (`invalidSyntax`) and for a result holding an integer
 * no JS number holds exactly, beyond ±(2^53−1) and not a double (`invalidValue`). A failure inside
 * scimkit itself (a panic, a WebAssembly trap) is a ScimError with status 500, and the next
 * call works. After a WebAssembly trap the module goes on in a new instance: a Registry, Filter,
 * CheckedFilter, ListQuery or Mapping made before is made again at its next use; a HeldResource,
 * ResourceSet or BulkRunner (and a CheckedFilter or Mapping whose Registry was freed since) is
 * lost, every later call on it a 500 ScimError saying so. `instanceof` holds across both builds
 * and across `import` and `require`.
 */
export class ScimError extends Error {
  private constructor();
  readonly name: "ScimError";
  /** The RFC 7644 §3.12 `scimType`; `null` for statuses without one (404, 412, 500…). */
  readonly scimType: ScimType | null;
  /** The HTTP status. */
  readonly status: number;
  /** An RFC 6901 JSON pointer into the request document (the first error's). */
  readonly location: string | null;
  /** UTF-16 offsets into the filter or path the error points into. */
  readonly span: Span | null;
  /** One lowercase sentence. */
  readonly detail: string;
  /** Every individual error (one entry when there was a single error). */
  readonly errors: ErrorRecord[];
  /** What the failed call noted before failing: a validation's notes, a PATCH's quirks (how
   *  the request was read up to the error) and then its other notes. */
  readonly notes: Note[];
  /** The RFC 7644 §3.12 error body. */
  toResponse(): ErrorBody;
}

/** A quirk profile: `strict`, `compat`, `entra`, `okta` (or a name read from configuration,
 *  any string), or a base with rules switched. The other options' values are typed as the core
 *  spells them (it reads them in any case). */
export type Profile =
  | "strict"
  | "compat"
  | "entra"
  | "okta"
  | (string & {})
  | { base?: string; enable?: string[]; disable?: string[] };

/** Validation options (the core's `ValidateOptions`). */
export interface ValidateOptions {
  mode?: "create" | "replace" | "response";
  /** The stored resource, for `replace`. */
  existing?: JsonObject;
  profile?: Profile;
  unknownAttributes?: "reject" | "ignore";
  canonicalValues?: "allow" | "reject";
  limits?: Limits;
}

/** PATCH options (the core's `PatchOptions`). */
export interface PatchOptions {
  profile?: Profile;
  maxOperations?: number;
  unknownAttributes?: "reject" | "ignore";
  canonicalValues?: "allow" | "reject";
  limits?: Limits;
  /** `"none"`: the PATCH is applied and checked as with `"full"` (the default), and
   *  `changes`, `quirks` and `notes` come back empty — not made, so the call is cheaper. */
  report?: "full" | "none";
}

/** Input limits (the core's `Limits`). */
export interface Limits {
  maxDepth?: number;
  maxBodyBytes?: number;
  maxValuesPerAttribute?: number;
}

/** Filter limits (the core's `FilterLimits`). */
export interface FilterLimits {
  maxLength?: number;
  maxDepth?: number;
  maxComparisons?: number;
}

/** List request limits (the core's `QueryOptions`). */
export interface QueryOptions {
  maxCount?: number;
  defaultCount?: number;
  /** `entra` or `compat` read Entra ID's `emails[type eq "work"].value eq "…"` (rule
   *  `filterSubAttribute`, noted in `quirks`). */
  profile?: Profile;
}

/** `meta` options (the core's `MetaOptions`). */
export interface MetaOptions {
  baseUrl?: string | null;
  created?: string;
  lastModified?: string;
}

/** Bulk limits (the core's `BulkLimits`). */
export interface BulkLimits {
  maxOperations?: number;
  maxPayloadSize?: number;
}

/** The ServiceProviderConfig options (the core's `ServiceProviderOptions`). */
export interface ServiceProviderOptions {
  documentationUri?: string | null;
  patch?: boolean;
  bulk?: { supported?: boolean; maxOperations?: number; maxPayloadSize?: number };
  filter?: { supported?: boolean; maxResults?: number };
  changePassword?: boolean;
  sort?: boolean;
  etag?: boolean;
  authenticationSchemes?: Array<{
    type: string;
    name: string;
    description: string;
    specUri?: string;
    documentationUri?: string;
    primary?: boolean;
  }>;
}

/** `attributes` and/or `excludedAttributes`: arrays of names or one comma-separated string;
 *  and for the response to a write, `request`: the POST or PUT body or the PatchOp it answers
 *  (an object or its JSON text), whose `returned: "request"` attributes are returned
 *  (RFC 7643 §7). */
export interface Selection {
  attributes?: string[] | string | null;
  excludedAttributes?: string[] | string | null;
  request?: JsonObject | string | null;
}

/** A successful validation. */
export interface Validated {
  resource: JsonObject;
  notes: Note[];
}

/** A successful validation with the resource as JSON text (`validateText`). */
export interface ValidatedText {
  /** The normalized resource as JSON text, exactly as the core wrote it (every number as
   *  written, integers beyond 2^53 included): ready to store or send. */
  resource: string;
  notes: Note[];
}

/** One change a PATCH made. */
export interface Change {
  op: string;
  attribute: string;
  added?: JsonValue;
  removed?: JsonValue;
  old?: JsonValue;
  new?: JsonValue;
  /** A write-only or never-returned attribute (`password`): recorded as changed, its values left
   *  out. */
  redacted?: boolean;
}

/** A successful PATCH. */
export interface Patched {
  resource: JsonObject;
  changes: Change[];
  quirks: Note[];
  notes: Note[];
}

/** A successful PATCH with the new resource as JSON text (`applyPatchText`). */
export interface PatchedText {
  /** The new resource as JSON text, exactly as the core wrote it: ready to store or send. */
  resource: string;
  changes: Change[];
  quirks: Note[];
  notes: Note[];
}

/** What a PATCH applied to a held resource reports (`HeldResource#applyPatch`): the resource
 *  itself stays held. */
export interface PatchReport {
  changes: Change[];
  quirks: Note[];
  notes: Note[];
}

/** How a resource is read to be held (`Registry#hold`). */
export interface HoldOptions {
  limits?: Limits;
}

/** A PatchOp message (a type, not an interface, so that it is a `JsonObject` too). */
export type PatchOp = {
  schemas: string[];
  Operations: Array<{ op: string; path?: string; value?: JsonValue }>;
};

/** A ListResponse message (a type, not an interface, so that it is a `JsonObject` too). */
export type ListResponse<T = JsonObject> = {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
};

/** A filter syntax tree. */
export type FilterAst =
  | { op: "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le"; path: string; value: JsonValue }
  | { op: "pr"; path: string }
  | { and: FilterAst[] }
  | { or: FilterAst[] }
  | { not: FilterAst }
  | { valuePath: { path: string; filter: FilterAst } };

/** A parsed PATCH path. */
export interface PatchPathParts {
  canonical: string;
  urn?: string;
  name: string;
  sub?: string;
  filter?: FilterAst;
}

/** One bulk operation in execution order. */
export interface BulkOperation {
  index: number;
  method: string;
  bulkId?: string;
  version?: string;
  path: string;
  data?: JsonValue;
  /** The `bulkId`s it refers to (in a plan). */
  dependsOn?: string[];
  /** Why it cannot run (in a plan): the runner reports this failure without handing it out. */
  refused?: ErrorRecord;
  /** This is the PATCH that adds back what the POST at `index` held back to break a cycle of
   *  `bulkId` references (RFC 7644 §3.7.1); its outcome goes into that POST's one result. */
  completes?: boolean;
}

/** A bulk plan. */
export interface BulkPlan {
  failOnErrors: number | null;
  operations: BulkOperation[];
}

/** What the host reports for one bulk operation. */
export type BulkOutcome =
  | { status: number | string; id?: string; location?: string; version?: string }
  | { error: { status: number | string; scimType?: ScimType; detail?: string } };

/** Schemas and resource types, checked to fit together. */
export class Registry {
  /** Frees the Rust-side memory now (otherwise only when the garbage collector finalizes the
   *  object, which may be late); the object is unusable afterwards. */
  free(): void;
  /** The same as `free()`, for `using`. */
  [Symbol.dispose](): void;
  /** The built-in schemas and resource types plus custom ones (objects or JSON text; a
   *  resource type text may hold an array of types). */
  constructor(definitions?: { schemas?: Iterable<Document>; resourceTypes?: Iterable<Document> });
  /** Validates a resource; throws a ScimError listing every error (and the notes). */
  validate(resourceType: string, body: Document, options?: Options<ValidateOptions>): Validated;
  /** `validate`, answering the resource as JSON text (no `JSON.parse` on the way out). */
  validateText(resourceType: string, body: Document, options?: Options<ValidateOptions>): ValidatedText;
  /** Applies a PATCH request to a stored resource; a failed PATCH changes nothing. */
  applyPatch(resourceType: string, resource: Document, request: Document, options?: Options<PatchOptions>): Patched;
  /** `applyPatch`, answering the new resource as JSON text (no `JSON.parse` on the way out). */
  applyPatchText(resourceType: string, resource: Document, request: Document, options?: Options<PatchOptions>): PatchedText;
  /** A stored resource held on the Rust side, to be patched in place: only each request and its
   *  report cross the boundary. */
  hold(resourceType: string, resource: Document, options?: Options<HoldOptions>): HeldResource;
  /** The PatchOp message that turns `oldResource` into `newResource`. */
  diff(resourceType: string, oldResource: Document, newResource: Document): PatchOp;
  /** The resource projected per `attributes` / `excludedAttributes` (and, answering a write,
   *  the `request` it answers). */
  project(resourceType: string, resource: Document, selection?: Options<Selection>): JsonObject;
  /** The resources sorted by `sortBy` (`ascending` unless asked otherwise). */
  sort(resourceType: string, resources: Document, sortBy: string, sortOrder?: "ascending" | "descending"): JsonObject[];
  /** The ListResponse answering a query (a ListQuery, or a query string read with `options`):
   *  filter, sort, page, project. */
  listResponse(resourceType: string, resources: Document, query?: ListQuery | string | null, options?: Options<QueryOptions>): ListResponse;
  /** The resource with `meta` filled. */
  fillMeta(resourceType: string, resource: Document, options?: Options<MetaOptions>): JsonObject;
  /** Where a request — a resource body, or a PatchOp (one with `Operations`) — names `value` as
   *  the `value` of `attribute` (`members`, `urn:…:enterprise:2.0:User:manager`): the JSON
   *  pointer to give a ScimError refusing that value (a member that is no resource of yours). */
  valueLocation(resourceType: string, request: Document, attribute: string, value: string): string;
  /** The `/ResourceTypes` ListResponse. */
  resourceTypes(baseUrl?: string | null): ListResponse;
  /** The `/Schemas` ListResponse. */
  schemas(baseUrl?: string | null): ListResponse;
  /** The `/Schemas/<urn>` document (a 404 ScimError when unknown). */
  schemaDocument(urn: string, baseUrl?: string | null): JsonObject;
  /** The `/ResourceTypes/<id>` document, by id or name (a 404 ScimError when unknown). */
  resourceTypeDocument(id: string, baseUrl?: string | null): JsonObject;
}

/** `sqlite` (also `d1`) or `postgres` (also `postgresql`). */
export type SqlDialect = "sqlite" | "d1" | "postgres" | "postgresql";

/** How a resource type is stored in an application's tables (the core's `mapping` module: the
 *  `document` layout, or `columns` with child tables), loaded once. Errors in the mapping are
 *  `invalidValue` located by a JSON pointer into it. */
export class Mapping {
  /** Frees the Rust-side memory now (otherwise only when the garbage collector finalizes the
   *  object, which may be late); the object is unusable afterwards. */
  free(): void;
  /** The same as `free()`, for `using`. */
  [Symbol.dispose](): void;
  /** Loads `mapping` for `resourceType` of `registry` (default: the built-ins). */
  constructor(registry: Registry | null | undefined, resourceType: string, mapping: Document);
  /** The database record storing `resource`. */
  toRecord(resource: Document): StoredRecord;
  /** The resource a record (as `toRecord` gives it or as read back) stores. */
  fromRecord(record: { row: JsonObject; children?: { [table: string]: JsonObject[] } } | string): JsonObject;
  /** `filter` as a parameterized SQL condition over the mapping's tables. */
  toSql(filter: string, dialect: SqlDialect): SqlFilter;
  /** The `CREATE TABLE` (and `CREATE INDEX`) statements of the mapping's tables. */
  createTables(dialect: SqlDialect): string[];
}

/** A filter as SQL: the clause and its parameters, in order. */
export interface SqlFilter {
  sql: string;
  params: JsonValue[];
}

/** How a resource is stored: one row, and the rows of child tables. */
export interface StoredRecord {
  row: JsonObject;
  children: { [table: string]: JsonObject[] };
}

/** A parsed SCIM filter (RFC 7644 §3.4.2.2). */
export class Filter {
  /** Frees the filter `matches` prepared and keeps (a Filter itself holds no Rust object: its
   *  text is read again when used); the object is unusable afterwards. */
  free(): void;
  /** The same as `free()`, for `using`. */
  [Symbol.dispose](): void;
  constructor(text: string, limits?: Options<FilterLimits>);
  /** The text as given. */
  readonly text: string;
  /** The syntax tree. */
  readonly ast: FilterAst;
  /** The canonical text. */
  toString(): string;
  /** The syntax tree (`JSON.stringify(filter)` gives it). */
  toJSON(): FilterAst;
  /** The filter checked against a resource type (default registry: the built-ins). */
  check(registry: Registry | null | undefined, resourceType: string): CheckedFilter;
  /** Checked when `resourceType` is given, else ready with the schema-less defaults. */
  prepare(resourceType?: string | null, registry?: Registry | null): CheckedFilter;
  /** Whether `resource` matches (checked against `resourceType` when given). The filter as
   *  prepared for the last registry and resource type is kept for the next call, until
   *  `free()`. */
  matches(resource: Document, resourceType?: string | null, registry?: Registry | null): boolean;
  /** For each resource, whether it matches (prepared once, and kept as `matches` keeps it). */
  matchesAll(resources: Document, resourceType?: string | null, registry?: Registry | null): boolean[];
}

/** A filter ready to match resources. */
export class CheckedFilter {
  /** Frees the Rust-side memory now (otherwise only when the garbage collector finalizes the
   *  object, which may be late); the object is unusable afterwards. */
  free(): void;
  /** The same as `free()`, for `using`. */
  [Symbol.dispose](): void;
  private constructor();
  /** The text as given. */
  readonly text: string;
  /** The canonical text. */
  toString(): string;
  matches(resource: Document): boolean;
  matchesAll(resources: Document): boolean[];
}

/** Resources parsed once on the Rust side, to filter many times without crossing the boundary
 *  per resource. */
export class ResourceSet {
  /** Frees the Rust-side memory now (otherwise only when the garbage collector finalizes the
   *  object, which may be late); the object is unusable afterwards. */
  free(): void;
  /** The same as `free()`, for `using`. */
  [Symbol.dispose](): void;
  /** A JSON array of resources (an array or its JSON text). */
  constructor(resources: Document);
  readonly length: number;
  /** The positions of the resources matching `filter`, in order. The set keeps the values of
   *  each attribute a filter names, read out of every resource the first time: later filters
   *  naming the same attributes read only those (in both builds; the native addon reads them
   *  out on as many threads as the process may use). */
  filter(filter: CheckedFilter | Filter | string, resourceType?: string | null, registry?: Registry | null): Uint32Array;
}

/** A stored resource held on the Rust side and patched in place (`Registry#hold`, `hold`). */
export class HeldResource {
  private constructor();
  /** Frees the Rust-side memory now (otherwise only when the garbage collector finalizes the
   *  object, which may be late); the object is unusable afterwards. */
  free(): void;
  /** The same as `free()`, for `using`. */
  [Symbol.dispose](): void;
  /** The resource type the resource is of. */
  readonly resourceType: string;
  /** Applies a PATCH request; a PATCH that fails throws a ScimError and leaves the resource as
   *  it was. */
  applyPatch(request: Document, options?: Options<PatchOptions>): PatchReport;
  /** The resource as it stands (a new object each call). */
  resource(): JsonObject;
  /** The resource as JSON text, exactly as the core wrote it. */
  resourceText(): string;
  /** The resource, for `JSON.stringify`. */
  toJSON(): JsonObject;
}

/** List parameters after the core's defaults and limits. */
export class ListQuery {
  /** Frees the Rust-side memory now (otherwise only when the garbage collector finalizes the
   *  object, which may be late); the object is unusable afterwards. */
  free(): void;
  /** The same as `free()`, for `using`. */
  [Symbol.dispose](): void;
  private constructor();
  readonly attributes: string[];
  readonly count: number;
  readonly excludedAttributes: string[];
  readonly filter: string | null;
  /** The quirk rules that fired reading the request (empty when none did). */
  readonly quirks: Note[];
  readonly sortBy: string | null;
  readonly sortOrder: "ascending" | "descending";
  readonly startIndex: number;
  /** From a URI query string (`filter=…&count=…`). */
  static fromQueryString(query: string, options?: Options<QueryOptions>): ListQuery;
  /** From a SearchRequest body. */
  static fromSearchRequest(body: Document, options?: Options<QueryOptions>): ListQuery;
  toJSON(): {
    attributes: string[];
    count: number;
    excludedAttributes: string[];
    filter: string | null;
    /** Present when a quirk rule fired. */
    quirks?: Note[];
    sortBy: string | null;
    sortOrder: "ascending" | "descending";
    startIndex: number;
  };
}

/** Runs a bulk request with the caller executing each operation. */
export class BulkRunner implements Iterable<BulkOperation> {
  /** Frees the Rust-side memory now (otherwise only when the garbage collector finalizes the
   *  object, which may be late); the object is unusable afterwards. */
  free(): void;
  /** The same as `free()`, for `using`. */
  [Symbol.dispose](): void;
  constructor(request: Document, limits?: Options<BulkLimits>, baseUrl?: string | null);
  /** The next operation, references resolved, with its `index`; `null` when done. */
  nextOperation(): BulkOperation | null;
  /** Records the outcome of the operation last handed out. */
  record(outcome: BulkOutcome | string): void;
  /** The BulkResponse for what has run so far. */
  finish(): JsonObject;
  [Symbol.iterator](): Iterator<BulkOperation>;
}

/** Which build this is. */
export const implementation: "native" | "wasm";

/** `Registry#validate` against the built-in schemas. */
export function validate(resourceType: string, body: Document, options?: Options<ValidateOptions>): Validated;
/** `Registry#validateText` against the built-in schemas. */
export function validateText(resourceType: string, body: Document, options?: Options<ValidateOptions>): ValidatedText;
/** `Registry#applyPatch` against the built-in schemas. */
export function applyPatch(resourceType: string, resource: Document, request: Document, options?: Options<PatchOptions>): Patched;
/** `Registry#applyPatchText` against the built-in schemas. */
export function applyPatchText(resourceType: string, resource: Document, request: Document, options?: Options<PatchOptions>): PatchedText;
/** `Registry#hold` against the built-in schemas. */
export function hold(resourceType: string, resource: Document, options?: Options<HoldOptions>): HeldResource;
/** `Registry#diff` against the built-in schemas. */
export function diff(resourceType: string, oldResource: Document, newResource: Document): PatchOp;
/** `Registry#project` against the built-in schemas. */
export function project(resourceType: string, resource: Document, selection?: Options<Selection>): JsonObject;
/** `Registry#sort` against the built-in schemas. */
export function sort(resourceType: string, resources: Document, sortBy: string, sortOrder?: "ascending" | "descending"): JsonObject[];
/** `Registry#listResponse` against the built-in schemas. */
export function listResponse(resourceType: string, resources: Document, query?: ListQuery | string | null, options?: Options<QueryOptions>): ListResponse;
/** `Registry#fillMeta` against the built-in schemas. */
export function fillMeta(resourceType: string, resource: Document, options?: Options<MetaOptions>): JsonObject;
/** `Registry#valueLocation` against the built-in schemas. */
export function valueLocation(resourceType: string, request: Document, attribute: string, value: string): string;

/** A PATCH path (RFC 7644 §3.5.2). */
export function parsePatchPath(path: string): PatchPathParts;
/** An attribute path (RFC 7644 §3.10) in its canonical form. */
export function parseAttrPath(path: string): string;
/** `ListQuery.fromQueryString`. */
export function listQueryFromQueryString(query: string, options?: Options<QueryOptions>): ListQuery;
/** `ListQuery.fromSearchRequest`. */
export function listQueryFromSearchRequest(body: Document, options?: Options<QueryOptions>): ListQuery;
/** The ListResponse for a page the caller cut itself from `totalResults` matches. */
export function listResponseFromPage<T extends JsonObject = JsonObject>(resources: T[] | string, totalResults: number, startIndex?: number | null): ListResponse<T>;
/** A ScimError (returned, not thrown) from `{scimType? | status, detail?, location?}` or a list
 *  of them (one error standing for all). */
export function errorFromValue(
  records:
    | { scimType?: ScimType; status?: number | string; detail?: string; location?: string }
    | Array<{ scimType?: ScimType; status?: number | string; detail?: string; location?: string }>
    | string,
): ScimError;
/** The RFC 7644 §3.12 body for a ScimError, with scimkit's extension listing every error when
 *  there is more to say (spans there are UTF-8 bytes, as on the wire). */
export function errorResponse(error: ScimError): ErrorBody;
/** The ServiceProviderConfig document. */
export function serviceProviderConfig(options?: Options<ServiceProviderOptions>, baseUrl?: string | null): JsonObject;
/** The weak entity tag `W/"…"` of a resource. */
export function etag(resource: Document): string;
/** Refuses a `filter` given to a discovery endpoint (`/ServiceProviderConfig`, `/Schemas`,
 *  `/ResourceTypes`): throws a ScimError with status 403 (RFC 7644 §4); `undefined`/`null`
 *  (no filter) returns. */
export function refuseFilter(filter?: string | null): void;
/** `refuseFilter` for a discovery request's whole URI query string (with or without its `?`):
 *  throws a ScimError with status 403 when a parameter is named `filter` (percent-decoded, in
 *  any case, as `ListQuery.fromQueryString` reads names), 400 for a name with a malformed
 *  escape; returns otherwise. */
export function refuseFilterInQuery(query: string): void;
/** `If-Match` / `If-None-Match` (no `currentVersion`: the resource does not exist). */
export function evaluatePreconditions(
  method: string,
  currentVersion?: string | null,
  ifMatch?: string | null,
  ifNoneMatch?: string | null,
): "proceed" | "notModified" | "preconditionFailed";
/** A bulk request read, checked and planned in execution order. */
export function bulkPlan(request: Document, limits?: Options<BulkLimits>): BulkPlan;

/** @internal Test hook: panics inside scimkit (a ScimError with status 500 comes out). */
export function _panic(message: string): never;

declare const scimkit: {
  implementation: typeof implementation;
  ScimError: typeof ScimError;
  Registry: typeof Registry;
  Filter: typeof Filter;
  CheckedFilter: typeof CheckedFilter;
  ResourceSet: typeof ResourceSet;
  HeldResource: typeof HeldResource;
  ListQuery: typeof ListQuery;
  BulkRunner: typeof BulkRunner;
  Mapping: typeof Mapping;
  validate: typeof validate;
  validateText: typeof validateText;
  applyPatch: typeof applyPatch;
  applyPatchText: typeof applyPatchText;
  hold: typeof hold;
  diff: typeof diff;
  project: typeof project;
  sort: typeof sort;
  listResponse: typeof listResponse;
  fillMeta: typeof fillMeta;
  valueLocation: typeof valueLocation;
  parsePatchPath: typeof parsePatchPath;
  parseAttrPath: typeof parseAttrPath;
  listQueryFromQueryString: typeof listQueryFromQueryString;
  listQueryFromSearchRequest: typeof listQueryFromSearchRequest;
  listResponseFromPage: typeof listResponseFromPage;
  errorFromValue: typeof errorFromValue;
  errorResponse: typeof errorResponse;
  serviceProviderConfig: typeof serviceProviderConfig;
  etag: typeof etag;
  refuseFilter: typeof refuseFilter;
  refuseFilterInQuery: typeof refuseFilterInQuery;
  evaluatePreconditions: typeof evaluatePreconditions;
  bulkPlan: typeof bulkPlan;
  _panic: typeof _panic;
};
export default scimkit;

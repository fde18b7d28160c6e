// Typed use of every export of `scimkit` (checked by `tsc -p test` in test.sh, never run):
// index.d.ts must accept what users write and give back precise types.
import scimkit, {
  BulkRunner,
  CheckedFilter,
  Filter,
  HeldResource,
  ListQuery,
  Mapping,
  Registry,
  ResourceSet,
  ScimError,
  _panic,
  applyPatch,
  applyPatchText,
  bulkPlan,
  diff,
  errorFromValue,
  errorResponse,
  etag,
  evaluatePreconditions,
  fillMeta,
  valueLocation,
  hold,
  implementation,
  listQueryFromQueryString,
  listQueryFromSearchRequest,
  listResponse,
  listResponseFromPage,
  parseAttrPath,
  parsePatchPath,
  project,
  refuseFilter,
  refuseFilterInQuery,
  serviceProviderConfig,
  sort,
  validate,
  validateText,
  type BulkOperation,
  type ErrorBody,
  type FilterAst,
  type JsonObject,
  type ListResponse,
  type Patched,
  type PatchedText,
  type PatchReport,
  type Span,
  type Validated,
  type ValidatedText,
} from "scimkit";
import * as wasm from "scimkit/wasm";

const kind: "native" | "wasm" = implementation;
const user = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "bjensen" };

const ok: Validated = validate("User", user, { mode: "create" });
const resource: JsonObject = ok.resource;
validate("User", JSON.stringify(user));
validate("User", user, '{"mode":"replace"}');

const registry = new Registry({ schemas: [], resourceTypes: ['{"name":"Device","endpoint":"/Devices","schema":"urn:x"}'] });
new Registry();
registry.validate("User", user, { profile: "entra", unknownAttributes: "ignore", limits: { maxDepth: 16 } });
const patched: Patched = registry.applyPatch("User", resource, { schemas: [], Operations: [] }, { profile: { base: "compat", enable: ["x"] } });
applyPatch("User", resource, "{}");
const stored: ValidatedText = validateText("User", JSON.stringify(user));
const storedText: string = stored.resource;
const patchedText: PatchedText = applyPatchText("User", storedText, '{"schemas":[],"Operations":[]}', { profile: "entra" });
const newText: string = registry.applyPatchText("User", patchedText.resource, { schemas: [], Operations: [] }).resource;
const held: HeldResource = registry.hold("User", storedText, { limits: { maxDepth: 16 } });
const report: PatchReport = held.applyPatch({ schemas: [], Operations: [] }, { profile: "entra" });
const unreported: PatchReport = held.applyPatch('{"schemas":[],"Operations":[]}', { profile: "entra", report: "none" });
void unreported;
const heldChange: string | undefined = report.changes[0]?.attribute;
const heldType: string = hold("User", resource).resourceType;
const heldText: string = held.resourceText();
const heldResource: JsonObject = held.resource();
held.free();
const firstChange: string | undefined = patchedText.changes[0]?.attribute;
const wasRedacted: boolean | undefined = patchedText.changes[0]?.redacted;
registry.validateText("User", newText).notes.map((n) => n.code);
const ops = diff("User", resource, patched.resource);
const op: string | undefined = ops.Operations[0]?.op;
project("User", resource, { attributes: ["userName"] });
registry.project("User", resource, { excludedAttributes: "emails" });
sort("User", [resource], "userName", "descending");
const page: ListResponse = listResponse("User", [resource], "filter=userName%20eq%20%22x%22", { maxCount: 10 });
const total: number = page.totalResults;
registry.listResponse("User", [resource], listQueryFromSearchRequest({ filter: "userName pr" }));
fillMeta("User", resource, { baseUrl: "https://example.com/scim/v2" });
const memberAt: string = valueLocation("Group", { Operations: [] }, "members", "id-1");
void memberAt;
registry.resourceTypes("https://example.com");
registry.schemas();
registry.schemaDocument("urn:ietf:params:scim:schemas:core:2.0:User");
registry.resourceTypeDocument("User", undefined);

const filter = new Filter('userName eq "bjensen"', { maxDepth: 8 });
const canonical: string = filter.toString();
const ast: FilterAst = filter.toJSON();
const text: string = filter.text;
const checked: CheckedFilter = filter.check(registry, "User");
filter.check(null, "User");
const yes: boolean = checked.matches(user) && filter.matches(user, "User", registry) && filter.matches(user);
const flags: boolean[] = checked.matchesAll([user]);
filter.matchesAll(JSON.stringify([user]), null);
filter.prepare();
const set = new ResourceSet([user, user]);
const hits: Uint32Array = set.filter(filter, "User");
set.filter('userName sw "b"');
set.filter(checked);
const n: number = set.length;

const query: ListQuery = ListQuery.fromQueryString("count=5", { defaultCount: 2 });
const count: number = query.count;
const order: "ascending" | "descending" = query.toJSON().sortOrder;
listQueryFromQueryString("?startIndex=3");
listResponseFromPage([user], 10, 1);

const path = parsePatchPath('emails[type eq "work"].value');
const name: string = path.name;
const attr: string = parseAttrPath("name.givenName");

try {
  validate("User", {});
} catch (e) {
  if (e instanceof ScimError) {
    const status: number = e.status;
    const type: string | null = e.scimType;
    const loc: string | null = e.location;
    const span: Span | null = e.span;
    const body: ErrorBody = e.toResponse();
    const full: ErrorBody = errorResponse(e);
    const firstDetail: string | undefined = e.errors[0]?.detail;
    const noteCode: string | undefined = e.notes[0]?.code;
    void [status, type, loc, span, body, full, firstDetail, noteCode];
  }
}
const notFound: ScimError = errorFromValue({ status: 404, detail: "no such user" });
errorFromValue([{ scimType: "invalidValue", detail: "a", location: "/a" }]);
serviceProviderConfig({ patch: true, bulk: { supported: true, maxOperations: 10 } }, "https://example.com");
const tag: string = etag(user);
refuseFilter(null);
const given: string | null = tag.startsWith("W/") ? null : tag;
refuseFilter(given);
refuseFilter(undefined);
refuseFilter();
refuseFilterInQuery("?attributes=name");
const decision: "proceed" | "notModified" | "preconditionFailed" = evaluatePreconditions("GET", tag, null, tag);
const plan = bulkPlan({ schemas: [], Operations: [] }, { maxOperations: 5 });
const firstOp: BulkOperation | undefined = plan.operations[0];
const runner = new BulkRunner("{}", undefined, "https://example.com");
for (const operation of runner) runner.record({ status: 201, id: String(operation.index) });
runner.record({ error: { status: 409, scimType: "uniqueness", detail: "taken" } });
const next: BulkOperation | null = runner.nextOperation();
runner.finish();
const never: () => never = () => _panic("boom");

const mapping = new Mapping(registry, "User", { layout: "document", table: "users" });
const sql: { sql: string; params: unknown[] } = mapping.toSql('userName eq "x"', "d1");
const tables: string[] = mapping.createTables("postgres");
const row = mapping.toRecord(user).row;
const back: JsonObject = mapping.fromRecord(mapping.toRecord(user));
// A row read back alone (no child tables) is a record too.
const fromRow: JsonObject = mapping.fromRecord({ row: { id: "1", data: "{}" } });
void fromRow;
// null stands for "not given" wherever an argument is optional.
const plainFilter = new Filter("title pr", null);
plainFilter.matches(user, null, null);
// Every class frees through Symbol.dispose too (what `using` calls), with the es2022 lib.
plainFilter[Symbol.dispose]();
void [sql, tables, row, back];
mapping.free();
checked.free();
set.free();

const w: Validated = wasm.validate("User", user);
const same: typeof scimkit.Registry = wasm.Registry;

void [kind, op, total, canonical, ast, text, yes, flags, hits, n, count, order, name, attr, notFound, decision, firstOp, next, never, w, same];

// What came out goes back in: a diff's PatchOp into applyPatch, a ListResponse as a document.
const patchOps = diff("User", resource, { ...resource, displayName: "B" });
applyPatch("User", resource, patchOps);
const onePage = listResponse("User", [resource], "count=1");
etag(onePage);
// A user's own interface is a document (an interface has no index signature).
interface MyUser {
  schemas: string[];
  userName: string;
  active?: boolean;
}
const mine: MyUser = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "me" };
validate("User", mine);
// A profile may come from configuration as any string; the other options are typed as spelled.
const configured: string = "entra";
validate("User", user, { profile: configured });
void [patchOps, onePage];

// @ts-expect-error the resource type is a string
validate(1, user);
// @ts-expect-error a mode the core does not know
validate("User", user, { mode: "post" });
// @ts-expect-error a sort order the core does not know
sort("User", [user], "userName", "desc");
// @ts-expect-error `report` is "full" or "none"
applyPatch("User", resource, patchOps, { report: "nothing" });
// @ts-expect-error a number is no document
validate("User", 5);
// @ts-expect-error a promise is no document (a forgotten `await`)
project("User", Promise.resolve(mine));
// @ts-expect-error a function is no document
etag(() => mine);
// @ts-expect-error ScimError has no public constructor
new ScimError();
// @ts-expect-error errorResponse takes a ScimError
errorResponse({ status: 404 });

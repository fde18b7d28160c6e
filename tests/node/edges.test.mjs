// The edges of the JS boundary, for the native addon and the WebAssembly build alike: ScimError
// fields, UTF-16 spans, lone surrogates, `__proto__` keys, big integers, deep nesting, panics
// and traps, CommonJS. Build first: bash bindings-js/build.sh
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";

const pkg = new URL("../../bindings-js/", import.meta.url);
const require = createRequire(new URL("package.json", pkg));
const builds = {
  native: await import(new URL("dist/node/native.mjs", pkg)),
  wasm: await import(new URL("dist/node/wasm.mjs", pkg)),
};

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const user = (extra = {}) => ({ schemas: [USER], userName: "bjensen", ...extra });

/** The ScimError `fn` throws. */
function scimError(api, fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof api.ScimError, `expected a ScimError, got ${e?.stack ?? e}`);
    return e;
  }
  assert.fail("expected a ScimError");
}

/** The next call works: a plain validation succeeds. */
function stillWorks(api) {
  assert.equal(api.validate("User", user()).resource.userName, "bjensen");
  assert.equal(String(new api.Filter('userName eq "x"')), 'userName eq "x"');
}

for (const [name, api] of Object.entries(builds)) {
  test(`${name}: Filter.matches keeps its prepared filter per registry and type, and follows changes`, () => {
    const f = new api.Filter('userName eq "BJENSEN"');
    const other = new api.Registry();
    try {
      assert.equal(f.matches(user(), "User"), true);
      assert.equal(f.matches(user({ userName: "x" }), "User"), false);
      // Group has no userName: checking fails there, and the User one still serves after.
      assert.equal(scimError(api, () => f.matches(user(), "Group")).scimType, "invalidFilter");
      assert.equal(f.matches(user(), "User", other), true);
      assert.equal(f.matches(user(), "User"), true);
      assert.deepEqual(f.matchesAll([user(), user({ userName: "x" })]), [true, false]);
      assert.equal(f.matches({ userName: "bjensen" }), true);
      // A registry without a resource type would go unused, even after a schema-less match.
      for (const call of [() => f.matches(user(), undefined, other), () => f.matchesAll([user()], null, other), () => f.prepare(undefined, other)]) {
        assert.throws(call, (e) => e instanceof TypeError && /without a resource type/.test(e.message));
      }
      f.free();
      assert.throws(() => f.matches(user(), "User"));
    } finally {
      other.free();
    }
  });

  test(`${name}: a ScimError carries scimType, status, location, span, detail, errors, notes`, () => {
    const e = scimError(api, () => api.validate("User", { schemas: [USER], userName: 5, nickName: 7 }));
    assert.ok(e instanceof Error);
    assert.equal(e.name, "ScimError");
    assert.equal(e.scimType, "invalidValue");
    assert.equal(e.status, 400);
    assert.equal(e.location, "/nickName");
    assert.equal(e.span, null);
    assert.match(e.detail, /^2 errors; the first: /);
    assert.match(e.message, /\(at `\/nickName`\)$/);
    assert.deepEqual(
      e.errors.map((r) => [r.scimType, r.status, r.location]).sort(),
      [
        ["invalidValue", 400, "/nickName"],
        ["invalidValue", 400, "/userName"],
      ],
    );
    assert.ok(Array.isArray(e.notes));
    const body = e.toResponse();
    assert.deepEqual(body.schemas, ["urn:ietf:params:scim:api:messages:2.0:Error"]);
    assert.equal(body.status, "400");
    assert.equal(body.scimType, "invalidValue");
    body.status = "mutated";
    assert.equal(e.toResponse().status, "400", "toResponse() hands out a copy");
    const full = api.errorResponse(e);
    assert.equal(full["urn:scimkit:api:messages:2.0:Errors"].errors.length, 2);
    assert.throws(() => api.errorResponse(new Error("x")), TypeError);
  });

  test(`${name}: an options object used again is read as it stands at each call`, () => {
    // The JS layer writes a plain options object once and reuses the text while its values
    // stay the same: every change to it must still be seen.
    const entra = JSON.stringify({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "title", value: "Boss" }],
    });
    const options = { profile: "strict" };
    const held = api.hold("User", user());
    try {
      const strict = () => scimError(api, () => held.applyPatch(entra, options));
      assert.equal(strict().location, "/Operations/0/op");
      options.profile = "entra";
      assert.equal(held.applyPatch(entra, options).quirks.length, 1);
      options.report = "none";
      assert.deepEqual(held.applyPatch(entra, options), { changes: [], quirks: [], notes: [] });
      delete options.profile;
      assert.equal(strict().location, "/Operations/0/op");
      // Keys in another order write other text; the same values read alike.
      const reordered = { report: "full", profile: "entra" };
      assert.equal(api.applyPatch("User", user(), entra, reordered).changes[0].attribute, "title");
      reordered.profile = { base: "strict", enable: [] };
      assert.equal(scimError(api, () => api.applyPatch("User", user(), entra, reordered)).location, "/Operations/0/op");
      reordered.profile.enable.push("opCase");
      assert.equal(api.applyPatch("User", user(), entra, reordered).resource.title, "Boss");
      // An option whose value cannot be written is refused on every call.
      const bad = { maxOperations: Number.NaN };
      for (let i = 0; i < 2; i++) assert.equal(scimError(api, () => held.applyPatch(entra, bad)).scimType, "invalidSyntax");
      // A getter is read at each call, and an object with a prototype of its own is written
      // each time.
      let profile = "strict";
      const getter = { get profile() { return profile; } };
      assert.equal(scimError(api, () => held.applyPatch(entra, getter)).location, "/Operations/0/op");
      profile = "entra";
      assert.equal(held.applyPatch(entra, getter).quirks.length, 1);
      // Written from one reading of a getter, and a getter that throws is refused as the
      // options it cannot write, also once the object is known.
      let boom = false;
      const touchy = { get profile() { if (boom) throw new Error("boom"); return "entra"; } };
      for (let i = 0; i < 3; i++) assert.equal(held.applyPatch(entra, touchy).quirks.length, 1);
      boom = true;
      for (let i = 0; i < 2; i++) assert.equal(scimError(api, () => held.applyPatch(entra, touchy)).scimType, "invalidSyntax");
      // A toJSON that for-in does not see is still what JSON says.
      let viaToJSON = "strict";
      const hidden = { profile: "entra" };
      Object.defineProperty(hidden, "toJSON", { value: () => ({ profile: viaToJSON }), enumerable: false });
      for (let i = 0; i < 3; i++) assert.equal(scimError(api, () => held.applyPatch(entra, hidden)).location, "/Operations/0/op");
      viaToJSON = "entra";
      assert.equal(held.applyPatch(entra, hidden).quirks.length, 1);
      // An own `__proto__` member is an option like any other (here an unknown one).
      const proto = JSON.parse('{"profile":"entra","__proto__":"x"}');
      for (let i = 0; i < 3; i++) assert.equal(scimError(api, () => held.applyPatch(entra, proto)).location, "/__proto__");
      class Options {
        profile = "strict";
      }
      const instance = new Options();
      assert.equal(scimError(api, () => held.applyPatch(entra, instance)).location, "/Operations/0/op");
      instance.profile = "entra";
      assert.equal(held.applyPatch(entra, instance).quirks.length, 1);
    } finally {
      held.free();
    }
  });

  test(`${name}: errors without a scimType, and errors made from records`, () => {
    const e = scimError(api, () => new api.Registry().schemaDocument("urn:nope"));
    assert.equal(e.status, 404);
    assert.equal(e.scimType, null);
    const made = api.errorFromValue({ status: 412, detail: "version mismatch", location: "/meta" });
    assert.ok(made instanceof api.ScimError);
    assert.deepEqual([made.status, made.scimType, made.location, made.detail], [412, null, "/meta", "version mismatch"]);
    assert.deepEqual(made.toResponse(), {
      detail: "version mismatch",
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "412",
    });
    scimError(api, () => api.errorFromValue({ status: 200, detail: "fine" }));
  });

  test(`${name}: filter spans are UTF-16 offsets, also after non-ASCII and astral characters`, () => {
    for (const text of ['name.givenName eq "é😀" bogus', 'a eq "😀😀" or b eq "ü" bogus', '"ß" eq 1']) {
      const e = scimError(api, () => new api.Filter(text));
      assert.equal(e.scimType, "invalidFilter");
      const at = text.indexOf(text.includes("bogus") ? "bogus" : '"ß"');
      assert.equal(e.span.start, at, `${text}: ${JSON.stringify(e.span)} ${e.detail}`);
      assert.ok(e.span.end >= e.span.start && e.span.end <= text.length);
      // The body keeps the core's UTF-8 bytes, as on the wire.
      const wire = api.errorResponse(e)["urn:scimkit:api:messages:2.0:Errors"].errors[0].span;
      assert.equal(wire.start, new TextEncoder().encode(text.slice(0, at)).length);
    }
    const end = 'name.givenName eq "é😀" and (';
    assert.deepEqual(scimError(api, () => new api.Filter(end)).span, { start: end.length, end: end.length });
    // A checked filter's unknown attribute: the span of its path.
    const unknown = 'displayName eq "😀" and nope eq 1';
    const checked = scimError(api, () => new api.Filter(unknown).check(null, "User"));
    assert.equal(checked.span.start, unknown.indexOf("nope"));
  });

  test(`${name}: a span inside a document points into the string at the error's location`, () => {
    const path = 'emails[value eq "😀"] junk';
    const request = { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "remove", path }] };
    // As an object, as text, through toJSON (the span is found in what was sent), and with the
    // members spelled otherwise (the location is the request's own).
    const viaToJSON = { toJSON: () => request };
    const respelled = { schemas: request.schemas, operations: [{ op: "remove", PATH: path }] };
    for (const given of [request, JSON.stringify(request), viaToJSON, respelled]) {
      const e = scimError(api, () => api.applyPatch("User", user(), given));
      assert.equal(e.scimType, "invalidPath");
      assert.equal(e.location, given === respelled ? "/operations/0/PATH" : "/Operations/0/path");
      assert.ok(e.span, e.message);
      assert.equal(e.span.start, path.indexOf("junk"), `${JSON.stringify(e.span)} ${e.detail}`);
    }
    const query = api.listQueryFromQueryString(`filter=${encodeURIComponent('title eq "😀" bogus')}`);
    const e = scimError(api, () => api.listResponse("User", [user()], query));
    assert.equal(e.location, "/filter");
    assert.equal(e.span.start, query.filter.indexOf("bogus"));
  });

  test(`${name}: a lone surrogate is a ScimError, never a silent U+FFFD`, () => {
    for (const fn of [
      () => new api.Filter('userName eq "\uD800"'),
      () => api.validate("User", `{"schemas":["${USER}"],"userName":"\uDC00x"}`),
      () => api.validate("User", user({ displayName: "a\uD83D" })),
      () => api.validate("User\uD800", user()),
      () => api.parsePatchPath("name\uDFFF"),
      () => api.etag({ "\uD800": 1 }),
    ]) {
      const e = scimError(api, fn);
      assert.equal(e.scimType, "invalidSyntax", e.message);
      assert.equal(e.status, 400);
    }
    stillWorks(api);
    // Located at the string, as Python locates the same string in a dict (and as the text with
    // its `\\ud83d` escape, which is what JSON.stringify writes, is located).
    assert.equal(scimError(api, () => api.validate("User", user({ emails: [{ value: "a\uD83D" }] }))).location, "/emails/0/value");
    // Paired surrogates are text like any other.
    assert.equal(api.validate("User", user({ displayName: "😀" })).resource.displayName, "😀");
  });

  test(`${name}: page numbers are the core's to judge; a non-number is a TypeError`, () => {
    assert.equal(api.listResponseFromPage([], 5e12).totalResults, 5e12);
    assert.equal(api.listResponseFromPage([], 3).startIndex, 1);
    assert.equal(scimError(api, () => api.listResponseFromPage([], 3, 2.5)).location, "/startIndex");
    assert.equal(scimError(api, () => api.listResponseFromPage([], Infinity)).location, "/totalResults");
    for (const bad of ["3", true, null, 3n]) assert.throws(() => api.listResponseFromPage([], bad), TypeError);
    stillWorks(api);
  });

  test(`${name}: a __proto__ key comes back as an own key, never as the prototype`, () => {
    const resources = JSON.parse('[{"id":"a","__proto__":{"polluted":true}}]');
    assert.ok(Object.hasOwn(resources[0], "__proto__"));
    const page = api.listResponseFromPage(resources, 1, 1);
    const r = page.Resources[0];
    assert.ok(Object.hasOwn(r, "__proto__"));
    assert.equal(Object.getPrototypeOf(r), Object.prototype);
    assert.equal(r.polluted, undefined);
    assert.deepEqual(r["__proto__"], { polluted: true });
    assert.equal({}.polluted, undefined);
    const text = api.listResponseFromPage('[{"__proto__":1}]', 1, 1).Resources[0];
    assert.ok(Object.hasOwn(text, "__proto__"));
  });

  test(`${name}: numbers and strings round-trip exactly; integers beyond 2^53 are refused`, () => {
    const values = [0, -0.5, 0.1, 1e-7, 123456789.123, 1.7976931348623157e308, 5e-324, 9007199254740991, -9007199254740991];
    // Doubles from random bit patterns: their shortest text must read back as the same double
    // (a best-effort float reader gets ~30% of these one unit off in the last place).
    const bits = new DataView(new ArrayBuffer(8));
    let seed = 0x9e3779b97f4a7c15n;
    while (values.length < 2000) {
      seed ^= (seed << 13n) & 0xffffffffffffffffn;
      seed ^= seed >> 7n;
      seed ^= (seed << 17n) & 0xffffffffffffffffn;
      bits.setBigUint64(0, seed);
      const f = bits.getFloat64(0);
      if (Number.isFinite(f) && !Object.is(f, -0)) values.push(f);
    }
    const strings = ["", "é", "😀", "\u0000", "\n\t\"\\", "\u2028\u2029", "a".repeat(10000)];
    const page = api.listResponseFromPage([{ values, strings }], 1, 1);
    assert.deepEqual(page.Resources[0], { values, strings });
    // Beyond ±(2^53−1) and not a double: refused, with the integer named, rather than rounded
    // by JSON.parse. Beyond 2^53 but a double (as JS writes 1e17 or -2^53): read exactly.
    for (const big of ["9007199254740993", "-9007199254740993", "18446744073709551615", "100000000000000001"]) {
      const e = scimError(api, () => api.listResponseFromPage(`[{"n":${big}}]`, 1, 1));
      assert.equal(e.scimType, "invalidValue");
      assert.ok(e.detail.includes(big), e.detail);
    }
    for (const double of [-9007199254740992, 2 ** 60, 1e17, -4796566914205686000, 18446744073709551616]) {
      const text = JSON.stringify(double);
      assert.ok(/^-?\d+$/.test(text), text);
      assert.equal(api.listResponseFromPage(`[{"n":${text}}]`, 1, 1).Resources[0].n, double);
    }
    // Digits inside strings are text, not numbers.
    assert.equal(api.listResponseFromPage('[{"n":"18446744073709551615"}]', 1, 1).Resources[0].n, "18446744073709551615");
    // The core compares big literals exactly; only their trip into JS numbers is refused.
    const filter = new api.Filter("n eq 9007199254740993");
    assert.equal(filter.matches('{"n":9007199254740993}'), true);
    assert.equal(filter.matches('{"n":9007199254740992}'), false);
    assert.equal(String(filter), "n eq 9007199254740993");
    assert.equal(scimError(api, () => filter.toJSON()).scimType, "invalidValue");
    stillWorks(api);
  });

  test(`${name}: the text forms answer the resource as the core wrote it, the rest as values`, () => {
    const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    const body = JSON.stringify({ schemas: [USER], USERNAME: "bjensen", emails: [{ value: "b@example.com" }] });
    const plain = api.validate("User", body);
    const text = api.validateText("User", body);
    assert.equal(typeof text.resource, "string");
    assert.equal(text.resource, JSON.stringify(plain.resource));
    assert.deepEqual(text.notes, plain.notes);
    assert.ok(text.notes.length > 0);

    // A stored resource keeps numbers JS cannot hold: the text form passes them on exactly,
    // where the object form refuses the result.
    const stored = `{"schemas":["${USER}"],"userName":"b","big":9007199254740993,"ratio":10.0}`;
    const request = { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: "Boss" }] };
    const done = api.applyPatchText("User", stored, request);
    assert.equal(done.resource, `{"big":9007199254740993,"ratio":10.0,"schemas":["${USER}"],"title":"Boss","userName":"b"}`);
    assert.equal(scimError(api, () => api.applyPatch("User", stored, request)).scimType, "invalidValue");
    assert.deepEqual(done.changes, [{ op: "add", attribute: "title", new: "Boss" }]);

    // Both forms answer the same plain fields.
    const patched = api.applyPatch("User", plain.resource, request);
    const patchedText = api.applyPatchText("User", plain.resource, request);
    assert.deepEqual(Object.keys(patched), ["resource", "changes", "quirks", "notes"]);
    assert.deepEqual(Object.keys(patchedText), ["resource", "changes", "quirks", "notes"]);
    assert.deepEqual(JSON.parse(patchedText.resource), patched.resource);
    assert.deepEqual({ ...patchedText, resource: null }, { ...patched, resource: null });
    stillWorks(api);
  });

  test(`${name}: a held resource is patched in place, atomically, and reads back exactly`, () => {
    const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    const replace = (path, value) => ({ schemas: [PATCH_OP], Operations: [{ op: "replace", path, value }] });
    const stored = `{"schemas":["${USER}"],"userName":"b","ratio":10.0}`;
    const held = api.hold("User", stored);
    try {
      assert.equal(held.resourceType, "User");
      assert.deepEqual(held.applyPatch(replace("title", "Boss")).changes, [{ op: "add", attribute: "title", new: "Boss" }]);
      // Requests pile up on the one resource; each report says what that request changed.
      const second = held.applyPatch(JSON.stringify(replace("title", "Chief")));
      assert.deepEqual(second.changes, [{ op: "replace", attribute: "title", old: "Boss", new: "Chief" }]);
      assert.equal(held.resourceText(), `{"ratio":10.0,"schemas":["${USER}"],"title":"Chief","userName":"b"}`);
      assert.deepEqual(held.resource(), JSON.parse(held.resourceText()));
      assert.equal(JSON.stringify(held), JSON.stringify(held.resource()));
      // A request that fails part way leaves everything as it was.
      const before = held.resourceText();
      const failing = { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: "X" }, { op: "remove", path: "id" }] };
      const e = scimError(api, () => held.applyPatch(failing));
      assert.deepEqual([e.scimType, e.location], ["mutability", "/Operations/1/path"]);
      assert.equal(held.resourceText(), before);
      // A report JS cannot read exactly (an old value beyond 2^53) is refused, and the PATCH
      // taken back with it.
      const big = api.hold("User", `{"schemas":["${USER}"],"userName":"b","title":9007199254740993}`);
      const refused = scimError(api, () => big.applyPatch(replace("title", "Boss")));
      assert.equal(refused.scimType, "invalidValue");
      assert.match(refused.detail, /9007199254740993/);
      assert.equal(big.resourceText(), `{"schemas":["${USER}"],"title":9007199254740993,"userName":"b"}`);
      big.free();
      // With `report: "none"` nothing is handed over that JS cannot hold, so nothing is
      // refused: the PATCH stands and the resource keeps every number exactly.
      const quiet = api.hold("User", `{"schemas":["${USER}"],"userName":"b","title":9007199254740993,"n":9007199254740995}`);
      assert.deepEqual(quiet.applyPatch(replace("title", "Boss"), { report: "none" }), { changes: [], quirks: [], notes: [] });
      assert.equal(quiet.resourceText(), `{"n":9007199254740995,"schemas":["${USER}"],"title":"Boss","userName":"b"}`);
      quiet.free();
      // What cannot be held is refused up front.
      assert.equal(scimError(api, () => api.hold("User", "[1]")).scimType, "invalidValue");
      assert.equal(scimError(api, () => new api.Registry().hold("Widget", stored)).scimType, "invalidValue");
      assert.throws(() => new api.HeldResource(), TypeError);
    } finally {
      held.free();
    }
    stillWorks(api);
  });

  test(`${name}: deep nesting is refused by the core and the next call works`, () => {
    const nest = (n) => {
      let deep = {};
      for (let i = 0; i < n; i++) deep = { a: deep };
      return deep;
    };
    // Deeper than the core's limit: the core refuses it.
    assert.equal(scimError(api, () => api.validate("User", user({ x: nest(1000) }))).scimType, "invalidSyntax");
    // Too deep, cyclic or not JSON for JSON.stringify itself: refused at the JS edge.
    const cyclic = user();
    cyclic.self = cyclic;
    for (const body of [user({ x: nest(200000) }), cyclic, user({ n: 1n })]) {
      const e = scimError(api, () => api.validate("User", body));
      assert.equal(e.scimType, "invalidSyntax");
      assert.match(e.detail, /^the document cannot be written as JSON: /);
    }
    const text = `${"[".repeat(100000)}${"]".repeat(100000)}`;
    assert.equal(scimError(api, () => api.validate("User", text)).scimType, "invalidSyntax");
    assert.equal(scimError(api, () => new api.ResourceSet(text)).scimType, "invalidSyntax");
    const nested = `${"(".repeat(5000)}a pr${")".repeat(5000)}`;
    assert.equal(scimError(api, () => new api.Filter(nested)).scimType, "invalidFilter");
    stillWorks(api);
  });

  test(`${name}: a panic inside scimkit is a ScimError with status 500, and the next call works`, () => {
    // Native: caught at the export (catch_unwind). WebAssembly (panic = "abort"): a trap, after
    // which the next call goes to a new instance of the module; many in a row must not wear
    // anything out.
    const rounds = name === "wasm" ? 300 : 50;
    for (let i = 0; i < rounds; i++) {
      const e = scimError(api, () => api._panic(`boom ${i}`));
      assert.equal(e.status, 500);
      assert.equal(e.scimType, null);
      if (i === 0) assert.match(e.detail, /^scimkit failed unexpectedly: /);
      if (i % 50 === 0) stillWorks(api);
    }
    stillWorks(api);
    const big = Array.from({ length: 2000 }, (_, i) => user({ userName: `u${i}` }));
    assert.equal(new api.ResourceSet(big).filter('userName sw "u1"', "User").length, 1111);
  });

  test(`${name}: after a panic, objects made before it work on or say they were lost`, () => {
    // Native: the panic is caught before it touches anything, and every object works on.
    // WebAssembly: after the trap every call goes to a new instance. What can be made again
    // from what made it is made again at its next use (a Registry, a Filter, a CheckedFilter, a
    // ListQuery, a Mapping); what held state only the old instance had answers the core's
    // "lost" error (status 500): a HeldResource, a ResourceSet, a BulkRunner — as does a
    // CheckedFilter or Mapping whose Registry was freed since. free() works on all of them.
    const stored = `{"schemas":["${USER}"],"userName":"b"}`;
    const custom = new api.Registry({
      schemas: [{ id: "urn:example:Thing", name: "Thing", attributes: [{ name: "label", type: "string" }] }],
      resourceTypes: [{ id: "Thing", name: "Thing", endpoint: "/Things", schema: "urn:example:Thing" }],
    });
    const thing = { schemas: ["urn:example:Thing"], label: "x" };
    const filter = new api.Filter('userName eq "b"');
    const checked = filter.check(undefined, "User");
    const orphanRegistry = new api.Registry();
    const orphan = filter.check(orphanRegistry, "User");
    const query = api.listQueryFromQueryString("filter=userName%20eq%20%22b%22&count=1");
    const mapping = new api.Mapping(undefined, "User", { layout: "document", resourceType: "User", table: "users", key: "id", column: "data" });
    const orphanMapping = new api.Mapping(orphanRegistry, "User", { layout: "document", resourceType: "User", table: "users", key: "id", column: "data" });
    const held = api.hold("User", stored);
    const set = new api.ResourceSet([JSON.parse(stored)]);
    const runner = new api.BulkRunner({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: [{ method: "POST", path: "/Users", bulkId: "u1", data: user() }],
    });
    const rename = {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "userName", value: "c" }],
    };
    const sqlBefore = mapping.toSql(String(filter), "sqlite");
    const boom = scimError(api, () => held._panic("boom"));
    assert.equal(boom.status, 500);
    assert.match(boom.detail, /^scimkit failed unexpectedly: /);
    orphanRegistry.free();

    // Made again (WebAssembly) or untouched (native): the same answers as before.
    assert.equal(custom.validate("Thing", thing).resource.label, "x");
    assert.equal(filter.matches(JSON.parse(stored), "User"), true);
    assert.equal(checked.matches(stored), true);
    assert.equal(String(checked), 'userName eq "b"');
    assert.equal(api.listResponse("User", [JSON.parse(stored), user()], query).totalResults, 1);
    assert.deepEqual(mapping.toSql(String(filter), "sqlite"), sqlBefore);
    assert.equal(api.validate("User", user()).resource.userName, "bjensen");

    if (name === "wasm") {
      const lost = (call, kind, pattern) => {
        const e = scimError(api, call);
        assert.equal(e.status, 500, kind);
        assert.match(e.detail, pattern, kind);
      };
      for (const call of [() => held.applyPatch(rename), () => held.resource(), () => held.resourceText()]) {
        lost(call, "HeldResource", /^the held resource was lost .*hold the stored resource again$/);
      }
      lost(() => set.filter('userName eq "b"', "User"), "ResourceSet", /^the resource set was lost .*build it again$/);
      lost(() => set.length, "ResourceSet", /^the resource set was lost /);
      for (const call of [() => runner.nextOperation(), () => runner.record({ status: 201 }), () => runner.finish()]) {
        lost(call, "BulkRunner", /^the bulk runner was lost /);
      }
      lost(() => orphan.matches(stored), "CheckedFilter", /^the checked filter was lost .*its registry was freed since/);
      lost(() => orphanMapping.toSql(String(filter), "sqlite"), "Mapping", /^the mapping was lost .*its registry was freed since/);
    } else {
      assert.equal(held.applyPatch(rename).changes.length, 1);
      assert.equal(held.resource().userName, "c");
      assert.deepEqual(Array.from(set.filter('userName eq "b"', "User")), [0]);
      assert.equal(runner.nextOperation().bulkId, "u1");
      assert.equal(orphan.matches(stored), true);
      assert.deepEqual(orphanMapping.toSql(String(filter), "sqlite"), sqlBefore);
    }
    for (const o of [custom, filter, checked, orphan, query, mapping, orphanMapping, held, set, runner]) o.free();
    assert.throws(() => checked.matches(stored), TypeError);
    assert.throws(() => held.resource(), TypeError);
    stillWorks(api);
  });

  test(`${name}: bad arguments are TypeErrors or ScimErrors, never crashes`, () => {
    assert.throws(() => api.validate(42, user()), TypeError);
    assert.throws(() => new api.Filter(undefined), TypeError);
    assert.equal(scimError(api, () => api.validate("User", "{not json")).scimType, "invalidSyntax");
    assert.equal(scimError(api, () => api.validate("User", user(), { nope: 1 })).scimType, "invalidValue");
    assert.equal(scimError(api, () => api.validate("Nope", user())).scimType, "invalidValue");
    assert.equal(scimError(api, () => new api.Filter("a".repeat(100000))).scimType, "invalidFilter");
    assert.equal(scimError(api, () => new api.ResourceSet({ not: "an array" })).scimType, "invalidSyntax");
    assert.equal(scimError(api, () => api.evaluatePreconditions("BREW")).scimType, "invalidValue");
    stillWorks(api);
  });

  test(`${name}: what is no JSON document is a TypeError naming the argument; NaN is refused where it is`, () => {
    for (const bad of [() => 1, Symbol("x")]) {
      assert.throws(() => api.validate("User", bad), (e) => e instanceof TypeError && /body/.test(e.message));
    }
    // Missing (a request without a body) is bad input: a 400 naming what is missing.
    const missing = scimError(api, () => api.diff("User", user()));
    assert.equal(missing.status, 400);
    assert.match(missing.message, /newResource is missing/);
    assert.equal(api.listResponseFromPage([], 3, null).startIndex, 1);
    // JSON.stringify would write these as null: refused at their place, as Python refuses them.
    const nan = scimError(api, () => api.etag({ a: [1, { "b/c": NaN }] }));
    assert.equal(nan.scimType, "invalidSyntax");
    assert.equal(nan.location, "/a/1/b~1c");
    assert.equal(scimError(api, () => api.validate("User", user({ nickName: Infinity }))).location, "/nickName");
    assert.equal(scimError(api, () => api.validate("User", user(), { limits: { maxDepth: NaN } })).location, "/limits/maxDepth");
    assert.equal(scimError(api, () => api.etag({ when: { toJSON: () => -Infinity } })).location, "/when");
    // A Map or a Set would be written as {}, its entries lost: refused, as Python refuses a set.
    assert.equal(scimError(api, () => api.validate("User", user({ emails: [new Map([["value", "a@x"]])] }))).location, "/emails/0");
    assert.equal(scimError(api, () => api.etag(new Set([1]))).location, "");
    assert.equal(api.etag({ a: {} }), api.etag('{"a":{}}'));
    // A null is still a null.
    assert.notEqual(api.etag({ a: null }), api.etag({ a: 1 }));
    // The registry takes lists of documents, and nothing else.
    assert.throws(() => new api.Registry({ schemas: "[]" }), TypeError);
    assert.throws(() => new api.Registry({ schemas: {} }), TypeError);
    assert.throws(() => new api.Registry({ schema: [] }), /not `schema`/);
    assert.throws(() => new api.Registry("x"), TypeError);
    assert.equal(new api.Registry({ schemas: [], resourceTypes: new Set() }).validate("User", user()).resource.userName, "bjensen");
    stillWorks(api);
  });

  test(`${name}: a freed object says so, alike in both builds, wherever it is used`, () => {
    const freed = /the (\w+) was freed/;
    const reg = new api.Registry();
    const held = reg.hold("User", user({ id: "1" }));
    const filter = new api.Filter("userName pr");
    const checked = filter.check(reg, "User");
    const query = api.listQueryFromQueryString("count=1");
    const set = new api.ResourceSet([user()]);
    reg.free();
    filter.free();
    query.free();
    const patch = { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "title", value: "x" }] };
    for (const [use, kind] of [
      [() => reg.validate("User", user()), "Registry"],
      [() => held.applyPatch(patch), "Registry"],
      [() => filter.matches(user()), "Filter"],
      [() => api.listResponse("User", [user()], query), "ListQuery"],
    ]) {
      assert.throws(use, (e) => e instanceof TypeError && e.message.match(freed)?.[1] === kind, kind);
    }
    checked.free();
    assert.throws(() => set.filter(checked), (e) => e instanceof TypeError && freed.test(e.message));
    set.free();
    assert.throws(() => set.length, TypeError);
    reg.free(); // twice: nothing
    held.free();
    stillWorks(api);
  });

  test(`${name}: options pass through as objects or JSON text`, () => {
    const lenient = api.validate("User", user({ nope: 1 }), { unknownAttributes: "ignore" });
    assert.deepEqual(api.validate("User", user({ nope: 1 }), '{"unknownAttributes":"ignore"}'), lenient);
    assert.equal(scimError(api, () => api.validate("User", user({ nope: 1 }))).location, "/nope");
    const q = api.listQueryFromQueryString("count=500", { maxCount: 10 });
    assert.equal(q.count, 10);
    assert.ok(Object.isFrozen(q));
    assert.deepEqual(api.listQueryFromQueryString("count=500", '{"maxCount":10}').toJSON(), q.toJSON());
  });

  test(`${name}: the bulk runner, ResourceSet and CheckedFilter work as iterables and arrays`, () => {
    const request = {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: [
        { method: "POST", path: "/Users", bulkId: "u1", data: user() },
        { method: "PATCH", path: "/Users/bulkId:u1", data: { schemas: [], Operations: [] } },
      ],
    };
    const runner = new api.BulkRunner(request, undefined, "https://example.com/v2");
    const seen = [];
    for (const op of runner) {
      seen.push(op.path);
      runner.record({ status: op.method === "POST" ? 201 : 200, id: "abc" });
    }
    assert.deepEqual(seen, ["/Users", "/Users/abc"]);
    assert.equal(runner.nextOperation(), null);
    assert.equal(runner.finish().Operations.length, 2);
    const checked = new api.Filter('userName eq "b"').check(undefined, "User");
    assert.deepEqual(checked.matchesAll([user(), user({ userName: "B" })]), [false, true]);
    assert.throws(() => new api.CheckedFilter(), TypeError);
  });
}

test("wasm: handles made for one call are freed, and free() releases the rest", () => {
  const api = builds.wasm;
  const memory = require("./dist/node/wasm/scimkit_wasm.js").__wasm.memory;
  const filter = new api.Filter('emails[type eq "work" and value co "@example.com"]');
  const set = new api.ResourceSet([user(), user({ userName: "x" })]);
  const warm = () => {
    for (let i = 0; i < 2000; i++) {
      filter.matches(user(), "User");
      set.filter('userName eq "x"', "User");
      api.listResponse("User", [user()], "count=1");
      const f = new api.Filter('title pr and userType eq "Employee"');
      f.free();
    }
  };
  warm();
  const before = memory.buffer.byteLength;
  for (let round = 0; round < 10; round++) warm();
  // 20,000 more of each would have kept tens of MB alive until the garbage collector ran.
  assert.ok(memory.buffer.byteLength - before <= 2 ** 20, `wasm memory grew by ${memory.buffer.byteLength - before} bytes`);
  filter.free();
  assert.throws(() => filter.matches(user()), TypeError);
  set[Symbol.dispose]();
  assert.throws(() => set.filter('userName eq "x"'), TypeError);
});

test("wasm: calls at the very end of the JS stack never leave the module broken", () => {
  // A call made with the JS stack nearly used up can trap anywhere inside the module, its
  // memory allocator included, and even the handler of that error may find no stack left. Each
  // of the last levels of a recursion that ran out of stack does a round of work on the way
  // back: some calls trap, some fail in JS with a RangeError before or after the module, and
  // every call made after them at a normal depth must still be right. (Before every trap led to
  // a new instance, this broke the module's memory within a few dozen rounds.)
  const api = builds.wasm;
  const stored = JSON.stringify(user({ emails: [{ value: "a@x", type: "work" }] }));
  const request = JSON.stringify({
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [
      { op: "replace", path: "userName", value: "c" },
      { op: "add", path: 'emails[type eq "work"].primary', value: true },
    ],
  });
  const registry = new api.Registry();
  const filter = new api.Filter('emails[type eq "work"]');
  const checked = filter.check(registry, "User");
  const query = api.listQueryFromQueryString("filter=userName%20eq%20%22c%22");
  const tally = { right: 0, wrong: 0, trapped: 0, rangeErrors: 0 };
  const work = [
    () => {
      const { resource } = registry.applyPatch("User", stored, request);
      return resource.userName === "c" && resource.emails[0].primary === true && filter.matches(resource, "User");
    },
    () => {
      const f = new api.Filter('userName eq "x"');
      f.free();
      return true;
    },
    () => checked.matches(stored) && api.listResponse("User", [JSON.parse(stored)], query).totalResults === 0,
    () => {
      const held = registry.hold("User", stored);
      try {
        return held.applyPatch(request).changes.length === 2 && held.resource().userName === "c";
      } finally {
        held.free();
      }
    },
  ];
  const everything = () => work.every((w) => w());
  /** Recurses until the stack runs out, and works on the way back from the last 400 levels. */
  const atTheEnd = (depth) => {
    let deepest = depth;
    try {
      deepest = atTheEnd(depth + 1);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
    if (deepest - depth > 400) return deepest;
    for (const w of work) {
      try {
        tally[w() ? "right" : "wrong"]++;
      } catch (e) {
        if (e instanceof api.ScimError && e.status === 500) tally.trapped++;
        else if (e instanceof RangeError) tally.rangeErrors++;
        else throw e;
      }
    }
    return deepest;
  };
  for (let round = 0; round < 60; round++) {
    atTheEnd(0);
    assert.ok(everything(), `round ${round}: ${JSON.stringify(tally)}`);
  }
  assert.equal(tally.wrong, 0, JSON.stringify(tally));
  assert.ok(tally.trapped > 0, `no call trapped: ${JSON.stringify(tally)}`);
  stillWorks(api);
});

test("ScimErrors are recognised across builds", () => {
  const e = scimError(builds.wasm, () => builds.wasm.validate("User", "{"));
  assert.ok(e instanceof builds.native.ScimError);
  assert.equal(builds.native.errorResponse(e).scimType, "invalidSyntax");
});

test("CommonJS require works for both builds and shares the ES module instance", async () => {
  const native = require("./dist/node/native.cjs");
  const wasm = require("./dist/node/wasm.cjs");
  assert.equal(native.implementation, "native");
  assert.equal(wasm.implementation, "wasm");
  assert.equal(native.Registry, builds.native.Registry, "import and require share one instance");
  assert.equal(wasm.ScimError, builds.wasm.ScimError);
  // The package's own conditional exports, as `require("scimkit")` resolves them on Node.
  assert.equal(require("scimkit").implementation, "native");
  assert.equal(require("scimkit/wasm").implementation, "wasm");
  assert.equal(native.validate("User", user()).resource.userName, "bjensen");
  assert.equal(wasm.validate("User", user()).resource.userName, "bjensen");
});

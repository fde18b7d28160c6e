// The boundary's fast paths keep their answers, in both builds:
// - a ResourceSet filtered many times (the native addon keeps the columns of the attributes its
//   filters name) gives what each filter gives resource by resource (`matchesAll`);
// - documents out of the core carry a mark when they hold no 16 digits in a row (glue/text.rs),
//   which lets the JS layer skip its search for integers JSON.parse would round: integers beyond
//   ±(2^53−1) are still refused in every result, and everything else comes out as before.
// Build first: bash bindings-js/build.sh
import assert from "node:assert/strict";
import { test } from "node:test";

const dist = new URL("../../bindings-js/dist/node/", import.meta.url);
const builds = {
  native: await import(new URL("native.mjs", dist)),
  wasm: await import(new URL("wasm.mjs", dist)),
};

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** Users of many shapes: missing, empty, single-valued and wrongly typed attributes, other key
 *  cases, dateTimes with and without fractions, non-ASCII text. */
function user(i) {
  const u = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    id: `${i.toString(16).padStart(8, "0")}`,
    externalId: `ext-${i}`,
    userName: i % 11 === 0 ? `ÉLODIE${i}@Example.com` : `user${i}@example.com`,
    name: { givenName: `Given${i}`, familyName: `Family${i % 97}` },
    userType: ["Employee", "Intern", "Contractor"][i % 3],
    active: i % 5 !== 0,
    emails: [
      { value: `user${i}@example.com`, type: "work", primary: true },
      { value: `u${i}@home.example.org`, type: "home" },
    ],
    meta: { lastModified: `2011-06-${String(1 + (i % 28)).padStart(2, "0")}T04:42:34.${String(i % 1000).padStart(3, "0")}+02:00` },
  };
  switch (i % 6) {
    case 0:
      u.title = "Tour Guide";
      u[ENTERPRISE] = { employeeNumber: String(i), manager: { value: `m${i % 4}` } };
      break;
    case 1:
      u.title = "";
      delete u.emails;
      u.EMAILS = { value: "x@example.com", type: "WORK" };
      break;
    case 2:
      u.emails = { value: "single@example.com", type: "work" };
      u.meta = { lastModified: "not a date", created: 5 };
      break;
    case 3:
      u.userName = 7;
      u.phoneNumbers = [];
      break;
    default:
      break;
  }
  return u;
}

const users = Array.from({ length: 3000 }, (_, i) => user(i));
const filters = [
  'userName eq "USER79@EXAMPLE.COM"',
  'userName sw "élodie"',
  'emails[type eq "work" and value ew "@example.com"] and active eq true',
  'meta.lastModified gt "2011-06-15T00:00:00Z" and userType ne "Intern"',
  `title pr and ${ENTERPRISE}:employeeNumber sw "4"`,
  'name.familyName co "ily9" or externalId eq "ext-5"',
  'not (emails[type eq "work" and not (value sw "u")])',
  'emails co "EXAMPLE.COM" and not (title pr)',
  "title eq null and meta.lastModified ne null",
  `${ENTERPRISE}:manager.value eq "m2" or phoneNumbers pr`,
  'userName gt "user5" and userName le "USER7"',
];

for (const [name, api] of Object.entries(builds)) {
  test(`${name}: a ResourceSet filtered many times agrees with matchesAll`, () => {
    const set = new api.ResourceSet(users);
    assert.equal(set.length, users.length);
    const expected = (filter, rt) =>
      filter
        .matchesAll(users, rt)
        .flatMap((m, i) => (m ? [i] : []))
        .join(",");
    // Twice over, typed and schema-less: later filters read what earlier ones kept.
    for (let round = 0; round < 2; round++) {
      for (const text of filters) {
        const filter = new api.Filter(text);
        const checked = filter.check(undefined, "User");
        assert.equal(Array.from(set.filter(checked)).join(","), expected(filter, "User"), `${text} (round ${round})`);
        assert.equal(Array.from(set.filter(text)).join(","), expected(filter), `${text} without a schema (round ${round})`);
        checked.free();
        filter.free();
      }
    }
    set.free();
  });

  test(`${name}: results with and without long digit runs`, () => {
    const schemas = [
      {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        id: "urn:example:Meter",
        name: "Meter",
        attributes: [
          { name: "reading", type: "decimal", multiValued: false, required: false, mutability: "readWrite", returned: "default" },
          { name: "label", type: "string", multiValued: false, required: false, mutability: "readWrite", returned: "default" },
        ],
      },
    ];
    const resourceTypes = [
      {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        id: "Meter",
        name: "Meter",
        endpoint: "/Meters",
        schema: "urn:example:Meter",
      },
    ];
    const registry = new api.Registry({ schemas, resourceTypes });
    const meter = (reading, label = "m") => ({ schemas: ["urn:example:Meter"], reading, label });
    const refused = (f, big) => {
      let error;
      try {
        f();
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof api.ScimError, `expected a refusal of ${big}`);
      assert.equal(error.scimType, "invalidValue");
      assert.ok(error.detail.includes(big), error.detail);
    };
    // Safe: numbers and long digit strings come out as they went in.
    for (const reading of [9007199254740991, -9007199254740991, 123456789012345, 0.5, 1e300]) {
      assert.equal(registry.validate("Meter", meter(reading)).resource.reading, reading);
    }
    const digits = "123456789012345678901234567890";
    assert.equal(registry.validate("Meter", meter(1, digits)).resource.label, digits);
    const done = registry.applyPatch("Meter", { ...meter(1), id: "a" }, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "label", value: digits }],
    });
    assert.equal(done.resource.label, digits);
    assert.equal(done.changes[0].new, digits);
    // Beyond ±(2^53−1): refused in every kind of result.
    for (const big of ["9007199254740993", "-9007199254740993", "18446744073709551615"]) {
      refused(() => registry.validate("Meter", `{"schemas":["urn:example:Meter"],"reading":${big}}`), big);
      const patch = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"reading","value":${big}}]}`;
      refused(() => registry.applyPatch("Meter", '{"schemas":["urn:example:Meter"],"id":"a"}', patch), big);
      refused(() => registry.sort("Meter", `[{"id":"a","reading":${big}}]`, "id"), big);
      refused(() => registry.fillMeta("Meter", `{"id":"a","reading":${big}}`), big);
    }
    registry.free();
  });
}

// Strings cross into the WebAssembly build through one `TextEncoder.encodeInto` (build.sh runs
// bindings-js/tools/string-pass.mjs over the glue) and into the addon as UTF-8: text of every
// shape — all ASCII, non-ASCII first, in the middle, last, 2-, 3- and 4-byte characters, long
// runs — arrives byte for byte, whether given as an object or as JSON text.
for (const [name, api] of Object.entries(builds)) {
  test(`${name}: text of every shape arrives unchanged`, () => {
    const shapes = [
      "plain ascii",
      "é at the start",
      "at the end é",
      "mid 漢字 dle",
      "astral 😀 pair and 𝄞",
      "é",
      "😀",
      "x".repeat(3000) + "é" + "y".repeat(3000),
      "ÉLODIE".repeat(700),
      "😀".repeat(30),
      "a".repeat(47) + "😀",
      "a".repeat(45) + "😀" + "b",
      "a".repeat(60) + "é",
      "tab\tquote\"backslash\\newline\n\u0001\u007f",
    ];
    for (const displayName of shapes) {
      const body = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "u", displayName };
      assert.equal(api.validate("User", body).resource.displayName, displayName);
      assert.equal(api.validate("User", JSON.stringify(body)).resource.displayName, displayName);
      const patched = api.applyPatch("User", { ...body, id: "a" }, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", path: "nickName", value: displayName }],
      });
      assert.equal(patched.resource.nickName, displayName);
      assert.equal(patched.resource.displayName, displayName);
      const filter = new api.Filter(`displayName eq ${JSON.stringify(displayName)}`);
      assert.ok(filter.matches(patched.resource, "User"));
      assert.ok(!filter.matches({ ...patched.resource, displayName: `${displayName}.` }, "User"));
      filter.free();
    }
  });
}

/** The addon this package builds (build.sh: linux-x64-gnu), to count objects in; `null`, with
 *  `t` skipped, elsewhere (the WebAssembly build stands in and there is no addon). */
async function nativeAddon(t) {
  const { existsSync } = await import("node:fs");
  const addonFile = new URL("../native/scimkit.linux-x64-gnu.node", dist);
  if (builds.native.implementation !== "native" || !existsSync(addonFile)) {
    t.skip("no native addon for this platform");
    return null;
  }
  return addonFile;
}

// The native addon knows a held resource by a number (native/src/held.rs); the object JS holds
// lets it go when collected without free(), and free() lets it go at once.
test("native: a held resource goes with its object, or at free()", async (t) => {
  const { execFileSync } = await import("node:child_process");
  const addonFile = await nativeAddon(t);
  if (addonFile === null) return;
  const script = `
    const api = require(${JSON.stringify(new URL("native.cjs", dist).pathname)});
    const addon = require(${JSON.stringify(addonFile.pathname)});
    const stored = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"b"}';
    const base = addon.heldCount();
    const kept = api.hold("User", stored);
    const freed = api.hold("User", stored);
    freed.free();
    if (addon.heldCount() !== base + 1) throw new Error("free() did not let go: " + addon.heldCount());
    (() => { for (let i = 0; i < 200; i++) api.hold("User", stored); })();
    (async () => {
      for (let i = 0; i < 100 && addon.heldCount() > base + 1; i++) {
        globalThis.gc();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (kept.resourceText().length === 0) throw new Error("the kept resource was lost");
      console.log(addon.heldCount() - base);
    })();
  `;
  const out = execFileSync(process.execPath, ["--expose-gc", "-e", script], { encoding: "utf8" });
  assert.equal(out.trim(), "1", "only the resource still referenced is held");

  // Dropped without free() and with no gc() called: the addon tells V8 what each held resource
  // takes, so the collector comes (and the finalizers let them go) as memory grows. Untold,
  // 12,000 resources of 100 KB all stayed held (RSS 1.5 GB and growing).
  const pressure = `
    const api = require(${JSON.stringify(new URL("native.cjs", dist).pathname)});
    const addon = require(${JSON.stringify(addonFile.pathname)});
    const stored = JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "b", title: "x".repeat(100000) });
    const base = addon.heldCount();
    (async () => {
      for (let i = 1; i <= 12000; i++) {
        api.hold("User", stored);
        if (i % 1000 === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      console.log(addon.heldCount() - base);
    })();
  `;
  const left = Number(execFileSync(process.execPath, ["-e", pressure], { encoding: "utf8" }).trim());
  assert.ok(left < 6000, `${left} of 12,000 dropped resources still held: the collector never came`);
});

// Checked filters and resource sets are napi class instances (native/src/filter.rs): free()
// lets their memory go at once, finalization when it was not called, and V8 is told what each
// takes, so that dropped ones bring the collector.
test("native: checked filters and resource sets go at free(), or with their objects", async (t) => {
  const { execFileSync } = await import("node:child_process");
  const addonFile = await nativeAddon(t);
  if (addonFile === null) return;
  const setup = `
    const api = require(${JSON.stringify(new URL("native.cjs", dist).pathname)});
    const addon = require(${JSON.stringify(addonFile.pathname)});
    const live = () => JSON.parse(addon.liveFilterObjects());
    const users = JSON.stringify(Array.from({ length: 100 }, (_, i) => ({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], id: String(i), userName: "u" + i, title: "x".repeat(1000),
    })));
  `;
  const freed = `${setup}
    const base = live();
    const set = new api.ResourceSet(users);
    const filter = new api.Filter('userName eq "u7"');
    const checked = filter.prepare("User");
    const kept = new api.Filter('title pr');
    if (!kept.matches(JSON.parse(users)[0], "User")) throw new Error("no match");
    if (set.filter(checked).join() !== "7") throw new Error("wrong match");
    const during = live();
    set.free(); checked.free(); filter.free(); kept.free();
    console.log(JSON.stringify([during.checkedFilters - base.checkedFilters, during.resourceSets - base.resourceSets,
      live().checkedFilters - base.checkedFilters, live().resourceSets - base.resourceSets]));
  `;
  const counts = JSON.parse(execFileSync(process.execPath, ["-e", freed], { encoding: "utf8" }));
  assert.deepEqual(counts, [2, 1, 0, 0], "alive while used, none after free()");

  // Dropped without free() and with no gc() called, 500 users (0.5 MB of text) per set. Untold,
  // all 600 were still alive at the end; told, about 30.
  const pressure = `${setup}
    const many = JSON.stringify(Array.from({ length: 5 }, () => JSON.parse(users)).flat());
    const base = live();
    (async () => {
      for (let i = 1; i <= 600; i++) {
        new api.ResourceSet(many);
        new api.Filter('userName eq "u' + i + '" or title sw "x"').prepare("User");
        if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      console.log(JSON.stringify([live().checkedFilters - base.checkedFilters, live().resourceSets - base.resourceSets]));
    })();
  `;
  const [filters, sets] = JSON.parse(execFileSync(process.execPath, ["-e", pressure], { encoding: "utf8" }));
  assert.ok(sets < 150, `${sets} of 600 dropped resource sets still alive: the collector never came`);
  assert.ok(filters < 150, `${filters} of 600 dropped checked filters still alive: the collector never came`);
});

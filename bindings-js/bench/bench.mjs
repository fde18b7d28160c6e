// The boundary bench of the npm package `scimkit`: the native addon and the WebAssembly build
// beside the JS SCIM libraries (scimmy, scim-patch, scim2-parse-filter), in one process.
//
//   W1  validate the 1.8 KB create-User (examples/payloads/user-full.json)
//   W4a the 6-operation Entra PATCH (examples/patch/entra-user.json, profile entra) on that user
//   W2  parse 50 varied filters (the list of core/benches/filter.rs)
//   W3  5 filters × 100,000 generated users (the filters and users of core/benches/filter.rs)
//
// Figures are ns per operation (W2: per 50 filters; W3: per pass of the 5 filters over 100k
// users), the median of 7 batches after a warm-up. Ratios are against the first row of each
// workload (the native addon).
//   node bindings-js/bench/bench.mjs            (after bash bindings-js/build.sh)
//   BENCH_QUICK=1 node bindings-js/bench/bench.mjs   (shorter batches, for a smoke run)
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import SCIMMY from "scimmy";
import { scimPatch } from "scim-patch";
import { filter as compileFilter, parse as parseFilter } from "scim2-parse-filter";

import * as native from "../dist/node/native.mjs";
import * as wasm from "../dist/node/wasm.mjs";

const root = new URL("../../", import.meta.url);
const QUICK = Boolean(process.env.BENCH_QUICK);
const BATCH_MS = QUICK ? 30 : 150;
const BATCHES = 7;

/** Median ns per call of `fn` (sync or async), over batches of at least BATCH_MS. */
async function measure(fn, { batchMs = BATCH_MS, batches = BATCHES } = {}) {
  const isAsync = fn() instanceof Promise;
  const run = isAsync
    ? async (n) => {
        for (let i = 0; i < n; i++) await fn();
      }
    : (n) => {
        for (let i = 0; i < n; i++) fn();
      };
  // Warm up and find how many calls fill a batch.
  let n = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    await run(n);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms >= batchMs / 4 || n >= 1 << 24) {
      n = Math.max(1, Math.ceil((n * batchMs) / Math.max(ms, 0.001)));
      break;
    }
    n *= 4;
  }
  const samples = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    await run(n);
    samples.push(Number(process.hrtime.bigint() - t0) / n);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** Median ns per call of `fn(input)` on inputs `make()` prepared before each timed batch (for
 *  a library that changes its input in place: each call gets an input of its own, and the
 *  copying stays outside the time, as criterion's `iter_batched` does for the Rust core). */
function measureFresh(make, fn, { batchMs = BATCH_MS, batches = BATCHES, dispose } = {}) {
  // Inputs are made GROUP at a time, right before they are used (as a server patches what it
  // has just read): made all at once, thousands of them would put each call on cold memory.
  const GROUP = 16;
  const run = (n) => {
    let ns = 0;
    for (let done = 0; done < n; done += GROUP) {
      const inputs = Array.from({ length: Math.min(GROUP, n - done) }, make);
      const t0 = process.hrtime.bigint();
      for (const input of inputs) fn(input);
      ns += Number(process.hrtime.bigint() - t0);
      if (dispose) inputs.forEach(dispose);
    }
    return ns;
  };
  let n = 1;
  for (;;) {
    const ms = run(n) / 1e6;
    if (ms >= batchMs / 4 || n >= 1 << 20) {
      n = Math.max(1, Math.ceil((n * batchMs) / Math.max(ms, 0.001)));
      break;
    }
    n *= 4;
  }
  const samples = [];
  for (let b = 0; b < batches; b++) samples.push(run(n) / n);
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const rows = [];
function report(workload, name, ns, note = "") {
  rows.push({ workload, name, ns, note });
  const base = rows.find((r) => r.workload === workload);
  const ratio = base ? `${(ns / base.ns).toFixed(2)}×` : "";
  console.log(`${workload.padEnd(4)} ${name.padEnd(38)} ${fmt(ns).padStart(14)} ns/op  ${ratio.padStart(8)}  ${note}`);
}
const fmt = (ns) => Math.round(ns).toLocaleString("en-US");

async function attempt(workload, name, fn, options, note) {
  try {
    report(workload, name, await measure(fn, options), note);
  } catch (e) {
    console.log(`${workload.padEnd(4)} ${name.padEnd(38)} ${"—".padStart(14)}          refused: ${e.message.split("\n")[0]}`);
  }
}

// `--w3-native`: only W3 through the native ResourceSet, printing ns/op (the parent runs it
// under `taskset -c 0` for the one-core figure: a set filters on the calling thread only, so the
// two figures should agree).
const W3_NATIVE_ONLY = process.argv.includes("--w3-native");
const W3_WASM_FIRST = process.argv.includes("--w3-wasm-first");

// ---------------------------------------------------------------------------------------------
// W1: validate a create-User
// ---------------------------------------------------------------------------------------------
const userText = readFileSync(new URL("examples/payloads/user-full.json", root), "utf8");
const user = JSON.parse(userText);
SCIMMY.Schemas.User.extend(SCIMMY.Schemas.EnterpriseUser, false);

if (!W3_NATIVE_ONLY && !W3_WASM_FIRST) {
  console.log(`scimkit bench — node ${process.version}, ${QUICK ? "quick" : "full"} run\n`);
  console.log(`W1: validate the ${userText.length}-byte create-User`);
  for (const [label, api] of [
    ["native", native],
    ["wasm", wasm],
  ]) {
    api.validate("User", user);
    report("W1", `scimkit ${label}`, await measure(() => api.validate("User", user)), "object in, object out");
    report("W1", `scimkit ${label} (text in hand)`, await measure(() => api.validate("User", userText)), "JSON text in");
    report("W1", `scimkit ${label} validateText`, await measure(() => api.validateText("User", userText)), "JSON text in, resource text out");
  }
  new SCIMMY.Schemas.User(user, "in");
  report("W1", "scimmy Schemas.User(…, 'in')", await measure(() => new SCIMMY.Schemas.User(user, "in")));

  // ---------------------------------------------------------------------------------------------
  // W4a: the Entra PATCH
  // ---------------------------------------------------------------------------------------------
  const patchText = readFileSync(new URL("examples/patch/entra-user.json", root), "utf8");
  const patch = JSON.parse(patchText);
  const entra = { profile: "entra" };
  const entraQuiet = { profile: "entra", report: "none" };
  console.log(`\nW4a: the ${patch.Operations.length}-operation Entra PATCH (profile entra) on that user`);
  for (const [label, api] of [
    ["native", native],
    ["wasm", wasm],
  ]) {
    const done = api.applyPatch("User", user, patch, entra);
    if (done.resource.displayName !== "Marisol A. Rivera") throw new Error("W4a: unexpected result");
    report("W4a", `scimkit ${label}`, await measure(() => api.applyPatch("User", user, patch, entra)), "object in, object out");
    report("W4a", `scimkit ${label} (text in hand)`, await measure(() => api.applyPatch("User", userText, patchText, entra)), "JSON text in");
    report(
      "W4a",
      `scimkit ${label} applyPatchText`,
      await measure(() => api.applyPatchText("User", userText, patchText, entra)),
      "JSON text in, resource text out (a stored row in, the row to store out)",
    );
    // The resource held on the Rust side (Registry#hold), patched in place: only the request
    // and the report cross. Held just before, untimed, as scim-patch's copies are below.
    const dispose = (held) => held.free();
    const fresh = () => api.hold("User", userText);
    report(
      "W4a",
      `scimkit ${label} HeldResource#applyPatch`,
      measureFresh(fresh, (held) => held.applyPatch(patch, entra), { dispose }),
      "held resource patched in place; request object in, report (changes, quirks) out",
    );
    report(
      "W4a",
      `scimkit ${label} HeldResource (text in hand)`,
      measureFresh(fresh, (held) => held.applyPatch(patchText, entra), { dispose }),
      "held resource patched in place; request text in",
    );
    // `report: "none"`: the same PATCH, applied and checked alike, with no change records or
    // notes made — for a server that stores the result and reads nothing else.
    report(
      "W4a",
      `scimkit ${label} held, report none`,
      measureFresh(fresh, (held) => held.applyPatch(patchText, entraQuiet), { dispose }),
      "held resource patched in place; request text in, nothing reported",
    );
    // The same with the options written as a literal in each call (a new object every time,
    // written to JSON every time; the rows above pass one object, as a server does).
    report(
      "W4a",
      `scimkit ${label} held, none, options literal`,
      measureFresh(fresh, (held) => held.applyPatch(patchText, { profile: "entra", report: "none" }), { dispose }),
      "as above, with a new options object each call",
    );
    report(
      "W4a",
      `scimkit ${label} applyPatchText, report none`,
      await measure(() => api.applyPatchText("User", userText, patchText, entraQuiet)),
      "a stored row in, the row to store out, nothing reported",
    );
  }
  scimPatch(structuredClone(user), patch.Operations);
  report(
    "W4a",
    "scim-patch scimPatch",
    await measure(() => scimPatch(structuredClone(user), patch.Operations)),
    "incl. structuredClone (it patches in place); no schema, no quirks",
  );
  report(
    "W4a",
    "scim-patch scimPatch, in place",
    measureFresh(() => structuredClone(user), (u) => scimPatch(u, patch.Operations)),
    "on copies made just before, untimed (the issue's 7.3 µs figure)",
  );
  report(
    "W4a",
    "scim-patch, stored text to stored text",
    await measure(() => JSON.stringify(scimPatch(JSON.parse(userText), JSON.parse(patchText).Operations))),
    "JSON.parse of the row and the request, scimPatch, JSON.stringify",
  );
  // scimmy refuses the Entra request as sent ("False" for a boolean, a string manager): timed on
  // the same six operations written strictly.
  const strict = structuredClone(patch);
  strict.Operations[0].value = false;
  strict.Operations[3].value = { value: strict.Operations[3].value };
  for (const o of strict.Operations) o.op = o.op.toLowerCase();
  await attempt(
    "W4a",
    "scimmy PatchOp.apply (strict variant)",
    () => new SCIMMY.Messages.PatchOp(strict).apply(new SCIMMY.Schemas.User(user, "in")),
    undefined,
    "refuses the Entra request as sent",
  );

  // ---------------------------------------------------------------------------------------------
  // W2: parse 50 filters
  // ---------------------------------------------------------------------------------------------
  const filters = [
    'userName eq "bjensen"',
    `name.familyName co "O'Malley"`,
    'userName sw "J"',
    'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
    "title pr",
    'meta.lastModified gt "2011-05-13T04:42:34Z"',
    'meta.lastModified ge "2011-05-13T04:42:34Z"',
    'meta.lastModified lt "2011-05-13T04:42:34Z"',
    'meta.lastModified le "2011-05-13T04:42:34Z"',
    'title pr and userType eq "Employee"',
    'title pr or userType eq "Intern"',
    'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
    'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
    'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
    'userType eq "Employee" and (emails.type eq "work")',
    'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
    'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    'externalId eq "00u1abcdEFGH2345"',
    'displayName eq "Sales Reps"',
    'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984"',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915"',
    "active eq true",
    "active eq false and title pr",
    'name.givenName sw "Bar" and name.familyName ew "sen"',
    'a eq "\\u00e9\\ud83d\\ude00 \\"quoted\\""',
    "n gt 9007199254740993 and n lt 1.5e300",
    'not (emails[type eq "work"]) or not (phoneNumbers pr)',
    "(a pr or b pr) and (c pr or d pr) and (e pr or f pr)",
    'userName Eq "john"',
  ];
  for (let i = 0; i < 20; i++) filters.push(`userName eq "user${i}@example.com" or externalId eq "ext-${i}"`);
  console.log(`\nW2: parse ${filters.length} filters (one op = all ${filters.length})`);
  for (const [label, api] of [
    ["native", native],
    ["wasm", wasm],
  ]) {
    // Freed right away: a wasm-bindgen object not freed lives until the JS collector finalizes
    // it, and parsing 100,000s of filters without freeing grows the wasm heap and slows it down.
    report(
      "W2",
      `scimkit ${label}`,
      await measure(() => {
        for (const t of filters) new api.Filter(t).free();
      }),
      "new Filter(text), then free()",
    );
  }
  const refusedBy = (parse) =>
    filters.filter((t) => {
      try {
        parse(t);
        return false;
      } catch {
        return true;
      }
    }).length;
  const p2Refused = refusedBy(parseFilter);
  report(
    "W2",
    "scim2-parse-filter parse",
    await measure(() =>
      filters.map((t) => {
        try {
          return parseFilter(t);
        } catch {
          return null;
        }
      }),
    ),
    p2Refused ? `refuses ${p2Refused} of ${filters.length}` : "",
  );
  const scimmyRefused = refusedBy((t) => new SCIMMY.Types.Filter(t));
  report(
    "W2",
    "scimmy Types.Filter",
    await measure(() =>
      filters.map((t) => {
        try {
          return new SCIMMY.Types.Filter(t);
        } catch {
          return null;
        }
      }),
    ),
    scimmyRefused ? `refuses ${scimmyRefused} of ${filters.length}` : "",
  );

}

// ---------------------------------------------------------------------------------------------
// W3: 5 filters × 100,000 users
// ---------------------------------------------------------------------------------------------
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
function makeUser(i) {
  const kind = ["Employee", "Intern", "Contractor"][i % 3];
  const day = String(1 + (i % 28)).padStart(2, "0");
  const u = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    id: `${i.toString(16).padStart(8, "0")}-7f76-453a-919d-413861904646`,
    externalId: `ext-${i}`,
    userName: `user${i}@example.com`,
    name: { givenName: `Given${i}`, familyName: `Family${i % 1000}` },
    displayName: `User ${i}`,
    userType: kind,
    active: i % 5 !== 0,
    emails: [
      { value: `user${i}@example.com`, type: "work", primary: true },
      { value: `u${i}@home.example.org`, type: "home" },
    ],
    meta: {
      resourceType: "User",
      created: `2011-05-${day}T04:42:34Z`,
      lastModified: `2011-06-${day}T04:42:34.${String(i % 1000).padStart(3, "0")}+02:00`,
    },
  };
  if (i % 2 === 0) {
    u.title = "Tour Guide";
    u[ENTERPRISE] = { employeeNumber: String(i), department: "Tour Operations" };
  }
  return u;
}
const users = Array.from({ length: 100_000 }, (_, i) => makeUser(i));
const usersText = JSON.stringify(users);
const w3 = [
  'userName eq "USER77777@EXAMPLE.COM"',
  'emails[type eq "work" and value ew "@example.com"] and active eq true',
  'meta.lastModified gt "2011-06-15T00:00:00Z" and userType ne "Intern"',
  `title pr and ${ENTERPRISE}:employeeNumber sw "4"`,
  'name.familyName co "ily99" or externalId eq "ext-5"',
];
if (W3_WASM_FIRST) {
  // One call over the whole array text in a fresh WebAssembly instance: the memory it grows to
  // is grown then (bindings-js/wasm/src/memory.rs), not before by an earlier call.
  const filter = new wasm.Filter(w3[1]);
  const t0 = process.hrtime.bigint();
  const flags = filter.matchesAll(usersText, "User");
  console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - t0) / 1e6, matched: flags.filter(Boolean).length }));
  process.exit(0);
}
if (W3_NATIVE_ONLY) {
  const set = new native.ResourceSet(users);
  const checked = w3.map((t) => new native.Filter(t).check(undefined, "User"));
  console.log(await measure(() => checked.map((f) => set.filter(f)), { batches: 5, batchMs: 1 }));
  process.exit(0);
}
console.log(`\nW3: ${w3.length} filters × ${users.length.toLocaleString("en-US")} users (one op = all ${w3.length} filters over every user)`);

const counts = {};
for (const [label, api] of [
  ["native", native],
  ["wasm", wasm],
]) {
  let t0 = process.hrtime.bigint();
  const set = new api.ResourceSet(users);
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  t0 = process.hrtime.bigint();
  const setFromText = new api.ResourceSet(usersText);
  const loadTextMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const checked = w3.map((t) => new api.Filter(t).check(undefined, "User"));
  // The first pass on a set reads the values of each attribute the filters name (native: kept
  // as columns, which every later pass reads instead of the resources).
  t0 = process.hrtime.bigint();
  counts[label] = checked.map((f) => set.filter(f).length);
  const firstMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (JSON.stringify(checked.map((f) => setFromText.filter(f).length)) !== JSON.stringify(counts[label])) {
    throw new Error("W3: the set from text disagrees");
  }
  report(
    "W3",
    `scimkit ${label} ResourceSet.filter`,
    await measure(() => checked.map((f) => set.filter(f)), { batches: 5, batchMs: 1 }),
    `set built once: ${loadMs.toFixed(0)} ms from objects, ${loadTextMs.toFixed(0)} ms from text; first pass ${firstMs.toFixed(0)} ms`,
  );
}

try {
  const self = fileURLToPath(import.meta.url);
  const ns = Number(execFileSync("taskset", ["-c", "0", process.execPath, self, "--w3-native"], { encoding: "utf8" }).trim());
  report("W3", "scimkit native ResourceSet, one core", ns, "taskset -c 0 (the same call, no second core)");
} catch (e) {
  console.log(`W3   (one-core figure skipped: ${e.message.split("\n")[0]})`);
}

{
  const self = fileURLToPath(import.meta.url);
  const first = JSON.parse(execFileSync(process.execPath, [self, "--w3-wasm-first"], { encoding: "utf8" }).trim());
  console.log(
    `W3   scimkit wasm matchesAll, first call in a fresh instance: ${first.ms.toFixed(0)} ms for one filter over the ${users.length.toLocaleString("en-US")} users as text (${first.matched} matched)`,
  );
}

// The hand-written closures a JS developer would write for the same five filters (RFC
// semantics where they are cheap: userName is case-insensitive, dateTimes compare as instants).
const lower = (s) => (typeof s === "string" ? s.toLowerCase() : s);
const cutoff = Date.parse("2011-06-15T00:00:00Z");
const closures = [
  (u) => lower(u.userName) === "user77777@example.com",
  (u) =>
    Array.isArray(u.emails) &&
    u.emails.some((e) => lower(e.type) === "work" && lower(e.value)?.endsWith("@example.com")) &&
    u.active === true,
  (u) => Date.parse(u.meta?.lastModified) > cutoff && lower(u.userType) !== "intern",
  (u) => u.title != null && u.title !== "" && lower(u[ENTERPRISE]?.employeeNumber)?.startsWith("4"),
  (u) => lower(u.name?.familyName)?.includes("ily99") || lower(u.externalId) === "ext-5",
];
counts.closures = closures.map((c) => users.filter(c).length);
report(
  "W3",
  "hand-written JS closures",
  await measure(() => closures.map((c) => users.filter(c)), { batches: 5, batchMs: 1 }),
  "Array.prototype.filter over JS objects",
);
const p2 = w3.map((t) => compileFilter(parseFilter(t)));
counts["scim2-parse-filter"] = p2.map((f) => users.filter(f).length);
report("W3", "scim2-parse-filter filter()", await measure(() => p2.map((f) => users.filter(f)), { batches: 5, batchMs: 1 }));
const scimmyFilters = w3.map((t) => new SCIMMY.Types.Filter(t));
counts.scimmy = scimmyFilters.map((f) => f.match(users).length);
report("W3", "scimmy Types.Filter.match", await measure(() => scimmyFilters.map((f) => f.match(users)), { batches: 3, batchMs: 1 }));
console.log("\nW3 matches per filter (the scimkit counts are the core bench's):");
for (const [name, c] of Object.entries(counts)) console.log(`  ${name.padEnd(20)} ${c.join(", ")}`);

// ---------------------------------------------------------------------------------------------
// Sizes
// ---------------------------------------------------------------------------------------------
const wasmFile = new URL("../dist/web/wasm/scimkit_wasm_bg.wasm", import.meta.url);
const wasmBytes = readFileSync(wasmFile);
const glue = statSync(new URL("../dist/web/wasm/scimkit_wasm.js", import.meta.url)).size;
console.log(
  `\n.wasm after wasm-opt -Oz: ${wasmBytes.length.toLocaleString("en-US")} bytes, gzip -9: ${gzipSync(wasmBytes, { level: 9 }).length.toLocaleString("en-US")} bytes; JS glue ${glue.toLocaleString("en-US")} bytes`,
);

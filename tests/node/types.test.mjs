// index.d.ts declares every runtime export of the `scimkit` package (both builds, ESM and
// CommonJS), and nothing that does not exist. Build first: bash bindings-js/build.sh
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";

const pkg = new URL("../../bindings-js/", import.meta.url);
const require = createRequire(pkg);
const dts = readFileSync(new URL("index.d.ts", pkg), "utf8");

/** The value exports declared by index.d.ts (types and interfaces have no runtime value). */
function declaredValues() {
  const names = new Set();
  for (const m of dts.matchAll(/^export (?:declare )?(?:class|function|const|let|var) ([A-Za-z_$][\w$]*)/gm)) {
    names.add(m[1]);
  }
  if (/^export default /m.test(dts)) names.add("default");
  return names;
}

/** The keys of the `declare const scimkit: {…}` object the default export has. */
function declaredDefaultKeys() {
  const body = /declare const scimkit: \{([\s\S]*?)\n\};/.exec(dts)?.[1] ?? "";
  return new Set([...body.matchAll(/^\s+([A-Za-z_$][\w$]*):/gm)].map((m) => m[1]));
}

const entries = {
  "scimkit (native, import)": () => import(new URL("dist/node/native.mjs", pkg)),
  "scimkit/wasm (import)": () => import(new URL("dist/node/wasm.mjs", pkg)),
  "scimkit (native, require)": () => ({ ...require("./dist/node/native.cjs"), default: true }),
  "scimkit/wasm (require)": () => ({ ...require("./dist/node/wasm.cjs"), default: true }),
};

for (const [name, load] of Object.entries(entries)) {
  test(`every runtime export of ${name} is typed, and every typed value exists`, async () => {
    const runtime = new Set(Object.keys(await load()));
    const declared = declaredValues();
    const untyped = [...runtime].filter((n) => !declared.has(n));
    const missing = [...declared].filter((n) => !runtime.has(n));
    assert.deepEqual(untyped, [], `exports without a type in index.d.ts: ${untyped.join(", ")}`);
    assert.deepEqual(missing, [], `typed in index.d.ts but not exported: ${missing.join(", ")}`);
  });
}

test("the default export's declared keys are the named exports", async () => {
  const api = await import(new URL("dist/node/native.mjs", pkg));
  const keys = new Set(Object.keys(api.default));
  assert.deepEqual([...declaredDefaultKeys()].sort(), [...keys].sort());
});

test("the web build's surface exports the same names", () => {
  const surface = readFileSync(new URL("dist/web/surface.js", pkg), "utf8");
  const node = readFileSync(new URL("dist/node/native.mjs", pkg), "utf8");
  const names = (text) => /export const \{([\s\S]*?)\} = api;/.exec(text)?.[1].split(",").map((s) => s.trim()).filter(Boolean);
  assert.deepEqual(names(surface), names(node));
  assert.deepEqual(new Set(names(surface)), new Set([...declaredValues()].filter((n) => n !== "default")));
});

// Every shared vector (tests/vectors/) through the `scimkit` npm package twice: the native addon
// and the WebAssembly build, with the rules of core/tests/vectors.rs (see lib/runner.mjs).
// Build first: bash bindings-js/build.sh
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { SKIP, readVectorFile, runFile } from "./lib/runner.mjs";

const root = fileURLToPath(new URL("../vectors/", import.meta.url));
const dist = new URL("../../bindings-js/dist/node/", import.meta.url);
const builds = {
  native: await import(new URL("native.mjs", dist)),
  wasm: await import(new URL("wasm.mjs", dist)),
};

function vectorFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? vectorFiles(join(dir, e.name)) : [join(dir, e.name)]))
    .filter((p) => p.endsWith(".json") && !p.endsWith("vector.schema.json"))
    .sort();
}

const files = vectorFiles(root).map((p) => readVectorFile(relative(root, p), readFileSync(p, "utf8")));

test("vector ids are unique and every skip names a case", () => {
  const ids = files.flatMap((f) => f.cases.map((c) => c.id));
  assert.equal(new Set(ids).size, ids.length);
  for (const id of SKIP.keys()) assert.ok(ids.includes(id), `skip list names unknown case ${id}`);
});

for (const [name, api] of Object.entries(builds)) {
  test(`shared vectors through the ${name} build`, async (t) => {
    assert.equal(api.implementation, name);
    let ran = 0;
    let refusals = 0;
    for (const file of files) {
      await t.test(file.name, () => {
        const result = runFile(api, file);
        ran += result.ran;
        refusals += result.refusals;
        assert.deepEqual(result.failures, [], `${result.failures.length} of ${result.ran} failed:\n${result.failures.join("\n")}`);
      });
    }
    t.diagnostic(`${name}: ${ran} vectors ran (${refusals} expecting the refusal of an integer beyond ±(2^53−1)), ${SKIP.size} skipped`);
    assert.ok(ran > 0);
  });
}

// Every shared vector (tests/vectors/) through the `scimkit` npm package twice: the native addon
// and the WebAssembly build, with the rules of core/tests/vectors.rs (see lib/runner.mjs).
// Build first: bash bindings-js/build.sh
//
// SCIMKIT_VECTORS_DUMP=PATH writes each case's outcome, one JSON line per case, for the
// cross-runtime agreement check (tests/agreement/compare.py): one file per build, `{build}` in
// PATH replaced by `native` or `wasm` (without it, `-native` / `-wasm` goes before `.jsonl`).
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
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

/** The dump file of one build, or undefined. */
function dumpPath(build) {
  const path = process.env.SCIMKIT_VECTORS_DUMP;
  if (!path) return undefined;
  return path.includes("{build}") ? path.replaceAll("{build}", build) : path.replace(/(\.jsonl)?$/, `-${build}.jsonl`);
}

for (const [name, api] of Object.entries(builds)) {
  test(`shared vectors through the ${name} build`, async (t) => {
    assert.equal(api.implementation, name);
    const path = dumpPath(name);
    if (path) writeFileSync(path, "");
    const dump = path ? (record) => appendFileSync(path, `${JSON.stringify(record)}\n`) : undefined;
    let ran = 0;
    let refusals = 0;
    for (const file of files) {
      await t.test(file.name, () => {
        const result = runFile(api, file, dump);
        ran += result.ran;
        refusals += result.refusals;
        assert.deepEqual(result.failures, [], `${result.failures.length} of ${result.ran} failed:\n${result.failures.join("\n")}`);
      });
    }
    t.diagnostic(`${name}: ${ran} vectors ran (${refusals} expecting the refusal of an integer beyond ±(2^53−1)), ${SKIP.size} skipped`);
    assert.ok(ran > 0);
  });
}

// The WebAssembly build on Cloudflare's runtime: Miniflare (from wrangler 4.86.0) runs a Worker
// in workerd, in process, that imports the `scimkit` Workers entry and runs every shared vector
// with the Node runner. Build first: bash bindings-js/build.sh
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

import { OPERATIONS } from "./lib/runner.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const vectors = join(root, "tests/vectors");
// The newest date this workerd knows (TOOLBOX.md).
const COMPATIBILITY_DATE = "2026-05-03";

function vectorFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? vectorFiles(join(dir, e.name)) : [join(dir, e.name)]))
    .filter((p) => p.endsWith(".json") && !p.endsWith("vector.schema.json"))
    .sort();
}

test("the WebAssembly build runs every operation's vectors in workerd (Miniflare)", { timeout: 180_000 }, async (t) => {
  const require = createRequire(join(root, "bindings-js/package.json"));
  const { Miniflare } = await import(pathToFileURL(require.resolve("miniflare")).href);
  const mf = new Miniflare({
    modules: true,
    modulesRoot: root,
    scriptPath: join(root, "tests/node/worker/worker.mjs"),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: COMPATIBILITY_DATE,
    cf: false,
  });
  try {
    const files = vectorFiles(vectors).map((p) => ({ name: relative(vectors, p), text: readFileSync(p, "utf8") }));
    const response = await mf.dispatchFetch("http://localhost/", { method: "POST", body: JSON.stringify(files) });
    const text = await response.text();
    assert.equal(response.status, 200, text.slice(0, 2000));
    const result = JSON.parse(text);
    assert.equal(result.implementation, "wasm");
    assert.deepEqual(result.failures, [], result.failures.join("\n"));
    for (const op of Object.keys(OPERATIONS)) assert.ok(result.operations[op] > 0, `no ${op} case ran`);
    assert.deepEqual(result.trap, { scimError: true, status: 500 });
    assert.equal(result.filterAfterTrap, true);
    assert.equal(result.afterTrap, "x");
    t.diagnostic(`workerd: ${result.ran} vectors ran over ${Object.keys(result.operations).length} operations`);
  } finally {
    await mf.dispose();
  }
});

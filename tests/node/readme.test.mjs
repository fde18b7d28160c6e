// The JavaScript examples of README.md run as written: the Node block as a module inside the
// package (so `import "scimkit"` resolves to it), the Worker block in workerd via Miniflare.
// Build first: bash bindings-js/build.sh
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");

function block(tag) {
  const match = readme.match(new RegExp(`<!-- test: ${tag} -->\\n\`\`\`js\\n([\\s\\S]*?)\`\`\``));
  assert.ok(match, `README.md has no \`${tag}\` example`);
  return match[1];
}

test("the README's Node example runs", () => {
  const file = join(root, "bindings-js", ".readme-node-example.mjs");
  writeFileSync(file, block("node"));
  try {
    execFileSync(process.execPath, [file], { stdio: "pipe" });
  } finally {
    rmSync(file, { force: true });
  }
});

test("the package README's example runs", () => {
  const own = readFileSync(join(root, "bindings-js", "README.md"), "utf8");
  const match = own.match(/<!-- test: package -->\n```js\n([\s\S]*?)```/);
  assert.ok(match, "bindings-js/README.md has no `package` example");
  const file = join(root, "bindings-js", ".readme-package-example.mjs");
  // console.assert only prints: the example fails the test by throwing.
  writeFileSync(file, `console.assert = (ok, ...what) => { if (!ok) throw new Error("assertion failed"); };\n${match[1]}`);
  try {
    execFileSync(process.execPath, [file], { stdio: "pipe" });
  } finally {
    rmSync(file, { force: true });
  }
});

test("the README's Worker example runs in workerd", { timeout: 120_000 }, async () => {
  const file = join(root, "bindings-js", ".readme-worker-example.mjs");
  writeFileSync(file, block("worker").replace('from "scimkit"', 'from "./dist/web/workerd.js"'));
  const require = createRequire(join(root, "bindings-js/package.json"));
  const { Miniflare } = await import(pathToFileURL(require.resolve("miniflare")).href);
  const mf = new Miniflare({
    modules: true,
    modulesRoot: join(root, "bindings-js"),
    scriptPath: file,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2026-05-03",
    cf: false,
  });
  try {
    const ok = await mf.dispatchFetch("http://localhost/", {
      method: "POST",
      body: '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen"}',
    });
    assert.equal(ok.status, 201);
    assert.equal((await ok.json()).userName, "bjensen");
    const bad = await mf.dispatchFetch("http://localhost/", { method: "POST", body: '{"userName": 5}' });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).schemas[0], "urn:ietf:params:scim:api:messages:2.0:Error");
  } finally {
    await mf.dispose();
    rmSync(file, { force: true });
  }
});

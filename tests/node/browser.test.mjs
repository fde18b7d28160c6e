// The WebAssembly build in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core), loaded as `import "scimkit"` from a 127.0.0.1 static server, running every
// shared vector with the Node runner. Build first: bash bindings-js/build.sh
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { OPERATIONS } from "./lib/runner.mjs";
import { serve } from "./lib/serve.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const pkgDir = fileURLToPath(new URL("../../bindings-js/", import.meta.url));
const vectors = fileURLToPath(new URL("../vectors/", import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

function vectorFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? vectorFiles(join(dir, e.name)) : [join(dir, e.name)]))
    .filter((p) => p.endsWith(".json") && !p.endsWith("vector.schema.json"))
    .sort();
}

test("the WebAssembly build runs every operation's vectors in headless Chromium", { timeout: 180_000 }, async (t) => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium`);
  const { chromium } = createRequire(join(pkgDir, "package.json"))("playwright-core");
  const names = vectorFiles(vectors).map((p) => relative(vectors, p));
  const server = await serve(
    { "/pkg/": join(pkgDir, "dist/web"), "/runner/": join(here, "lib"), "/vectors/": vectors, "/": join(here, "web") },
    {
      "/vector-files.json": (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(names)),
    },
  );
  const profile = mkdtempSync(join(tmpdir(), "scimkit-chromium-"));
  let browser;
  try {
    // A fresh profile each run.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${server.url}/page.html`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 150_000 });
    const result = await page.evaluate(() => window.__result);
    assert.equal(result.error, undefined, result.error);
    assert.deepEqual(errors, []);
    assert.equal(result.implementation, "wasm");
    assert.deepEqual(result.failures, [], result.failures.join("\n"));
    for (const op of Object.keys(OPERATIONS)) assert.ok(result.operations[op] > 0, `no ${op} case ran`);
    assert.deepEqual(result.trap, { scimError: true, status: 500 });
    assert.equal(result.filterAfterTrap, true);
    assert.equal(result.afterTrap, "x");
    t.diagnostic(`chromium: ${result.ran} vectors ran over ${Object.keys(result.operations).length} operations`);
  } finally {
    await browser?.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

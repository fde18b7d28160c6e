// The npm package as users get it: `npm pack`, install the tarball into an empty folder, then
// `import "scimkit"` (native on Node), `import "scimkit/wasm"`, `require("scimkit")`, Deno, the
// conditional exports as bundlers resolve them (browser, worker, deno, default, workerd), and
// `wrangler deploy --dry-run` of a tiny Worker importing scimkit, whose bundle then runs in
// workerd. Build first: bash bindings-js/build.sh
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const pkgDir = fileURLToPath(new URL("../../bindings-js/", import.meta.url));
const requireDev = createRequire(join(pkgDir, "package.json"));
const OFFLINE = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CI: "true",
};

let work;
let app;
let packed;

before(() => {
  work = mkdtempSync(join(tmpdir(), "scimkit-pack-"));
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: pkgDir, encoding: "utf8" });
  packed = JSON.parse(out)[0];
  app = join(work, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(work, packed.filename)], {
    cwd: app,
    encoding: "utf8",
    env: OFFLINE,
  });
});

after(() => rmSync(work, { recursive: true, force: true }));

test("the tarball holds the builds and the types, and no sources", () => {
  const files = packed.files.map((f) => f.path);
  for (const needed of [
    "package.json",
    "index.d.ts",
    "dist/index.d.cts",
    "dist/node/native.cjs",
    "dist/node/native.mjs",
    "dist/node/api.cjs",
    "dist/node/wasm.cjs",
    "dist/node/wasm/scimkit_wasm_bg.wasm",
    "dist/web/index.js",
    "dist/web/workerd.js",
    "dist/web/api.js",
    "dist/web/wasm/scimkit_wasm_bg.wasm",
  ]) {
    assert.ok(files.includes(needed), `${needed} is missing from the tarball`);
  }
  assert.ok(files.some((f) => /^dist\/native\/scimkit\..+\.node$/.test(f)), "no native addon in the tarball");
  for (const f of files) assert.doesNotMatch(f, /^(src|glue|native|wasm|test|bench)\/|Cargo|build\.sh|node_modules/);
});

test("installed: import is native, scimkit/wasm is WebAssembly, require works", () => {
  writeFileSync(
    join(app, "check.mjs"),
    `import { createRequire } from "node:module";
import { Registry, validate, implementation, ScimError } from "scimkit";
import * as wasm from "scimkit/wasm";
const require = createRequire(import.meta.url);
const user = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "bjensen" };
let caught;
try { new Registry().validate("User", {}); } catch (e) { caught = e instanceof ScimError && e.status; }
console.log(JSON.stringify({
  native: implementation,
  wasm: wasm.implementation,
  cjs: require("scimkit").implementation,
  cjsWasm: require("scimkit/wasm").implementation,
  same: require("scimkit").Registry === Registry,
  userName: validate("User", user).resource.userName,
  wasmUserName: wasm.validate("User", user).resource.userName,
  caught,
}));
`,
  );
  const out = JSON.parse(execFileSync(process.execPath, ["check.mjs"], { cwd: app, encoding: "utf8" }));
  assert.deepEqual(out, {
    native: "native",
    wasm: "wasm",
    cjs: "native",
    cjsWasm: "wasm",
    same: true,
    userName: "bjensen",
    wasmUserName: "bjensen",
    caught: 400,
  });
});

test("installed: a platform without an addon gets the WebAssembly build, with a warning", () => {
  // A copy of the installed package without its addon stands for macOS, Windows or arm64.
  const other = join(work, "other");
  mkdirSync(join(other, "node_modules"), { recursive: true });
  cpSync(join(app, "node_modules", "scimkit"), join(other, "node_modules", "scimkit"), { recursive: true });
  const native = join(other, "node_modules", "scimkit", "dist", "native");
  for (const f of readdirSync(native)) if (f.endsWith(".node")) rmSync(join(native, f));
  writeFileSync(join(other, "package.json"), JSON.stringify({ name: "other", private: true, type: "module" }));
  writeFileSync(
    join(other, "check.mjs"),
    `import { createRequire } from "node:module";
import { validate, implementation, ScimError } from "scimkit";
import * as wasm from "scimkit/wasm";
const require = createRequire(import.meta.url);
const user = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "bjensen" };
console.log(JSON.stringify({ implementation, cjs: require("scimkit").implementation, one: ScimError === wasm.ScimError,
  userName: validate("User", user).resource.userName }));
`,
  );
  const run = spawnSync(process.execPath, ["check.mjs"], { cwd: other, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { implementation: "wasm", cjs: "wasm", one: true, userName: "bjensen" });
  assert.match(run.stderr, /SCIMKIT_NO_NATIVE_ADDON|no native addon/);
});

test("installed: Deno imports the WebAssembly build (the deno condition comes before node)", () => {
  writeFileSync(
    join(app, "check-deno.mjs"),
    `import { validate, implementation, Filter, ScimError } from "scimkit";
import * as wasm from "scimkit/wasm";
const user = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "bjensen" };
let status;
try { validate("User", {}); } catch (e) { status = e instanceof ScimError && e.status; }
console.log(JSON.stringify({ implementation, wasm: wasm.implementation, userName: validate("User", user).resource.userName,
  match: new Filter('userName sw "b"').matches(user, "User"), status }));
`,
  );
  const deno = join(pkgDir, "node_modules/.bin/deno");
  const out = execFileSync(deno, ["run", "--allow-read", "check-deno.mjs"], { cwd: app, encoding: "utf8", env: { ...OFFLINE, DENO_NO_UPDATE_CHECK: "1" } });
  assert.deepEqual(JSON.parse(out), { implementation: "wasm", wasm: "wasm", userName: "bjensen", match: true, status: 400 });
});

test("installed: bundlers resolve the WebAssembly build for browser, worker, deno, default and workerd", async () => {
  const esbuild = requireDev("esbuild");
  const resolved = async (conditions, specifier) => {
    const result = await esbuild.build({
      stdin: { contents: `import * as s from "${specifier}"; console.log(s);`, resolveDir: app },
      absWorkingDir: app,
      bundle: true,
      write: false,
      metafile: true,
      platform: "neutral",
      format: "esm",
      conditions,
      external: ["*.wasm"],
      logLevel: "silent",
    });
    const entries = ["dist/web/index.js", "dist/web/workerd.js", "dist/node/native.mjs", "dist/node/wasm.mjs"];
    const found = Object.keys(result.metafile.inputs).filter((p) => entries.some((e) => p === `node_modules/scimkit/${e}`));
    assert.equal(found.length, 1, `${conditions}: ${found}`);
    return found[0];
  };
  for (const condition of ["browser", "worker", "deno"]) {
    assert.equal(await resolved([condition], "scimkit"), "node_modules/scimkit/dist/web/index.js", condition);
  }
  assert.equal(await resolved([], "scimkit"), "node_modules/scimkit/dist/web/index.js", "default");
  assert.equal(await resolved(["workerd", "worker", "browser"], "scimkit"), "node_modules/scimkit/dist/web/workerd.js");
  assert.equal(await resolved(["browser"], "scimkit/wasm"), "node_modules/scimkit/dist/web/index.js");
});

test("installed: wrangler deploy --dry-run bundles a Worker importing scimkit, and the bundle runs", { timeout: 120_000 }, async () => {
  writeFileSync(
    join(app, "worker.js"),
    `import { validate, Filter } from "scimkit";
export default {
  async fetch(request) {
    const user = await request.json();
    const { resource } = validate("User", user);
    return Response.json({ userName: resource.userName, match: new Filter('userName sw "b"').matches(resource, "User") });
  },
};
`,
  );
  writeFileSync(join(app, "wrangler.toml"), 'name = "scimkit-pack-check"\nmain = "worker.js"\ncompatibility_date = "2026-05-03"\n');
  const wrangler = join(pkgDir, "node_modules/.bin/wrangler");
  const log = execFileSync(wrangler, ["deploy", "--dry-run", "--outdir", "out"], { cwd: app, encoding: "utf8", env: OFFLINE });
  assert.match(log, /--dry-run: exiting now/);
  const out = readdirSync(join(app, "out"));
  assert.ok(out.includes("worker.js"), out.join(", "));
  assert.ok(out.some((f) => f.endsWith(".wasm")), `no .wasm beside the bundle: ${out.join(", ")}`);

  const { Miniflare } = await import(pathToFileURL(requireDev.resolve("miniflare")).href);
  const mf = new Miniflare({
    modules: true,
    modulesRoot: join(app, "out"),
    scriptPath: join(app, "out/worker.js"),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2026-05-03",
    cf: false,
  });
  try {
    const user = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "bjensen" };
    const response = await mf.dispatchFetch("http://localhost/", { method: "POST", body: JSON.stringify(user) });
    assert.deepEqual(await response.json(), { userName: "bjensen", match: true });
  } finally {
    await mf.dispose();
  }
});

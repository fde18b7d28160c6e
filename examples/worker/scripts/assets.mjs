// Copies scimkit's WebAssembly build for browsers (bindings-js/dist/web, reached through the
// installed package) into public/vendor/scimkit/, where the console imports it from. The
// console validates forms and parses filters with the same core as the service.
import { cpSync, existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "..", "package.json"));
const packageDir = dirname(require.resolve("scimkit/package.json"));
const from = join(packageDir, "dist", "web");
const to = join(here, "..", "public", "vendor", "scimkit");
for (const file of ["index.js", "surface.js", "api.js", "load-fetch.js", "wasm/scimkit_wasm.js", "wasm/scimkit_wasm_bg.wasm"]) {
  if (!existsSync(join(from, file))) {
    console.error(`missing ${join(from, file)}: build the package first (bash bindings-js/build.sh)`);
    process.exit(1);
  }
}
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith("workerd.js") && !src.endsWith("load-workerd.js") });
console.log(`scimkit (WebAssembly) copied to ${to}`);

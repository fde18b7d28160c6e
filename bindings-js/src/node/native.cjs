// `require("scimkit")` on Node: the native addon (napi-rs) under the shared JS layer.
"use strict";

const path = require("node:path");
const { createApi } = require("./api.cjs");
const { withTextFilters } = require("./text-filter.cjs");

/** The addon built for this platform: `scimkit.<platform>-<arch>[-<abi>].node`. */
function loadAddon() {
  const { platform, arch } = process;
  let abi = "";
  if (platform === "linux") {
    const glibc = process.report?.getReport?.().header?.glibcVersionRuntime;
    abi = glibc ? "-gnu" : "-musl";
  } else if (platform === "win32") {
    abi = "-msvc";
  }
  const file = path.join(__dirname, "..", "native", `scimkit.${platform}-${arch}${abi}.node`);
  try {
    return require(file);
  } catch (cause) {
    throw new Error(
      `scimkit: no native addon for ${platform}-${arch}${abi} (${file}); the WebAssembly build works everywhere: import "scimkit/wasm"`,
      { cause },
    );
  }
}

module.exports = createApi(withTextFilters(loadAddon()), { name: "native" });

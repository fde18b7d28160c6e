// `require("scimkit")` on Node: the native addon (napi-rs) under the shared JS layer.
"use strict";

const path = require("node:path");
const { createApi } = require("./api.cjs");
const { withHeldIds } = require("./held-ids.cjs");

/** The addon built for this platform: `scimkit.<platform>-<arch>[-<abi>].node`; `null`, with a
 *  warning saying why, when there is none or it does not load here. */
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
    const why = cause?.code === "MODULE_NOT_FOUND" ? "this package has no native addon for it" : String(cause?.message ?? cause);
    process.emitWarning(
      `scimkit: no native addon for ${platform}-${arch}${abi} (${why}); using the WebAssembly build, ` +
        "which behaves the same, more slowly",
      { code: "SCIMKIT_NO_NATIVE_ADDON" },
    );
    return null;
  }
}

// Without an addon for this platform, the WebAssembly build stands in (the very instance
// `scimkit/wasm` gives: one ScimError class), with `implementation` saying "wasm".
const addon = loadAddon();
module.exports = addon ? createApi(withHeldIds(addon), { name: "native" }) : require("./wasm.cjs");

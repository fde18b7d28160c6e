// `require("scimkit/wasm")` on Node: the WebAssembly build under the shared JS layer.
"use strict";

const { createApi } = require("./api.cjs");
// wasm-bindgen's `nodejs` glue instantiates the module synchronously; build.sh appends
// `__scimkitReset` and `__wasm`, the current instance's exports (tools/instance-reset.mjs).
const glue = require("./wasm/scimkit_wasm.js");

module.exports = createApi(glue, {
  name: "wasm",
  // After a trap the instance's memory cannot be trusted: a new instance of the same module.
  reset: () => {
    glue.__scimkitReset();
  },
});

// `require("scimkit/wasm")` on Node: the WebAssembly build under the shared JS layer.
"use strict";

const { createApi } = require("./api.cjs");
// wasm-bindgen's `nodejs` glue instantiates the module synchronously; build.sh adds the instance
// state, the reset and `__wasm`, the current instance's exports (tools/instance-reset.mjs).
const glue = require("./wasm/scimkit_wasm.js");

// After a trap the instance's memory cannot be trusted: the JS layer goes on in a new instance.
module.exports = createApi(glue, { name: "wasm", state: glue.__scimkitState, reset: glue.__scimkitReset });

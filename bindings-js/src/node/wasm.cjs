// `require("scimkit/wasm")` on Node: the WebAssembly build under the shared JS layer.
"use strict";

const { createApi } = require("./api.cjs");
// wasm-bindgen's `nodejs` glue instantiates the module synchronously; build.sh appends
// `exports.__wasm` (the instance's exports) for the stack pointer below.
const glue = require("./wasm/scimkit_wasm.js");

const stackPointer = glue.__wasm.__stack_pointer;
const resting = stackPointer.value;

module.exports = createApi(glue, {
  name: "wasm",
  // After a trap the shadow stack pointer is wherever the trapped frames left it: put it back
  // where it rests between calls (calls never nest).
  recover: () => {
    stackPointer.value = resting;
  },
});

// Instantiates the WebAssembly build on Cloudflare Workers (workerd): wrangler and Miniflare
// hand a `.wasm` import over as a compiled `WebAssembly.Module`.
import wasmModule from "./wasm/scimkit_wasm_bg.wasm";
import { initSync } from "./wasm/scimkit_wasm.js";
import { state } from "./state.js";

state.exports = initSync({ module: wasmModule });
state.restingStackPointer = state.exports.__stack_pointer.value;

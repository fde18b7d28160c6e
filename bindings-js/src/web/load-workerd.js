// Instantiates the WebAssembly build on Cloudflare Workers (workerd): wrangler and Miniflare
// hand a `.wasm` import over as a compiled `WebAssembly.Module`.
import wasmModule from "./wasm/scimkit_wasm_bg.wasm";
import { initSync } from "./wasm/scimkit_wasm.js";

initSync({ module: wasmModule });

// Instantiates the WebAssembly build from the `.wasm` file beside this module (browsers, Deno,
// web workers; bundlers recognise `new URL(…, import.meta.url)`).
import init from "./wasm/scimkit_wasm.js";

await init({ module_or_path: new URL("./wasm/scimkit_wasm_bg.wasm", import.meta.url) });

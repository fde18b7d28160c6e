// `import "scimkit"` in browsers, Deno, web workers and by default: the WebAssembly build,
// fetched beside this module.
import "./load-fetch.js";

export * from "./surface.js";
export { default } from "./surface.js";

// `import "scimkit"` on Cloudflare Workers: the WebAssembly build, imported as a module.
import "./load-workerd.js";

export * from "./surface.js";
export { default } from "./surface.js";

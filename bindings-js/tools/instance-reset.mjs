// Lets the JS layer make the WebAssembly instance anew after a trap, by rewriting wasm-bindgen's
// JS glue.
//
// A trap stops the module wherever it is — a stack overflow can stop it inside its memory
// allocator — so after one its memory cannot be trusted. The JS layer (src/api.js) then makes a
// new instance of the same compiled module; objects made in the old one are made again or
// answer a "lost" error there. Two things in the glue have to know about it:
//
// - a reset function: `__scimkitReset()` (an ES export for `--target web`, `exports.` for
//   `--target nodejs`) leaves the old instance for a new one, which the glue points at (its
//   cached memory views included) at its first use, and a state object the JS layer reads
//   without a call (`__scimkitState`: the instance's number, and whether a call is in progress);
// - the finalizers: each class's FinalizationRegistry frees a collected object's Rust memory by
//   its pointer, which after a reset would free memory of the new instance. Objects are
//   registered with their pointer plus 2^32 times the instance's number, and a finalizer frees
//   only an object of the current instance (`held >>> 0` is the pointer again), never while a
//   trap left it unsettled, and marks it busy rather than throw.
//
//   node tools/instance-reset.mjs web dist/web/wasm/scimkit_wasm.js
//   node tools/instance-reset.mjs nodejs dist/node/wasm/scimkit_wasm.js
//
// The glue comes from the pinned wasm-bindgen version; if its text ever differs, this fails the
// build rather than leaving a reset that frees the wrong memory.
import { readFileSync, writeFileSync } from "node:fs";

const [target, file] = process.argv.slice(2);
let text = readFileSync(file, "utf8");

/** Replaces every match of `pattern`, failing unless there are `expected` of them. */
function rewrite(pattern, replacement, expected, what) {
  const found = text.match(pattern)?.length ?? 0;
  if (found !== expected) {
    console.error(`instance-reset: ${file}: expected ${expected} ${what}, found ${found}`);
    process.exit(1);
  }
  text = text.replace(pattern, replacement);
}

const classes = [...text.matchAll(/^const (\w+)Finalization = /gm)].map((m) => m[1]);
if (classes.length === 0) {
  console.error(`instance-reset: ${file}: no class finalizers found`);
  process.exit(1);
}
// Each class registers its objects in one place (its constructor, or `__wrap` for objects made
// by Rust), and each finalizer frees by the pointer.
rewrite(
  /(\w+)Finalization\.register\((\w+), \2\.__wbg_ptr, \2\);/g,
  "$1Finalization.register($2, $2.__wbg_ptr + __scimkitState.instance * 4294967296, $2);",
  classes.length,
  "finalizer registrations",
);
rewrite(
  /new FinalizationRegistry\(ptr => wasm\.(__wbg_\w+_free)\(ptr, 1\)\)/g,
  `new FinalizationRegistry(held => {
        // Only an object of the current instance, and never into an instance a trap left
        // unsettled (busy): a throw here would be an uncaught exception.
        if (Math.floor(held / 4294967296) !== __scimkitState.instance || __scimkitState.busy) return;
        try {
            wasm.$1(held >>> 0, 1);
        } catch {
            __scimkitState.busy = true;
        }
    })`,
  classes.length,
  "finalizers",
);

// Every memory view the glue caches, dropped with the instance.
const views = [...text.matchAll(/^let (cached\w+Memory0) = null;$/gm)].map((m) => m[1]);
if (views.length === 0) {
  console.error(`instance-reset: ${file}: no cached memory views found`);
  process.exit(1);
}

// The reset itself only swaps the instance's exports for a stand-in that makes the new instance
// at its first use: a trap near the end of the JS stack leaves little room, so the instantiation
// happens at the next call (and is tried again there if it could not finish: a new instance is
// installed only once its start function ran). Nothing can touch the old instance after the swap.
// `__scimkitState` is shared with the JS layer without a call: `instance` counts the instances,
// and `busy` is the JS layer's mark of a call in progress (src/api.js, `guarded`).
const RESET = `
// scimkit (tools/instance-reset.mjs): the current instance's number, and the reset.
const __scimkitState = { instance: 0, busy: false };
const __scimkitPending = new Proxy({}, {
    get(_, key) {
        __scimkitInstantiate();
        return wasm[key];
    },
});
function __scimkitReset() {
    __scimkitState.instance++;
    wasm = __scimkitPending;
}
function __scimkitInstantiate() {
    const instance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());
    try {
        __scimkitInstall(instance);
    } catch (e) {
        wasm = __scimkitPending;
        throw e;
    }
}
`;
if (target === "web") {
  // __wbg_finalize_init points the glue at an instance: it must drop every cached view.
  const init = text.match(/^function __wbg_finalize_init\(instance, module\) \{\n([^}]*)\n\}$/m)?.[1] ?? "";
  for (const view of views) {
    if (!init.includes(`    ${view} = null;`)) {
      console.error(`instance-reset: ${file}: __wbg_finalize_init does not drop ${view}`);
      process.exit(1);
    }
  }
  text += `${RESET}function __scimkitInstall(instance) {
    __wbg_finalize_init(instance, wasmModule);
}
export { __scimkitReset, __scimkitState };
`;
} else if (target === "nodejs") {
  rewrite(
    /^let wasmInstance = new WebAssembly\.Instance\(wasmModule, __wbg_get_imports\(\)\);\nlet wasm = wasmInstance\.exports;\nwasm\.__wbindgen_start\(\);$/gm,
    (m) => m,
    1,
    "instantiations",
  );
  text += `${RESET}function __scimkitInstall(instance) {
    wasmInstance = instance;
    wasm = instance.exports;
${views.map((v) => `    ${v} = null;`).join("\n")}
    wasm.__wbindgen_start();
}
exports.__scimkitReset = __scimkitReset;
exports.__scimkitState = __scimkitState;
// The current instance's exports (tests read its memory's size).
Object.defineProperty(exports, "__wasm", { get: () => wasm });
`;
} else {
  console.error("usage: node tools/instance-reset.mjs web|nodejs GLUE.js");
  process.exit(1);
}
writeFileSync(file, text);

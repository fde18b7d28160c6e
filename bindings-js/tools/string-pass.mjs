// Rewrites how wasm-bindgen's JS glue copies a string argument into WebAssembly memory.
//
// The generated `passStringToWasm0` copies ASCII text one UTF-16 unit at a time in a JS loop
// and switches to `TextEncoder.encodeInto` only at the first non-ASCII character. For a
// 1.6 KB user that loop takes ~3.8 µs of a ~25 µs validate call; `encodeInto` copies it in
// ~0.2 µs, but has a fixed cost of ~0.1 µs that the loop beats below ~48 units (Node 20).
// This rewrite gives a string of 48 units or more to `encodeInto` whole, into the same
// `len`-byte block, and keeps the generated code for the rest (short strings, and text that
// needs more than one byte per unit). The bytes in WebAssembly memory are the same either
// way: encodeInto writes exactly UTF-8, and stops before a character that does not fit.
// Engines without a native `encodeInto` (the glue then defines a stand-in that needs room
// for the whole text) take the generated path.
//
//   node tools/string-pass.mjs dist/web/wasm/scimkit_wasm.js dist/node/wasm/scimkit_wasm.js
//
// The glue comes from the pinned wasm-bindgen version; if its text ever differs, this fails
// the build rather than leaving the slow copy in place silently.
import { readFileSync, writeFileSync } from "node:fs";

const GENERATED = `    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
`;

const REWRITTEN = `    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    // scimkit (tools/string-pass.mjs): from 48 UTF-16 units on, one encodeInto for the whole
    // string; shorter ones (the loop is cheaper than encodeInto's fixed cost) and engines
    // without a native encodeInto (the glue's stand-in needs room for the whole text) take the
    // generated loop.
    let read = 0;
    let offset = 0;
    if (len >= 48 && typeof TextEncoder.prototype.encodeInto === "function") {
        const first = cachedTextEncoder.encodeInto(arg, getUint8ArrayMemory0().subarray(ptr, ptr + len));
        read = first.read;
        offset = first.written;
    } else {
        const mem = getUint8ArrayMemory0();
        for (; offset < len; offset++) {
            const code = arg.charCodeAt(offset);
            if (code > 0x7F) break;
            mem[ptr + offset] = code;
        }
        read = offset;
    }
    if (read !== len) {
        arg = arg.slice(read);
`;

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const count = text.split(GENERATED).length - 1;
  if (count !== 1) {
    console.error(`string-pass: ${file}: expected the generated string copy once, found it ${count} times`);
    process.exit(1);
  }
  writeFileSync(file, text.replace(GENERATED, REWRITTEN));
}

// Rewrites how wasm-bindgen's JS glue copies a string argument into WebAssembly memory.
//
// The generated `passStringToWasm0` copies ASCII text one UTF-16 unit at a time in a JS loop
// and switches to `TextEncoder.encodeInto` only at the first non-ASCII character. For a
// 1.6 KB user that loop is ~3 µs of a ~25 µs validate call. This rewrite asks `encodeInto`
// for the whole string at once (the engine's own copy), into the same `len`-byte block, and
// keeps the generated fallback for text that needs more than one byte per unit: the bytes in
// WebAssembly memory are the same either way (encodeInto writes exactly UTF-8, and stops
// before a character that does not fit). Where the engine has no `encodeInto` (the glue then
// defines a stand-in that needs room for the whole text), the generated path runs unchanged.
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

    // scimkit (tools/string-pass.mjs): one encodeInto for the whole string, not a loop. (The
    // glue's own stand-in for a missing encodeInto needs room for the whole text: left to the
    // generated path below.)
    const first = typeof TextEncoder.prototype.encodeInto === "function"
        ? cachedTextEncoder.encodeInto(arg, getUint8ArrayMemory0().subarray(ptr, ptr + len))
        : { read: 0, written: 0 };
    let offset = first.written;
    if (first.read !== arg.length) {
        arg = arg.slice(first.read);
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

// The instantiated WebAssembly module, set by a loader: its exports and the stack pointer's
// value between calls.
export const state = { exports: undefined, restingStackPointer: 0 };

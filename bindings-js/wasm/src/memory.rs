//! Growing WebAssembly memory in one step before a call that will need much of it.
//!
//! The allocator (dlmalloc, Rust's on `wasm32-unknown-unknown`) grows memory by what each
//! request lacks, 64 KiB at a time for small ones, and each `memory.grow` costs the engine about
//! 0.15 ms (V8, Node 20). Reading the bench's 100,000 users (59 MB of text) into a `ResourceSet`
//! grew memory to 435 MB in thousands of such steps and took 3.1–4.7 s the first time, against
//! 0.19 s once memory had grown. Memory never shrinks, so a block taken and freed at once stays
//! with the allocator as free space, and the reading that follows carves from it instead of
//! growing memory bit by bit: 0.50–0.57 s the first time, and memory still 435 MB.
//!
//! Every export that reads a whole JSON array of resources into values does the same
//! (`ResourceSet`, `sort`, `pageResponse`): ~7.4 bytes per byte of these users' text (`sort`
//! ~9.7 with its output). `matchesAll` and `listResponse` need none: they read one resource at
//! a time and hold only what the answer needs.

/// Below this, growing step by step costs too little to matter.
const WORTH_IT: usize = 1 << 20;

/// Memory taken in one step per byte of the JSON text: below what reading takes (~7.4 bytes per
/// byte for the bench's users, kept as parsed values and as columns), so the step never grows
/// memory beyond what the reading would have grown it to; the rest grows as before.
const PER_TEXT_BYTE: usize = 6;

/// Makes the allocator grow memory in one step for reading `text` (nothing for short texts, or
/// when the memory is already there: the freed block is then reused, not grown again).
pub fn reserve_for(text: &str) {
    if text.len() < WORTH_IT {
        return;
    }
    let wanted = text.len().saturating_mul(PER_TEXT_BYTE);
    let mut block: Vec<u8> = Vec::new();
    // Not enough memory left for it is no error here: the reading then grows as it goes.
    if block.try_reserve_exact(wanted).is_ok() {
        drop(block);
    }
}

// The JS layer of the npm package `scimkit`, one file shared by both builds: the native addon
// (Node) and the WebAssembly build (browsers, Workers, Deno, `scimkit/wasm`). It holds no SCIM
// logic. Documents cross the boundary as JSON text (shared/BOUNDARY.md): arguments are
// `JSON.stringify`-ed (JSON text given as a string passes as is), option objects are passed
// straight through as camelCase JSON, results are `JSON.parse`-d, and the one error conversion
// below turns the core's error JSON into a `ScimError` (spans converted from the core's UTF-8
// byte offsets to UTF-16 offsets of the string they point into).
//
// Three refusals keep JS values exact, each a `ScimError` built by the core: a string holding a
// lone surrogate (`invalidSyntax`; the text crossing would silently carry U+FFFD), a document
// `JSON.stringify` cannot write (`invalidSyntax`: cyclic, too deep for it, a BigInt), and a
// result holding an integer `JSON.parse` would change: beyond ±(2^53−1) and not a double
// (`invalidValue`).
// A panic (native) or a trap (WebAssembly) inside scimkit is a `ScimError` with status 500, and
// the next call works. After a trap the WebAssembly instance is made anew (see `Backed`).
//
// Built by build.sh into dist/web/api.js (ESM) and dist/node/api.cjs (CommonJS), so that on
// Node `import` and `require` share one instance.

/** @param {object} backend the native addon or the wasm-bindgen module, same exports.
 *  @param {{ name: "native" | "wasm", state?: { instance: number, busy: boolean },
 *            reset?: () => void }} host the WebAssembly build's instance state and reset
 *  (tools/instance-reset.mjs). */
function createApi(rawBackend, host) {
  const implementation = host.name;
  const traps = implementation === "wasm";

  // -------------------------------------------------------------------------------------------
  // Traps (WebAssembly)
  //
  // A trap stops the module wherever it is — a call made with the JS stack all but used up runs
  // out of it anywhere, even inside the module's memory allocator — so after one the instance's
  // memory cannot be trusted, and every later call must go to a new instance. Near the end of the
  // stack nothing that needs a call can be relied on to run, not even the handler of the error,
  // so the mark is made without one: every call into the build is `guarded`, which marks the
  // state busy before it and clears the mark after it returned or threw the core's error JSON (a
  // string). Any other end — a trap, or a RangeError inside the glue — leaves the mark, and the
  // next guarded call or object use (`settle`) first leaves the instance for a new one
  // (`state.instance` counts them; the glue makes the new one at its first use). Objects made in
  // an earlier instance are made again or are lost (`Backed`).
  // -------------------------------------------------------------------------------------------

  /** The instance state; natively always instance 0, never busy. */
  const state = host.state ?? { instance: 0, busy: false };
  /** Leaves a trapped instance for a new one (the mark goes only once the reset is done). */
  const settle = () => {
    host.reset();
    state.busy = false;
  };
  /** The property a build object made through the guard carries: the instance it lives in. */
  const MADE_IN = "__scimkitInstance";
  /** `fn` (a function of the build) marked busy while it runs. A method refuses an object of an
   *  instance left since (the JS layer renews objects before their use, `Backed`: this catches a
   *  miss), and a build object coming back is stamped with the instance it was made in. */
  const guarded = (fn, method) => {
    if (fn.length > 6) throw new Error(`scimkit: ${fn.name} takes more arguments than the guard passes on`);
    return function (a, b, c, d, e, f) {
      if (state.busy) settle();
      if (method && this[MADE_IN] !== state.instance) {
        throw new WebAssembly.RuntimeError("scimkit: an object of an instance left after a trap was called");
      }
      state.busy = true;
      let result;
      try {
        result = fn.call(this, a, b, c, d, e, f);
      } catch (x) {
        if (typeof x === "string") state.busy = false;
        throw x;
      }
      state.busy = false;
      if (typeof result === "object" && result !== null && result.__wbg_ptr !== undefined) result[MADE_IN] = state.instance;
      return result;
    };
  };
  /** The wasm-bindgen module with every function, class constructor, static and method (getters
   *  too) guarded; the native addon as it is. */
  function guardAll(module) {
    const out = {};
    for (const [name, value] of Object.entries(module)) {
      if (typeof value !== "function" || name.startsWith("__")) {
        out[name] = value;
      } else if (!/^class\b/.test(Function.prototype.toString.call(value))) {
        out[name] = guarded(value, false);
      } else {
        // Methods are guarded in place, once (a second `createApi` over the same module must
        // not guard them twice).
        const once = Symbol.for("scimkit.guarded");
        const wrapMethods = !Object.hasOwn(value.prototype, once);
        Object.defineProperty(value.prototype, once, { value: true });
        for (const key of wrapMethods ? Object.getOwnPropertyNames(value.prototype) : []) {
          if (key === "constructor" || key.startsWith("__")) continue;
          const d = Object.getOwnPropertyDescriptor(value.prototype, key);
          if (d.get) d.get = guarded(d.get, true);
          if (typeof d.value === "function") d.value = guarded(d.value, true);
          Object.defineProperty(value.prototype, key, d);
        }
        const ctor = guarded((a, b, c, d, e, f) => new value(a, b, c, d, e, f), false);
        for (const key of Object.getOwnPropertyNames(value)) {
          if (typeof value[key] === "function" && !key.startsWith("__")) ctor[key] = guarded(value[key], false);
        }
        out[name] = ctor;
      }
    }
    return out;
  }
  const backend = traps ? guardAll(rawBackend) : rawBackend;

  // -------------------------------------------------------------------------------------------
  // Errors
  // -------------------------------------------------------------------------------------------

  const BRAND = Symbol.for("scimkit.ScimError");
  const RESPONSE = Symbol.for("scimkit.ScimError.response");
  const ERROR_RESPONSE = Symbol.for("scimkit.ScimError.errorResponse");

  /** Clones plain JSON data (bodies handed out must not share state with the error). */
  const clone = (value) => JSON.parse(JSON.stringify(value));

  /** The value at an RFC 6901 pointer, or undefined. */
  function at(doc, pointer) {
    let node = doc;
    for (const raw of pointer.split("/").slice(1)) {
      if (node === null || typeof node !== "object") return undefined;
      const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
      if (!Object.hasOwn(node, key)) return undefined;
      node = node[key];
    }
    return node;
  }

  /** A byte offset into the UTF-8 form of `text` as a UTF-16 offset (a byte inside a
   *  character counts that character as before it; past the end gives the length). */
  function utf16(text, byte) {
    let bytes = 0;
    let units = 0;
    for (const ch of text) {
      if (bytes >= byte) break;
      const cp = ch.codePointAt(0);
      bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      units += ch.length;
    }
    return units;
  }

  /** The span of one error record in UTF-16 offsets of the string it points into: the string
   *  at the error's location in `doc` (a PATCH path in a request, a filter in a query) when
   *  there is one, else `text` (a filter or path given on its own). */
  function spanOf(record, text, doc) {
    if (!record.span) return null;
    let target = text;
    if (record.location && doc !== undefined) {
      let parsed = doc;
      if (typeof doc === "string") {
        try {
          parsed = JSON.parse(doc);
        } catch {
          parsed = undefined;
        }
      }
      const found = at(parsed, record.location);
      if (typeof found === "string") target = found;
    }
    if (typeof target !== "string") return null;
    return { start: utf16(target, record.span.start), end: utf16(target, record.span.end) };
  }

  class ScimError extends Error {
    /** @internal Built by scimkit from the core's error JSON. */
    constructor(record, text, doc) {
      super(record.message);
      this.name = "ScimError";
      this.scimType = record.scimType ?? null;
      this.status = record.status;
      this.location = record.location ?? null;
      this.span = spanOf(record, text, doc);
      this.detail = record.detail;
      this.errors = record.errors.map((r) => (r.span ? { ...r, span: spanOf(r, text, doc) } : r));
      this.notes = record.notes;
      Object.defineProperty(this, BRAND, { value: true });
      Object.defineProperty(this, RESPONSE, { value: record.response });
      Object.defineProperty(this, ERROR_RESPONSE, { value: record.errorResponse });
    }

    /** The RFC 7644 §3.12 error body (`status` is a string there). */
    toResponse() {
      return clone(this[RESPONSE]);
    }

    // Errors from either build (and from `import` or `require`) are ScimErrors.
    static [Symbol.hasInstance](value) {
      return value !== null && typeof value === "object" && value[BRAND] === true;
    }
  }

  /** Whether `e` is a trap (WebAssembly only: panic = "abort"). */
  const trapped = (e) => traps && (e instanceof WebAssembly.RuntimeError || e instanceof RangeError);

  /** The error a backend object answers once the instance it lived in was made anew after a trap
   *  (WebAssembly) when it cannot be made again: what it held was only in the old instance's
   *  memory. `kind` is its class: "HeldResource", "BulkRunner", "ResourceSet", "CheckedFilter" or
   *  "Mapping" (the last two when their Registry was freed since). */
  const lostObject = (kind) => new ScimError(JSON.parse(backend.lostObjectError(kind)));

  /** The one error conversion: what a backend call threw, as a ScimError (or as it is). */
  function fail(e, text, doc) {
    let json;
    if (typeof e === "string") {
      json = e; // WebAssembly: the error JSON, thrown as a string
    } else if (e instanceof Error && e.code === "GenericFailure" && e.message.charCodeAt(0) === 123) {
      json = e.message; // native: an Error whose message is the error JSON
    } else if (trapped(e)) {
      // The guard left the state busy: this call (its first guarded call) goes to a new
      // instance, as every later one does (see "Traps" above).
      json = backend.internalError(`${e.name}: ${e.message}`);
      text = doc = undefined;
    } else {
      return e;
    }
    return new ScimError(JSON.parse(json), text, doc);
  }

  /** A ScimError the core builds from a record (for refusals made at the JS edge). */
  function refusal(scimType, detail, location) {
    let json;
    try {
      json = backend.errorFromValue(JSON.stringify({ scimType, detail, location }));
    } catch (e) {
      throw fail(e);
    }
    return new ScimError(JSON.parse(json));
  }

  // -------------------------------------------------------------------------------------------
  // Arguments in, results out
  // -------------------------------------------------------------------------------------------

  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  const wellFormed =
    typeof String.prototype.isWellFormed === "function" ? (s) => s.isWellFormed() : (s) => !LONE_SURROGATE.test(s);

  /** A string argument, refused when it holds a lone surrogate. */
  function str(s, what) {
    if (typeof s !== "string") throw new TypeError(`scimkit: ${what} must be a string`);
    if (!wellFormed(s)) throw refusal("invalidSyntax", "a string holds a lone surrogate, which is not Unicode text");
    return s;
  }

  /** A number argument, as it is (the core judges its value). */
  function num(n, what) {
    if (typeof n !== "number") throw new TypeError(`scimkit: ${what} must be a number`);
    return n;
  }

  /** An optional string argument (`undefined` or `null`: not given). */
  const optStr = (s, what) => (s === undefined || s === null ? undefined : str(s, what));

  /** A document: JSON text as it is, anything else through `JSON.stringify` (a value it cannot
   *  write — cyclic, too deep for it, a BigInt, a NaN or infinite number — is refused as
   *  `invalidSyntax`; something that is no JSON at all — `undefined`, a function — is a
   *  TypeError naming the argument). */
  function doc(value, what) {
    if (typeof value === "string") return str(value, what);
    let text;
    try {
      text = JSON.stringify(value);
    } catch (e) {
      const why = String(e?.message ?? e).split("\n")[0];
      throw refusal("invalidSyntax", `the document cannot be written as JSON: ${why}`);
    }
    if (text === undefined) {
      // Missing (a request without a body: `req.body` is undefined) is bad input, answered as
      // one (400); a function or a symbol is a programming error.
      if (value === undefined) {
        throw refusal("invalidSyntax", `${what} is missing: a document is an object, an array or JSON text`);
      }
      throw new TypeError(`scimkit: ${what} must be a JSON document (an object, an array or JSON text), not a ${typeof value}`);
    }
    // JSON.stringify writes NaN and ±Infinity as null, a Map or a Set as {}: found and refused
    // where they are (only texts that could hold one are walked).
    if ((text.includes("null") || text.includes("{}")) && hasUnwritable(value)) refuseUnwritable(value);
    return text;
  }

  /** What JSON.stringify writes in place of a value JSON has no form for, silently: a NaN or an
   *  infinite number (as `null`), a Map or a Set (as `{}`, its entries lost). */
  function unwritable(v) {
    if (typeof v === "number") return Number.isFinite(v) ? undefined : `\`${v}\` is not a JSON number`;
    if (v instanceof Map || v instanceof Set) {
      return `a \`${v instanceof Map ? "Map" : "Set"}\` is not a JSON value (JSON.stringify would write it as {}, its entries lost)`;
    }
    return undefined;
  }

  /** Whether `value` holds a value JSON.stringify would silently change (see `unwritable`): a
   *  quick walk (no recursion, no paths), so that only a document that has one is walked again
   *  to say where. */
  function hasUnwritable(value) {
    const stack = [value];
    while (stack.length > 0) {
      let v = stack.pop();
      if (v !== null && typeof v === "object") {
        if (typeof v.toJSON === "function") v = v.toJSON();
        else if (v instanceof Number) v = Number(v);
      }
      if (unwritable(v) !== undefined) return true;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) stack.push(v[i]);
      } else if (v !== null && typeof v === "object") {
        for (const k of Object.keys(v)) stack.push(v[k]);
      }
    }
    return false;
  }

  /** Refuses a value JSON.stringify would silently change (a NaN, a Map…) at its place, as
   *  Python refuses a NaN or a set in a dict. Walked (without recursion) in the order
   *  JSON.stringify writes, `toJSON` included; only when `hasUnwritable` found one. */
  function refuseUnwritable(value) {
    const stack = [[value, "", ""]];
    while (stack.length > 0) {
      let [v, key, at] = stack.pop();
      if (v !== null && typeof v === "object" && typeof v.toJSON === "function") v = v.toJSON(key);
      if (v instanceof Number) v = Number(v);
      const why = unwritable(v);
      if (why !== undefined) throw refusal("invalidSyntax", why, at);
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], String(i), `${at}/${i}`]);
      } else if (v !== null && typeof v === "object") {
        const keys = Object.keys(v);
        for (let i = keys.length - 1; i >= 0; i--) {
          const k = keys[i];
          stack.push([v[k], k, `${at}/${k.replaceAll("~", "~0").replaceAll("/", "~1")}`]);
        }
      }
    }
  }

  /** A list of documents (an array or another iterable, never one string or one object). */
  function documents(items, what, each) {
    if (items === null || typeof items !== "object" || typeof items[Symbol.iterator] !== "function") {
      throw new TypeError(`scimkit: ${what} must be a list of documents (objects or JSON text)`);
    }
    return Array.from(items, (d) => doc(d, each));
  }

  /** Options objects seen more than once, with the text written for them and the values it
   *  was written from. */
  const written = new WeakMap();
  /** The last options objects seen once (not in `written`): an object made for one call — an
   *  options literal written in the call — is written and not kept; one seen again while still
   *  here is. Four, for a server passing a few constant options objects in turn. */
  const seenOnce = [undefined, undefined, undefined, undefined];
  let seenNext = 0;

  /** An options object (camelCase, passed straight through) or its text; none: the core's
   *  defaults. A server passes the same options object with every call: a plain object whose
   *  own values are all plain (strings, numbers, booleans, null) is written once it is seen a
   *  second time, and again only when one of them changed or was added or removed — compared
   *  at every call, so changing it is safe. Anything else is written at every call: an object
   *  holding objects, one with a `toJSON` or a prototype of its own. */
  function opts(value, what) {
    if (value === undefined || value === null) return "";
    if (typeof value !== "object") return doc(value, what);
    const seen = written.get(value);
    if (seen !== undefined) {
      let same = false;
      try {
        same = typeof value.toJSON !== "function" && sameValues(value, seen.values);
      } catch {
        // A getter threw: written below, where the failure is reported.
      }
      if (same) return seen.text;
      written.delete(value);
    } else if (!seenOnce.includes(value)) {
      seenOnce[seenNext] = value;
      seenNext = (seenNext + 1) % seenOnce.length;
      return doc(value, what);
    }
    let values;
    try {
      values = plainValues(value);
    } catch {
      values = undefined;
    }
    if (values === undefined) return doc(value, what);
    // Written from the values read once (a getter read twice may answer twice differently).
    const text = doc(fromPairs(values), what);
    written.set(value, { text, values });
    return text;
  }

  /** `[key, value, …]` of the own enumerable members of a plain object whose values are all
   *  plain, in the order JSON.stringify writes them; otherwise undefined. */
  function plainValues(o) {
    const proto = Object.getPrototypeOf(o);
    if ((proto !== Object.prototype && proto !== null) || typeof o.toJSON === "function") return undefined;
    const values = [];
    for (const k of Object.keys(o)) {
      const v = o[k];
      const type = typeof v;
      if ((v !== null && type === "object") || type === "function" || type === "bigint") return undefined;
      values.push(k, v);
    }
    return values;
  }

  /** Whether `o`'s own enumerable members are exactly those of `values`, in that order. */
  function sameValues(o, values) {
    const keys = Object.keys(o);
    if (keys.length * 2 !== values.length) return false;
    for (let i = 0; i < keys.length; i++) {
      if (values[2 * i] !== keys[i] || !Object.is(values[2 * i + 1], o[keys[i]])) return false;
    }
    return true;
  }

  /** The object of `[key, value, …]` (without a prototype: a `__proto__` key is a member). */
  function fromPairs(values) {
    const o = Object.create(null);
    for (let i = 0; i < values.length; i += 2) o[values[i]] = values[i + 1];
    return o;
  }

  const MAX_SAFE = "9007199254740991";
  const LONG_DIGITS = /\d{16}/;
  const isDigit = (c) => c >= 48 && c <= 57;

  /** Whether JSON.parse reads the integer text `lit` (beyond ±(2^53−1)) without loss: as
   *  exactly that integer (`2^64` is a double), or as a double written back as the same text
   *  (`-4796566914205686000`, as JS writes the double ...272). `9007199254740993` is neither. */
  const readsBack = (lit) => BigInt(Number(lit)) === BigInt(lit) || String(Number(lit)) === lit;

  /** Refuses JSON text holding an integer (outside strings) that JSON.parse would change. */
  function refuseUnsafeIntegers(text) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        for (i++; i < text.length; i++) {
          const d = text.charCodeAt(i);
          if (d === 92) i++;
          else if (d === 34) break;
        }
      } else if (c === 45 || isDigit(c)) {
        let end = c === 45 ? i + 1 : i;
        const from = end;
        while (end < text.length && isDigit(text.charCodeAt(end))) end++;
        let next = end;
        while (next < text.length && /[0-9.eE+-]/.test(text[next])) next++;
        const digits = text.slice(from, end);
        const whole = next === end;
        const unsafe = digits.length > 16 || (digits.length === 16 && digits > MAX_SAFE);
        if (whole && unsafe && !readsBack(text.slice(i, end))) {
          throw refusal(
            "invalidValue",
            `the result holds the integer \`${text.slice(i, end)}\`, outside ±(2^53−1), which a JS number cannot hold exactly`,
          );
        }
        i = next - 1;
      }
    }
  }

  /** JSON text from the core as JS values. The glue marks a document holding no 16 digits in
   *  a row with a trailing space (glue/text.rs, still JSON): only unmarked text is searched. */
  function out(text) {
    if (text.charCodeAt(text.length - 1) !== 32 && LONG_DIGITS.test(text)) refuseUnsafeIntegers(text);
    return JSON.parse(text);
  }

  /** A report with nothing in it (no notes; a PATCH's changes, quirks and notes all empty, as
   *  under `report: "none"`), as both builds hand it over: no text at all. */
  const EMPTY_REPORT = "";

  /** A PATCH's `{changes, quirks, notes}` as JS values: the empty one is made, not parsed. */
  const reportOut = (text) => (text === EMPTY_REPORT ? { changes: [], quirks: [], notes: [] } : out(text));

  /** A validation's notes as JS values: none is made, not parsed. */
  const notesOut = (text) => (text === EMPTY_REPORT ? [] : out(text).notes);

  /** A document's JSON text as the core wrote it (without the build's mark): every number
   *  exactly, integers beyond 2^53 included. */
  const exact = (text) => (text.charCodeAt(text.length - 1) === 32 ? text.slice(0, -1) : text);

  /** A PATCH result from the resource (an object or its text) and the rest. */
  const patched = (resource, { changes, quirks, notes }) => ({ resource, changes, quirks, notes });

  /** One call into the build: its JSON answer as JS values, or its failure as a ScimError (with
   *  spans over `text` when given). */
  function call(thunk, text) {
    try {
      return out(thunk());
    } catch (e) {
      throw fail(e, text);
    }
  }

  /** One call into the build that answers nothing: its failure as a ScimError. */
  function callVoid(thunk) {
    try {
      thunk();
    } catch (e) {
      throw fail(e);
    }
  }

  /** Frees a backend handle now. WebAssembly objects otherwise live until the JS garbage
   *  collector finalizes their small wrappers, which it may not do before the wasm heap has
   *  grown (and slowed) a lot; native objects are freed when V8 collects them (a native held
   *  resource through a FinalizationRegistry, src/node/held-ids.cjs). */
  const release = (handle) => {
    try {
      handle?.free?.();
    } catch {
      // Nothing to report: freeing is best effort (an object of an instance left after a trap
      // is never freed here: `Backed`).
    }
  };
  const DISPOSE = Symbol.dispose ?? Symbol.for("Symbol.dispose");

  /** What a freed object holds instead of its backend handle: any use of it — a method, or the
   *  object passed to another call — is a TypeError naming the class, alike in both builds;
   *  freeing it again does nothing. */
  const FREED = Symbol("scimkit.freed");
  const FREED_TAIL = "was freed (free() or `using`) and cannot be used any more";
  const freedError = (kind) => new TypeError(`scimkit: the ${kind} ${FREED_TAIL}`);
  const freedHandles = new Map();
  /** One stand-in per class, made once: `free()` costs no allocation (W2 frees 50 filters). */
  const freedHandle = (kind) => {
    let handle = freedHandles.get(kind);
    if (handle === undefined) {
      handle = new Proxy(Object.freeze({}), {
        get(_, prop) {
          if (prop === FREED) return kind;
          if (prop === "free") return undefined;
          throw freedError(kind);
        },
      });
      freedHandles.set(kind, handle);
    }
    return handle;
  };
  /** A handle to pass to the backend: a freed one is refused first. */
  const live = (handle) => {
    const kind = handle?.[FREED];
    if (kind) throw freedError(kind);
    return handle;
  };

  /** A backend object and the instance it was made in. After a trap (WebAssembly) every later
   *  call goes to a new instance, and an object of the old one is no use there: one that can be
   *  made again from what made it (`make`: a Registry from its definitions, a Filter from its
   *  text…) is made again at its next use; one that held what only the old instance's memory had
   *  (`make` null: a held resource, a resource set, a bulk runner) answers the core's "lost"
   *  error, as does one whose `make` needs a Registry freed since. Natively nothing changes. */
  class Backed {
    #handle;
    #made;
    #kind;
    #make;

    constructor(kind, make, handle = make()) {
      this.#kind = kind;
      this.#make = make;
      this.#handle = handle;
      this.#made = state.instance;
    }

    /** The backend object to call: made again first when the instance it was made in is gone. */
    get h() {
      if (state.busy) settle();
      if (this.#made === state.instance || this.#handle[FREED]) return this.#handle;
      let handle;
      try {
        if (this.#make === null) throw lostObject(this.#kind);
        handle = this.#make();
      } catch (e) {
        throw e instanceof TypeError && e.message.endsWith(FREED_TAIL) ? lostObject(this.#kind) : fail(e);
      }
      this.#handle = handle;
      this.#made = state.instance;
      return handle;
    }

    /** Frees the backend object now (one of a gone instance is gone with it). */
    free() {
      if (state.busy) settle();
      if (this.#made === state.instance) release(this.#handle);
      this.#handle = freedHandle(this.#kind);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Registry
  // -------------------------------------------------------------------------------------------

  let registryHandle;
  let wrapHeld;
  let filterHandle;
  let checkedHandle;
  let queryHandle;
  let wrapChecked;
  let builtinRegistry;
  const PRIVATE = Symbol("scimkit.private");

  class Registry {
    #b;

    /** The built-in schemas and resource types plus custom ones (objects or JSON text). */
    constructor(definitions) {
      if (definitions !== undefined && definitions !== null && (typeof definitions !== "object" || Array.isArray(definitions))) {
        throw new TypeError("scimkit: a Registry takes { schemas?, resourceTypes? }");
      }
      const { schemas = [], resourceTypes = [], ...others } = definitions ?? {};
      const other = Object.keys(others)[0];
      if (other !== undefined) throw new TypeError(`scimkit: a Registry takes schemas and resourceTypes, not \`${other}\``);
      const s = documents(schemas, "schemas", "a schema");
      const r = documents(resourceTypes, "resourceTypes", "a resource type");
      try {
        this.#b = new Backed("Registry", () => new backend.Registry(s, r));
      } catch (e) {
        throw fail(e);
      }
    }

    static {
      registryHandle = (r) => {
        if (!(r instanceof Registry)) throw new TypeError("scimkit: expected a Registry");
        return live(r.#b.h);
      };
    }

    /** Frees the Rust-side memory now (otherwise when the object is collected);
     *  the object is unusable afterwards. Also `using x = …` through `Symbol.dispose`. */
    free() {
      this.#b.free();
    }

    [DISPOSE]() {
      this.free();
    }

    validate(resourceType, body, options) {
      const [resource, report] = this.#validate(resourceType, body, options);
      return { resource: out(resource), notes: notesOut(report) };
    }

    /** `validate` with the resource as JSON text, exactly as the core wrote it. */
    validateText(resourceType, body, options) {
      const [resource, report] = this.#validate(resourceType, body, options);
      return { resource: exact(resource), notes: notesOut(report) };
    }

    #validate(resourceType, body, options) {
      const rt = str(resourceType, "resourceType");
      const b = doc(body, "body");
      const o = opts(options, "options");
      try {
        return this.#b.h.validate(rt, b, o);
      } catch (e) {
        throw fail(e, undefined, b);
      }
    }

    applyPatch(resourceType, resource, request, options) {
      const [text, report] = this.#applyPatch(resourceType, resource, request, options);
      return patched(out(text), reportOut(report));
    }

    /** `applyPatch` with the new resource as JSON text, exactly as the core wrote it. */
    applyPatchText(resourceType, resource, request, options) {
      const [text, report] = this.#applyPatch(resourceType, resource, request, options);
      return patched(exact(text), reportOut(report));
    }

    #applyPatch(resourceType, resource, request, options) {
      const rt = str(resourceType, "resourceType");
      const r = doc(resource, "resource");
      const q = doc(request, "request");
      const o = opts(options, "options");
      try {
        return this.#b.h.applyPatch(rt, r, q, o);
      } catch (e) {
        throw fail(e, undefined, q);
      }
    }

    /** A stored resource (an object or JSON text) held on the Rust side, to be patched in
     *  place: only each request and its report cross the boundary. Options `{ limits }`. */
    hold(resourceType, resource, options) {
      const rt = str(resourceType, "resourceType");
      const r = doc(resource, "resource");
      const o = opts(options, "options");
      let handle;
      try {
        handle = new backend.HeldResource(this.#b.h, rt, r, o);
      } catch (e) {
        throw fail(e);
      }
      return wrapHeld(this, handle, rt);
    }

    diff(resourceType, oldResource, newResource) {
      const rt = str(resourceType, "resourceType");
      const a = doc(oldResource, "oldResource");
      const b = doc(newResource, "newResource");
      return call(() => this.#b.h.diff(rt, a, b));
    }

    project(resourceType, resource, selection) {
      const rt = str(resourceType, "resourceType");
      const r = doc(resource, "resource");
      const s = opts(selection, "selection");
      try {
        return out(this.#b.h.project(rt, r, s));
      } catch (e) {
        throw fail(e, undefined, s);
      }
    }

    sort(resourceType, resources, sortBy, sortOrder) {
      const rt = str(resourceType, "resourceType");
      const r = doc(resources, "resources");
      const by = str(sortBy, "sortBy");
      const order = optStr(sortOrder, "sortOrder") ?? "";
      return call(() => this.#b.h.sort(rt, r, by, order), by);
    }

    listResponse(resourceType, resources, query, options) {
      const rt = str(resourceType, "resourceType");
      const r = doc(resources, "resources");
      const q = query instanceof ListQuery ? query : ListQuery.fromQueryString(query ?? "", options);
      try {
        return out(this.#b.h.listResponse(rt, r, queryHandle(q)));
      } catch (e) {
        throw fail(e, undefined, q.toJSON());
      } finally {
        if (q !== query) q.free();
      }
    }

    valueLocation(resourceType, request, attribute, value) {
      const rt = str(resourceType, "resourceType");
      const r = doc(request, "request");
      const a = str(attribute, "attribute");
      const v = str(value, "value");
      try {
        return this.#b.h.valueLocation(rt, r, a, v);
      } catch (e) {
        throw fail(e);
      }
    }

    fillMeta(resourceType, resource, options) {
      const rt = str(resourceType, "resourceType");
      const r = doc(resource, "resource");
      const o = opts(options, "options");
      return call(() => this.#b.h.fillMeta(rt, r, o));
    }

    resourceTypes(baseUrl) {
      const base = optStr(baseUrl, "baseUrl");
      return call(() => this.#b.h.resourceTypes(base));
    }

    schemas(baseUrl) {
      const base = optStr(baseUrl, "baseUrl");
      return call(() => this.#b.h.schemas(base));
    }

    schemaDocument(urn, baseUrl) {
      const u = str(urn, "urn");
      const base = optStr(baseUrl, "baseUrl");
      return call(() => this.#b.h.schemaDocument(u, base));
    }

    resourceTypeDocument(id, baseUrl) {
      const i = str(id, "id");
      const base = optStr(baseUrl, "baseUrl");
      return call(() => this.#b.h.resourceTypeDocument(i, base));
    }
  }

  /** The registry of the built-in schemas and resource types, made on first use. */
  const builtin = () => (builtinRegistry ??= new Registry());

  // -------------------------------------------------------------------------------------------
  // Filters
  // -------------------------------------------------------------------------------------------

  /** The backend's filter: its text and limits (checked to parse), which the backend reads
   *  again when it is used — in both builds, as a Rust object per filter cost more than the
   *  parse (natively a napi object ~1.5 µs, five times the parse; in WebAssembly the
   *  FinalizationRegistry entry and the call freeing it, ~0.3 µs of ~0.9 µs). Nothing to free. */
  class TextFilter {
    constructor(text, limits) {
      backend.filterParse(text, limits);
      this.text = text;
      this.limits = limits;
    }

    canonical() {
      return backend.filterCanonical(this.text, this.limits);
    }

    describe() {
      return backend.filterDescribe(this.text, this.limits);
    }

    withoutSchema() {
      return backend.filterWithoutSchema(this.text, this.limits);
    }

    checkedBy(registry, resourceType) {
      return registry.checkFilter(this.text, this.limits, resourceType);
    }

    free() {}
  }

  class Filter {
    #b;
    #text;
    #limits;
    /** The filter as `matches`/`matchesAll` last prepared it — `{reg, rt, checked}`, one slot —
     *  kept for the next call with the same registry and resource type, until `free()`.
     *  Preparing makes a Rust object, which from Node cost as much as the match itself. */
    #kept;

    /** Parses `text` (RFC 7644 §3.4.2.2); limits `{maxLength, maxDepth, maxComparisons}`. */
    constructor(text, limits) {
      const t = str(text, "the filter");
      const l = opts(limits, "limits");
      try {
        this.#b = new Backed("Filter", () => new TextFilter(t, l));
      } catch (e) {
        throw fail(e, t);
      }
      this.#text = t;
      this.#limits = l;
    }

    static {
      filterHandle = (f) => live(f.#b.h);
    }

    /** Frees the filter `matches` prepared and keeps (the filter itself holds no Rust object);
     *  the object is unusable afterwards. Also `using x = …` through `Symbol.dispose`. */
    free() {
      this.#kept?.checked.free();
      this.#kept = undefined;
      this.#b.free();
    }

    [DISPOSE]() {
      this.free();
    }

    /** The text as given. */
    get text() {
      return this.#text;
    }

    /** The syntax tree. */
    get ast() {
      return this.toJSON();
    }

    /** The canonical text. */
    toString() {
      try {
        return this.#b.h.canonical();
      } catch (e) {
        throw fail(e);
      }
    }

    /** The syntax tree (so `JSON.stringify(filter)` gives it). */
    toJSON() {
      try {
        return out(this.#b.h.describe()).ast;
      } catch (e) {
        throw fail(e);
      }
    }

    /** The filter checked against `resourceType` of `registry` (default: the built-ins). */
    check(registry, resourceType) {
      const rt = str(resourceType, "resourceType");
      const owner = registry ?? builtin();
      try {
        const handle = filterHandle(this).checkedBy(registryHandle(owner), rt);
        return wrapChecked(handle, this.#remade((f, reg) => f.checkedBy(reg, rt), owner), this.#text);
      } catch (e) {
        throw fail(e, this.#text);
      }
    }

    /** The filter ready to evaluate: checked when a resource type is given, else with the
     *  schema-less defaults. */
    prepare(resourceType, registry) {
      if ((resourceType === undefined || resourceType === null) && registry !== undefined && registry !== null) {
        // Else the registry would be silently unused: no `caseExact`, no unknown names.
        throw new TypeError(
          'scimkit: a registry was given without a resource type: name the resource type whose schema applies ("User"), or give neither for the schema-less defaults',
        );
      }
      if (resourceType === undefined || resourceType === null) {
        try {
          return wrapChecked(filterHandle(this).withoutSchema(), this.#remade((f) => f.withoutSchema()), this.#text);
        } catch (e) {
          throw fail(e);
        }
      }
      return this.check(registry, resourceType);
    }

    /** How a filter prepared from this one is made again in a new instance (see `Backed`):
     *  `prepare` applied to a backend filter read again from the text — not to this one, which
     *  may be freed by then — and to the backend registry of `owner`. */
    #remade(prepare, owner) {
      const t = this.#text;
      const l = this.#limits;
      return () => {
        const reg = owner === undefined ? undefined : registryHandle(owner);
        return prepare(new TextFilter(t, l), reg);
      };
    }

    /** Whether `resource` matches (checked against `resourceType` when given). */
    matches(resource, resourceType, registry) {
      return this.#preparedFor(resourceType, registry).matches(resource);
    }

    /** For each resource, whether it matches (the filter is prepared once). */
    matchesAll(resources, resourceType, registry) {
      return this.#preparedFor(resourceType, registry).matchesAll(resources);
    }

    /** `prepare(resourceType, registry)`, or the one kept from the last call with the same
     *  registry and resource type. */
    #preparedFor(resourceType, registry) {
      const schemaLess = resourceType === undefined || resourceType === null;
      // A registry without a resource type is refused (by `prepare`), never served a kept filter.
      if (schemaLess && registry !== undefined && registry !== null) return this.prepare(resourceType, registry);
      const reg = schemaLess ? undefined : registryHandle(registry ?? builtin());
      const rt = schemaLess ? undefined : resourceType;
      const kept = this.#kept;
      if (kept !== undefined && kept.reg === reg && kept.rt === rt) return kept.checked;
      const checked = this.prepare(resourceType, registry);
      kept?.checked.free();
      this.#kept = { reg, rt, checked };
      return checked;
    }
  }

  class CheckedFilter {
    #b;
    #text;

    constructor(token, handle, make, text) {
      if (token !== PRIVATE) throw new TypeError("scimkit: a CheckedFilter comes from Filter.check() or prepare()");
      this.#b = new Backed("CheckedFilter", make, handle);
      this.#text = text;
    }

    static {
      checkedHandle = (f) => live(f.#b.h);
      wrapChecked = (handle, make, text) => new CheckedFilter(PRIVATE, handle, make, text);
    }

    /** Frees the Rust-side memory now (otherwise when the object is collected);
     *  the object is unusable afterwards. Also `using x = …` through `Symbol.dispose`. */
    free() {
      this.#b.free();
    }

    [DISPOSE]() {
      this.free();
    }

    /** The text as given. */
    get text() {
      return this.#text;
    }

    /** The canonical text. */
    toString() {
      try {
        return this.#b.h.canonical();
      } catch (e) {
        throw fail(e);
      }
    }

    /** Whether `resource` matches. */
    matches(resource) {
      const r = doc(resource, "resource");
      try {
        return this.#b.h.matches(r);
      } catch (e) {
        throw fail(e);
      }
    }

    /** For each resource, whether it matches. */
    matchesAll(resources) {
      const r = doc(resources, "resources");
      let flags;
      try {
        flags = this.#b.h.matchesAll(r);
      } catch (e) {
        throw fail(e);
      }
      return Array.from(flags, (f) => f === 1);
    }
  }

  /** Resources parsed once on the Rust side, to be filtered many times. */
  class ResourceSet {
    #b;

    constructor(resources) {
      const r = doc(resources, "resources");
      try {
        this.#b = new Backed("ResourceSet", null, new backend.ResourceSet(r));
      } catch (e) {
        throw fail(e);
      }
    }

    /** Frees the Rust-side memory now (otherwise when the object is collected);
     *  the object is unusable afterwards. Also `using x = …` through `Symbol.dispose`. */
    free() {
      this.#b.free();
    }

    [DISPOSE]() {
      this.free();
    }

    /** How many resources the set holds. */
    get length() {
      try {
        return this.#b.h.length;
      } catch (e) {
        throw fail(e);
      }
    }

    /** The positions of the resources matching `filter` (a CheckedFilter, a Filter or filter
     *  text; checked against `resourceType` when given), in order. */
    filter(filter, resourceType, registry) {
      if (filter instanceof CheckedFilter) {
        try {
          return this.#b.h.matching(checkedHandle(filter));
        } catch (e) {
          throw fail(e);
        }
      }
      // A filter prepared here for this call only is freed right after it.
      const parsed = filter instanceof Filter ? filter : new Filter(filter);
      try {
        const checked = parsed.prepare(resourceType, registry);
        try {
          return this.filter(checked);
        } finally {
          checked.free();
        }
      } finally {
        if (parsed !== filter) parsed.free();
      }
    }
  }

  /** A stored resource held on the Rust side and patched in place (`Registry#hold`, `hold`):
   *  only each PATCH request and its report cross the boundary. Every PATCH is atomic. */
  class HeldResource {
    #b;
    #registry;
    #resourceType;

    constructor(token, registry, handle, resourceType) {
      if (token !== PRIVATE) throw new TypeError("scimkit: a HeldResource comes from Registry#hold() or hold()");
      this.#registry = registry;
      this.#b = new Backed("HeldResource", null, handle);
      this.#resourceType = resourceType;
    }

    static {
      wrapHeld = (registry, handle, resourceType) => new HeldResource(PRIVATE, registry, handle, resourceType);
    }

    /** Frees the Rust-side memory now (otherwise when the object is collected);
     *  the object is unusable afterwards. Also `using x = …` through `Symbol.dispose`. */
    free() {
      this.#b.free();
    }

    [DISPOSE]() {
      this.free();
    }

    /** One call on the held resource (lost with the instance after a trap: WebAssembly). */
    #call(thunk, request) {
      try {
        return thunk(this.#b.h);
      } catch (e) {
        throw fail(e, undefined, request);
      }
    }

    /** The resource type the resource is of. */
    get resourceType() {
      return this.#resourceType;
    }

    /** Applies a PATCH request (an object or JSON text) to the resource: `{changes, quirks,
     *  notes}`. A PATCH that fails throws and leaves the resource as it was. */
    applyPatch(request, options) {
      const q = doc(request, "request");
      const o = opts(options, "options");
      const report = this.#call((h) => {
        live(h);
        // The held resource keeps its registry on the Rust side; a freed one is still refused.
        registryHandle(this.#registry);
        return h.applyPatch(q, o);
      }, q);
      if (report === EMPTY_REPORT || report.charCodeAt(report.length - 1) === 32) return reportOut(report);
      // Not marked (16 digits in a row somewhere): the build kept a copy of the resource when
      // the request or the resource held a long integer. A report JS cannot hold exactly takes
      // the PATCH back, as if it had failed; one it can lets the copy go.
      let read;
      try {
        read = out(report);
      } catch (e) {
        this.#call((h) => h.restore());
        throw fail(e);
      }
      this.#call((h) => h.settle());
      return read;
    }

    /** The resource as it stands (a new object each call). */
    resource() {
      return out(this.#call((h) => h.resource()));
    }

    /** The resource as JSON text, exactly as the core wrote it. */
    resourceText() {
      return exact(this.#call((h) => h.resource()));
    }

    /** @internal Panics while the resource is borrowed: proves a panic leaves it as it was
     *  (native) and a trap loses only it (WebAssembly). */
    _panic(message) {
      const m = str(message, "message");
      return this.#call((h) => h.panic(m));
    }

    /** `JSON.stringify(held)` writes the resource. */
    toJSON() {
      return this.resource();
    }
  }

  /** A PATCH path (RFC 7644 §3.5.2) as `{canonical, urn?, name, sub?, filter?}`. */
  function parsePatchPath(path) {
    const p = str(path, "the path");
    return call(() => backend.parsePatchPath(p), p);
  }

  /** An attribute path (RFC 7644 §3.10) in its canonical form. */
  function parseAttrPath(path) {
    const p = str(path, "the path");
    return call(() => backend.parseAttrPath(p), p);
  }

  // -------------------------------------------------------------------------------------------
  // Storage mappings
  // -------------------------------------------------------------------------------------------

  /** How a resource type is stored in an application's tables (the core's `mapping` module:
   *  the `document` or `columns` layout), loaded once: records to and from resources, filters as
   *  parameterized SQL for SQLite/D1 and PostgreSQL. */
  class Mapping {
    #b;

    constructor(registry, resourceType, mapping) {
      const owner = registry ?? builtin();
      registryHandle(owner);
      const rt = str(resourceType, "resourceType");
      const m = doc(mapping, "mapping");
      try {
        this.#b = new Backed("Mapping", () => new backend.Mapping(registryHandle(owner), rt, m));
      } catch (e) {
        throw fail(e);
      }
    }

    /** Frees the Rust-side memory now (otherwise when the object is collected);
     *  the object is unusable afterwards. Also `using x = …` through `Symbol.dispose`. */
    free() {
      this.#b.free();
    }

    [DISPOSE]() {
      this.free();
    }

    /** The record `{row, children}` storing `resource`. */
    toRecord(resource) {
      const r = doc(resource, "resource");
      return call(() => this.#b.h.toRecord(r));
    }

    /** The resource a record (as `toRecord` gives it or as read back) stores. */
    fromRecord(record) {
      const r = doc(record, "record");
      return call(() => this.#b.h.fromRecord(r));
    }

    /** `filter` as a parameterized SQL condition `{sql, params}`; `dialect` is `sqlite` (also
     *  `d1`) or `postgres`. */
    toSql(filter, dialect) {
      const f = str(filter, "the filter");
      const d = str(dialect, "dialect");
      return call(() => this.#b.h.toSql(f, d), f);
    }

    /** The `CREATE TABLE` and `CREATE INDEX` statements of the mapping's tables. */
    createTables(dialect) {
      const d = str(dialect, "dialect");
      return call(() => this.#b.h.createTables(d));
    }
  }

  // -------------------------------------------------------------------------------------------
  // Protocol
  // -------------------------------------------------------------------------------------------

  /** List parameters (filter, sorting, paging, attributes) after the core's defaults and
   *  limits; options `{maxCount, defaultCount, profile}` (`quirks` lists the rules that
   *  fired). */
  class ListQuery {
    #b;

    constructor(token, make, body) {
      if (token !== PRIVATE) {
        throw new TypeError("scimkit: a ListQuery comes from ListQuery.fromQueryString() or fromSearchRequest()");
      }
      let fields;
      try {
        this.#b = new Backed("ListQuery", make);
        fields = out(this.#b.h.json());
      } catch (e) {
        throw fail(e, undefined, body);
      }
      // `quirks` is in the core's JSON only when a rule fired; here it is always a list.
      Object.assign(this, { quirks: [] }, fields);
      Object.freeze(this);
    }

    static {
      queryHandle = (q) => live(q.#b.h);
    }

    /** Frees the Rust-side memory now (otherwise when the object is collected);
     *  the object is unusable afterwards. Also `using x = …` through `Symbol.dispose`. */
    free() {
      this.#b.free();
    }

    [DISPOSE]() {
      this.free();
    }

    /** From a URI query string (`filter=…&count=…`). */
    static fromQueryString(query, options) {
      const q = str(query, "the query");
      const o = opts(options, "options");
      return new ListQuery(PRIVATE, () => backend.ListQuery.fromQueryString(q, o));
    }

    /** From a SearchRequest body (an object or JSON text). */
    static fromSearchRequest(body, options) {
      const b = doc(body, "body");
      const o = opts(options, "options");
      return new ListQuery(PRIVATE, () => backend.ListQuery.fromSearchRequest(b, o), b);
    }

    /** The query as the core serializes it (`quirks` only when a rule fired). */
    toJSON() {
      const { quirks, ...rest } = this;
      return quirks.length > 0 ? { ...rest, quirks } : rest;
    }
  }

  const listQueryFromQueryString = (query, options) => ListQuery.fromQueryString(query, options);
  const listQueryFromSearchRequest = (body, options) => ListQuery.fromSearchRequest(body, options);

  /** The ListResponse for a page the caller cut itself from `totalResults` matches. */
  function listResponseFromPage(resources, totalResults, startIndex) {
    const r = doc(resources, "resources");
    const total = num(totalResults, "totalResults");
    const start = startIndex === undefined || startIndex === null ? undefined : num(startIndex, "startIndex");
    return call(() => backend.pageResponse(r, total, start));
  }

  /** A ScimError (returned, not thrown) from an error record `{scimType? | status, detail?,
   *  location?}` or a list of them (one error standing for all). */
  function errorFromValue(records) {
    const r = doc(records, "records");
    let json;
    try {
      json = backend.errorFromValue(r);
    } catch (e) {
      throw fail(e);
    }
    return new ScimError(JSON.parse(json));
  }

  /** The RFC 7644 §3.12 body for a ScimError, with scimkit's extension listing every error when
   *  there is more to say than the RFC body holds (spans there are bytes, as on the wire). */
  function errorResponse(error) {
    if (!(error instanceof ScimError)) throw new TypeError("scimkit: expected a ScimError raised by scimkit");
    return clone(error[ERROR_RESPONSE]);
  }

  /** The ServiceProviderConfig document; options as the core's `ServiceProviderOptions`. */
  function serviceProviderConfig(options, baseUrl) {
    const o = opts(options, "options");
    const base = optStr(baseUrl, "baseUrl");
    return call(() => backend.serviceProviderConfig(o, base));
  }

  /** The weak entity tag `W/"…"` of a resource. */
  function etag(resource) {
    const r = doc(resource, "resource");
    try {
      return backend.etag(r);
    } catch (e) {
      throw fail(e);
    }
  }

  /** Refuses a `filter` given to a discovery endpoint (`/ServiceProviderConfig`, `/Schemas`,
   *  `/ResourceTypes`): a ScimError with status 403, as RFC 7644 §4 advises, so a client never
   *  takes the unfiltered answer for a filtered one. `undefined` or `null`: nothing happens. */
  function refuseFilter(filter) {
    const f = optStr(filter, "filter");
    callVoid(() => backend.refuseFilter(f));
  }

  /** `refuseFilter` for a discovery request's whole URI query string (with or without its `?`):
   *  a ScimError with status 403 when a parameter is named `filter`, the name read as
   *  `ListQuery.fromQueryString` reads names (percent-decoded, any case); other parameters are
   *  ignored. 400 (`invalidValue`) for a name with a malformed escape. */
  function refuseFilterInQuery(query) {
    const q = str(query, "query");
    callVoid(() => backend.refuseFilterInQuery(q));
  }

  /** `proceed`, `notModified` or `preconditionFailed` for `If-Match` / `If-None-Match`
   *  (`currentVersion` not given: the resource does not exist). */
  function evaluatePreconditions(method, currentVersion, ifMatch, ifNoneMatch) {
    const m = str(method, "method");
    const c = optStr(currentVersion, "currentVersion");
    const im = optStr(ifMatch, "ifMatch");
    const inm = optStr(ifNoneMatch, "ifNoneMatch");
    try {
      return backend.evaluatePreconditions(m, c, im, inm);
    } catch (e) {
      throw fail(e);
    }
  }

  /** A bulk request read, checked and planned: `{failOnErrors, operations}` in execution
   *  order; limits `{maxOperations, maxPayloadSize}`. */
  function bulkPlan(request, limits) {
    const r = doc(request, "request");
    const l = opts(limits, "limits");
    try {
      return out(backend.bulkPlan(r, l));
    } catch (e) {
      throw fail(e, undefined, r);
    }
  }

  /** Runs a bulk request with the caller executing each operation: take operations with
   *  `nextOperation()` (or by iterating), report each outcome with `record()`, then `finish()`. */
  class BulkRunner {
    #b;

    constructor(request, limits, baseUrl) {
      const r = doc(request, "request");
      const l = opts(limits, "limits");
      const base = optStr(baseUrl, "baseUrl");
      try {
        this.#b = new Backed("BulkRunner", null, new backend.BulkRunner(r, l, base));
      } catch (e) {
        throw fail(e, undefined, r);
      }
    }

    /** Frees the Rust-side memory now (otherwise when the object is collected);
     *  the object is unusable afterwards. Also `using x = …` through `Symbol.dispose`. */
    free() {
      this.#b.free();
    }

    /** One call on the runner (lost with the instance after a trap: WebAssembly). */
    #call(thunk) {
      try {
        return thunk(this.#b.h);
      } catch (e) {
        throw fail(e);
      }
    }

    /** @internal Panics while the runner is borrowed: proves a panic leaves it as it was
     *  (native) and a trap loses only it (WebAssembly). */
    _panic(message) {
      const m = str(message, "message");
      return this.#call((h) => h.panic(m));
    }

    [DISPOSE]() {
      this.free();
    }

    /** The next operation, references resolved, with its `index`; `null` when done. */
    nextOperation() {
      const next = this.#call((h) => h.nextOperation());
      return next === undefined || next === null ? null : out(next);
    }

    /** Records the outcome of the operation last handed out: `{status: 2xx, id?, location?,
     *  version?}` or `{error: {status, scimType?, detail?}}`. */
    record(outcome) {
      const o = doc(outcome, "outcome");
      this.#call((h) => h.record(o));
    }

    /** The BulkResponse for what has run so far. */
    finish() {
      return out(this.#call((h) => h.finish()));
    }

    *[Symbol.iterator]() {
      for (let op = this.nextOperation(); op !== null; op = this.nextOperation()) yield op;
    }
  }

  // -------------------------------------------------------------------------------------------
  // The built-in registry's shortcuts, and the test hook
  // -------------------------------------------------------------------------------------------

  const validate = (resourceType, body, options) => builtin().validate(resourceType, body, options);
  const validateText = (resourceType, body, options) => builtin().validateText(resourceType, body, options);
  const applyPatch = (resourceType, resource, request, options) =>
    builtin().applyPatch(resourceType, resource, request, options);
  const applyPatchText = (resourceType, resource, request, options) =>
    builtin().applyPatchText(resourceType, resource, request, options);
  const hold = (resourceType, resource, options) => builtin().hold(resourceType, resource, options);
  const diff = (resourceType, oldResource, newResource) => builtin().diff(resourceType, oldResource, newResource);
  const project = (resourceType, resource, selection) => builtin().project(resourceType, resource, selection);
  const sort = (resourceType, resources, sortBy, sortOrder) =>
    builtin().sort(resourceType, resources, sortBy, sortOrder);
  const listResponse = (resourceType, resources, query, options) =>
    builtin().listResponse(resourceType, resources, query, options);
  const fillMeta = (resourceType, resource, options) => builtin().fillMeta(resourceType, resource, options);
  const valueLocation = (resourceType, request, attribute, value) =>
    builtin().valueLocation(resourceType, request, attribute, value);

  /** @internal Panics inside scimkit: proves a panic (native) or a trap (WebAssembly) becomes a
   *  ScimError with status 500 and leaves the next call working. */
  function _panic(message) {
    const m = str(message, "message");
    try {
      return backend.panic(m);
    } catch (e) {
      throw fail(e);
    }
  }

  const api = {
    implementation,
    ScimError,
    Registry,
    Filter,
    CheckedFilter,
    ResourceSet,
    HeldResource,
    ListQuery,
    BulkRunner,
    Mapping,
    validate,
    validateText,
    applyPatch,
    applyPatchText,
    hold,
    diff,
    project,
    sort,
    listResponse,
    fillMeta,
    valueLocation,
    parsePatchPath,
    parseAttrPath,
    listQueryFromQueryString,
    listQueryFromSearchRequest,
    listResponseFromPage,
    errorFromValue,
    errorResponse,
    serviceProviderConfig,
    etag,
    refuseFilter,
    refuseFilterInQuery,
    evaluatePreconditions,
    bulkPlan,
    _panic,
  };
  // `require("scimkit").default` is the API too, as the CommonJS declarations say (not listed).
  Object.defineProperty(api, "default", { value: api });
  return api;
}

export { createApi };

// A JSON reader that keeps every value's source text, so the vector runner can hand the core
// exactly the numbers a vector holds (`10.0`, `9007199254740993`), which `JSON.parse` would
// change. No Node APIs: the browser and Worker tests load this file too.

/** Parses `text` into nodes: `{t: "obj", entries: [[key, node]…]}`, `{t: "arr", items}`,
 *  `{t: "num", raw}`, `{t: "str", v}`, `{t: "bool", v}`, `{t: "null"}`, each with `src`, the
 *  source text of the value. */
export function parse(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const fail = (what) => {
    throw new SyntaxError(`lossless JSON: ${what} at ${i}`);
  };
  function value() {
    ws();
    const start = i;
    const c = text[i];
    let node;
    if (c === "{") {
      i++;
      const entries = [];
      ws();
      if (text[i] === "}") i++;
      else {
        for (;;) {
          ws();
          const key = value();
          if (key.t !== "str") fail("expected a key");
          ws();
          if (text[i++] !== ":") fail("expected `:`");
          entries.push([key.v, value()]);
          ws();
          const d = text[i++];
          if (d === "}") break;
          if (d !== ",") fail("expected `,` or `}`");
        }
      }
      node = { t: "obj", entries };
    } else if (c === "[") {
      i++;
      const items = [];
      ws();
      if (text[i] === "]") i++;
      else {
        for (;;) {
          items.push(value());
          ws();
          const d = text[i++];
          if (d === "]") break;
          if (d !== ",") fail("expected `,` or `]`");
        }
      }
      node = { t: "arr", items };
    } else if (c === '"') {
      i++;
      while (text[i] !== '"') {
        if (i >= text.length) fail("unterminated string");
        i += text[i] === "\\" ? 2 : 1;
      }
      i++;
      node = { t: "str", v: JSON.parse(text.slice(start, i)) };
    } else if (text.startsWith("true", i)) {
      i += 4;
      node = { t: "bool", v: true };
    } else if (text.startsWith("false", i)) {
      i += 5;
      node = { t: "bool", v: false };
    } else if (text.startsWith("null", i)) {
      i += 4;
      node = { t: "null" };
    } else {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m) fail("unexpected character");
      i += m[0].length;
      node = { t: "num", raw: m[0] };
    }
    node.src = text.slice(start, i);
    return node;
  }
  const root = value();
  ws();
  if (i !== text.length) fail("trailing text");
  return root;
}

/** The member `key` of an object node, or undefined. */
export function get(node, key) {
  if (!node || node.t !== "obj") return undefined;
  let found;
  for (const [k, v] of node.entries) if (k === key) found = v;
  return found;
}

/** A node as JS values (keys such as `__proto__` stay own keys). With `sorted`, object keys
 *  are inserted in sorted order, as serde_json's map holds them in the Rust runner (so the core
 *  sees members in the same order: it matters where a document repeats a key in another case). */
export function js(node, sorted = false) {
  switch (node.t) {
    case "obj": {
      const o = {};
      const entries = sorted ? [...node.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : node.entries;
      for (const [k, v] of entries) {
        Object.defineProperty(o, k, { value: js(v, sorted), enumerable: true, writable: true, configurable: true });
      }
      return o;
    }
    case "arr":
      return node.items.map((n) => js(n, sorted));
    case "num":
      return Number(node.raw);
    case "null":
      return null;
    default:
      return node.v;
  }
}

/** Whether `JSON.stringify(js(node))` writes every number exactly as the node holds it. */
export function exact(node) {
  switch (node.t) {
    case "obj":
      return node.entries.every(([, v]) => exact(v));
    case "arr":
      return node.items.every(exact);
    case "num":
      return String(Number(node.raw)) === node.raw;
    default:
      return true;
  }
}

/** Whether the node holds an integer `JSON.parse` would change: not exactly a double, nor
 *  written as the double it reads as would be written (the rule of `readsBack` in src/api.js). */
export function hasUnsafeInteger(node) {
  switch (node.t) {
    case "obj":
      return node.entries.some(([, v]) => hasUnsafeInteger(v));
    case "arr":
      return node.items.some(hasUnsafeInteger);
    case "num":
      return /^-?\d+$/.test(node.raw) && BigInt(Number(node.raw)) !== BigInt(node.raw) && String(Number(node.raw)) !== node.raw;
    default:
      return false;
  }
}

/** Whether the JS value `got` equals the node as JSON (numbers by value, keys in any order). */
export function equal(node, got) {
  switch (node.t) {
    case "obj": {
      if (got === null || typeof got !== "object" || Array.isArray(got)) return false;
      const keys = new Set(node.entries.map(([k]) => k));
      if (Object.keys(got).length !== keys.size) return false;
      return [...keys].every((k) => Object.hasOwn(got, k) && equal(get(node, k), got[k]));
    }
    case "arr":
      return Array.isArray(got) && got.length === node.items.length && node.items.every((n, i) => equal(n, got[i]));
    case "num":
      return typeof got === "number" && got === Number(node.raw);
    case "null":
      return got === null;
    default:
      return got === node.v;
  }
}

/** Whether two nodes hold the same JSON value, numbers compared exactly: integers as integers
 *  of any size, other numbers as doubles (`equal` reads every number as a JS number). */
export function sameNode(a, b) {
  if (a.t !== b.t) return false;
  switch (a.t) {
    case "obj": {
      if (a.entries.length !== b.entries.length) return false;
      return a.entries.every(([k, v]) => {
        const other = get(b, k);
        return other !== undefined && sameNode(v, other);
      });
    }
    case "arr":
      return a.items.length === b.items.length && a.items.every((n, i) => sameNode(n, b.items[i]));
    case "num": {
      const integer = /^-?\d+$/;
      if (integer.test(a.raw) && integer.test(b.raw)) return BigInt(a.raw) === BigInt(b.raw);
      return Number(a.raw) === Number(b.raw);
    }
    case "null":
      return true;
    default:
      return a.v === b.v;
  }
}

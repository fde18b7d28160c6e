// The shared-vector runner for the `scimkit` npm package: the same operations and comparison
// rules as core/tests/vectors.rs (see tests/vectors/README.md), through the public JS API only.
// No Node APIs: Node runs it against the native addon and the WebAssembly build, and the
// browser and Worker tests load this same file.
//
// Documents reach the API as the objects a vector holds, or — when `JSON.stringify` would not
// write a number exactly as the vector does (`10.0`, `9007199254740993`) or the document is not
// an object or array — as JSON text (the API takes both). Expected values holding an integer
// beyond ±(2^53−1) cannot come back as JS numbers: there the API must refuse the result with an
// `invalidValue` ScimError naming the integer, and the runner checks that instead.

import { equal, exact, get, hasUnsafeInteger, js, parse, sameNode } from "./lossless.mjs";

/** Cases this runner skips, each with the reason. Empty: every case runs. */
export const SKIP = new Map([]);

const str = (input, key) => {
  const n = get(input, key);
  return n && n.t === "str" ? n.v : undefined;
};

/** A document argument as the API takes it (see the module comment); a missing one is the
 *  JSON `null` the Rust runner sends. */
function doc(node) {
  if (node === undefined) return "null";
  if ((node.t === "obj" || node.t === "arr") && exact(node)) return js(node, true);
  return node.src;
}

/** An optional options argument: missing is "not given" (the core's defaults). */
const opt = (node) => (node === undefined ? undefined : doc(node));

/** Schema and resource type documents: strings are JSON text, anything else the document. */
function texts(input, key) {
  const n = get(input, key);
  return n && n.t === "arr" ? n.items.map((d) => (d.t === "str" ? d.v : doc(d))) : [];
}

const registries = new WeakMap();

/** The registry a case describes (one per distinct `schemas` + `resourceTypes` per API). */
function registry(api, input) {
  let cache = registries.get(api);
  if (!cache) registries.set(api, (cache = new Map()));
  const key = `${get(input, "schemas")?.src ?? ""}\u0000${get(input, "resourceTypes")?.src ?? ""}`;
  if (!cache.has(key)) {
    try {
      cache.set(key, { ok: new api.Registry({ schemas: texts(input, "schemas"), resourceTypes: texts(input, "resourceTypes") }) });
    } catch (error) {
      cache.set(key, { error });
    }
  }
  const entry = cache.get(key);
  if (entry.error) throw entry.error;
  return entry.ok;
}

const resourceType = (input) => str(input, "resourceType") ?? "User";

/** The RFC 6901 pointer `input.pointer` into `value`, or all of it. */
function pick(input, value) {
  const pointer = str(input, "pointer");
  if (pointer === undefined) return value;
  let node = value;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) {
      throw new Error(`nothing at \`${pointer}\` in ${JSON.stringify(value)}`);
    }
    node = node[key];
  }
  return node;
}

function listQuery(api, input) {
  const options = opt(get(input, "options"));
  const query = get(input, "query");
  if (query && query.t === "str") return api.listQueryFromQueryString(query.v, options);
  const body = get(input, "searchRequest");
  if (body) return api.listQueryFromSearchRequest(doc(body), options);
  const text = get(input, "searchRequestText");
  if (text && text.t === "str") return api.listQueryFromSearchRequest(text.v, options);
  return api.listQueryFromQueryString("", options);
}

function requestText(input, key) {
  const text = get(input, "text");
  if (text && text.t === "str") return text.v;
  const request = get(input, key);
  if (!request) throw new Error(`the case needs \`${key}\` or \`text\``);
  return doc(request);
}

function validate(api, input, textForm = false) {
  const reg = registry(api, input);
  const run = textForm ? reg.validateText : reg.validate;
  return run.call(reg, resourceType(input), requestText(input, "body"), opt(get(input, "options")));
}

function applyPatch(api, input, textForm = false) {
  const reg = registry(api, input);
  const request = requestText(input, "request");
  const run = textForm ? reg.applyPatchText : reg.applyPatch;
  return run.call(reg, resourceType(input), doc(get(input, "resource")), request, opt(get(input, "options")));
}

/** The same PATCH applied to the resource held on the Rust side (`Registry#hold`, read under
 *  the PATCH's limits), answered like `applyPatchText`: `{resource (text), changes, quirks,
 *  notes}`. A PATCH that fails must leave the held resource as it was. */
function heldPatch(api, input) {
  const reg = registry(api, input);
  const options = get(input, "options");
  const limits = options && options.t === "obj" ? get(options, "limits") : undefined;
  const held = reg.hold(resourceType(input), doc(get(input, "resource")), limits ? `{"limits":${limits.src}}` : undefined);
  try {
    const before = held.resourceText();
    try {
      const report = held.applyPatch(requestText(input, "request"), opt(options));
      return { resource: held.resourceText(), ...report };
    } catch (e) {
      const after = held.resourceText();
      if (after !== before) throw new Error(`a failed PATCH changed the held resource:\n was ${before}\n now ${after}`);
      throw e;
    }
  } finally {
    held.free();
  }
}

/** The operations with text forms (`validateText`, `applyPatchText`, a held resource's
 *  `applyPatch`: the resource comes back as JSON text): name → (api, input node) → result.
 *  Each case of theirs runs every way; see `checkTextForm`. */
const TEXT_FORMS = {
  validate: { validateText: (api, input) => validate(api, input, true) },
  "patch.apply": {
    applyPatchText: (api, input) => applyPatch(api, input, true),
    "HeldResource#applyPatch": heldPatch,
  },
};

/** One line per operation: (api, input node) → result (JS values) or a thrown ScimError. */
export const OPERATIONS = {
  validate,
  "patch.apply": (api, input) => applyPatch(api, input),
  "patch.diff": (api, input) => {
    const reg = registry(api, input);
    const [oldNode, newNode] = [get(input, "old"), get(input, "new")];
    const ops = reg.diff(resourceType(input), doc(oldNode), doc(newNode));
    if (Array.isArray(ops.Operations) && ops.Operations.length === 0) {
      if (!equal(oldNode, js(newNode))) throw new Error("diff found no change between different resources");
      return ops;
    }
    // The law every diff keeps: applying it to `old` gives `new`.
    const done = reg.applyPatch(resourceType(input), doc(oldNode), ops);
    if (!equal(newNode, done.resource)) {
      throw new Error(`diff broke apply(old, diff(old, new)) == new: ${JSON.stringify(ops)}`);
    }
    return ops;
  },
  "filter.parse": (api, input) => {
    const filter = new api.Filter(str(input, "filter"), opt(get(input, "limits")));
    return { canonical: String(filter), ast: filter.toJSON() };
  },
  "filter.check": (api, input) => {
    const reg = registry(api, input);
    return String(new api.Filter(str(input, "filter")).check(reg, resourceType(input)));
  },
  "filter.evaluate": (api, input) => {
    const rt = str(input, "resourceType");
    // Without a resource type the filter is schema-less, and takes no registry.
    const reg = rt === undefined ? undefined : registry(api, input);
    const resources = doc(get(input, "resources"));
    const filter = new api.Filter(str(input, "filter"));
    const flags = filter.matchesAll(resources, rt, reg);
    // The same answer from a ResourceSet (resources parsed once on the Rust side).
    const positions = Array.from(new api.ResourceSet(resources).filter(filter, rt, reg));
    const expected = flags.flatMap((f, i) => (f ? [i] : []));
    if (JSON.stringify(positions) !== JSON.stringify(expected)) {
      throw new Error(`ResourceSet.filter gave ${JSON.stringify(positions)}, matchesAll ${JSON.stringify(expected)}`);
    }
    return flags;
  },
  "path.parse": (api, input) => api.parsePatchPath(str(input, "path")),
  "protocol.query": (api, input) => listQuery(api, input).toJSON(),
  "protocol.project": (api, input) => {
    const reg = registry(api, input);
    const list = (key) => {
      const n = get(input, key);
      return n === undefined ? null : js(n);
    };
    const selection = { attributes: list("attributes"), excludedAttributes: list("excludedAttributes"), request: list("request") };
    return reg.project(resourceType(input), doc(get(input, "resource")), selection);
  },
  "protocol.sort": (api, input) => {
    const reg = registry(api, input);
    const sorted = reg.sort(resourceType(input), doc(get(input, "resources")), str(input, "sortBy"), str(input, "sortOrder"));
    return sorted.map((r) => r.id);
  },
  "protocol.listResponse": (api, input) => {
    const total = get(input, "totalResults");
    if (total) {
      const start = get(input, "startIndex");
      return api.listResponseFromPage(doc(get(input, "resources")), js(total), start && js(start));
    }
    const reg = registry(api, input);
    const query = get(input, "query");
    // A query string goes in as it is (the API reads it); anything else as a ListQuery.
    const q = query && query.t === "str" ? query.v : listQuery(api, input);
    return reg.listResponse(resourceType(input), doc(get(input, "resources")), q, query ? opt(get(input, "options")) : undefined);
  },
  "protocol.errorResponse": (api, input) => {
    let error;
    const records = get(input, "errors");
    if (records) {
      error = api.errorFromValue(doc(records));
    } else {
      try {
        const v = get(input, "validate");
        if (v) validate(api, v);
        else listQuery(api, input);
      } catch (e) {
        if (!(e instanceof api.ScimError)) throw e;
        error = e;
      }
      if (!error) throw new Error("the input must fail");
    }
    return pick(input, api.errorResponse(error));
  },
  "protocol.discovery": (api, input) => {
    const reg = registry(api, input);
    const base = str(input, "baseUrl");
    const id = str(input, "id");
    const document = str(input, "document");
    const docs = {
      serviceProviderConfig: () => api.serviceProviderConfig(opt(get(input, "options")), base),
      resourceTypes: () => reg.resourceTypes(base),
      schemas: () => reg.schemas(base),
      schema: () => reg.schemaDocument(id, base),
      resourceType: () => reg.resourceTypeDocument(id, base),
    };
    if (!Object.hasOwn(docs, document)) throw new Error(`unknown discovery document \`${document}\``);
    if (get(input, "filter") !== undefined) api.refuseFilter(str(input, "filter") ?? null);
    if (get(input, "query") !== undefined) api.refuseFilterInQuery(str(input, "query"));
    return pick(input, docs[document]());
  },
  "protocol.etag": (api, input) => api.etag(doc(get(input, "resource"))),
  "protocol.meta": (api, input) => {
    const reg = registry(api, input);
    return reg.fillMeta(resourceType(input), doc(get(input, "resource")), opt(get(input, "options")));
  },
  "protocol.valueLocation": (api, input) =>
    registry(api, input).valueLocation(resourceType(input), doc(get(input, "request")), str(input, "attribute"), str(input, "value")),
  "protocol.preconditions": (api, input) =>
    api.evaluatePreconditions(str(input, "method"), str(input, "current"), str(input, "ifMatch"), str(input, "ifNoneMatch")),
  "protocol.bulkPlan": (api, input) => {
    const plan = api.bulkPlan(requestText(input, "request"), opt(get(input, "limits")));
    for (const op of plan.operations) delete op.data;
    return plan;
  },
  "mapping.toRecord": (api, input) => {
    const mapping = new api.Mapping(registry(api, input), resourceType(input), doc(get(input, "mapping")));
    const record = mapping.toRecord(doc(get(input, "resource")));
    // The law every mapping keeps: storing what a record gives back stores the same record.
    const again = mapping.toRecord(mapping.fromRecord(record));
    if (JSON.stringify(again) !== JSON.stringify(record)) {
      throw new Error(`toRecord(fromRecord(record)) != record for ${JSON.stringify(record)}`);
    }
    return record;
  },
  "mapping.fromRecord": (api, input) => {
    const mapping = new api.Mapping(registry(api, input), resourceType(input), doc(get(input, "mapping")));
    return mapping.fromRecord(doc(get(input, "record")));
  },
  "sql.translate": (api, input) => {
    const mapping = new api.Mapping(registry(api, input), resourceType(input), doc(get(input, "mapping")));
    return mapping.toSql(str(input, "filter"), str(input, "dialect"));
  },
  "protocol.bulkResponse": (api, input) => {
    const runner = new api.BulkRunner(requestText(input, "request"), opt(get(input, "limits")), str(input, "baseUrl"));
    const outcomes = get(input, "outcomes").items;
    const executed = [];
    let next = 0;
    for (const op of runner) {
      executed.push(op);
      const outcome = outcomes[next++];
      if (!outcome) throw new Error(`no outcome for operation ${JSON.stringify(op)}`);
      runner.record(doc(outcome));
    }
    if (next !== outcomes.length) throw new Error("more outcomes than operations run");
    return { executed, response: runner.finish() };
  },
};

// ---------------------------------------------------------------------------------------------
// Comparison (the rules of tests/vectors/README.md)
// ---------------------------------------------------------------------------------------------

/** A UTF-16 offset into `text` as a UTF-8 byte offset. */
function utf8(text, unit) {
  return new TextEncoder().encode(text.slice(0, unit)).length;
}

/** The value at an RFC 6901 pointer, or undefined. */
function at(value, pointer) {
  let node = value;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/** The `filter` parameter of a query string, decoded as the core reads it. */
function queryFilter(query) {
  for (const pair of query.replace(/^\?/, "").split("&")) {
    const [key, value = ""] = pair.split("=");
    if (key.toLowerCase() !== "filter") continue;
    try {
      return decodeURIComponent(value.replaceAll("+", " "));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The string a span of this error points into: the string at its location in the case's
 *  request document (a PATCH `path`, a SearchRequest `filter`) or query string, else the
 *  filter or path the case gives on its own. */
function spanText(input, e) {
  if (e.location) {
    const text = str(input, "text") ?? str(input, "searchRequestText");
    const docs = [
      text === undefined ? undefined : JSON.parse(text),
      get(input, "request") && js(get(input, "request")),
      get(input, "searchRequest") && js(get(input, "searchRequest")),
    ];
    for (const d of docs) {
      const found = d === undefined ? undefined : at(d, e.location);
      if (typeof found === "string") return found;
    }
    const query = str(input, "query");
    if (e.location === "/filter" && query !== undefined) return queryFilter(query);
  }
  return str(input, "filter") ?? str(input, "path");
}

function errorRecord(e, input) {
  const text = e.span ? spanText(input, e) : undefined;
  let span = null;
  if (e.span && text !== undefined) span = { start: utf8(text, e.span.start), end: utf8(text, e.span.end) };
  else if (e.span) span = { utf16: e.span };
  return { scimType: e.scimType, status: e.status, location: e.location, span };
}

const details = (e) => e.errors.map((x) => `${x.detail} @ ${x.location ?? null}`).join("; ");

const noteRecord = (n) => ({ code: n?.code ?? null, quirk: n?.quirk ?? null, location: n?.location ?? null });

function checkValue(want, got) {
  const fields = want.t === "obj" && (get(want, "resource") || get(want, "notes")) ? want.entries : null;
  if (!fields) {
    return equal(want, got) ? null : `value differs:\n want ${want.src}\n got  ${JSON.stringify(got)}`;
  }
  for (const [key, expected] of fields) {
    const actual = got?.[key] ?? null;
    if (key === "notes" || key === "quirks") {
      const w = expected.t === "arr" ? js(expected).map(noteRecord) : null;
      const a = Array.isArray(actual) ? actual.map(noteRecord) : null;
      if (JSON.stringify(w) !== JSON.stringify(a)) return `${key} differ:\n want ${JSON.stringify(w)}\n got  ${JSON.stringify(a)}`;
    } else if (!equal(expected, actual)) {
      return `${key} differs:\n want ${expected.src}\n got  ${JSON.stringify(actual)}`;
    }
  }
  return null;
}

function checkError(want, e, input) {
  const got = errorRecord(e, input);
  for (const key of ["scimType", "status", "location", "span"]) {
    const w = get(want, key);
    if (w && !equal(w, got[key])) {
      return `error ${key} differs: want ${w.src}, got ${JSON.stringify(got[key])} (${details(e)})`;
    }
  }
  const notes = get(want, "notes");
  if (notes) {
    const w = JSON.stringify(js(notes).map(noteRecord));
    const g = JSON.stringify((e.notes ?? []).map(noteRecord));
    if (w !== g) return `error notes differ:\n want ${w}\n got  ${g}`;
  }
  const list = get(want, "errors");
  if (list) {
    const short = (r) => JSON.stringify({ scimType: r.scimType ?? null, location: r.location ?? null });
    const w = js(list).map(short).sort();
    const g = e.errors.map(short).sort();
    if (JSON.stringify(w) !== JSON.stringify(g)) {
      return `errors differ:\n want ${w.join(", ")}\n got  ${g.join(", ")}\n details ${details(e)}`;
    }
  }
  return null;
}

/** The outcome of a case in the form every runner dumps for the cross-runtime agreement check
 *  (tests/agreement/compare.py): `{id, value}` or `{id, error: {scimType, status, location,
 *  span (bytes)}, errors: [{scimType, location}], notes: [{code, quirk, location}]}`. */
function dumpRecord(id, got, input) {
  if (!got.error) return { id, value: got.value };
  const e = got.error;
  const error = errorRecord(e, input);
  if (error.span && error.span.utf16) error.span = null;
  const errors = e.errors.map((r) => ({ scimType: r.scimType ?? null, location: r.location ?? null }));
  return { id, error, errors, notes: (e.notes ?? []).map(noteRecord) };
}

/** The text form of a case must say what the object form said: the same error, or a resource
 *  text that reads as the object form's resource (as the vector's, exactly, where that holds an
 *  integer no JS number can: the text form does not refuse it) and the same other fields. */
function checkTextForm(api, form, input, got, wantValue) {
  let text;
  try {
    text = { value: form(api, input) };
  } catch (e) {
    if (!(e instanceof api.ScimError)) return `text form threw ${e?.stack ?? e}`;
    text = { error: e };
  }
  const unsafe = wantValue && hasUnsafeInteger(wantValue);
  if (got.error && !unsafe) {
    if (!text.error) return `text form succeeded where the object form failed: ${text.value.resource}`;
    const [a, b] = [errorRecord(got.error, input), errorRecord(text.error, input)];
    return JSON.stringify(a) === JSON.stringify(b) ? null : `text form failed differently: ${JSON.stringify(b)}`;
  }
  // Changes or notes holding such an integer are read as JS values even here: refused alike.
  if (unsafe && text.error && refusesUnsafeInteger(text.error)) return null;
  if (text.error) return `text form failed: ${JSON.stringify(errorRecord(text.error, input))}: ${details(text.error)}`;
  const { resource, ...rest } = text.value;
  if (typeof resource !== "string") return `text form gave a resource of type ${typeof resource}`;
  const node = parse(resource);
  if (node.src !== resource) return `text form resource has text around the document: ${JSON.stringify(resource)}`;
  if (unsafe) {
    const want = get(wantValue, "resource") ?? wantValue;
    return sameNode(want, node) ? null : `text form resource differs:\n want ${want.src}\n got  ${resource}`;
  }
  if (!equal(node, got.value.resource)) return `text form resource differs: ${resource}`;
  const { resource: _, ...others } = got.value;
  if (JSON.stringify(rest) !== JSON.stringify(others)) return `text form fields differ: ${JSON.stringify(rest)}`;
  return null;
}

/** Runs one case through `api`; the reason it failed, or null. `dump`, when given, receives
 *  the case's outcome record. */
export function runCase(api, operation, kase, dump) {
  const run = OPERATIONS[operation];
  if (!run) throw new Error(`unknown operation \`${operation}\``);
  const input = get(kase, "input");
  const expect = get(kase, "expect");
  const [wantValue, wantError] = [get(expect, "value"), get(expect, "error")];
  let got;
  try {
    got = { value: run(api, input) };
  } catch (e) {
    if (!(e instanceof api.ScimError)) return `threw ${e?.stack ?? e}`;
    got = { error: e };
  }
  dump?.(dumpRecord(str(kase, "id"), got, input));
  const failure = checkObjectForm(got, input, wantValue, wantError);
  if (failure) return failure;
  for (const [name, form] of Object.entries(TEXT_FORMS[operation] ?? {})) {
    const reason = checkTextForm(api, form, input, got, wantValue);
    if (reason) return `${name}: ${reason}`;
  }
  return null;
}

/** Whether `e` is the refusal of an integer no JS number holds. */
const refusesUnsafeInteger = (e) => e.scimType === "invalidValue" && /outside ±\(2\^53−1\)/.test(e.detail);

/** What the case expects against what the object form gave; the reason it failed, or null. */
function checkObjectForm(got, input, wantValue, wantError) {
  if (wantValue && !wantError) {
    if (hasUnsafeInteger(wantValue)) {
      // No JS number holds it: the API must refuse the result, naming the integer.
      if (got.error && refusesUnsafeInteger(got.error)) return null;
      return `expected the refusal of an integer beyond ±(2^53−1), got ${got.error ? got.error.message : JSON.stringify(got.value)}`;
    }
    if (got.error) return `expected success, got ${JSON.stringify(errorRecord(got.error, input))}: ${details(got.error)}`;
    return checkValue(wantValue, got.value);
  }
  if (wantError && !wantValue) {
    if (!got.error) return `expected an error, got ${JSON.stringify(got.value)}`;
    return checkError(wantError, got.error, input);
  }
  return "`expect` needs exactly one of `value` and `error`";
}

/** Reads one vector file's text: `{name, operation, cases: [{id, node}]}`. */
export function readVectorFile(name, text) {
  const root = parse(text);
  const operation = str(root, "operation");
  const cases = get(root, "cases").items.map((node) => ({ id: str(node, "id"), node }));
  return { name, operation, cases };
}

/** Runs every case of a file; `{ran, skipped, refusals, failures: [text]}`. */
export function runFile(api, file, dump) {
  if (!OPERATIONS[file.operation]) throw new Error(`${file.name}: unknown operation \`${file.operation}\``);
  const result = { ran: 0, skipped: 0, refusals: 0, failures: [] };
  for (const { id, node } of file.cases) {
    if (SKIP.has(id)) {
      result.skipped++;
      continue;
    }
    result.ran++;
    const wantValue = get(get(node, "expect"), "value");
    if (wantValue && hasUnsafeInteger(wantValue)) result.refusals++;
    const why = runCase(api, file.operation, node, dump);
    if (why) result.failures.push(`${file.name} [${id}]: ${why}`);
  }
  return result;
}

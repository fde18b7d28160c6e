// A resource editor: form fields bound to attributes of a SCIM resource, validated on every
// keystroke by scimkit in the browser (`registry.validate`, the service's own rules and profile)
// with each error shown next to the field its JSON pointer names, and saved as a PATCH that
// scimkit computes (`registry.diff(original, edited)`), sent with If-Match.
import { ApiError, ENTERPRISE } from "./api.js";
import { field, h } from "./ui.js";

const PROFILE = "compat"; // the profile the service validates with

/** Sets (or, for "", removes) the value at `path` of `resource`, pruning emptied objects. */
function setPath(resource, path, value) {
  const parents = [resource];
  let node = resource;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) {
      if (value === "" || value === undefined) return;
      node[key] = {};
    }
    node = node[key];
    parents.push(node);
  }
  const last = path[path.length - 1];
  if (value === "" || value === undefined) delete node[last];
  else node[last] = value;
  for (let i = path.length - 1; i > 0; i--) {
    if (Object.keys(parents[i]).length === 0) delete parents[i - 1][path[i - 1]];
  }
}

function getPath(resource, path) {
  return path.reduce((node, key) => (node === undefined || node === null ? undefined : node[key]), resource);
}

const pointer = (path) => `/${path.map((k) => String(k).replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;

/** A text field bound to one attribute path. */
export function textField(id, label, path, options = {}) {
  return {
    id,
    label,
    ...options,
    read: (r) => getPath(r, path) ?? "",
    write: (r, v) => {
      setPath(r, path, v);
      return pointer(path);
    },
  };
}

/** A field bound to the `value` of the entry of one type of a multi-valued attribute (the
 *  `work` email), which it creates, updates or removes. Entries of other types are never read
 *  or written: a user with only a home email shows an empty "Work email", and typing there
 *  adds a work email beside it. */
export function typedValueField(id, label, attribute, type, options = {}) {
  const pick = (list) => list.findIndex((e) => e.type === type);
  return {
    id,
    label,
    ...options,
    read: (r) => {
      const list = r[attribute] ?? [];
      const i = pick(list);
      return i < 0 ? "" : (list[i].value ?? "");
    },
    write: (r, v) => {
      const list = (r[attribute] ?? []).map((e) => ({ ...e }));
      let i = pick(list);
      if (v === "") {
        if (i >= 0) list.splice(i, 1);
      } else if (i >= 0) {
        list[i].value = v;
      } else {
        list.push(list.length === 0 ? { value: v, type, primary: true } : { value: v, type });
        i = list.length - 1;
      }
      if (list.length) r[attribute] = list;
      else delete r[attribute];
      return i >= 0 && v !== "" ? `/${attribute}/${i}/value` : `/${attribute}`;
    },
  };
}

/**
 * Builds the editor. `original` is the stored resource (null for a new one); `fields` are made
 * with textField / typedValueField; `toggles` are boolean attributes ({id, label, attribute,
 * initial}). Returns the form, its footer controls and the state functions.
 */
export function resourceEditor({ scimkit, registry, resourceType, original, blank, fields, toggles = [], layout, onSubmit }) {
  let base = original;
  const isNew = original === null;
  const touched = new Set();
  let submitted = false;
  const controls = new Map();

  for (const f of fields) {
    const c = field({ id: `field-${f.id}`, label: f.label, required: f.required, hint: f.hint, type: f.type ?? "text", autocomplete: f.autocomplete, placeholder: f.placeholder });
    c.input.value = f.read(base ?? blank);
    if (f.inputmode) c.input.setAttribute("inputmode", f.inputmode);
    c.input.addEventListener("input", () => {
      touched.add(f.id);
      update();
    });
    c.input.addEventListener("blur", () => {
      touched.add(f.id);
      update();
    });
    controls.set(f.id, c);
  }
  const switches = new Map();
  for (const t of toggles) {
    const input = h("input", { id: `field-${t.id}`, type: "checkbox", role: "switch" });
    input.checked = shownOn(t);
    input.addEventListener("change", () => update());
    switches.set(t.id, { input, el: h("label", { class: "switch", for: `field-${t.id}` }, input, t.label) });
  }

  /** A toggle shows a missing attribute as on (`active` is true unless it is false). */
  function shownOn(t) {
    return (base ?? blank)[t.attribute] !== false;
  }

  const summary = h("div", { class: "summary", role: "alert", hidden: true });
  const pending = h("span", { class: "pending", "aria-live": "polite" });
  const preview = h("pre", { "aria-label": "PATCH request" });
  const details = h("details", { class: "request", hidden: true }, h("summary", {}, "Show the PATCH request"), preview);

  /** The resource as the form describes it, and where each field's value lands. */
  function build() {
    const resource = structuredClone(base ?? blank);
    const pointers = new Map();
    for (const f of fields) pointers.set(f.id, f.write(resource, controls.get(f.id).input.value.trim()));
    // A toggle writes its attribute only when flipped: one left as shown changes nothing (a
    // user without `active` stays without it).
    for (const t of toggles) {
      const on = switches.get(t.id).input.checked;
      if (on !== shownOn(t)) resource[t.attribute] = on;
    }
    // `schemas` lists the extension exactly when the resource has attributes of it.
    if (Array.isArray(resource.schemas)) {
      const has = resource[ENTERPRISE] !== undefined;
      resource.schemas = resource.schemas.filter((s) => s !== ENTERPRISE);
      if (has) resource.schemas.push(ENTERPRISE);
    }
    return { resource, pointers };
  }

  function validate(resource) {
    const options = isNew ? { mode: "create", profile: PROFILE } : { mode: "replace", existing: base, profile: PROFILE };
    try {
      registry.validate(resourceType, resource, options);
      return [];
    } catch (e) {
      if (!(e instanceof scimkit.ScimError)) throw e;
      return e.errors;
    }
  }

  /** Shows `errors` next to the fields their locations name; the rest in the summary. */
  function show(errors, pointers, all) {
    const byField = new Map();
    const rest = [];
    for (const error of errors) {
      const loc = error.location ?? "";
      let owner = null;
      for (const [id, p] of pointers) {
        if (loc === p || (loc && (p.startsWith(`${loc}/`) || loc.startsWith(`${p}/`)))) {
          owner = id;
          break;
        }
      }
      if (owner) byField.set(owner, [...(byField.get(owner) ?? []), error.detail]);
      else rest.push(error);
    }
    for (const [id, c] of controls) {
      const messages = all || touched.has(id) ? (byField.get(id) ?? []) : [];
      c.error.textContent = messages.join("; ");
      if (messages.length) c.input.setAttribute("aria-invalid", "true");
      else c.input.removeAttribute("aria-invalid");
    }
    const shown = all ? rest : rest.filter(() => touched.size > 0);
    summary.hidden = shown.length === 0;
    summary.replaceChildren(
      h("strong", {}, "This cannot be saved yet"),
      h("ul", {}, shown.map((e) => h("li", {}, e.location ? `${e.location}: ${e.detail}` : e.detail))),
    );
    return byField;
  }

  /** Recomputes errors and, for an existing resource, the pending PATCH. */
  function update() {
    const { resource, pointers } = build();
    const errors = validate(resource);
    show(errors, pointers, submitted);
    let request = null;
    if (!isNew) {
      request = registry.diff(resourceType, base, resource);
      const n = request.Operations.length;
      pending.replaceChildren(n === 0 ? "No changes" : h("span", {}, h("b", {}, `${n} ${n === 1 ? "change" : "changes"}`), " to save as one PATCH"));
      preview.textContent = JSON.stringify(request, null, 2);
      details.hidden = n === 0;
      saveButton.disabled = n === 0;
    }
    return { resource, pointers, errors, request };
  }

  const saveButton = h("button", { class: "btn btn--primary", type: "submit", form: "editor-form" }, isNew ? `Create ${resourceType.toLowerCase()}` : "Save changes");

  const form = h(
    "form",
    {
      id: "editor-form",
      class: "drawer__body",
      novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        submitted = true;
        const state = update();
        if (state.errors.length) {
          const first = [...controls.values()].find((c) => c.input.getAttribute("aria-invalid") === "true");
          (first?.input ?? summary).focus?.();
          return;
        }
        saveButton.disabled = true;
        try {
          await onSubmit(state);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          show(err.errors, state.pointers, true);
        } finally {
          saveButton.disabled = false;
          if (!isNew) update();
        }
      },
    },
    summary,
    layout({ control: (id) => controls.get(id).wrap, toggle: (id) => switches.get(id).el }),
  );

  return {
    form,
    saveButton,
    pending,
    details,
    update,
    /** After a save (or a membership change): the stored resource is the new base. */
    rebase(resource) {
      base = resource;
      touched.clear();
      submitted = false;
      update();
    },
    get base() {
      return base;
    },
  };
}

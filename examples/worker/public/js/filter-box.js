// The filter box: a SCIM filter parsed and checked as you type by scimkit itself (the same
// WebAssembly build the service runs), so a syntax error or an unknown attribute is shown with
// its position before anything is sent. A valid filter runs after a short pause or on Enter.
import { h, icon } from "./ui.js";

/**
 * @param {object} o
 * @param {object} o.scimkit the scimkit module; @param {object} o.registry its Registry
 * @param {string} o.resourceType `User` or `Group`
 * @param {string} o.id the input's id; @param {string} o.value the filter to start with
 * @param {Array<[string, string]>} o.presets [label, filter] chips
 * @param {(filter: string | null) => void} o.onQuery runs with a checked filter (null: none)
 */
export function filterBox({ scimkit, registry, resourceType, id, value = "", presets = [], onQuery }) {
  const statusId = `${id}-status`;
  const input = h("input", {
    id,
    type: "search",
    value,
    spellcheck: "false",
    autocomplete: "off",
    placeholder: resourceType === "User" ? 'userName sw "a" and active eq true' : 'displayName co "ops"',
    "aria-describedby": statusId,
  });
  input.value = value;
  const status = h("p", { id: statusId, class: "filter__status filter__status--ok", "aria-live": "polite" });
  let timer = null;
  let lastRun = value.trim() || null;

  /** The checked filter text, or undefined when it has an error (shown). */
  function check() {
    const text = input.value;
    if (text.trim() === "") {
      input.removeAttribute("aria-invalid");
      status.className = "filter__status filter__status--ok";
      status.replaceChildren(`Showing every ${resourceType.toLowerCase()}. Filters follow RFC 7644 §3.4.2.2.`);
      return null;
    }
    try {
      const parsed = new scimkit.Filter(text);
      const checked = parsed.check(registry, resourceType);
      input.removeAttribute("aria-invalid");
      status.className = "filter__status filter__status--ok";
      status.replaceChildren(h("span", {}, "✓ Valid filter"), h("code", {}, checked.toString()));
      return text;
    } catch (e) {
      if (!(e instanceof scimkit.ScimError)) throw e;
      input.setAttribute("aria-invalid", "true");
      status.className = "filter__status filter__status--error";
      status.replaceChildren(h("span", { class: "filter__message" }, e.detail), excerpt(text, e.span));
      return undefined;
    }
  }

  function run(now) {
    clearTimeout(timer);
    const checked = check();
    if (checked === undefined) return;
    const go = () => {
      if (checked === lastRun) return;
      lastRun = checked;
      onQuery(checked);
    };
    if (now) go();
    else timer = setTimeout(go, 350);
  }

  input.addEventListener("input", () => run(false));
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      lastRun = Symbol("force"); // Enter always runs the query again
      run(true);
    }
  });

  const chips = presets.length
    ? h(
        "div",
        { class: "chips", role: "group", "aria-label": "Example filters" },
        presets.map(([label, filter]) =>
          h("button", {
            class: "chip",
            type: "button",
            onclick: () => {
              input.value = filter;
              run(true);
              input.focus();
            },
          }, label),
        ),
      )
    : null;

  const el = h(
    "div",
    { class: "filter" },
    h("label", { class: "filter__label", for: id }, "Filter"),
    h("div", { class: "filter__row" }, icon(["M21 21l-4.35-4.35", "M11 19a8 8 0 1 0 0-16 8 8 0 0 0 0 16z"]), input),
    status,
    chips,
  );
  check();
  return { el, input };
}

/** The filter text around the error's span, the span marked. */
function excerpt(text, span) {
  if (!span) return null;
  const start = Math.max(0, Math.min(span.start, text.length));
  const end = Math.max(start, Math.min(span.end, text.length));
  const from = Math.max(0, start - 28);
  const to = Math.min(text.length, end + 28);
  return h(
    "span",
    { class: "filter__excerpt", "aria-hidden": "true" },
    from > 0 ? "…" : "",
    text.slice(from, start),
    h("mark", {}, end > start ? text.slice(start, end) : " "),
    text.slice(end, to),
    to < text.length ? "…" : "",
  );
}

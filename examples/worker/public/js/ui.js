// DOM helpers for the console: elements built with `h()` (text always as text nodes, never
// HTML), toasts, the drawer, and formatting.

/** `h("button", {class: "btn", onclick}, "Save")`: attributes starting with `on` are listeners,
 *  `false`/`null` attributes are left out; children are nodes, strings or arrays of them. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An SVG icon from a path list (same stroke style as the nav). */
export function icon(paths) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  for (const d of paths) {
    const p = document.createElementNS(ns, "path");
    p.setAttribute("d", d);
    svg.append(p);
  }
  return svg;
}

export function toast(message, kind = "info") {
  const el = h("div", { class: `toast${kind === "error" ? " toast--error" : ""}` }, message);
  const box = document.getElementById("toasts");
  box.append(el);
  while (box.children.length > 3) box.firstElementChild.remove();
  setTimeout(() => el.remove(), kind === "error" ? 7000 : 3000);
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const absolute = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

/** "3 minutes ago" (and the absolute time for a tooltip). */
export function ago(iso) {
  if (!iso) return "";
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  const units = [["year", 31536000], ["month", 2592000], ["day", 86400], ["hour", 3600], ["minute", 60]];
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  return "just now";
}
export const when = (iso) => (iso ? absolute.format(new Date(iso)) : "");

export function initials(text) {
  const words = String(text ?? "?").replace(/[@._-]+/g, " ").trim().split(/\s+/);
  return ((words[0]?.[0] ?? "?") + (words[1]?.[0] ?? "")).toUpperCase();
}

// -- the drawer (a modal side panel) --------------------------------------------------------------

let drawerClose = null;
let lastFocus = null;

/** Opens the drawer with `content`; `onClose` runs when it closes (Escape, backdrop, button). */
export function openDrawer(content, onClose) {
  const drawer = document.getElementById("drawer");
  const backdrop = document.getElementById("drawer-backdrop");
  if (!drawerClose) lastFocus = document.activeElement;
  drawerClose = onClose ?? null;
  drawer.replaceChildren(content);
  drawer.hidden = false;
  backdrop.hidden = false;
  const first = drawer.querySelector("input, select, button:not(.btn--close)");
  (first ?? drawer).focus();
}

export function closeDrawer() {
  const drawer = document.getElementById("drawer");
  if (drawer.hidden) return;
  drawer.hidden = true;
  document.getElementById("drawer-backdrop").hidden = true;
  drawer.replaceChildren();
  const done = drawerClose;
  drawerClose = null;
  lastFocus?.focus?.();
  done?.();
}

export function drawerOpen() {
  return !document.getElementById("drawer").hidden;
}

document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && drawerOpen()) closeDrawer();
});
document.getElementById("drawer-backdrop").addEventListener("click", () => closeDrawer());

/** The drawer's header: title, subtitle and a close button. */
export function drawerHead(title, subtitle) {
  return h(
    "header",
    { class: "drawer__head" },
    h("div", {}, h("h2", { id: "drawer-title" }, title), subtitle ? h("p", {}, subtitle) : null),
    h("button", { class: "btn btn--ghost btn--small btn--close", type: "button", "aria-label": "Close", onclick: () => closeDrawer() }, "Close"),
  );
}

/** A labelled text field whose error paragraph is tied to it (aria-describedby). */
export function field({ id, label, value = "", type = "text", required = false, hint, pointer, autocomplete, placeholder }) {
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const input = h("input", {
    id,
    name: id,
    type,
    value,
    required,
    autocomplete: autocomplete ?? "off",
    placeholder,
    "aria-describedby": [hintId, errorId].filter(Boolean).join(" "),
    dataset: pointer ? { pointer } : undefined,
  });
  input.value = value ?? "";
  const wrap = h(
    "div",
    { class: "field" },
    h("label", { for: id }, label, required ? h("span", { class: "req", "aria-hidden": "true" }, "*") : null),
    input,
    hint ? h("p", { class: "field__hint", id: hintId }, hint) : null,
    h("p", { class: "field__error", id: errorId, role: "alert" }),
  );
  return { wrap, input, error: wrap.querySelector(".field__error") };
}

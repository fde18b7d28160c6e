// How an audit event reads in the console: a badge for the event, and one line per change
// (scimkit's change records: attribute, old/new, added/removed).
import { ENTERPRISE } from "./api.js";
import { h } from "./ui.js";

const BADGES = {
  create: ["Created", "success"],
  replace: ["Replaced", "primary"],
  patch: ["Updated", "primary"],
  deactivate: ["Deactivated", "warning"],
  reactivate: ["Reactivated", "success"],
  delete: ["Deleted", "danger"],
  membership: ["Membership", "plain"],
};

export function eventBadge(event) {
  const [label, kind] = BADGES[event] ?? [event, "plain"];
  return h("span", { class: `badge badge--${kind === "plain" ? "muted badge--plain" : kind}` }, label);
}

const short = (attribute) => String(attribute ?? "").replace(`${ENTERPRISE}:`, "").replace(`${ENTERPRISE}`, "enterprise");

/** A value in a few characters: `{value, display}` shows its display (or value). */
function brief(value) {
  if (value === undefined) return "";
  if (Array.isArray(value)) return value.map(brief).join(", ");
  if (value !== null && typeof value === "object") {
    if ("display" in value && value.display) return String(value.display);
    if ("value" in value) return String(value.value);
    return JSON.stringify(value);
  }
  const text = String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** Changes that set a whole complex value (`name`, the enterprise extension) as one line per
 *  sub-attribute: `name.givenName = Ava`. */
function flatten(changes) {
  const out = [];
  for (const c of changes) {
    const v = c.new;
    const plainObject = v !== null && typeof v === "object" && !Array.isArray(v) && !("value" in v) && c.old === undefined;
    if (!plainObject) {
      out.push(c);
      continue;
    }
    const prefix = c.attribute === ENTERPRISE ? "" : `${short(c.attribute)}.`;
    for (const [key, sub] of Object.entries(v)) out.push({ ...c, attribute: `${prefix}${key}`, new: sub });
  }
  return out;
}

/** The lines describing one event's detail. */
export function describe(event) {
  const d = event.detail ?? {};
  if (event.event === "membership") {
    const name = d.group?.displayName ?? d.group?.id;
    return [h("span", {}, d.change === "added" ? "Added to " : "Removed from ", h("code", {}, name))];
  }
  if (event.event === "deactivate") return [h("span", {}, "Sign-in disabled (active = false)")];
  if (event.event === "reactivate") return [h("span", {}, "Sign-in enabled again (active = true)")];
  if (event.event === "delete") return [h("span", {}, "Deleted")];
  const lines = flatten(d.changes ?? []).slice(0, 6).map((c) => {
    const name = h("code", {}, short(c.attribute));
    if (c.added !== undefined) return h("span", {}, "+ ", name, " ", brief(c.added));
    if (c.removed !== undefined && c.new === undefined) return h("span", {}, "− ", name, " ", brief(c.removed));
    if (c.op === "remove") return h("span", {}, "cleared ", name, c.old !== undefined ? h("span", { class: "muted" }, ` (was ${brief(c.old)})`) : null);
    if (c.old !== undefined && c.new !== undefined) {
      return h("span", {}, name, " ", brief(c.old), h("span", { class: "arrow", "aria-label": "changed to" }, "→"), brief(c.new));
    }
    return h("span", {}, name, " = ", brief(c.new));
  });
  const more = flatten(d.changes ?? []).length - 6;
  if (more > 0) lines.push(h("span", { class: "muted" }, `and ${more} more`));
  if (d.quirks?.length) lines.push(h("span", { class: "muted" }, `IdP quirks accepted: ${d.quirks.join(", ")}`));
  if (d.cause) lines.push(h("span", { class: "muted" }, d.cause));
  return lines;
}

export function actorLabel(event) {
  const ua = event.detail?.userAgent ?? "";
  if (event.actor === "console") return "Admin console";
  const who = /okta/i.test(ua) ? "Okta" : /azure|microsoft|entra/i.test(ua) ? "Entra ID" : /scim2|httpx|python/i.test(ua) ? "scim2 client" : "SCIM client";
  return event.actor === "bulk" ? `${who} (bulk)` : who;
}

// The Users page: a searchable list (SCIM filters checked as you type) and the user editor
// (live validation, PATCH by diff, group membership, the user's activity).
import { adminApi, ApiError, ENTERPRISE, GROUP, literal, PATCH_OP, scim, USER } from "./api.js";
import { actorLabel, describe, eventBadge } from "./audit-format.js";
import { resourceEditor, textField, typedValueField } from "./editor.js";
import { filterBox } from "./filter-box.js";
import { ago, closeDrawer, drawerHead, h, initials, openDrawer, toast, when } from "./ui.js";

const PAGE = 20;
const state = { filter: null, startIndex: 1 };

export const usersPage = {
  title: "Users",
  async render(ctx) {
    const stats = h("div", { class: "stats", "aria-label": "Directory summary" });
    const table = h("div", { class: "card table-card" });
    const box = filterBox({
      scimkit: ctx.scimkit,
      registry: ctx.registry,
      resourceType: "User",
      id: "user-filter",
      value: state.filter ?? "",
      presets: [
        ["Active", "active eq true"],
        ["Deactivated", "active eq false"],
        ["Work email at example.com", 'emails[type eq "work" and value ew "@example.com"]'],
        ["Changed today", `meta.lastModified ge "${new Date().toISOString().slice(0, 10)}T00:00:00Z"`],
      ],
      onQuery: (filter) => {
        state.filter = filter;
        state.startIndex = 1;
        load();
      },
    });
    ctx.main.replaceChildren(
      h(
        "div",
        { class: "page-head" },
        h("div", {}, h("h1", {}, "Users"), h("p", {}, "People provisioned by your identity providers, and by hand.")),
        h("a", { class: "btn btn--primary", href: "#/users/new" }, "New user"),
      ),
      stats,
      h("div", { class: "toolbar" }, box.el),
      table,
    );

    async function loadStats() {
      try {
        const s = await adminApi.stats();
        stats.replaceChildren(
          statCard("Users", s.users),
          statCard("Active", s.users - s.inactiveUsers),
          statCard("Deactivated", s.inactiveUsers),
          statCard("Groups", s.groups),
        );
      } catch {
        stats.replaceChildren();
      }
    }

    async function load() {
      const params = { sortBy: "userName", startIndex: state.startIndex, count: PAGE };
      if (state.filter) params.filter = state.filter;
      table.setAttribute("aria-busy", "true");
      let list;
      try {
        list = await scim.list("Users", params);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        table.replaceChildren(h("div", { class: "empty" }, h("strong", {}, "The service refused this query"), e.detail));
        return;
      } finally {
        table.removeAttribute("aria-busy");
      }
      table.replaceChildren(userTable(list, state, load));
    }

    this.refresh = () => Promise.all([load(), loadStats()]);
    await this.refresh();
  },
  refresh: null,
  open: (ctx, id) => openUser(ctx, id),
};

function statCard(label, value) {
  return h("div", { class: "card stat" }, h("div", { class: "stat__label" }, label), h("div", { class: "stat__value" }, value.toLocaleString("en")));
}

function displayOf(user) {
  const name = [user.name?.givenName, user.name?.familyName].filter(Boolean).join(" ");
  return user.displayName || name || user.name?.formatted || user.userName;
}

function workEmail(user) {
  const emails = user.emails ?? [];
  return (emails.find((e) => e.type === "work") ?? emails.find((e) => e.primary) ?? emails[0])?.value ?? "";
}

function userTable(list, state, reload) {
  if (list.totalResults === 0) {
    return h(
      "div",
      { class: "empty" },
      h("strong", {}, state.filter ? "No user matches this filter" : "No users yet"),
      state.filter ? "Try another filter, or clear it." : "Connect an identity provider to the SCIM base URL, or create a user.",
    );
  }
  const rows = list.Resources.map((u) =>
    h(
      "tr",
      { class: "clickable", onclick: () => (location.hash = `#/users/${encodeURIComponent(u.id)}`) },
      h(
        "td",
        {},
        h(
          "div",
          { class: "who" },
          h("span", { class: "avatar", "aria-hidden": "true" }, initials(displayOf(u))),
          h(
            "div",
            {},
            h("div", { class: "who__name" }, h("a", { href: `#/users/${encodeURIComponent(u.id)}` }, displayOf(u))),
            h("div", { class: "who__sub" }, u.userName),
          ),
        ),
      ),
      h("td", {}, workEmail(u)),
      h("td", {}, [u.title, u[ENTERPRISE]?.department].filter(Boolean).join(" · ")),
      h("td", {}, (u.groups ?? []).slice(0, 3).map((g) => h("span", { class: "tag" }, g.display ?? g.value)), (u.groups?.length ?? 0) > 3 ? `+${u.groups.length - 3}` : null),
      h("td", {}, u.active === false ? h("span", { class: "badge badge--muted" }, "Deactivated") : h("span", { class: "badge badge--success" }, "Active")),
      h("td", { class: "nowrap", title: when(u.meta?.lastModified) }, ago(u.meta?.lastModified)),
    ),
  );
  const first = list.startIndex;
  const last = list.startIndex + list.itemsPerPage - 1;
  return h(
    "div",
    {},
    h(
      "table",
      { "aria-label": "Users" },
      h("thead", {}, h("tr", {}, ["User", "Work email", "Title · Department", "Groups", "Status", "Updated"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows),
    ),
    h(
      "div",
      { class: "pager" },
      h("span", {}, `${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${list.totalResults.toLocaleString("en")}`),
      h(
        "div",
        {},
        h("button", { class: "btn btn--small", type: "button", disabled: first <= 1, onclick: () => { state.startIndex = Math.max(1, first - PAGE); reload(); } }, "Previous"),
        h("button", { class: "btn btn--small", type: "button", disabled: last >= list.totalResults, onclick: () => { state.startIndex = first + PAGE; reload(); } }, "Next"),
      ),
    ),
  );
}

// -- the editor -----------------------------------------------------------------------------------

const FIELDS = [
  textField("userName", "User name", ["userName"], { required: true, hint: "Unique, compared case-insensitively. Usually the sign-in email.", autocomplete: "off" }),
  textField("givenName", "First name", ["name", "givenName"]),
  textField("familyName", "Last name", ["name", "familyName"]),
  textField("displayName", "Display name", ["displayName"]),
  typedValueField("email", "Work email", "emails", "work", { inputmode: "email" }),
  typedValueField("phone", "Work phone", "phoneNumbers", "work", { inputmode: "tel" }),
  textField("title", "Job title", ["title"]),
  textField("department", "Department", [ENTERPRISE, "department"]),
  textField("employeeNumber", "Employee number", [ENTERPRISE, "employeeNumber"]),
  textField("profileUrl", "Profile URL", ["profileUrl"], { inputmode: "url", hint: "A URL, e.g. https://intranet.example.com/people/bjensen" }),
  textField("externalId", "External ID", ["externalId"], { hint: "The identity provider's id for this user (case-sensitive, unique)." }),
];
const NEW_FIELDS = [...FIELDS, textField("password", "Initial password", ["password"], { type: "password", autocomplete: "new-password", hint: "Optional. Stored as a salted hash, never shown again." })];

async function openUser(ctx, id) {
  const isCurrent = ctx.isCurrent ?? (() => true);
  const isNew = id === "new";
  let user = null;
  if (!isNew) {
    try {
      user = await scim.get(`/Users/${encodeURIComponent(id)}`);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      toast(e.status === 404 ? "That user no longer exists." : e.detail, "error");
      location.hash = "#/users";
      return;
    }
    if (!isCurrent()) return; // the user navigated on while this loaded
  }
  // Group membership: Groups hold members; a User's `groups` is derived by the service.
  const groupsSection = h("section", { class: "section", "aria-labelledby": "sec-groups" });
  const activitySection = h("section", { class: "section", "aria-labelledby": "sec-activity" });
  const editor = resourceEditor({
    scimkit: ctx.scimkit,
    registry: ctx.registry,
    resourceType: "User",
    original: user,
    blank: { schemas: [USER], active: true },
    fields: isNew ? NEW_FIELDS : FIELDS,
    toggles: [{ id: "active", label: "Active — the user can sign in", attribute: "active" }],
    layout: ({ control, toggle }) => [
      h("section", { class: "section", "aria-labelledby": "sec-identity" }, h("h3", { id: "sec-identity" }, "Identity"), control("userName"), h("div", { class: "grid-2" }, control("givenName"), control("familyName")), control("displayName"), toggle("active")),
      h("section", { class: "section", "aria-labelledby": "sec-contact" }, h("h3", { id: "sec-contact" }, "Contact"), h("div", { class: "grid-2" }, control("email"), control("phone")), control("profileUrl")),
      h("section", { class: "section", "aria-labelledby": "sec-work" }, h("h3", { id: "sec-work" }, "Organization"), control("title"), h("div", { class: "grid-2" }, control("department"), control("employeeNumber")), control("externalId"), isNew ? control("password") : null),
      isNew ? null : groupsSection,
      isNew ? null : activitySection,
    ],
    onSubmit: async ({ resource, request }) => {
      if (isNew) {
        const created = await scim.create("Users", resource);
        toast(`User ${created.userName} created`);
        ctx.dirty = true;
        location.hash = `#/users/${encodeURIComponent(created.id)}`;
        return;
      }
      if (request.Operations.length === 0) return;
      try {
        const updated = await scim.patch("Users", user.id, request, editor.base.meta.version);
        toast(`Saved ${request.Operations.length} ${request.Operations.length === 1 ? "change" : "changes"}`);
        ctx.dirty = true;
        editor.rebase(updated);
        loadActivity();
      } catch (e) {
        if (e instanceof ApiError && e.status === 412) {
          toast("This user was changed elsewhere since you opened it; reopen it to see the latest version.", "error");
          return;
        }
        throw e;
      }
    },
  });

  async function refreshUser() {
    const fresh = await scim.get(`/Users/${encodeURIComponent(user.id)}`);
    editor.rebase(fresh); // membership changes the user's version: keep If-Match current
    renderGroups();
    loadActivity();
  }

  async function renderGroups() {
    const current = editor.base.groups ?? [];
    const all = await scim.list("Groups", { sortBy: "displayName", count: 200, attributes: "displayName" });
    const mine = new Set(current.map((g) => g.value));
    const select = h(
      "select",
      { id: "add-group", class: "input" },
      h("option", { value: "" }, "Choose a group…"),
      all.Resources.filter((g) => !mine.has(g.id)).map((g) => h("option", { value: g.id }, g.displayName)),
    );
    groupsSection.replaceChildren(
      h("h3", { id: "sec-groups" }, "Groups"),
      h(
        "ul",
        { class: "member-list", "aria-label": "Groups of this user" },
        current.length === 0
          ? h("li", { class: "empty-row" }, "Not in any group")
          : current.map((g) =>
              h(
                "li",
                {},
                h("span", { class: "avatar avatar--group", "aria-hidden": "true" }, initials(g.display)),
                h("span", { class: "grow" }, h("a", { href: `#/groups/${encodeURIComponent(g.value)}` }, g.display ?? g.value)),
                h("button", { class: "btn btn--icon", type: "button", "aria-label": `Remove from ${g.display}`, onclick: () => changeMembership(g.value, "remove", g.display) }, "Remove"),
              ),
            ),
      ),
      h(
        "div",
        { class: "inline-form" },
        h("div", { class: "field" }, h("label", { for: "add-group" }, "Add to group"), select),
        h("button", { class: "btn", type: "button", onclick: () => select.value && changeMembership(select.value, "add", select.selectedOptions[0].textContent) }, "Add"),
      ),
    );
  }

  async function changeMembership(groupId, op, name) {
    const operation =
      op === "add"
        ? { op: "add", path: "members", value: [{ value: user.id, display: editor.base.userName }] }
        : { op: "remove", path: `members[value eq ${literal(user.id)}]` };
    try {
      await scim.patch("Groups", groupId, { schemas: [PATCH_OP], Operations: [operation] });
      toast(op === "add" ? `Added to ${name}` : `Removed from ${name}`);
      ctx.dirty = true;
      await refreshUser();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      toast(e.detail, "error");
    }
  }

  async function loadActivity() {
    const { events } = await adminApi.audit({ resourceType: "User", resourceId: user.id, limit: 8 });
    activitySection.replaceChildren(
      h("h3", { id: "sec-activity" }, "Recent activity"),
      events.length === 0
        ? h("p", { class: "muted" }, "Nothing yet.")
        : h(
            "ol",
            { class: "timeline" },
            events.map((e) => h("li", {}, eventBadge(e.event), h("div", {}, h("div", { class: "changes" }, describe(e)), h("div", { class: "when", title: when(e.at) }, `${ago(e.at)} · ${actorLabel(e)}`)))),
          ),
    );
  }

  const deleteButton = isNew
    ? null
    : h("button", {
        class: "btn btn--danger",
        type: "button",
        onclick: async () => {
          if (!confirm(`Delete ${editor.base.userName}? This removes the user from every group.`)) return;
          try {
            await scim.remove("Users", user.id, editor.base.meta.version);
            toast(`User ${editor.base.userName} deleted`);
            ctx.dirty = true;
            closeDrawer();
          } catch (e) {
            if (!(e instanceof ApiError)) throw e;
            toast(e.detail, "error");
          }
        },
      }, "Delete");

  openDrawer(
    h(
      "div",
      { class: "contents" },
      drawerHead(isNew ? "New user" : displayOf(user), isNew ? "Checked as you type with the service's own rules." : `${user.userName} · created ${when(user.meta?.created)}`),
      editor.form,
      h("footer", { class: "drawer__foot" }, deleteButton, isNew ? null : h("div", {}, editor.pending, editor.details), h("span", { class: "spacer" }), h("button", { class: "btn", type: "button", onclick: () => closeDrawer() }, "Cancel"), editor.saveButton),
    ),
    () => ctx.drawerClosed("users"),
  );
  editor.update();
  if (!isNew) {
    renderGroups();
    loadActivity();
  }
}

export { displayOf };
export const GROUP_SCHEMA = GROUP;

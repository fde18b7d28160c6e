// The Groups page: a searchable list and the group editor (rename by PATCH diff, members added
// and removed with PATCH operations, the group's activity).
import { adminApi, ApiError, GROUP, literal, PATCH_OP, scim } from "./api.js";
import { actorLabel, describe, eventBadge } from "./audit-format.js";
import { resourceEditor, textField } from "./editor.js";
import { filterBox } from "./filter-box.js";
import { ago, closeDrawer, drawerHead, h, initials, openDrawer, toast, when } from "./ui.js";
import { displayOf } from "./users.js";

const PAGE = 20;
const state = { filter: null, startIndex: 1 };

export const groupsPage = {
  title: "Groups",
  async render(ctx) {
    const table = h("div", { class: "card table-card" });
    const box = filterBox({
      scimkit: ctx.scimkit,
      registry: ctx.registry,
      resourceType: "Group",
      id: "group-filter",
      value: state.filter ?? "",
      presets: [
        ["Has members", "members pr"],
        ["Empty", "not (members pr)"],
        ["From an IdP", "externalId pr"],
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
        h("div", {}, h("h1", {}, "Groups"), h("p", {}, "Groups and their members; each user's groups follow from them.")),
        h("a", { class: "btn btn--primary", href: "#/groups/new" }, "New group"),
      ),
      h("div", { class: "toolbar" }, box.el),
      table,
    );

    async function load() {
      const params = { sortBy: "displayName", startIndex: state.startIndex, count: PAGE };
      if (state.filter) params.filter = state.filter;
      let list;
      try {
        list = await scim.list("Groups", params);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        table.replaceChildren(h("div", { class: "empty" }, h("strong", {}, "The service refused this query"), e.detail));
        return;
      }
      if (list.totalResults === 0) {
        table.replaceChildren(h("div", { class: "empty" }, h("strong", {}, state.filter ? "No group matches this filter" : "No groups yet"), "Groups arrive from your identity provider, or create one."));
        return;
      }
      const first = list.startIndex;
      const last = first + list.itemsPerPage - 1;
      table.replaceChildren(
        h(
          "table",
          { "aria-label": "Groups" },
          h("thead", {}, h("tr", {}, ["Group", "Members", "External ID", "Updated"].map((t) => h("th", { scope: "col" }, t)))),
          h(
            "tbody",
            {},
            list.Resources.map((g) =>
              h(
                "tr",
                { class: "clickable", onclick: () => (location.hash = `#/groups/${encodeURIComponent(g.id)}`) },
                h("td", {}, h("div", { class: "who" }, h("span", { class: "avatar avatar--group", "aria-hidden": "true" }, initials(g.displayName)), h("div", { class: "who__name" }, h("a", { href: `#/groups/${encodeURIComponent(g.id)}` }, g.displayName)))),
                h("td", {}, String(g.members?.length ?? 0)),
                h("td", {}, g.externalId ? h("code", {}, g.externalId) : h("span", { class: "muted" }, "—")),
                h("td", { class: "nowrap", title: when(g.meta?.lastModified) }, ago(g.meta?.lastModified)),
              ),
            ),
          ),
        ),
        h(
          "div",
          { class: "pager" },
          h("span", {}, `${first}–${last} of ${list.totalResults}`),
          h(
            "div",
            {},
            h("button", { class: "btn btn--small", type: "button", disabled: first <= 1, onclick: () => { state.startIndex = Math.max(1, first - PAGE); load(); } }, "Previous"),
            h("button", { class: "btn btn--small", type: "button", disabled: last >= list.totalResults, onclick: () => { state.startIndex = first + PAGE; load(); } }, "Next"),
          ),
        ),
      );
    }
    this.refresh = load;
    await load();
  },
  refresh: null,
  open: (ctx, id) => openGroup(ctx, id),
};

const FIELDS = [
  textField("groupName", "Name", ["displayName"], { required: true }),
  textField("groupExternalId", "External ID", ["externalId"], { hint: "The identity provider's id for this group (case-sensitive, unique)." }),
];

async function openGroup(ctx, id) {
  const isCurrent = ctx.isCurrent ?? (() => true);
  const isNew = id === "new";
  let group = null;
  if (!isNew) {
    try {
      group = await scim.get(`/Groups/${encodeURIComponent(id)}`);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      toast(e.status === 404 ? "That group no longer exists." : e.detail, "error");
      location.hash = "#/groups";
      return;
    }
    if (!isCurrent()) return; // the user navigated on while this loaded
  }
  const membersSection = h("section", { class: "section", "aria-labelledby": "sec-members" });
  const activitySection = h("section", { class: "section", "aria-labelledby": "sec-gactivity" });
  const editor = resourceEditor({
    scimkit: ctx.scimkit,
    registry: ctx.registry,
    resourceType: "Group",
    original: group,
    blank: { schemas: [GROUP] },
    fields: FIELDS,
    layout: ({ control }) => [
      h("section", { class: "section", "aria-labelledby": "sec-group" }, h("h3", { id: "sec-group" }, "Group"), control("groupName"), control("groupExternalId")),
      isNew ? null : membersSection,
      isNew ? null : activitySection,
    ],
    onSubmit: async ({ resource, request }) => {
      if (isNew) {
        const created = await scim.create("Groups", resource);
        toast(`Group ${created.displayName} created`);
        ctx.dirty = true;
        location.hash = `#/groups/${encodeURIComponent(created.id)}`;
        return;
      }
      if (request.Operations.length === 0) return;
      const updated = await scim.patch("Groups", group.id, request, editor.base.meta.version);
      toast("Group saved");
      ctx.dirty = true;
      editor.rebase(updated);
      loadActivity();
    },
  });

  async function renderMembers() {
    const members = editor.base.members ?? [];
    // Names of (up to 50) members, in one filtered query.
    const shown = members.slice(0, 50);
    const names = new Map();
    if (shown.length) {
      const filter = shown.map((m) => `id eq ${literal(m.value)}`).join(" or ");
      const found = await scim.list("Users", { filter, count: 50, attributes: "userName,displayName,name" });
      for (const u of found.Resources) names.set(u.id, u);
    }
    const search = h("input", { id: "member-search", type: "search", autocomplete: "off", placeholder: "Type a user name", "aria-controls": "member-results" });
    const results = h("ul", { id: "member-results", class: "results", hidden: true, "aria-label": "Matching users" });
    let timer;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const text = search.value.trim();
        if (!text) {
          results.hidden = true;
          return;
        }
        const filter = `userName sw ${literal(text)} or displayName sw ${literal(text)} or name.familyName sw ${literal(text)}`;
        const found = await scim.list("Users", { filter, count: 8, sortBy: "userName", attributes: "userName,displayName,name" });
        const inGroup = new Set(members.map((m) => m.value));
        const candidates = found.Resources.filter((u) => !inGroup.has(u.id));
        results.hidden = false;
        results.replaceChildren(
          ...(candidates.length
            ? candidates.map((u) => h("li", {}, h("button", { type: "button", onclick: () => changeMembers("add", u) }, h("span", { class: "avatar", "aria-hidden": "true" }, initials(displayOf(u))), h("span", {}, displayOf(u), " ", h("span", { class: "muted" }, u.userName)))))
            : [h("li", { class: "muted results__none" }, "No user to add")]),
        );
      }, 250);
    });
    membersSection.replaceChildren(
      h("h3", { id: "sec-members" }, `Members (${members.length})`),
      h(
        "ul",
        { class: "member-list", "aria-label": "Members" },
        members.length === 0
          ? h("li", { class: "empty-row" }, "No members")
          : shown.map((m) => {
              const u = names.get(m.value);
              const label = u ? displayOf(u) : (m.display ?? m.value);
              return h(
                "li",
                {},
                h("span", { class: "avatar", "aria-hidden": "true" }, initials(label)),
                h("span", { class: "grow" }, u ? h("a", { href: `#/users/${encodeURIComponent(m.value)}` }, label) : label, u ? h("div", { class: "who__sub" }, u.userName) : null),
                h("button", { class: "btn btn--icon", type: "button", "aria-label": `Remove ${label}`, onclick: () => changeMembers("remove", { id: m.value, userName: label }) }, "Remove"),
              );
            }),
        members.length > shown.length ? h("li", { class: "empty-row" }, `and ${members.length - shown.length} more`) : null,
      ),
      h("div", { class: "field" }, h("label", { for: "member-search" }, "Add a member"), search, results),
    );
  }

  async function changeMembers(op, user) {
    const operation =
      op === "add"
        ? { op: "add", path: "members", value: [{ value: user.id, display: user.userName }] }
        : { op: "remove", path: `members[value eq ${literal(user.id)}]` };
    try {
      const updated = await scim.patch("Groups", group.id, { schemas: [PATCH_OP], Operations: [operation] }, editor.base.meta.version);
      toast(op === "add" ? `Added ${user.userName}` : `Removed ${user.userName}`);
      ctx.dirty = true;
      editor.rebase(updated);
      renderMembers();
      loadActivity();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      toast(e.status === 412 ? "This group changed elsewhere; reopen it." : e.detail, "error");
    }
  }

  async function loadActivity() {
    const { events } = await adminApi.audit({ resourceType: "Group", resourceId: group.id, limit: 8 });
    activitySection.replaceChildren(
      h("h3", { id: "sec-gactivity" }, "Recent activity"),
      events.length === 0
        ? h("p", { class: "muted" }, "Nothing yet.")
        : h("ol", { class: "timeline" }, events.map((e) => h("li", {}, eventBadge(e.event), h("div", {}, h("div", { class: "changes" }, describe(e)), h("div", { class: "when", title: when(e.at) }, `${ago(e.at)} · ${actorLabel(e)}`))))),
    );
  }

  const deleteButton = isNew
    ? null
    : h("button", {
        class: "btn btn--danger",
        type: "button",
        onclick: async () => {
          if (!confirm(`Delete the group ${editor.base.displayName}? Its members stay.`)) return;
          try {
            await scim.remove("Groups", group.id, editor.base.meta.version);
            toast(`Group ${editor.base.displayName} deleted`);
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
      drawerHead(isNew ? "New group" : group.displayName, isNew ? "Members can be added once it exists." : `created ${when(group.meta?.created)}`),
      editor.form,
      h("footer", { class: "drawer__foot" }, deleteButton, isNew ? null : h("div", {}, editor.pending, editor.details), h("span", { class: "spacer" }), h("button", { class: "btn", type: "button", onclick: () => closeDrawer() }, "Cancel"), editor.saveButton),
    ),
    () => ctx.drawerClosed("groups"),
  );
  editor.update();
  if (!isNew) {
    renderMembers();
    loadActivity();
  }
}

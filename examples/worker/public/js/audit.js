// The audit log: every provisioning event the service recorded (create, replace, patch with
// scimkit's change list, deactivate/reactivate, delete, membership), newest first.
import { adminApi, ApiError } from "./api.js";
import { actorLabel, describe, eventBadge } from "./audit-format.js";
import { ago, h, when } from "./ui.js";

const state = { resourceType: "", event: "" };

export const auditPage = {
  title: "Audit log",
  async render(ctx) {
    const body = h("tbody", {});
    const more = h("button", { class: "btn btn--small", type: "button", hidden: true }, "Load older events");
    const select = (id, label, options, key) => {
      const el = h("select", { id, class: "input" }, options.map(([value, text]) => h("option", { value, selected: state[key] === value }, text)));
      el.addEventListener("change", () => {
        state[key] = el.value;
        reload();
      });
      return h("div", { class: "field" }, h("label", { for: id }, label), el);
    };
    ctx.main.replaceChildren(
      h("div", { class: "page-head" }, h("div", {}, h("h1", {}, "Audit log"), h("p", {}, "Every provisioning event, from identity providers and from this console."))),
      h(
        "div",
        { class: "filters" },
        select("audit-type", "Resource type", [["", "All"], ["User", "Users"], ["Group", "Groups"]], "resourceType"),
        select("audit-event", "Event", [["", "All events"], ["create", "Created"], ["patch", "Updated (PATCH)"], ["replace", "Replaced (PUT)"], ["deactivate", "Deactivated"], ["reactivate", "Reactivated"], ["membership", "Membership"], ["delete", "Deleted"]], "event"),
      ),
      h(
        "div",
        { class: "card table-card" },
        h("table", { "aria-label": "Audit log" }, h("thead", {}, h("tr", {}, ["When", "Event", "Resource", "Details", "By"].map((t) => h("th", { scope: "col" }, t)))), body),
        h("div", { class: "pager" }, h("span", { id: "audit-count" }), more),
      ),
    );
    let next = null;
    let shown = 0;

    async function page(before) {
      const params = { limit: 50 };
      if (state.resourceType) params.resourceType = state.resourceType;
      if (state.event) params.event = state.event;
      if (before) params.before = before;
      let answer;
      try {
        answer = await adminApi.audit(params);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        body.replaceChildren(h("tr", {}, h("td", { colspan: 5, class: "empty" }, e.detail)));
        return;
      }
      next = answer.next;
      shown += answer.events.length;
      more.hidden = next === null;
      document.getElementById("audit-count").textContent = `${shown} event${shown === 1 ? "" : "s"} shown`;
      if (shown === 0) body.replaceChildren(h("tr", {}, h("td", { colspan: 5, class: "empty" }, h("strong", {}, "No events yet"), "Provisioning events appear here as they happen.")));
      for (const e of answer.events) {
        const link = e.event === "delete" ? null : `#/${e.resourceType === "User" ? "users" : "groups"}/${encodeURIComponent(e.resourceId)}`;
        body.append(
          h(
            "tr",
            { dataset: { event: e.event, resourceId: e.resourceId } },
            h("td", { class: "nowrap", title: when(e.at) }, ago(e.at)),
            h("td", {}, eventBadge(e.event)),
            h("td", {}, h("div", { class: "who__name" }, link ? h("a", { href: link }, e.display ?? e.resourceId) : (e.display ?? e.resourceId)), h("div", { class: "who__sub" }, e.resourceType)),
            h("td", {}, h("div", { class: "changes" }, describe(e))),
            h("td", { class: "nowrap", title: e.detail?.userAgent ?? "" }, actorLabel(e)),
          ),
        );
      }
    }
    function reload() {
      shown = 0;
      body.replaceChildren();
      return page(null);
    }
    more.addEventListener("click", () => page(next));
    this.refresh = reload;
    await reload();
  },
  refresh: null,
  open: () => {},
};

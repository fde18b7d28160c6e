// The console's entry: loads scimkit's WebAssembly build (the same core the service runs),
// signs in with the bearer token, and routes #/users, #/users/<id|new>, #/groups[/…], #/audit.
import { adminApi, ApiError, SCIM_BASE, token } from "./api.js";
import { auditPage } from "./audit.js";
import { groupsPage } from "./groups.js";
import { closeDrawer, drawerOpen, toast } from "./ui.js";
import { usersPage } from "./users.js";

const pages = { users: usersPage, groups: groupsPage, audit: auditPage };
const $ = (id) => document.getElementById(id);

const ctx = {
  scimkit: null,
  registry: null,
  main: $("main"),
  section: null,
  /** Something changed in a drawer: refresh the list behind it when the drawer closes. */
  dirty: false,
  /** True while the router itself closes the drawer (the hash is already where it goes). */
  routing: false,
  drawerClosed(section) {
    if (!ctx.routing && location.hash.split("/").length > 2) location.hash = `#/${section}`;
    if (ctx.dirty) {
      ctx.dirty = false;
      pages[ctx.section]?.refresh?.();
    }
  },
};

async function boot() {
  $("boot-message").textContent = "Loading scimkit (WebAssembly)…";
  try {
    ctx.scimkit = await import("/vendor/scimkit/index.js");
    ctx.registry = new ctx.scimkit.Registry();
  } catch (e) {
    $("boot-message").textContent = `scimkit could not load: ${e.message}`;
    return;
  }
  takeTokenFromFragment();
  // A token link followed while the sign-in screen shows (same document: only the hash changes).
  window.addEventListener("hashchange", async () => {
    if (!$("app").hidden || !takeTokenFromFragment()) return;
    if (await signedIn()) start();
    else $("signin-error").textContent = "The token in that link was refused.";
  });
  $("endpoint-url").textContent = SCIM_BASE;
  $("endpoint-copy").addEventListener("click", async () => {
    await navigator.clipboard?.writeText(SCIM_BASE).catch(() => {});
    toast("SCIM base URL copied");
  });
  $("signout").addEventListener("click", () => {
    token.clear();
    location.hash = "";
    location.reload();
  });
  $("signin-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = $("signin-token").value.trim();
    token.set(value);
    if (await signedIn()) start();
    else {
      $("signin-error").textContent = value ? "That token was refused." : "Enter the bearer token.";
      $("signin-token").setAttribute("aria-invalid", "true");
      $("signin-token").focus();
    }
  });
  window.addEventListener("scimkit:unauthorized", () => {
    if (!$("app").hidden) {
      token.clear();
      location.reload();
    }
  });
  $("boot").hidden = true;
  if (token.get() && (await signedIn())) start();
  else showSignin();
}

/** A token in the URL fragment (dev.sh prints such a link) is kept for this tab, then removed
 *  from the address bar. Returns whether there was one. */
function takeTokenFromFragment() {
  const value = new URLSearchParams(location.hash.replace(/^#/, "")).get("token");
  if (!value) return false;
  token.set(value);
  history.replaceState(null, "", `${location.pathname}#/users`);
  return true;
}

async function signedIn() {
  try {
    await adminApi.stats();
    return true;
  } catch (e) {
    if (e instanceof ApiError) return false;
    throw e;
  }
}

function showSignin() {
  $("signin").hidden = false;
  $("signin-token").focus();
}

function start() {
  if (!$("app").hidden) return;
  $("signin").hidden = true;
  $("app").hidden = false;
  window.addEventListener("hashchange", route);
  route();
}

/** Bumped by every navigation: a route that awaited while a newer one started stops there. */
let generation = 0;

async function route() {
  const mine = ++generation;
  const [section = "users", id] = location.hash.replace(/^#\/?/, "").split("/");
  const page = pages[section] ?? pages.users;
  const name = pages[section] ? section : "users";
  if (ctx.section !== name) {
    ctx.section = name;
    for (const a of document.querySelectorAll("[data-nav]")) {
      if (a.dataset.nav === name) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    document.title = `${page.title} · scimkit Directory`;
    closeQuietly();
    await page.render(ctx);
    if (mine !== generation) return;
  }
  // An editor opens only if no navigation happened while it loaded.
  ctx.isCurrent = () => mine === generation;
  if (id) await page.open(ctx, decodeURIComponent(id));
  else closeQuietly();
}

function closeQuietly() {
  if (!drawerOpen()) return;
  ctx.routing = true;
  try {
    closeDrawer();
  } finally {
    ctx.routing = false;
  }
}

window.addEventListener("unhandledrejection", (e) => {
  toast(e.reason?.message ?? String(e.reason), "error");
});

boot();

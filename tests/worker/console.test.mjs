// The admin console end to end in headless Chromium (playwright-core, Debian's /usr/bin/chromium,
// a fresh profile), against the running Worker (SCIM_URL, SCIM_TOKEN from run.sh): create a user
// with an invalid field and see the inline error, fix it and save, find the user with a filter
// (a parse error shows while typing), edit and save (a PATCH goes out), add the user to a group,
// and see the events in the audit log. Screenshots go to tests/worker/artifacts/.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { get, ORIGIN, post, TOKEN, unique, USER } from "./lib/client.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const artifacts = join(here, "artifacts");
mkdirSync(artifacts, { recursive: true });
const require = createRequire(join(here, "../../examples/worker/package.json"));
const { chromium } = require("playwright-core");

const id = unique();
const userName = `ava.e2e.${id}@example.com`;
const groupName = `Platform ${id}`;
let browser;
let page;
let profile;
const requests = [];
const problems = [];

before(async () => {
  profile = mkdtempSync(join(tmpdir(), "scimkit-chromium-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on("request", (r) => requests.push({ method: r.method(), url: r.url(), body: r.postData() }));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    // The refused sign-in (first test) is a 401 the browser reports; nothing else may fail.
    if (m.type() === "error" && !m.text().includes("401")) problems.push(`console error: ${m.text()}`);
  });
  // Only the service on loopback: anything else would be a bug (no CDN, works offline).
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin === ORIGIN) return route.continue();
    problems.push(`request outside the service: ${url.href}`);
    return route.abort();
  });
});

after(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const shot = (name) => page.screenshot({ path: join(artifacts, name), fullPage: false });

test("without a token the console asks for one, and refuses a wrong one", async () => {
  await page.goto(`${ORIGIN}/`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("Bearer token").fill("not-the-token");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("That token was refused.").waitFor();
  assert.equal(await page.getByLabel("Bearer token").getAttribute("aria-invalid"), "true");
  await shot("00-sign-in-refused.png");
});

test("the console signs in with the token link and loads scimkit's WebAssembly build", async () => {
  await page.goto(`${ORIGIN}/#token=${encodeURIComponent(TOKEN)}`);
  await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
  assert.equal(new URL(page.url()).hash, "#/users", "the token leaves the address bar");
  assert.ok(requests.some((r) => r.url.endsWith("/vendor/scimkit/wasm/scimkit_wasm_bg.wasm")));
  assert.equal(await page.evaluate(() => sessionStorage.getItem("scimkit.token")), TOKEN);
});

test("creating a user: an invalid field shows its error inline, fixed it saves", async () => {
  await page.getByRole("link", { name: "New user" }).click();
  await page.getByRole("dialog").getByRole("heading", { name: "New user" }).waitFor();
  await page.getByLabel("User name").fill(userName);
  await page.getByLabel("First name").fill("Ava");
  await page.getByLabel("Last name").fill("Lindqvist");
  await page.getByLabel("Work email").fill(userName);
  await page.getByLabel("Department").fill("Platform");
  const url = page.getByLabel("Profile URL");
  await url.fill("my profile page");
  const error = page.locator("#field-profileUrl-error");
  await error.waitFor({ state: "visible" });
  assert.match(await error.textContent(), /profileUrl/);
  assert.equal(await url.getAttribute("aria-invalid"), "true");
  assert.equal(await page.locator("#field-userName").getAttribute("aria-invalid"), null);
  await shot("01-new-user-inline-error.png");
  // Saving now is refused in the browser: nothing is sent.
  const posts = () => requests.filter((r) => r.method === "POST" && r.url.endsWith("/scim/v2/Users")).length;
  await page.getByRole("button", { name: "Create user" }).click();
  assert.equal(posts(), 0);
  // Clearing the user name shows the required error next to it, the same rule as the service.
  await page.getByLabel("User name").fill("");
  await page.locator("#field-userName-error").filter({ hasText: "userName" }).waitFor();
  await page.getByLabel("User name").fill(userName);
  await url.fill("https://intranet.example.com/people/ava");
  await error.waitFor({ state: "hidden" });
  assert.equal(await url.getAttribute("aria-invalid"), null);
  await page.getByRole("button", { name: "Create user" }).click();
  await page.getByRole("dialog").getByRole("heading", { name: "Ava Lindqvist" }).waitFor();
  assert.equal(posts(), 1);
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("dialog").waitFor({ state: "hidden" });
});

test("finding the user with a filter: parse errors show while typing", async () => {
  const box = page.getByLabel("Filter", { exact: true });
  await box.fill("userName eq");
  const status = page.locator("#user-filter-status");
  await status.filter({ hasText: "expected a value" }).waitFor();
  assert.equal(await box.getAttribute("aria-invalid"), "true");
  await shot("02-filter-parse-error.png");
  await box.fill('usrName eq "x"');
  await status.filter({ hasText: "unknown attribute" }).waitFor();
  await box.fill(`userName eq "${userName.toUpperCase()}"`);
  await status.filter({ hasText: "Valid filter" }).waitFor();
  await box.press("Enter");
  const rows = page.getByRole("table", { name: "Users" }).locator("tbody tr");
  await rows.first().filter({ hasText: userName }).waitFor();
  assert.equal(await rows.count(), 1);
  const listed = requests.filter((r) => r.method === "GET" && r.url.includes("/scim/v2/Users?") && r.url.includes("filter="));
  assert.ok(listed.length > 0, "the list was asked for with the filter");
});

test("editing the user: the change is saved as a PATCH computed by diff", async () => {
  await page.getByRole("table", { name: "Users" }).getByRole("link", { name: "Ava Lindqvist" }).click();
  await page.getByRole("dialog").getByRole("heading", { name: "Ava Lindqvist" }).waitFor();
  await page.getByLabel("Job title").fill("Staff Engineer");
  await page.getByLabel("Work phone").fill("+46 8 555 0101");
  await page.getByText("2 changes").waitFor();
  await shot("03-edit-pending-patch.png");
  const before = requests.length;
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByText("No changes").waitFor();
  const patches = requests.slice(before).filter((r) => r.method === "PATCH" && r.url.includes("/scim/v2/Users/"));
  assert.equal(patches.length, 1, "one PATCH went out");
  const body = JSON.parse(patches[0].body);
  assert.deepEqual(body.schemas, ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]);
  const paths = body.Operations.map((o) => o.path).sort();
  assert.deepEqual(paths, ["phoneNumbers", "title"]);
});

test("group membership: create a group, add the user to it from the user's page", async () => {
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("link", { name: "Groups" }).click();
  await page.getByRole("heading", { name: "Groups", level: 1 }).waitFor();
  await page.getByRole("link", { name: "New group" }).click();
  await page.getByLabel("Name").fill(groupName);
  await page.getByRole("button", { name: "Create group" }).click();
  await page.getByRole("dialog").getByRole("heading", { name: groupName }).waitFor();
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("link", { name: "Users" }).click();
  await page.getByRole("table", { name: "Users" }).getByRole("link", { name: "Ava Lindqvist" }).click();
  await page.getByRole("dialog").getByRole("heading", { name: "Ava Lindqvist" }).waitFor();
  await page.getByLabel("Add to group").selectOption({ label: groupName });
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await page.getByRole("list", { name: "Groups of this user" }).getByText(groupName).waitFor();
  const membership = requests.filter((r) => r.method === "PATCH" && r.url.includes("/scim/v2/Groups/"));
  assert.equal(membership.length, 1);
  assert.equal(JSON.parse(membership[0].body).Operations[0].op, "add");
  // The profile still saves after the membership change (its version moved with `groups`).
  await page.getByLabel("Job title").fill("Principal Engineer");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByText("No changes").waitFor();
  await page.locator(".timeline").getByText(`Added to ${groupName}`).waitFor();
  await shot("04-user-with-group.png");
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("table", { name: "Users" }).getByText(groupName).waitFor();
  await shot("05-users-list.png");
});

/** Creates a user through the API (a home email only, no `active`) and opens it in the console;
 *  `save()` clicks Save and returns the PATCH operations sent and the user as stored. */
async function openHomeUser(tag) {
  const home = `hana.${tag}.${id}@home.example`;
  const made = await post("/Users", {
    schemas: [USER],
    userName: `hana.${tag}.${id}`,
    name: { givenName: "Hana", familyName: `${tag} ${id}` },
    emails: [{ value: home, type: "home" }],
  });
  assert.equal(made.status, 201, made.text);
  const user = made.json;
  assert.equal(user.active, undefined);
  await page.evaluate((userId) => (location.hash = `#/users/${encodeURIComponent(userId)}`), user.id);
  await page.getByRole("dialog").getByRole("heading", { name: `Hana ${tag} ${id}` }).waitFor();
  const pending = page.locator(".drawer__foot .pending");
  const save = async () => {
    const before = requests.length;
    await page.getByRole("button", { name: "Save changes" }).click();
    await pending.filter({ hasText: "No changes" }).waitFor();
    const sent = requests.slice(before).filter((r) => r.method === "PATCH" && r.url.includes(`/scim/v2/Users/${user.id}`));
    assert.equal(sent.length, 1);
    return { ops: JSON.parse(sent[0].body).Operations, stored: (await get(`/Users/${user.id}`)).json };
  };
  const close = async () => {
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("dialog").waitFor({ state: "hidden" });
  };
  return { home, user, pending, save, close };
}

test("a user without active: opening it changes nothing, flipping the switch is the change", async () => {
  const { home, pending, save, close } = await openHomeUser("Switch");
  // The switch shows a missing `active` as on, without adding it.
  assert.equal(await pending.textContent(), "No changes");
  assert.equal(await page.getByRole("switch").isChecked(), true);
  await page.getByLabel("Job title").fill("Host");
  await pending.filter({ hasText: "1 change" }).waitFor();
  let { ops, stored } = await save();
  assert.deepEqual(ops.map((o) => o.path), ["title"]);
  assert.equal(stored.active, undefined);
  await page.getByRole("switch").uncheck();
  await pending.filter({ hasText: "1 change" }).waitFor();
  ({ ops, stored } = await save());
  assert.deepEqual(ops.map((o) => o.path), ["active"]);
  assert.equal(stored.active, false);
  assert.deepEqual(stored.emails, [{ value: home, type: "home" }]);
  await close();
});

test("Work email edits only a work entry: a home email is never overwritten or removed", async () => {
  const { home, pending, save, close } = await openHomeUser("Email");
  const work = `hana.${id}@work.example`;
  const email = page.getByLabel("Work email");
  assert.equal(await email.inputValue(), ""); // the home email is not a work email
  await email.fill(work);
  await pending.filter({ hasText: "1 change" }).waitFor();
  let { stored } = await save();
  assert.deepEqual(stored.emails, [{ value: home, type: "home" }, { value: work, type: "work" }]);
  await email.fill(`${work}.se`);
  await pending.filter({ hasText: /^\d+ changes? to save/ }).waitFor();
  ({ stored } = await save());
  assert.deepEqual(stored.emails, [{ value: home, type: "home" }, { value: `${work}.se`, type: "work" }]);
  // Clearing it removes the work email only.
  await email.fill("");
  await pending.filter({ hasText: "1 change" }).waitFor();
  ({ stored } = await save());
  assert.deepEqual(stored.emails, [{ value: home, type: "home" }]);
  await shot("06-user-home-email.png");
  await close();
});

test("the audit log shows the events", async () => {
  await page.getByRole("link", { name: "Audit log" }).click();
  await page.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
  const table = page.getByRole("table", { name: "Audit log" });
  await table.locator("tbody tr").first().waitFor();
  const rows = table.locator("tbody tr").filter({ hasText: userName });
  const events = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.event));
  for (const event of ["create", "patch", "membership"]) assert.ok(events.includes(event), `${event} in ${events}`);
  assert.ok(await table.locator("tbody tr").filter({ hasText: groupName }).count() >= 2, "group created and its member added");
  await table.getByText("Staff Engineer").first().waitFor();
  await shot("07-audit-log.png");
  assert.deepEqual(problems, []);
});

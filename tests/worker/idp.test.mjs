// Recorded request shapes from Microsoft Entra ID and Okta, replayed against the running Worker
// (wrangler dev, local D1), with the outcomes a provisioning run needs. The bodies are the ones
// the providers document and send (Microsoft's "Develop and plan provisioning for a SCIM
// endpoint", Okta's "SCIM 2.0 protocol" reference) and the repository's examples/. The
// compat profile accepts each quirk; the service logs every accepted quirk as a JSON line and
// writes every provisioning event to the audit log, both checked here.
//
//   SCIM_URL=http://127.0.0.1:PORT SCIM_TOKEN=… WORKER_LOG=wrangler.log node --test tests/worker/idp.test.mjs
import assert from "node:assert/strict";
import { pbkdf2Sync } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import {
  auditOf,
  BULK,
  createGroup,
  createUser,
  d1,
  del,
  ENTERPRISE,
  example,
  get,
  GROUP,
  isScimError,
  logLines,
  patch,
  PATCH_OP,
  post,
  put,
  request,
  unique,
  USER,
} from "./lib/client.mjs";

const ENTRA = { headers: { "User-Agent": "Azure Active Directory SCIM Client" } };
const OKTA = { headers: { "User-Agent": "Okta SCIM Client 1.0.0" } };

/** The quirk names the service logged for a response. */
async function quirksLogged(answer) {
  const lines = await logLines(answer.requestId, { event: "quirk_accepted" });
  return lines === null ? null : lines.map((l) => l.quirk).sort();
}

const q = (filter) => `filter=${encodeURIComponent(filter)}`;

describe("Microsoft Entra ID", () => {
  test("probes for a user that does not exist: an empty ListResponse with Resources", async () => {
    const answer = await get(`/Users?${q(`userName eq "nobody-${unique()}@contoso.example"`)}`, ENTRA);
    assert.equal(answer.status, 200);
    assert.equal(answer.json.totalResults, 0);
    assert.deepEqual(answer.json.Resources, []);
  });

  test("creates a user with string booleans, a plain-id manager and no schemas", async () => {
    const body = example("payloads/user-entra.json");
    const id = unique();
    body.userName = `avery.${id}@contoso.example`;
    body.externalId = `entra-${id}`;
    const answer = await post("/Users", body, ENTRA);
    assert.equal(answer.status, 201, answer.text);
    const user = answer.json;
    assert.equal(user.active, true);
    assert.deepEqual(user[ENTERPRISE].manager, { value: "5e1f0a3b-8c7d-4e2f-9a6b-1d3c5e7f9a0b" });
    assert.deepEqual(user.schemas, [USER, ENTERPRISE]);
    const logged = await quirksLogged(answer);
    if (logged) assert.deepEqual(logged, ["managerString", "missingSchemas", "stringBooleans"]);
    const [created] = await auditOf("User", user.id);
    assert.equal(created.event, "create");
    assert.deepEqual(created.detail.quirks.sort(), ["managerString", "missingSchemas", "stringBooleans"]);
    assert.match(created.detail.userAgent, /Azure Active Directory/);
  });

  test("creates a user as documented (meta and empty roles sent) and finds it by userName and externalId", async () => {
    const id = unique();
    const body = {
      schemas: [USER, ENTERPRISE],
      externalId: `0a21f0f2-${id}`,
      userName: `Test_User_${id}`,
      active: true,
      emails: [{ primary: true, type: "work", value: `Test_User_${id}@testuser.com` }],
      meta: { resourceType: "User" },
      name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
      roles: [],
    };
    const answer = await post("/Users", body, ENTRA);
    assert.equal(answer.status, 201, answer.text);
    assert.equal(answer.json.roles, undefined);
    const byName = await get(`/Users?${q(`userName eq "test_user_${id}"`)}`, ENTRA);
    assert.deepEqual(byName.json.Resources.map((u) => u.id), [answer.json.id]);
    const byExternalId = await get(`/Users?${q(`externalId eq "0a21f0f2-${id}"`)}`, ENTRA);
    assert.deepEqual(byExternalId.json.Resources.map((u) => u.id), [answer.json.id]);
    // externalId is case-exact: another case is another value.
    const otherCase = await get(`/Users?${q(`externalId eq "0A21F0F2-${id}"`)}`, ENTRA);
    assert.equal(otherCase.json.totalResults, 0);
    // Matching on email, Entra asks with a sub-attribute after `]` (rule filterSubAttribute).
    const byEmail = await get(`/Users?${q(`emails[type eq "work"].value eq "test_user_${id}@testuser.com"`)}`, ENTRA);
    assert.equal(byEmail.status, 200, byEmail.text);
    assert.deepEqual(byEmail.json.Resources.map((u) => u.id), [answer.json.id]);
    const logged = await quirksLogged(byEmail);
    if (logged) assert.deepEqual(logged, ["filterSubAttribute"]);
  });

  test("the six-operation user PATCH: capitalized ops, string boolean, filtered path, manager id", async () => {
    const full = example("payloads/user-full.json");
    full.userName = `bjensen.${unique()}`;
    delete full.externalId;
    const user = await createUser(full.userName, full);
    const answer = await request("PATCH", `/Users/${user.id}`, example("patch/entra-user.json"), ENTRA);
    assert.equal(answer.status, 200, answer.text);
    const done = answer.json;
    assert.equal(done.active, false);
    assert.deepEqual(done.emails.filter((e) => e.type === "work").map((e) => e.value), ["marisol.rivera@example.org"]);
    assert.ok(done.phoneNumbers.some((p) => p.value === "+1 603 555 0177" && p.type === "fax"));
    assert.equal(done[ENTERPRISE].manager.value, "0f8e2c1d-7a6b-4c3d-9e8f-1a2b3c4d5e6f");
    assert.equal(done[ENTERPRISE].department, "Security");
    assert.equal(done.displayName, "Marisol A. Rivera");
    assert.deepEqual((await get(`/Users/${user.id}`)).json, done);
    const logged = await quirksLogged(answer);
    if (logged) for (const quirk of ["opCase", "stringBooleans", "managerString"]) assert.ok(logged.includes(quirk), quirk);
    const events = (await auditOf("User", user.id)).map((e) => e.event);
    assert.deepEqual(events, ["create", "patch", "deactivate"]);
  });

  test("disables a user with Replace active \"False\"", async () => {
    const user = await createUser(`avery.${unique()}`, { active: true });
    const answer = await patch(`/Users/${user.id}`, [{ op: "Replace", path: "active", value: "False" }], ENTRA);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.json.active, false);
    const [, patched, deactivated] = await auditOf("User", user.id);
    assert.equal(patched.event, "patch");
    assert.deepEqual(patched.detail.changes, [{ op: "replace", attribute: "active", old: true, new: false }]);
    assert.deepEqual(patched.detail.quirks.sort(), ["opCase", "stringBooleans"]);
    assert.equal(deactivated.event, "deactivate");
  });

  test("sets the manager as a one-element array with a null $ref", async () => {
    const user = await createUser(`managed.${unique()}`);
    const op = { op: "Add", path: `${ENTERPRISE}:manager`, value: [{ $ref: null, value: "f648f8d5ea4e4cd38e9c" }] };
    const answer = await patch(`/Users/${user.id}`, [op], ENTRA);
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.json[ENTERPRISE].manager, { value: "f648f8d5ea4e4cd38e9c" });
    const logged = await quirksLogged(answer);
    if (logged) assert.deepEqual(logged, ["opCase", "singleValueArrays"]);
  });

  test("replaces a work email the user does not have yet (createOnFilterMiss)", async () => {
    const user = await createUser(`noemail.${unique()}`);
    const answer = await patch(
      `/Users/${user.id}`,
      [
        { op: "Replace", path: 'emails[type eq "work"].value', value: "updatedEmail@microsoft.com" },
        { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
      ],
      ENTRA,
    );
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.json.emails, [{ type: "work", value: "updatedEmail@microsoft.com" }]);
    assert.equal(answer.json.name.familyName, "updatedFamilyName");
  });

  test("adds members with Add and removes one with a value array ($ref null)", async () => {
    const [a, b] = [await createUser(`a.${unique()}`), await createUser(`b.${unique()}`)];
    const group = await createGroup(`Tour Guides ${unique()}`);
    const added = await patch(
      `/Groups/${group.id}`,
      [{ op: "Add", path: "members", value: [{ $ref: null, value: a.id }, { $ref: null, value: b.id }] }],
      ENTRA,
    );
    assert.equal(added.status, 200, added.text);
    assert.deepEqual(added.json.members.map((m) => m.value), [a.id, b.id]);
    const removed = await patch(
      `/Groups/${group.id}`,
      [{ op: "Remove", path: "members", value: [{ $ref: null, value: a.id }] }],
      ENTRA,
    );
    assert.equal(removed.status, 200, removed.text);
    assert.deepEqual(removed.json.members, [{ value: b.id }]);
    const logged = await quirksLogged(removed);
    if (logged) assert.deepEqual(logged, ["opCase", "removeByValue"]);
    assert.equal((await get(`/Users/${a.id}`)).json.groups, undefined);
    const joined = (await get(`/Users/${b.id}`)).json;
    assert.deepEqual(joined.groups, [{ value: group.id, display: group.displayName, type: "direct" }]);
    // Joining changed the User (its `groups`): a new version and lastModified (RFC 7643 §3.1).
    assert.notEqual(joined.meta.version, b.meta.version);
    assert.ok(joined.meta.lastModified > b.meta.lastModified, `${joined.meta.lastModified} vs ${b.meta.lastModified}`);
    // Removing a member that is no longer there changes nothing (idempotent deprovisioning).
    const again = await patch(`/Groups/${group.id}`, [{ op: "Remove", path: "members", value: [{ value: a.id }] }], ENTRA);
    assert.equal(again.status, 200);
    assert.deepEqual(again.json.meta, removed.json.meta);
    // Each join and leave is on the User's audit trail.
    const trail = (await auditOf("User", a.id)).filter((e) => e.event === "membership").map((e) => e.detail.change);
    assert.deepEqual(trail, ["added", "removed"]);
  });

  test("renames a group with Replace displayName and reads it without members", async () => {
    const member = await createUser(`m.${unique()}`);
    const group = await createGroup(`Group ${unique()}`, [member.id]);
    const renamed = await patch(
      `/Groups/${group.id}`,
      [{ op: "Replace", path: "displayName", value: `${group.displayName} updatedDisplayName` }],
      ENTRA,
    );
    assert.equal(renamed.status, 200, renamed.text);
    const slim = await get(`/Groups/${group.id}?excludedAttributes=members`, ENTRA);
    assert.equal(slim.json.members, undefined);
    assert.equal(slim.json.displayName, `${group.displayName} updatedDisplayName`);
    assert.equal((await get(`/Users/${member.id}`)).json.groups[0].display, `${group.displayName} updatedDisplayName`);
  });

  test("creates a group listing Microsoft's ADSCIM group schema (foreignSchemas)", async () => {
    const body = {
      schemas: [GROUP, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
      externalId: `8aa1a0c0-${unique()}`,
      displayName: "displayName",
      meta: { resourceType: "Group" },
    };
    const answer = await post("/Groups", body, ENTRA);
    assert.equal(answer.status, 201, answer.text);
    assert.deepEqual(answer.json.schemas, [GROUP]);
    const quirks = await quirksLogged(answer);
    if (quirks !== null) assert.ok(quirks.includes("foreignSchemas"), String(quirks));
  });

  test("hard-deletes a user: 204, then 404, and the user leaves its groups", async () => {
    const user = await createUser(`gone.${unique()}`);
    const group = await createGroup(`Leavers ${unique()}`, [user.id]);
    assert.equal((await del(`/Users/${user.id}`, ENTRA)).status, 204);
    assert.ok(isScimError(await get(`/Users/${user.id}`), 404));
    assert.equal((await get(`/Groups/${group.id}`)).json.members, undefined);
    const events = (await auditOf("User", user.id)).map((e) => e.event);
    assert.deepEqual(events, ["create", "membership", "delete"]);
  });
});

describe("Okta", () => {
  test("looks a user up by userName with paging parameters", async () => {
    const user = await createUser(`okta.${unique()}@okta.local`);
    const answer = await get(`/Users?${q(`userName eq "${user.userName}"`)}&startIndex=1&count=100`, OKTA);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json.Resources.map((u) => u.id), [user.id]);
    assert.equal(answer.json.startIndex, 1);
  });

  test("creates a user with a password and empty groups; the password is never returned or audited", async () => {
    const id = unique();
    const body = {
      schemas: [USER],
      userName: `test.user.${id}@okta.local`,
      name: { givenName: "Test", familyName: "User" },
      emails: [{ primary: true, value: `test.user.${id}@okta.local`, type: "work" }],
      displayName: "Test User",
      locale: "en-US",
      externalId: `00ujl29u0le5T6Aj${id}`,
      groups: [],
      password: "1mz050nq",
      active: true,
    };
    const answer = await post("/Users", body, OKTA);
    assert.equal(answer.status, 201, answer.text);
    assert.equal(answer.json.password, undefined);
    assert.equal(answer.json.groups, undefined);
    const [created] = await auditOf("User", answer.json.id);
    assert.ok(!JSON.stringify(created).includes("1mz050nq"));
    assert.ok(created.detail.changes.some((c) => c.attribute === "password" && c.new === "[redacted]"));
    // Setting a new password by PATCH is audited without its value either.
    const changed = await patch(`/Users/${answer.json.id}`, [{ op: "replace", path: "password", value: "n3w-secret" }], OKTA);
    assert.equal(changed.status, 200);
    const events = await auditOf("User", answer.json.id);
    assert.ok(!JSON.stringify(events).includes("n3w-secret"));
  });

  test("deactivates with a path-less replace", async () => {
    const user = await createUser(`okta.${unique()}`, { active: true });
    const answer = await patch(`/Users/${user.id}`, [{ op: "replace", value: { active: false } }], OKTA);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.json.active, false);
    const found = await get(`/Users?${q(`active eq false and userName eq "${user.userName}"`)}`);
    assert.deepEqual(found.json.Resources.map((u) => u.id), [user.id]);
    assert.deepEqual((await auditOf("User", user.id)).map((e) => e.event), ["create", "patch", "deactivate"]);
  });

  test("replaces a user with PUT, sending id, meta and groups back", async () => {
    const user = await createUser(`okta.put.${unique()}`, { name: { givenName: "Test", familyName: "User" } });
    const body = { ...user, name: { givenName: "Testy", familyName: "User" }, active: false, groups: [] };
    const answer = await put(`/Users/${user.id}`, body, OKTA);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.json.name.givenName, "Testy");
    assert.equal(answer.json.id, user.id);
    assert.equal(answer.json.meta.created, user.meta.created);
    const events = await auditOf("User", user.id);
    assert.deepEqual(events.map((e) => e.event), ["create", "replace", "deactivate"]);
    assert.ok(events[1].detail.changes.some((c) => c.attribute === "name.givenName" && c.new === "Testy"));
  });

  test("a PUT that leaves out a stored attribute clears it, and the service logs that", async () => {
    const user = await createUser(`okta.clear.${unique()}`, { title: "Tour Guide", nickName: "Babs" });
    const { title, ...body } = user;
    assert.equal(title, "Tour Guide");
    const answer = await put(`/Users/${user.id}`, body, OKTA);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.json.title, undefined);
    assert.equal(answer.json.nickName, "Babs");
    const cleared = await logLines(answer.requestId, { event: "attribute_cleared" });
    if (cleared !== null) assert.deepEqual(cleared.map((l) => l.location), ["/title"]);
  });

  test("creates a group with empty members, renames it with id in the value, adds and removes by filter", async () => {
    const member = await createUser(`okta.member.${unique()}`);
    const created = await post("/Groups", { schemas: [GROUP], displayName: `Test SCIMv2 ${unique()}`, members: [] }, OKTA);
    assert.equal(created.status, 201, created.text);
    const group = created.json;
    const found = await get(`/Groups?${q(`displayName eq "${group.displayName}"`)}&startIndex=1&count=100`, OKTA);
    assert.deepEqual(found.json.Resources.map((g) => g.id), [group.id]);
    const rename = await patch(
      `/Groups/${group.id}`,
      [{ op: "replace", value: { id: group.id, displayName: `${group.displayName} renamed` } }],
      OKTA,
    );
    assert.equal(rename.status, 200, rename.text);
    assert.equal(rename.json.displayName, `${group.displayName} renamed`);
    assert.equal(rename.json.id, group.id);
    const logged = await quirksLogged(rename);
    if (logged) assert.deepEqual(logged, ["readOnlyInValue"]);
    const add = await patch(
      `/Groups/${group.id}`,
      [{ op: "add", path: "members", value: [{ value: member.id, display: member.userName }] }],
      OKTA,
    );
    assert.equal(add.status, 200, add.text);
    assert.equal((await get(`/Users/${member.id}`)).json.groups[0].display, `${group.displayName} renamed`);
    const remove = await patch(`/Groups/${group.id}`, [{ op: "remove", path: `members[value eq "${member.id}"]` }], OKTA);
    assert.equal(remove.status, 200, remove.text);
    assert.equal(remove.json.members, undefined);
    // The same filter again matches nothing: no change (compat removeOnFilterMiss; strict
    // would answer noTarget, RFC 7644 §3.12), so a retried removal is not an error.
    const absent = await patch(`/Groups/${group.id}`, [{ op: "remove", path: `members[value eq "${member.id}"]` }], OKTA);
    assert.equal(absent.status, 200, absent.text);
    assert.deepEqual(absent.json.meta, remove.json.meta);
    const missed = await quirksLogged(absent);
    if (missed) assert.deepEqual(missed, ["removeOnFilterMiss"]);
    const events = (await auditOf("Group", group.id)).map((e) => e.event);
    assert.deepEqual(events, ["create", "patch", "patch", "patch"]);
  });
});

describe("service rules both providers rely on", () => {
  test("userName is unique case-insensitively and externalId exactly: 409 uniqueness", async () => {
    const id = unique();
    const first = await createUser(`BJensen.${id}`, { externalId: `ext-${id}` });
    const other = await createUser(`jsmith.${id}`);
    const taken = await post("/Users", { schemas: [USER], userName: `bjensen.${id}` });
    assert.ok(isScimError(taken, 409, "uniqueness"), taken.text);
    const sameExternal = await post("/Users", { schemas: [USER], userName: `x.${id}`, externalId: `ext-${id}` });
    assert.ok(isScimError(sameExternal, 409, "uniqueness"), sameExternal.text);
    const otherCaseExternal = await post("/Users", { schemas: [USER], userName: `y.${id}`, externalId: `EXT-${id}` });
    assert.equal(otherCaseExternal.status, 201);
    const patched = await patch(`/Users/${other.id}`, [{ op: "replace", path: "userName", value: `BJENSEN.${id}` }]);
    assert.ok(isScimError(patched, 409, "uniqueness"), patched.text);
    const mine = await put(`/Users/${first.id}`, { schemas: [USER], userName: `bjensen.${id}`, externalId: `ext-${id}` });
    assert.equal(mine.status, 200, mine.text);
  });

  test("a bad query string on a write is a 400 that changed nothing", async () => {
    const id = unique();
    const bad = "?attributes=userName&excludedAttributes=title";
    const created = await post(`/Users${bad}`, { schemas: [USER], userName: `ghost.${id}` });
    assert.ok(isScimError(created, 400, "invalidValue"), created.text);
    const found = await get(`/Users?${q(`userName eq "ghost.${id}"`)}`);
    assert.equal(found.json.totalResults, 0);
    const user = await createUser(`guide.${id}`, { title: "Guide" });
    const patched = await patch(`/Users/${user.id}${bad}`, [{ op: "replace", path: "title", value: "Boss" }]);
    assert.ok(isScimError(patched, 400, "invalidValue"), patched.text);
    const replaced = await put(`/Users/${user.id}?count=abc`, { schemas: [USER], userName: `guide.${id}`, title: "Boss" });
    assert.ok(isScimError(replaced, 400, "invalidValue"), replaced.text);
    assert.equal((await get(`/Users/${user.id}`)).json.title, "Guide");
  });

  test("concurrent creates of one userName: exactly one wins", async () => {
    const name = `race.${unique()}`;
    const answers = await Promise.all(Array.from({ length: 6 }, () => post("/Users", { schemas: [USER], userName: name })));
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409, 409, 409, 409, 409]);
  });

  test("If-Match guards PATCH, PUT and DELETE; If-None-Match gives 304", async () => {
    const user = await createUser(`etag.${unique()}`);
    const path = `/Users/${user.id}`;
    const stale = { headers: { "If-Match": 'W/"0000000000000000"' } };
    assert.ok(isScimError(await patch(path, [{ op: "replace", path: "title", value: "x" }], stale), 412));
    assert.ok(isScimError(await del(path, stale), 412));
    const fresh = await patch(path, [{ op: "replace", path: "title", value: "x" }], { headers: { "If-Match": user.meta.version } });
    assert.equal(fresh.status, 200);
    assert.equal(fresh.headers.get("etag"), fresh.json.meta.version);
    const cached = await get(path, { headers: { "If-None-Match": fresh.json.meta.version } });
    assert.equal(cached.status, 304);
    assert.ok(isScimError(await put(path, { schemas: [USER], userName: user.userName }, { headers: { "If-Match": user.meta.version } }), 412));
  });

  test("concurrent PATCHes of one group all land (optimistic concurrency, no lost update)", async () => {
    const users = await Promise.all(Array.from({ length: 6 }, (_, i) => createUser(`conc${i}.${unique()}`)));
    const group = await createGroup(`Concurrent ${unique()}`);
    const answers = await Promise.all(
      users.map((u) => patch(`/Groups/${group.id}`, [{ op: "Add", path: "members", value: [{ value: u.id }] }])),
    );
    assert.deepEqual(answers.map((a) => a.status), users.map(() => 200));
    const members = (await get(`/Groups/${group.id}`)).json.members.map((m) => m.value).sort();
    assert.deepEqual(members, users.map((u) => u.id).sort());
    for (const u of users) assert.equal((await get(`/Users/${u.id}`)).json.groups[0].value, group.id);
  });

  test("application/json is accepted, text/plain is 415; no token is 401; unknown methods 405", async () => {
    const plain = await post("/Users", { schemas: [USER], userName: `plain.${unique()}` }, { type: "application/json" });
    assert.equal(plain.status, 201);
    const refused = await post("/Users", { schemas: [USER], userName: `t.${unique()}` }, { type: "text/plain" });
    assert.ok(isScimError(refused, 415));
    assert.equal(refused.headers.get("accept"), "application/scim+json, application/json");
    const anonymous = await get("/Users", { token: null });
    assert.ok(isScimError(anonymous, 401));
    assert.match(anonymous.headers.get("www-authenticate"), /^Bearer/);
    assert.ok(isScimError(await get("/Users", { token: "wrong" }), 401));
    const method = await request("DELETE", "/Users");
    assert.ok(isScimError(method, 405));
    assert.equal(method.headers.get("allow"), "GET, HEAD, POST");
    assert.ok(isScimError(await get(`/Users?${q("userName eq")}`), 400, "invalidFilter"));
    assert.ok(isScimError(await post("/Users", '{"userName": "a", "userName": "b"}'), 400, "invalidSyntax"));
  });

  test("a malformed attributes name on a write is a 400 that stored nothing", async () => {
    const name = `ghost.${unique()}`;
    const refused = await post("/Users?attributes=x%5B", { schemas: [USER], userName: name });
    assert.ok(isScimError(refused, 400, "invalidValue"));
    assert.equal((await get(`/Users?${q(`userName eq "${name}"`)}`)).json.totalResults, 0);
  });

  test("groups lists only the Groups naming the User's id exactly", async () => {
    const user = await createUser(`case.${unique()}`);
    // An id is case exact (RFC 7643 §3.1): the id in capitals names no member at all.
    const shouting = await post("/Groups", { schemas: [GROUP], displayName: `shouting.${unique()}`, members: [{ value: user.id.toUpperCase() }] });
    assert.ok(isScimError(shouting, 400, "invalidValue"), shouting.text);
    assert.equal((await get(`/Users/${user.id}`)).json.groups, undefined);
    const ops = await createGroup(`ops.${unique()}`, [user.id]);
    assert.deepEqual((await get(`/Users/${user.id}`)).json.groups.map((g) => g.value), [ops.id]);
    assert.equal((await del(`/Groups/${ops.id}`)).status, 204);
    assert.equal((await get(`/Users/${user.id}`)).json.groups, undefined);
  });

  test("long filters run on D1 or are refused as invalidFilter, never a database error", async () => {
    // D1 allows 100 bound parameters and an expression 100 deep: a long `or` chain is written
    // in groups, and a filter needing more parameters is refused by scimkit before D1 sees it.
    const name = `long.${unique()}`;
    await createUser(name);
    const many = (n, op) => Array.from({ length: n }, (_, i) => `userName ${op} "${i === n - 1 ? name : `nobody${i}`}"`).join(" or ");
    const found = await get(`/Users?${q(many(95, "eq"))}`);
    assert.equal(found.status, 200);
    assert.equal(found.json.totalResults, 1);
    const refused = await get(`/Users?${q(many(60, "ew"))}`);
    assert.ok(isScimError(refused, 400, "invalidFilter"), refused.text);
    assert.match(refused.json.detail, /bound parameters/);
  });

  test("HEAD answers as GET without the body", async () => {
    const user = await createUser(`head.${unique()}`);
    const got = await get(`/Users/${user.id}`);
    const head = await request("HEAD", `/Users/${user.id}`);
    assert.equal(head.status, 200);
    assert.equal(head.text, "");
    assert.equal(head.headers.get("etag"), got.headers.get("etag"));
    assert.equal(head.headers.get("content-type"), got.headers.get("content-type"));
    const fresh = await request("HEAD", `/Users/${user.id}`, undefined, { headers: { "If-None-Match": got.headers.get("etag") } });
    assert.equal(fresh.status, 304);
    assert.equal((await request("HEAD", `/Users?${q("userName eq")}`)).status, 400);
    const refused = await request("HEAD", "/.search");
    assert.equal(refused.status, 405);
    assert.equal(refused.headers.get("allow"), "POST");
  });

  test("Bulk: bulkId references resolved in order, failures reported per operation, cycles broken or refused alone", async () => {
    const id = unique();
    const body = {
      schemas: [BULK],
      Operations: [
        { method: "POST", path: "/Groups", bulkId: "g", data: { schemas: [GROUP], displayName: `Bulk ${id}`, members: [{ value: "bulkId:u" }] } },
        { method: "POST", path: "/Users", bulkId: "u", data: { schemas: [USER], userName: `bulk.${id}` } },
        { method: "POST", path: "/Users", bulkId: "dup", data: { schemas: [USER], userName: `BULK.${id}` } },
        { method: "PATCH", path: "/Users/bulkId:u", data: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Replace", path: "active", value: "False" }] } },
      ],
    };
    const answer = await post("/Bulk", body, ENTRA);
    assert.equal(answer.status, 200, answer.text);
    const [group, user, dup, patched] = answer.json.Operations;
    assert.deepEqual([group.status, user.status, dup.status, patched.status], ["201", "201", "409", "200"]);
    assert.equal(dup.response.scimType, "uniqueness");
    const userId = user.location.split("/").pop();
    const stored = (await get(`/Users/${userId}`)).json;
    assert.equal(stored.active, false);
    assert.equal(stored.groups[0].display, `Bulk ${id}`);
    const cycle = await post("/Bulk", {
      schemas: [BULK],
      Operations: [
        { method: "POST", path: "/Groups", bulkId: "a", data: { schemas: [GROUP], displayName: `A ${id}`, members: [{ value: "bulkId:b" }] } },
        { method: "POST", path: "/Groups", bulkId: "b", data: { schemas: [GROUP], displayName: `B ${id}`, members: [{ value: "bulkId:a" }] } },
        { method: "PUT", path: "/Users/bulkId:x", bulkId: "y", data: { schemas: [USER], userName: `y.${id}` } },
        { method: "PUT", path: "/Users/bulkId:y", bulkId: "x", data: { schemas: [USER], userName: `x.${id}` } },
        { method: "POST", path: "/Groups", bulkId: "c", data: { schemas: [GROUP], displayName: `C ${id}` } },
      ],
    });
    // A cycle through POSTs is broken (RFC 7644 §3.7.1): A is created without B, then B with A,
    // then A gets B by a PATCH; one result each. A cycle through paths alone cannot be broken:
    // its operations fail on their own (409 each), and an unrelated one still runs.
    assert.equal(cycle.status, 200, cycle.text);
    assert.deepEqual(
      cycle.json.Operations.map((o) => [o.bulkId, o.status, o.response?.detail]),
      [
        ["a", "201", undefined],
        ["b", "201", undefined],
        ["y", "409", "circular `bulkId` references: `y` → `x` → `y`"],
        ["x", "409", "circular `bulkId` references: `y` → `x` → `y`"],
        ["c", "201", undefined],
      ],
    );
    const [a, b] = cycle.json.Operations.slice(0, 2).map((o) => o.location.split("/").pop());
    assert.deepEqual((await get(`/Groups/${a}`)).json.members.map((m) => m.value), [b]);
    assert.deepEqual((await get(`/Groups/${b}`)).json.members.map((m) => m.value), [a]);
    // A's version is the one the PATCH made.
    assert.equal(cycle.json.Operations[0].version, (await get(`/Groups/${a}`)).headers.get("etag"));
  });

  test("lists: filter, sortBy, paging, attributes; /.search per type and across types", async () => {
    const id = unique();
    for (const [name, title] of [["carol", "Dev"], ["alice", "Ops"], ["Bob", "Dev"], ["dave", "Dev"]]) {
      await createUser(`${name}.${id}`, { title: `${title}-${id}` });
    }
    const listed = await get(
      `/Users?${q(`title eq "dev-${id}"`)}&sortBy=userName&sortOrder=descending&startIndex=2&count=1&attributes=userName`,
    );
    assert.equal(listed.json.totalResults, 3);
    assert.equal(listed.json.itemsPerPage, 1);
    assert.deepEqual(Object.keys(listed.json.Resources[0]).sort(), ["id", "schemas", "userName"]);
    assert.equal(listed.json.Resources[0].userName, `carol.${id}`); // dave, carol, Bob
    const searched = await post("/Users/.search", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      filter: `userName sw "A" and title ew "${id}"`,
      attributes: ["userName"],
    });
    assert.deepEqual(searched.json.Resources.map((r) => r.userName), [`alice.${id}`]);
    // POST /.search spans the types; a filter applies to the types that have its attributes.
    const lead = await createUser(`lead.${id}`, { displayName: `Ops ${id}` });
    const group = await createGroup(`Ops ${id}`, [lead.id]);
    const search = { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"] };
    const both = await post("/.search", { ...search, filter: `displayName eq "ops ${id}"` });
    assert.deepEqual(both.json.Resources.map((r) => r.id).sort(), [group.id, lead.id].sort());
    const usersOnly = await post("/.search", { ...search, filter: `displayName eq "ops ${id}" or userName eq "alice.${id}"` });
    assert.equal(usersOnly.json.totalResults, 2); // Groups have no userName: the filter is the Users'
    assert.ok(isScimError(await post("/.search", { ...search, filter: 'nosuch eq "x"' }), 400, "invalidFilter"));
    assert.ok(isScimError(await get(`/Users?${q('nosuch eq "x"')}`), 400, "invalidFilter"));
    assert.ok(isScimError(await get("/Users?count=ten"), 400, "invalidValue"));
  });

  test("a group's PUT and DELETE keep members' groups in step", async () => {
    const [a, b] = [await createUser(`pa.${unique()}`), await createUser(`pb.${unique()}`)];
    const group = await createGroup(`Put ${unique()}`, [a.id]);
    const replaced = await put(`/Groups/${group.id}`, { schemas: [GROUP], displayName: `${group.displayName} v2`, members: [{ value: b.id }] });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal((await get(`/Users/${a.id}`)).json.groups, undefined);
    assert.equal((await get(`/Users/${b.id}`)).json.groups[0].display, `${group.displayName} v2`);
    assert.equal((await del(`/Groups/${group.id}`)).status, 204);
    assert.equal((await get(`/Users/${b.id}`)).json.groups, undefined);
    const found = await get(`/Users?${q(`groups.value eq "${group.id}"`)}`);
    assert.equal(found.json.totalResults, 0);
  });

  test("limits and unsupported endpoints answer with SCIM errors", async () => {
    const huge = JSON.stringify({ schemas: [USER], userName: "x", title: "x".repeat(8 * 1024 * 1024) });
    assert.ok(isScimError(await post("/Users", huge), 413));
    assert.ok(isScimError(await get("/Me"), 501));
    assert.ok(isScimError(await get("/Nowhere"), 404));
    assert.ok(isScimError(await get(`/Schemas/${encodeURIComponent("urn:nope")}`), 404));
    assert.equal((await get("/ResourceTypes/User")).json.endpoint, "/Users");
    const config = (await get("/ServiceProviderConfig")).json;
    assert.equal(config.changePassword.supported, true); // passwords can be changed (PUT, PATCH)
    assert.ok(config.bulk.supported && config.patch.supported && config.etag.supported && config.sort.supported);
    // RFC 7644 §4: a filter on a discovery endpoint is answered 403, never silently ignored.
    assert.ok(isScimError(await get(`/ResourceTypes?${q('name eq "User"')}`), 403));
    assert.ok(isScimError(await get("/Schemas?filter="), 403));
    assert.ok(isScimError(await get(`/ServiceProviderConfig?${q("patch.supported eq true")}`), 403));
    assert.ok(isScimError(await get("/Schemas?FILTER=x"), 403)); // parameter names in any case
    assert.ok(isScimError(await del("/Schemas?filter=x"), 405)); // the method is checked first
  });
});

describe("service rules: bodies, passwords, members, unique values, the root", () => {
  const CONSOLE = { headers: { "X-Scimkit-Actor": "console" } };
  /** The location of the (first) error the console is told about. */
  const where = (answer) => answer.json["urn:scimkit:api:messages:2.0:Errors"]?.errors?.[0]?.location;
  const latin1 = (text) => Uint8Array.from(text, (c) => c.charCodeAt(0)); // one byte per character
  const found = async (filter) => (await get(`/Users?${q(filter)}`)).json.totalResults;

  test("a body that is not UTF-8 is a 400 invalidSyntax, never stored with U+FFFD in it", async () => {
    const id = unique();
    // "josé" and "josè" in Latin-1: before, both became "jos\uFFFD…" (the second a 409).
    for (const name of [`jos\u00e9.${id}`, `jos\u00e8.${id}`]) {
      const answer = await post("/Users", latin1(JSON.stringify({ schemas: [USER], userName: name })));
      assert.ok(isScimError(answer, 400, "invalidSyntax"), answer.text);
      assert.match(answer.json.detail, /UTF-8/);
    }
    assert.equal(await found(`userName ew ".${id}"`), 0);
    const utf8 = await post("/Users", { schemas: [USER], userName: `jos\u00e9.${id}` });
    assert.equal(utf8.status, 201, utf8.text);
    assert.equal(utf8.json.userName, `jos\u00e9.${id}`);
    // PATCH, PUT and Bulk bodies are read the same way.
    const ops = { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: "Se\u00f1or" }] };
    const patched = await request("PATCH", `/Users/${utf8.json.id}`, latin1(JSON.stringify(ops)));
    assert.ok(isScimError(patched, 400, "invalidSyntax"), patched.text);
    const replaced = await request("PUT", `/Users/${utf8.json.id}`, latin1(JSON.stringify({ schemas: [USER], userName: `jos\u00e9.${id}` })));
    assert.ok(isScimError(replaced, 400, "invalidSyntax"), replaced.text);
    const bulk = { schemas: [BULK], Operations: [{ method: "POST", path: "/Users", data: { schemas: [USER], userName: `b\u00e9.${id}` } }] };
    assert.ok(isScimError(await post("/Bulk", latin1(JSON.stringify(bulk))), 400, "invalidSyntax"));
    assert.equal((await get(`/Users/${utf8.json.id}`)).json.title, undefined);
    assert.equal(await found(`userName ew ".${id}"`), 1);
  });

  test("a charset other than UTF-8 is a 415 with Accept; UTF-8 in any spelling is read", async () => {
    const id = unique();
    for (const type of ["application/scim+json; charset=iso-8859-1", 'application/json;Charset="latin1"', "application/scim+json; charset=utf-16"]) {
      const answer = await post("/Users", { schemas: [USER], userName: `cs.${id}` }, { type });
      assert.ok(isScimError(answer, 415), `${type}: ${answer.text}`);
      assert.equal(answer.headers.get("accept"), "application/scim+json, application/json");
    }
    assert.equal(await found(`userName eq "cs.${id}"`), 0);
    const types = ["application/scim+json; charset=utf-8", 'application/scim+json; CHARSET="UTF-8"', "application/json;charset=utf8"];
    for (const [i, type] of types.entries()) {
      const answer = await post("/Users", { schemas: [USER], userName: `cs${i}.\u00e9.${id}` }, { type });
      assert.equal(answer.status, 201, `${type}: ${answer.text}`);
      assert.equal(answer.json.userName, `cs${i}.\u00e9.${id}`);
    }
  });

  test("a UTF-8 byte order mark at the start is ignored, as RFC 8259 §8.1 allows", async () => {
    const id = unique();
    const BOM = [0xef, 0xbb, 0xbf];
    const withBom = (document, prefix = BOM) => Uint8Array.from([...prefix, ...new TextEncoder().encode(JSON.stringify(document))]);
    const created = await post("/Users", withBom({ schemas: [USER], userName: `bom.\u00e9.${id}` }));
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.userName, `bom.\u00e9.${id}`);
    const ops = { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: "T" }] };
    const patched = await request("PATCH", `/Users/${created.json.id}`, withBom(ops));
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.json.title, "T");
    const replaced = await put(`/Users/${created.json.id}`, withBom({ schemas: [USER], userName: `bom.\u00e9.${id}` }));
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.json.title, undefined);
    const search = { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: `userName eq "bom.\u00e9.${id}"` };
    assert.equal((await post("/.search", withBom(search))).json.totalResults, 1);
    // Only one, and only at the start: anything else is no JSON text.
    const doc = { schemas: [USER], userName: `bom2.${id}` };
    for (const prefix of [[...BOM, ...BOM], [0x20, ...BOM]]) {
      const answer = await post("/Users", withBom(doc, prefix));
      assert.equal(answer.status, 400, answer.text);
    }
    // A UTF-16 byte order mark is no UTF-8.
    const utf16 = Uint8Array.from([0xff, 0xfe, ...[...JSON.stringify(doc)].flatMap((c) => [c.charCodeAt(0), 0])]);
    assert.ok(isScimError(await post("/Users", utf16), 400, "invalidSyntax"));
    assert.equal(await found(`userName eq "bom2.${id}"`), 0);
  });

  test("PATCH remove of password clears the stored hash (any op case, URN path); replace sets it", async () => {
    const user = await createUser(`pw.${unique()}`, { password: "t1meToChange!" });
    const hash = () => d1(`SELECT "hash" FROM "passwords" WHERE "id" = '${user.id}'`)?.map((r) => r.hash);
    const first = hash();
    if (first) assert.equal(first.length, 1);
    // Another change keeps the password as it is.
    const titled = await patch(`/Users/${user.id}`, [{ op: "replace", path: "title", value: "Keeper" }]);
    assert.equal(titled.status, 200, titled.text);
    assert.equal(titled.json.password, undefined);
    if (first) assert.deepEqual(hash(), first);
    const removed = await patch(`/Users/${user.id}`, [{ op: "Remove", path: `${USER}:password` }], OKTA);
    assert.equal(removed.status, 200, removed.text);
    assert.equal(removed.json.password, undefined);
    assert.ok(removed.json.meta.lastModified > titled.json.meta.lastModified);
    if (first) assert.deepEqual(hash(), []);
    const events = await auditOf("User", user.id);
    assert.deepEqual(events.at(-1).detail.changes, [{ op: "remove", attribute: "password", redacted: true }]);
    // Removed already: no change, no event.
    const again = await patch(`/Users/${user.id}`, [{ op: "remove", path: "password" }]);
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.json.meta, removed.json.meta);
    assert.equal((await auditOf("User", user.id)).length, events.length);
    // Set again, by path and path-less (as Okta sends it).
    const set = await patch(`/Users/${user.id}`, [{ op: "replace", path: "password", value: "n3wSecret!" }]);
    assert.equal(set.status, 200, set.text);
    const second = hash();
    if (first) assert.equal(second.length, 1);
    const okta = await patch(`/Users/${user.id}`, [{ op: "replace", value: { password: "an0ther!" } }], OKTA);
    assert.equal(okta.status, 200, okta.text);
    if (first) assert.notDeepEqual(hash(), second);
    // The stand-in the PATCH works with is never answered, stored, audited or logged.
    const trail = JSON.stringify(await auditOf("User", user.id));
    assert.doesNotMatch(trail, /stored-password|\\u0000/);
    assert.equal((await get(`/Users/${user.id}`)).json.password, undefined);
    const rows = d1(`SELECT "data" FROM "users" WHERE "id" = '${user.id}'`);
    if (rows) assert.doesNotMatch(rows[0].data, /password/);
    if (process.env.WORKER_LOG) assert.doesNotMatch(readFileSync(process.env.WORKER_LOG, "utf8"), /stored-password/);
  });

  test("a password holding U+0000 is hashed, never refused: only the unique values are checked", async () => {
    const id = unique();
    const password = "Hunter2-secret\u0000x";
    const created = await post("/Users", { schemas: [USER], userName: `nul.${id}`, password }, CONSOLE);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.password, undefined);
    // Set by PATCH and by PUT as well.
    const patchedUser = await createUser(`nul.patch.${id}`);
    const patched = await patch(`/Users/${patchedUser.id}`, [{ op: "replace", path: "password", value: "p\u0000atched" }]);
    assert.equal(patched.status, 200, patched.text);
    const putUser = await createUser(`nul.put.${id}`);
    const replaced = await put(`/Users/${putUser.id}`, { schemas: [USER], userName: `nul.put.${id}`, password: "p\u0000ut" });
    assert.equal(replaced.status, 200, replaced.text);
    assert.doesNotMatch(JSON.stringify(await auditOf("User", created.json.id)), /Hunter2|\\u0000/);
    // The unique values are still checked as before, and a stored value still may not hold it.
    const clash = await post("/Users", { schemas: [USER], userName: `NUL.${id}`, password }, CONSOLE);
    assert.ok(isScimError(clash, 409, "uniqueness"), clash.text);
    assert.equal(where(clash), "/userName");
    assert.equal((await post("/Users", { schemas: [USER], userName: `n\u0000l.${id}` })).status, 400);
    // Stored as the PBKDF2 hash of the password as sent (read last: the local D1 is read by a
    // wrangler process, which keeps this one from serving its idle connections meanwhile).
    const ids = [created.json.id, patchedUser.id, putUser.id];
    const rows = d1(
      `SELECT "users"."id" AS "id", "hash", "data" FROM "users" JOIN "passwords" ON "passwords"."id" = "users"."id" ` +
        `WHERE "users"."id" IN (${ids.map((i) => `'${i}'`).join(", ")})`,
    );
    if (rows === null) return;
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    const verifies = (userId, secret) => {
      const [scheme, iterations, salt, digest] = byId[userId].hash.split("$");
      assert.equal(scheme, "pbkdf2-sha256");
      return pbkdf2Sync(secret, Buffer.from(salt, "hex"), Number(iterations), 32, "sha256").toString("hex") === digest;
    };
    assert.equal(verifies(created.json.id, password), true);
    assert.equal(verifies(created.json.id, "Hunter2-secret"), false);
    assert.equal(verifies(patchedUser.id, "p\u0000atched"), true);
    assert.equal(verifies(putUser.id, "p\u0000ut"), true);
    for (const row of rows) assert.doesNotMatch(row.data, /password|Hunter2/);
  });

  test("a Group member must be a User or Group of the service: 400 invalidValue at the member", async () => {
    const id = unique();
    const user = await createUser(`member.${id}`);
    const ghost = `ghost-${id}`;
    const body = { schemas: [GROUP], displayName: `Real ${id}`, members: [{ value: user.id }, { value: ghost }] };
    const created = await post("/Groups", body, CONSOLE);
    assert.ok(isScimError(created, 400, "invalidValue"), created.text);
    assert.equal(where(created), "/members/1/value");
    assert.equal((await get(`/Users/${user.id}`)).json.groups, undefined); // nothing written
    const group = await createGroup(`Real ${id}`, [user.id]);
    const nested = await createGroup(`Parent ${id}`, [group.id, user.id]); // a Group may be a member
    assert.deepEqual(nested.members.map((m) => m.value), [group.id, user.id]);
    const replaced = await put(`/Groups/${group.id}`, body, CONSOLE);
    assert.ok(isScimError(replaced, 400, "invalidValue"), replaced.text);
    assert.equal(where(replaced), "/members/1/value");
    const ops = [
      { op: "replace", path: "displayName", value: "renamed" },
      { op: "Add", path: "members", value: [{ value: user.id }, { value: ghost }] },
    ];
    const patched = await patch(`/Groups/${group.id}`, ops, { headers: { ...CONSOLE.headers, ...OKTA.headers } });
    assert.ok(isScimError(patched, 400, "invalidValue"), patched.text);
    assert.equal(where(patched), "/Operations/1/value/1/value");
    const kept = (await get(`/Groups/${group.id}`)).json;
    assert.equal(kept.displayName, `Real ${id}`);
    assert.deepEqual(kept.members, [{ value: user.id }]);
  });

  test("a missing member is located at its value, never at an equal string elsewhere", async () => {
    const id = unique();
    const ghost = `ghost-${id}`;
    const created = await post("/Groups", { schemas: [GROUP], displayName: `G ${id}`, members: [{ display: ghost, value: ghost }] }, CONSOLE);
    assert.ok(isScimError(created, 400, "invalidValue"), created.text);
    assert.equal(where(created), "/members/0/value");
    // The key in any case, or under the Group schema URN.
    const cased = { schemas: [GROUP], displayName: ghost, Members: [{ display: ghost, VALUE: ghost }] };
    assert.equal(where(await post("/Groups", cased, CONSOLE)), "/Members/0/VALUE");
    const group = await createGroup(`G ${id}`);
    const path = `/Groups/${group.id}`;
    const qualified = { schemas: [GROUP], displayName: ghost, [`${GROUP}:members`]: [{ display: ghost, value: ghost }] };
    assert.equal(where(await put(path, qualified, CONSOLE)), `/${GROUP}:members/0/value`);
    const rename = { op: "replace", path: "displayName", value: ghost };
    const cases = [
      [[rename, { op: "add", path: "members", value: [{ value: ghost }] }], "/Operations/1/value/0/value"],
      [[rename, { op: "add", path: "MEMBERS", value: [{ display: ghost }, { value: ghost }] }], "/Operations/1/value/1/value"],
      [[rename, { op: "add", path: `${GROUP}:members`, value: [{ value: ghost }] }], "/Operations/1/value/0/value"],
      [[{ op: "add", value: { displayName: ghost, Members: [{ display: ghost, value: ghost }] } }], "/Operations/0/value/Members/0/value"],
      // A filtered path adds a member when the filter matches none: from the value or the filter.
      [[rename, { op: "add", path: 'members[value eq "x"]', value: { value: ghost } }], "/Operations/1/value/value"],
      [[rename, { op: "add", path: `members[value eq "${ghost}"]`, value: { display: ghost } }], "/Operations/1/path"],
      [[rename, { op: "add", path: 'members[display eq "d"].value', value: ghost }], "/Operations/1/value"],
    ];
    for (const [ops, location] of cases) {
      const answer = await patch(path, ops, CONSOLE);
      assert.ok(isScimError(answer, 400, "invalidValue"), `${JSON.stringify(ops)}: ${answer.text}`);
      assert.equal(where(answer), location, JSON.stringify(ops));
    }
    assert.deepEqual((await get(path)).json, group);
  });

  test("deleting a Group removes it from every Group it was in", async () => {
    const id = unique();
    const user = await createUser(`nest.${id}`);
    const child = await createGroup(`Child ${id}`, [user.id]);
    const parent = await createGroup(`Parent ${id}`, [child.id, user.id]);
    const other = await createGroup(`Other ${id}`, [child.id]);
    assert.equal((await del(`/Groups/${child.id}`)).status, 204);
    const after = (await get(`/Groups/${parent.id}`)).json;
    assert.deepEqual(after.members, [{ value: user.id }]);
    assert.ok(after.meta.lastModified > parent.meta.lastModified);
    assert.equal((await get(`/Groups/${other.id}`)).json.members, undefined);
    assert.equal((await get(`/Groups?${q(`members.value eq "${child.id}"`)}`)).json.totalResults, 0);
    const [, removal] = await auditOf("Group", parent.id);
    assert.equal(removal.event, "patch");
    assert.equal(removal.detail.cause, "member deleted");
    assert.deepEqual((await get(`/Users/${user.id}`)).json.groups.map((g) => g.value), [parent.id]);
  });

  test("a PATCH adding 120 members at once (more ids than one D1 statement binds) keeps every member's groups", async () => {
    const id = unique();
    const users = [];
    for (const from of [0, 60]) {
      const made = await post("/Bulk", {
        schemas: [BULK],
        Operations: Array.from({ length: 60 }, (_, i) => ({ method: "POST", path: "/Users", bulkId: `u${i}`, data: { schemas: [USER], userName: `many.${from + i}.${id}` } })),
      });
      assert.equal(made.status, 200, made.text);
      users.push(...made.json.Operations.map((o) => o.location.split("/").pop()));
    }
    assert.equal(new Set(users).size, 120);
    const AS_OKTA = { headers: { ...CONSOLE.headers, ...OKTA.headers } };
    const child = await createGroup(`Child ${id}`);
    const group = await createGroup(`Many ${id}`);
    const path = `/Groups/${group.id}`;
    const ghost = `ghost-${id}`;
    const add = (values) => [{ op: "Add", path: "members", value: values.map((value) => ({ value })) }];
    // A missing member past the first statement's ids is still found, and located.
    const refused = await patch(path, add([...users, child.id, ghost]), AS_OKTA);
    assert.ok(isScimError(refused, 400, "invalidValue"), refused.text);
    assert.equal(where(refused), "/Operations/0/value/121/value");
    const added = await patch(path, add([...users, child.id]), AS_OKTA);
    assert.equal(added.status, 200, added.text);
    assert.equal(added.json.members.length, 121);
    for (const i of [0, 89, 90, 119]) {
      assert.deepEqual((await get(`/Users/${users[i]}`)).json.groups.map((g) => g.value), [group.id], `user ${i}`);
    }
    const members = (await get(`/Groups?${q(`members.value eq "${users[100]}"`)}`)).json;
    assert.deepEqual(members.Resources.map((g) => g.id), [group.id]);
    // Emptied at once: every member leaves.
    const emptied = await patch(path, [{ op: "replace", path: "members", value: [] }], AS_OKTA);
    assert.equal(emptied.status, 200, emptied.text);
    for (const i of [0, 90, 119]) assert.equal((await get(`/Users/${users[i]}`)).json.groups, undefined, `user ${i}`);
  });

  test("a member deleted while a PATCH adds it is never left listed", async () => {
    // Each round races a PATCH adding a member to its own Group with the DELETE of that member
    // (a User, then a Group): whichever commits first, the Group ends without a deleted member.
    const id = unique();
    const rounds = 8;
    const setup = async (i) => ({
      group: await createGroup(`Race ${i} ${id}`),
      user: await createUser(`race${i}.${id}`),
      child: await createGroup(`Race child ${i} ${id}`),
    });
    const cases = await Promise.all(Array.from({ length: rounds }, (_, i) => setup(i)));
    const race = async ({ group, user, child }) => {
      const add = (member) => patch(`/Groups/${group.id}`, [{ op: "add", path: "members", value: [{ value: member.id }] }]);
      const answers = await Promise.all([add(user), del(`/Users/${user.id}`), add(child), del(`/Groups/${child.id}`)]);
      for (const [i, answer] of answers.entries()) {
        if (i % 2 === 1) assert.equal(answer.status, 204, answer.text);
        else assert.ok(answer.status === 200 || isScimError(answer, 400, "invalidValue"), answer.text);
      }
      return (await get(`/Groups/${group.id}`)).json.members ?? [];
    };
    const left = await Promise.all(cases.map(race));
    assert.deepEqual(left, cases.map(() => []));
  });

  test("a unique value of any length is compared, never made into a filter (no invalidFilter)", async () => {
    const id = unique();
    const long = `${"u".repeat(9000)}.${id}`;
    const created = await post("/Users", { schemas: [USER], userName: long }, CONSOLE);
    assert.equal(created.status, 201, created.text.slice(0, 300));
    const taken = await post("/Users", { schemas: [USER], userName: long.toUpperCase() }, CONSOLE);
    assert.ok(isScimError(taken, 409, "uniqueness"), taken.text.slice(0, 300));
    assert.equal(where(taken), "/userName");
    assert.ok(taken.json.detail.length < 200, "the message quotes an excerpt");
    // Short, but past 8 KB once escaped in a filter string.
    const quotes = `${'"\\'.repeat(3000)}.${id}`;
    const other = await createUser(`quotes.${id}`, { externalId: quotes });
    const clash = await post("/Users", { schemas: [USER], userName: `quotes2.${id}`, externalId: quotes }, CONSOLE);
    assert.ok(isScimError(clash, 409, "uniqueness"), clash.text.slice(0, 300));
    assert.equal(where(clash), "/externalId");
    const renamed = await patch(`/Users/${other.id}`, [{ op: "replace", path: "userName", value: `${long}.2` }]);
    assert.equal(renamed.status, 200, renamed.text.slice(0, 300));
    const group = await post("/Groups", { schemas: [GROUP], displayName: `G ${id}`, externalId: quotes });
    assert.equal(group.status, 201, group.text.slice(0, 300)); // unique per resource type
  });

  test("an empty externalId is no value: any number of resources may have it", async () => {
    const id = unique();
    for (const i of [1, 2]) {
      const user = await post("/Users", { schemas: [USER], userName: `empty${i}.${id}`, externalId: "" });
      assert.equal(user.status, 201, user.text);
      assert.equal(user.json.externalId, "");
      const group = await post("/Groups", { schemas: [GROUP], displayName: `Empty ${i} ${id}`, externalId: "" });
      assert.equal(group.status, 201, group.text);
    }
    const third = await createUser(`empty3.${id}`, { externalId: `x-${id}` });
    const cleared = await patch(`/Users/${third.id}`, [{ op: "replace", path: "externalId", value: "" }]);
    assert.equal(cleared.status, 200, cleared.text);
    // Any other value is still unique.
    await createUser(`empty4.${id}`, { externalId: `y-${id}` });
    assert.ok(isScimError(await post("/Users", { schemas: [USER], userName: `empty5.${id}`, externalId: `y-${id}` }), 409, "uniqueness"));
  });

  test("the service root: GET with a query searches every type, and sortBy sorts across them", async () => {
    const id = unique();
    const user = await createUser(`root.${id}`, { displayName: `B root ${id}` });
    const group = await createGroup(`A root ${id}`);
    const filter = q(`displayName ew "root ${id}"`);
    const listed = await get(`/?${filter}&attributes=displayName`);
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(listed.json.Resources.map((r) => r.id).sort(), [group.id, user.id].sort());
    const sorted = await get(`/?${filter}&sortBy=displayName&sortOrder=descending`);
    assert.equal(sorted.status, 200, sorted.text);
    assert.deepEqual(sorted.json.Resources.map((r) => r.id), [user.id, group.id]);
    assert.equal(sorted.json.Resources[1].meta.resourceType, "Group");
    // An attribute only Users have: Groups sort as missing values, last when ascending.
    const search = { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: `displayName ew "root ${id}"` };
    const byName = await post("/.search", { ...search, sortBy: "userName" });
    assert.equal(byName.status, 200, byName.text);
    assert.deepEqual(byName.json.Resources.map((r) => r.id), [user.id, group.id]);
    assert.ok(isScimError(await post("/.search", { ...search, sortBy: "nosuch" }), 400, "invalidValue"));
    assert.ok(isScimError(await get(`/?sortBy=password`), 400, "invalidValue"));
    const refused = await post("/", { schemas: [USER], userName: `root2.${id}` });
    assert.ok(isScimError(refused, 405), refused.text);
    assert.equal(refused.headers.get("allow"), "GET, HEAD");
  });
});

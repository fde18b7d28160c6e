// A Cloudflare Worker (run by Miniflare / workerd in workerd.test.mjs) that imports the
// `scimkit` Workers entry — the WebAssembly build imported as a compiled module — and runs the
// vector files it is sent with the Node runner.
import * as scimkit from "../../../bindings-js/dist/web/workerd.js";
import { readVectorFile, runFile } from "../lib/runner.mjs";

export default {
  async fetch(request) {
    const files = await request.json();
    const totals = { implementation: scimkit.implementation, ran: 0, operations: {}, failures: [] };
    for (const { name, text } of files) {
      const file = readVectorFile(name, text);
      const result = runFile(scimkit, file);
      totals.ran += result.ran;
      totals.operations[file.operation] = (totals.operations[file.operation] ?? 0) + result.ran;
      totals.failures.push(...result.failures);
    }
    // Objects made before a trap are made again in the new instance the trap leads to.
    const before = new scimkit.Filter('userName eq "x"');
    try {
      scimkit._panic("boom");
    } catch (e) {
      totals.trap = { scimError: e instanceof scimkit.ScimError, status: e.status };
    }
    totals.filterAfterTrap = before.matches({ userName: "x" });
    totals.afterTrap = scimkit.validate("User", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "x",
    }).resource.userName;
    return Response.json(totals);
  },
};

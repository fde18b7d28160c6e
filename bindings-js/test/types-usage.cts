// The same declarations as CommonJS users get them (`require` resolves the types to
// dist/index.d.cts, a copy of index.d.ts made by build.sh): checked by `tsc -p test`, never run.
import scimkit = require("scimkit");

const user: scimkit.JsonObject = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "bjensen" };
const valid: scimkit.Validated = scimkit.validate("User", user);
const registry: scimkit.Registry = new scimkit.Registry();
const same: scimkit.Validated = scimkit.default.validate("User", valid.resource);
try {
  registry.validate("User", {});
} catch (e) {
  if (e instanceof scimkit.ScimError) {
    const status: number = e.status;
    void status;
  }
}
void same;

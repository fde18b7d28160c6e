// The package's exports over the WebAssembly build, once a loader (load-fetch.js or
// load-workerd.js) has instantiated it. Nothing here calls into WebAssembly while it evaluates,
// so it may run before the loader's top-level await settles; the entry points import both.
import { createApi } from "./api.js";
import { state } from "./state.js";
import * as glue from "./wasm/scimkit_wasm.js";

const api = createApi(glue, {
  name: "wasm",
  // After a trap the shadow stack pointer is wherever the trapped frames left it: put it back
  // where it rests between calls (calls never nest).
  recover: () => {
    state.exports.__stack_pointer.value = state.restingStackPointer;
  },
});

export const {
  implementation,
  ScimError,
  Registry,
  Filter,
  CheckedFilter,
  ResourceSet,
  HeldResource,
  ListQuery,
  BulkRunner,
  Mapping,
  validate,
  validateText,
  applyPatch,
  applyPatchText,
  hold,
  diff,
  project,
  sort,
  listResponse,
  fillMeta,
  parsePatchPath,
  parseAttrPath,
  listQueryFromQueryString,
  listQueryFromSearchRequest,
  listResponseFromPage,
  errorFromValue,
  errorResponse,
  serviceProviderConfig,
  etag,
  refuseFilter,
  refuseFilterInQuery,
  evaluatePreconditions,
  bulkPlan,
  _panic,
} = api;
export default api;

// The package's exports over the WebAssembly build, once a loader (load-fetch.js or
// load-workerd.js) has instantiated it. Nothing here calls into WebAssembly while it evaluates,
// so it may run before the loader's top-level await settles; the entry points import both.
import { createApi } from "./api.js";
import * as glue from "./wasm/scimkit_wasm.js";

// After a trap the instance's memory cannot be trusted: the JS layer goes on in a new instance
// (the instance state and the reset come from tools/instance-reset.mjs).
const api = createApi(glue, { name: "wasm", state: glue.__scimkitState, reset: glue.__scimkitReset });

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
  valueLocation,
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
